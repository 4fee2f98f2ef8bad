"""Amounts in Hindi words for the Hindi prompts ("पच्चीस हज़ार", "एक लाख पचास हज़ार").

num2words has no Hindi; Hindi's numbers below a hundred are irregular, so the words come from the
table hindi-normalize keeps for the opposite direction (its first spelling of each is the standard one).
"""

from __future__ import annotations

from functools import cache

_SCALES = ((10_000_000, "करोड़"), (100_000, "लाख"), (1_000, "हज़ार"), (100, "सौ"))


@cache
def _below_hundred() -> dict[int, str]:
    from hindi_normalize import WORD_TO_NUM

    words: dict[int, str] = {}
    for word, number in WORD_TO_NUM.items():
        words.setdefault(number, word)
    missing = [n for n in range(100) if n not in words]
    if missing:
        raise RuntimeError(f"hindi-normalize has no Hindi word for {missing}")
    return words


def hindi_words(amount: int) -> str:
    """`amount` (a whole number of rupees, >= 0) in Hindi words with Indian scales."""
    if amount < 0:
        raise ValueError(f"no Hindi words for a negative amount ({amount})")
    small = _below_hundred()
    if amount < 100:
        return small[amount]
    parts: list[str] = []
    rest = amount
    for value, name in _SCALES:
        count, rest = divmod(rest, value)
        if count:
            parts.append(f"{hindi_words(count)} {name}")
    if rest:
        parts.append(small[rest])
    return " ".join(parts)
