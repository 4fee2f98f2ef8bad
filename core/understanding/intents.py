"""Replies that fill no slot: a request to repeat, or why the reply was unusable (filler, unsure, refusal)."""

from __future__ import annotations

import re

from core.understanding.types import Intent, Unusable

UNSURE = re.compile(
    r"\b(?:not sure|unsure|dont know|do not know|dont no|didnt know|dunno|no idea|no clue|not certain|"
    r"cant say|cannot say|cant remember|dont remember|let me think|maybe|may be|perhaps|depends|"
    r"pata nahi|pata nahin|nahi pata|nahin pata|maloom nahi|malum nahi|maalum nahi|nahi maloom|"
    r"shayad|kuch pata nahi|yaad nahi|hard to say|difficult to say|kind of|sort of|not exactly sure)\b"
)
REFUSAL = re.compile(
    r"\b(?:(?:dont|do not|wont|will not|not going to|rather not|prefer not to|dont want to|do not want to|"
    r"not comfortable|cannot|cant)\s+(?:\w+\s+){0,2}(?:say|tell|share|disclose|answer|give|reveal)|"
    r"rather not|prefer not|why do you (?:need|want|ask)|why should i|why are you asking|why is that needed|"
    r"none of your business|not your business|thats private|its private|personal question|"
    r"no comment|nahi bata\w*|nahin bata\w*|kyun chahiye|kyu chahiye|kyon chahiye|kyun bataun|kyu bataun|"
    r"mind your own)\b"
)
_REPEAT_PHRASE = re.compile(
    r"\b(?:pardon|come again|repeat|say (?:that|it|this) again|say again|once again|one more time|"
    r"didnt (?:get|catch|hear|understand)|did not (?:get|catch|hear|understand)|couldnt hear|cant hear|"
    r"cannot hear|what did you (?:say|ask)|what was the question|what is the question|whats the question|"
    r"phir se|fir se|phirse|dobara|dubara|kya bola|kya kaha|kya bol\w*|samjha nahi|samajh nahi|"
    r"not clear|speak (?:up|louder|slowly))\b"
)
_CLARIFY = re.compile(
    r"^(?:(?:sorry|excuse me|madam|sir|but|and|ok|okay) )*(?:what do you mean|what does (?:\w+ ){0,3}mean|"
    r"what is (?:the )?(?:meaning|salaried|a salaried)|what is meant|meaning of|kya matlab|matlab kya|"
    r"(?:monthly|per month|in hand|take home) or (?:yearly|annual|per year|ctc|gross)|"
    r"(?:yearly|annual|per year|ctc|gross) or (?:monthly|per month|in hand|take home)|which city|which one)\b"
    r"|^(?:\w+ ){0,2}(?:ka )?(?:matlab kya|kya matlab|matlab)(?: hai| hota hai)?$"
)
"""A question about the question ('what do you mean by salaried?'): say it again, do not read it as an answer."""
_REPEAT_SHORT = frozenset({"what", "huh", "sorry", "pardon", "kya", "haan", "hello", "excuse", "me", "eh",
                           "please", "again", "sir", "madam", "maam", "ji", "come", "say", "the", "question"})
"""A reply made only of these ('sorry, what?', 'kya?', 'excuse me?') asks for the question again."""
_REPEAT_CORE = frozenset({"what", "huh", "sorry", "pardon", "kya", "excuse", "again"})
_FILLER = re.compile(r"(?:u+h*m+|h+m+|u+h+|a+h+|e+r+m*|m+|m+h+m+|e+h+|o+h+|a+|hm+|uh+huh|um+hum+|okay|ok|so|"
                     r"well|like|acha|achha|accha|hello)")


def is_clarification(text: str) -> bool:
    """Whether the reply asks what the question means rather than answering it."""
    return bool(_CLARIFY.search(text))


def is_repeat_request(tokens: tuple[str, ...], text: str) -> bool:
    """Whether the caller asked to hear the question again ('pardon?', 'phir se bolo', 'sorry, what?')."""
    if _REPEAT_PHRASE.search(text):
        return True
    return all(token in _REPEAT_SHORT for token in tokens) and any(token in _REPEAT_CORE for token in tokens)


def unusable_kind(tokens: tuple[str, ...], text: str) -> Unusable:
    """Why a reply that filled no slot and asked no repeat is unusable."""
    if not tokens:
        return Unusable.SILENCE
    if REFUSAL.search(text):
        return Unusable.REFUSAL
    if UNSURE.search(text):
        return Unusable.UNSURE
    if all(_FILLER.fullmatch(token) for token in tokens):
        return Unusable.FILLER
    return Unusable.OFF_TOPIC


def classify_unfilled(tokens: tuple[str, ...], text: str) -> tuple[Intent, Unusable | None]:
    """The intent of a reply that filled no slot: a repeat request, or unusable and why."""
    if tokens and is_repeat_request(tokens, text):
        return Intent.REPEAT, None
    return Intent.UNUSABLE, unusable_kind(tokens, text)
