"""Yes/no particles in English, Indian English and Hinglish ('haan ji', 'bilkul nahi', 'not really')."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.understanding.intents import REFUSAL, UNSURE

_NO = (
    r"bilkul nahi|bilkul nahin|ji nahi|ji nahin|nahi ji|nahin ji|na ji|naa ji|not really|not at all|"
    r"not exactly|not quite|not correct|not right|not true|absolutely not|of course not|certainly not|"
    r"definitely not|no way|no sir|no maam|nope|nah|naa|nahi|nahin|nai|nahai|never|negative|"
    r"no(?! (?:idea|clue|job|jobs|work|problem|salary|income|business|one|comment|naukri|kaam|fixed|money|"
    r"earning|earnings|employer|office|shop)\b)|isnt|na"
)
_YES = (
    r"ji haan|ji han|haan ji|han ji|haanji|hanji|haan|haa|han|yes sir|yes maam|of course|ofcourse|"
    r"thats right|that is right|thats correct|that is correct|yes|yeah|yea|yep|yup|yah|ya|yess|sure|surely|"
    r"absolutely|definitely|certainly|correct|right(?! now| here| there| away)|true|indeed|affirmative|"
    r"exactly|bilkul|zaroor|zarur|jarur|^ji"
)
_BARE_NO = r"(?:i am|im|it is|its|i) (?:not|dont|do not)$|(?:it|that) (?:is not|isnt)$"
_BARE_YES = r"(?:i am|im|i do|it is|its|i have|it does)$"
"""'I am' / 'I'm not' ending a reply: a yes or no, but maybe the start of a longer answer ('I am... self-employed')."""
_PARTICLE = re.compile(
    rf"\b(?:(?P<no>{_NO})|(?P<yes>{_YES})|(?P<bare_no>{_BARE_NO})|(?P<bare_yes>{_BARE_YES}))\b"
)
PLAIN, BARE, MISHEARD = 0.95, 0.75, 0.6
"""How sure a yes/no is: a plain particle, a bare 'I am', a typical mishearing of 'haan'/'nahi'."""
_MISHEARD = re.compile(r"^(?:(?P<no>now hi|no hi|nahai|nah hi)|(?P<yes>on|all right|alright))$")
"""Whole replies a recogniser makes of a lone 'nahi' or 'haan' (measured: 'Now, hi.', 'On.', 'All right.')."""


@dataclass(frozen=True, slots=True)
class Said:
    """A yes or no, and how sure it is (PLAIN, BARE or MISHEARD)."""

    yes: bool
    confidence: float


def yes_or_no(text: str) -> Said | None:
    """The last yes or no in this stretch; a whole reply like 'now hi' counts as a guessed 'nahi'."""
    misheard = _MISHEARD.match(text)
    if misheard:
        return Said(yes=misheard.group("yes") is not None, confidence=MISHEARD)
    text = UNSURE.sub(" ~ ", REFUSAL.sub(" ~ ", text))  # "~" keeps "I am" in "I am not sure" from ending it
    said = [
        Said(yes=m.group("yes") is not None or m.group("bare_yes") is not None,
             confidence=PLAIN if m.group("yes") is not None or m.group("no") is not None else BARE)
        for m in _PARTICLE.finditer(text)
    ]  # fmt: skip
    if not said:
        return None
    last = said[-1].yes  # "yes I am": as sure as the plainest word that agrees with the last
    return Said(yes=last, confidence=max(s.confidence for s in said if s.yes is last))
