"""Recogniser text made uniform: ASCII lower case (Devanagari romanised), digits ungrouped, split at corrections."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.understanding.devanagari import romanise

MAX_CHARS = 1000
"""A spoken reply is a sentence or two; longer input is cut so no input can make a turn slow."""

_ANNOTATION = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*")
"""Recogniser annotations such as '[BLANK_AUDIO]' or '(music)': not words the caller said."""
_RUPEE = re.compile(r"₹|\brs\b\.?|\binr\b")
_APOSTROPHE = re.compile(r"['’`]")
_DIGIT_GROUP = re.compile(r"(?<=\d),(?=\d)")
_TRAILING_DASH = re.compile(r"/-")
_DIGIT_RANGE = re.compile(r"(\d)\s*[-–—~]\s*(?=\d)")
_HYPHEN = re.compile(r"(?<=[a-z])[-–](?=[a-z])")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+")

_CORRECTION = re.compile(
    r"\b(?:actually|i mean|i meant|sorry|no no|no wait|wait|rather|correction|make that|scratch that|"
    r"let me correct|matlab|nahi nahi|oh no)\b"
    r"|[,.;!?]\s*(?=(?:no|nope|nahi|not)\s*[,.;!?])"  # "Yes. No." and "Mumbai, no, Pune": the 'no' starts anew
)


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of a reply between self-corrections: its words and the same words joined by spaces."""

    tokens: tuple[str, ...]
    text: str
    raw: str = ""
    """The stretch as normalised, punctuation kept: where its statements start and end."""


def normalise(text: str) -> str:
    """Lower-case ASCII with rupee marks as 'rs', Indian digit grouping removed and '60k' split to '60 k';
    Devanagari is first spelt as typed Hinglish ('हाँ जी' -> 'han ji')."""
    text = _ANNOTATION.sub(" ", romanise(unicodedata.normalize("NFKC", text[:MAX_CHARS])).casefold())
    text = _RUPEE.sub(" rs ", text)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _APOSTROPHE.sub("", text)
    text = _DIGIT_GROUP.sub("", text)
    text = _TRAILING_DASH.sub(" ", text)
    text = _DIGIT_RANGE.sub(r"\1 to ", text)
    text = _HYPHEN.sub(" ", text)
    return _DIGIT_LETTER.sub(" ", text)


def tokens_of(text: str) -> tuple[str, ...]:
    """The words and numbers of normalised text; punctuation and other scripts drop out."""
    return tuple(_TOKEN.findall(text))


def segments(normalised: str) -> list[Segment]:
    """The reply split at self-correction markers ('no wait', 'sorry', 'I mean'); the last part wins."""
    parts = _CORRECTION.split(normalised)
    result = []
    for part in parts:
        tokens = tokens_of(part)
        if tokens:
            result.append(Segment(tokens=tokens, text=" ".join(tokens), raw=part))
    return result
