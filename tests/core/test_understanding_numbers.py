"""Number phrases as Indian English speech and recognisers write them, checked against num2words (en_IN)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from num2words import num2words

from core.understanding.numbers import HINDI, find_numbers
from core.understanding.text import normalise, tokens_of


def _values(text: str) -> list[int | float]:
    numbers = find_numbers(tokens_of(normalise(text)))
    return [int(n.value) if n.value == n.value.to_integral_value() else float(n.value) for n in numbers]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=99_999_999))
def test_every_amount_num2words_spells_in_indian_english_reads_back(amount: int) -> None:
    assert _values(num2words(amount, lang="en_IN")) == [amount]


@pytest.mark.parametrize("amount", [*range(0, 1001), 25_000, 99_999, 1_00_000, 1_20_000, 10_00_000])
def test_small_and_round_amounts_read_back(amount: int) -> None:
    assert _values(num2words(amount, lang="en_IN")) == [amount]


def test_the_hindi_table_covers_one_to_ninety_nine() -> None:
    assert set(HINDI.values()) == set(range(1, 100))


@pytest.mark.parametrize("word", sorted(HINDI))
def test_every_hindi_number_word_reads_before_hazaar(word: str) -> None:
    assert _values(f"{word} hazaar") == [HINDI[word] * 1000]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("2,50,000", [250000]),
        ("1,00,000", [100000]),
        ("25,000", [25000]),
        ("Rs.25000/-", [25000]),
        ("60k", [60000]),
        ("1.8lakh", [180000]),
        ("12LPA", [1200000]),
        ("one lakh twenty", [120000]),
        ("one lakh and twenty", [100020]),
        ("two hundred and fifty", [250]),
        ("twenty four thousand nine hundred ninety nine", [24999]),
        ("one and a half lakh", [150000]),
        ("half a lakh", [50000]),
        ("sava lakh", [125000]),
        ("sava do lakh", [225000]),
        ("paune do lakh", [175000]),
        ("saade teen hazaar", [3500]),
        ("dedh lakh", [150000]),
        ("dhai hazaar", [2500]),
        ("25 thousand 30 thousand", [25000, 30000]),
        ("20 to 25k", [20, 25000]),
        ("I do", []),
        ("das baje", []),
        ("tees din", []),
        ("lakh", []),
        ("two five zero zero zero", [25000]),
        ("two five double zero zero", [25000]),
        ("4 2 0 0 0", [42000]),
        ("one two", [1, 2]),
        ("2 lack", [200000]),
        ("one lack twenty thousand", [120000]),
        ("a lack of money", []),
        ("I lack a job", []),
        ("a", []),
    ],
)
def test_number_phrases(text: str, values: list[int]) -> None:
    assert _values(text) == values
