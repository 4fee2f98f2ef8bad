"""Words the recogniser wrote from its context prompt without hearing them ("Haan. Nahi." for "haan ji").

The per-question prompt lists the answers we expect (yes/no, haan/nahi, city names) so Whisper spells
them right, but on audio it cannot read (Hindi on tiny.en, a noisy line) it may copy them from the
prompt instead: "bees hazaar" came back as "Please, Haan.". A decode of the same audio without the
prompt cannot copy them. So a prompt word in the reading counts as heard only when the unprompted
readings (a small beam) have a word that sounds like it: the same first sound class ("Nahi." ~ "Nucky",
"Mumbai." ~ "Bye") or a close spelling. Anything else is dropped: the recogniser writes only what was said.
Numbers are not checked here (an amount's doubt is judged from its confidence, core/dialogue/unsure.py).
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import fuzz

_WORD = re.compile(r"[a-z]+")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "am",
        "an",
        "and",
        "are",
        "at",
        "do",
        "i",
        "in",
        "is",
        "it",
        "least",
        "live",
        "monthly",
        "my",
        "new",
        "of",
        "or",
        "rupees",
        "salary",
        "the",
        "to",
        "which",
        "you",
        "your",
        "city",
        "employee",
        "lakh",
    ]
)
_NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
    ]
)
_SOUND_CLASS = {
    **dict.fromkeys("aeiouh", "vowel"),
    **dict.fromkeys("yj", "y"),
    **dict.fromkeys("bpvwfm", "b"),
    **dict.fromkeys("dt", "d"),
    **dict.fromkeys("kqgc", "k"),
    **dict.fromkeys("szx", "s"),
    **dict.fromkeys("lr", "l"),
}
"""First letters that recognisers swap for one another when they cannot spell a word."""
SPELLING_MATCH = 70.0
"""A word spelled this close (rapidfuzz ratio) anywhere in an unprompted reading supports a prompt word."""
YES_NO_WORDS = frozenset({"yes", "no", "haan", "nahi", "han", "ha", "na"})
SHORT_REPLY = 2
"""Replies of up to this many words may have a yes/no word supported by a sound-alike."""
PLACE_TOLERANCE = 0.35
"""A sound-alike must sit at about the same place in its reading (relative word position): in a long
reading some word always starts with a vowel or a 'b' ("Man, look how much of that, haan.")."""


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@cache
def context_words(prompt: str) -> frozenset[str]:
    """The prompt's answer words (yes/no, haan/nahi, salaried, city names): what it could inject."""
    return frozenset(_words(prompt)) - _FUNCTION_WORDS - _NUMBER_WORDS


def names_context_words(text: str, prompt: str) -> bool:
    """The reading holds at least one of the prompt's answer words, so it must be checked."""
    return not context_words(prompt).isdisjoint(_words(text))


def sounds_alike(word: str, other: str) -> bool:
    """Loosely the same word: same first sound class, or a close spelling."""
    first, second = _SOUND_CLASS.get(word[0], word[0]), _SOUND_CLASS.get(other[0], other[0])
    return first == second or fuzz.ratio(word, other) >= SPELLING_MATCH


def _places(words: list[str]) -> list[tuple[str, float]]:
    return [(word, (index + 0.5) / len(words)) for index, word in enumerate(words)]


def _supported(word: str, place: float, bare: list[list[tuple[str, float]]], short: bool) -> bool:
    """Some unprompted reading spells `word` closely or has a sound-alike at about the same place; a yes/no
    word in a long reading needs the close spelling (some word always starts with a vowel or 'h' there:
    "Man, look how much of that, haan."). City names keep the sound-alike: phone "I stay in Hyderabad"
    has no unprompted reading that spells it."""
    return any(
        fuzz.ratio(word, other) >= SPELLING_MATCH
        or ((short or word not in YES_NO_WORDS) and sounds_alike(word, other) and abs(place - at) <= PLACE_TOLERANCE)
        for reading in bare
        for other, at in reading
    )


def drop_unheard(text: str, bare: list[str], prompt: str) -> tuple[str, tuple[str, ...]]:
    """`text` without the prompt words no unprompted reading in `bare` supports, and those words."""
    known = context_words(prompt)
    heard = [_places(_words(reading)) for reading in bare]
    tokens = text.split()
    placed = _places([" ".join(_words(token)) for token in tokens])
    kept, dropped = [], []
    for token, (_, place) in zip(tokens, placed, strict=True):
        if any(w in known and not _supported(w, place, heard, len(tokens) <= SHORT_REPLY) for w in _words(token)):
            dropped.append(token)
        else:
            kept.append(token)
    if not dropped:
        return text, ()
    rest = " ".join(kept)
    return (rest if _WORD.search(rest.lower()) or re.search(r"\d", rest) else ""), tuple(dropped)
