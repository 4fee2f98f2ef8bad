"""Yes/no particles in English, Indian English and Hinglish ('haan ji', 'bilkul nahi', 'not really')."""

from __future__ import annotations

import re

from core.understanding.intents import REFUSAL, UNSURE

_NO = (
    r"bilkul nahi|bilkul nahin|ji nahi|ji nahin|nahi ji|nahin ji|not really|not at all|absolutely not|"
    r"of course not|certainly not|definitely not|no way|no sir|no maam|nope|nah|naa|nahi|nahin|nai|nahai|"
    r"never|negative|no(?! (?:idea|clue|job|jobs|work|problem|salary|income|business|one|comment|naukri|kaam|"
    r"fixed|money|earning|earnings|employer|office|shop)\b)|(?:i am|im|it is|its|i) (?:not|dont|do not)$|"
    r"(?:it|that) (?:is not|isnt)$|isnt|na"
)
_YES = (
    r"ji haan|ji han|haan ji|han ji|haanji|hanji|haan|haa|han|yes sir|yes maam|of course|ofcourse|"
    r"thats right|that is right|thats correct|that is correct|yes|yeah|yea|yep|yup|yah|ya|yess|sure|surely|"
    r"absolutely|definitely|certainly|correct|right|true|indeed|affirmative|exactly|bilkul|zaroor|zarur|"
    r"jarur|ji|(?:i am|im|i do|it is|its|i have|it does)$"
)
_PARTICLE = re.compile(rf"\b(?:(?P<no>{_NO})|(?P<yes>{_YES}))\b")


def polarity(text: str) -> bool | None:
    """The last yes (True) or no (False) the caller said in this stretch, or None."""
    text = UNSURE.sub(" ~ ", REFUSAL.sub(" ~ ", text))  # "~" keeps "I am" in "I am not sure" from ending it
    answer = None
    for match in _PARTICLE.finditer(text):
        answer = match.group("yes") is not None
    return answer
