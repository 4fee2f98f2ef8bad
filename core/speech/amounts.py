"""How Whisper writes amounts, for the question context to hand the listener through `Expectation`.

The speech layer knows no question: the context supplies `repair_amounts` (put split tens back
together) and `heard_amounts` (the key readings vote on at the salary question).
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.understanding.numbers import find_numbers
from core.understanding.text import normalise, tokens_of

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = {"thirteen": "thirty", "fourteen": "forty", "fifteen": "fifty", "sixteen": "sixty",
          "seventeen": "seventy", "eighteen": "eighty", "nineteen": "ninety"}  # fmt: skip
_TEEN_UNIT = re.compile(r"\b(" + "|".join(_TEENS) + r")-(" + "|".join(_UNITS) + r")\b", re.IGNORECASE)
_SPLIT_TENS = re.compile(r"\b([2-9])0,? (?:([1-9]),?000|(?i:(" + "|".join(_UNITS) + r") thousand))\b")


def repair_amounts(text: str) -> str:
    """Whisper's amount faults fixed in one reading: split or teen-joined tens put together."""
    return join_split_tens(join_teen_tens(text))


def join_split_tens(text: str) -> str:
    """Whisper writes "sixty-eight thousand" as "60, 8,000" and "seventy three thousand" as "70, 3000":
    put the tens back together ("68,000")."""

    def joined(match: re.Match[str]) -> str:
        tens, digit, word = match.groups()
        return f"{tens}{digit or _UNITS.index(word.lower()) + 1},000"

    return _SPLIT_TENS.sub(joined, text)


def join_teen_tens(text: str) -> str:
    """A teen joined to a unit ("fifteen-eight thousand") is no number: Whisper heard "fifty-eight"."""

    def tens(match: re.Match[str]) -> str:
        teen, unit = match.groups()
        word = _TEENS[teen.lower()]
        return f"{word.capitalize() if teen[0].isupper() else word}-{unit}"

    return _TEEN_UNIT.sub(tens, text)


def heard_amounts(text: str) -> tuple[Decimal, ...]:
    """The numbers a reading says ("73,000." and "seventy-three thousand" agree), for voting on an amount."""
    return tuple(number.value for number in find_numbers(tokens_of(normalise(text))))
