"""Properties over any text: understand() never raises, is deterministic and always well-formed."""

from __future__ import annotations

import string
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from core.policy import Policy, load_policy
from core.understanding import understand
from core.understanding.types import Intent, Question, Understanding

POLICY = load_policy()

_WORDS = [
    "yes", "no", "not", "haan", "nahi", "ji", "bilkul", "actually", "sorry", "wait", "i", "mean", "am", "salaried",
    "business", "job", "work", "at", "for", "in", "a", "and", "and a half", "half", "to", "se", "between", "lakh",
    "lakhs", "lac", "thousand", "hazaar", "k", "crore", "hundred", "sau", "rs", "₹", "rupees", "/-", "per", "month",
    "annum", "lpa", "ctc", "year", "around", "more than", "less than", "one", "twenty", "five", "ninety", "bees",
    "pachees", "sava", "dedh", "dhai", "saade", "paune", "point", "0", "1.8", "25,000", "2,50,000", "9999999999",
    "Delhi", "Mumbai", "Bangalore", "Bangler", "Pune", "Noida", "Rohini", "live", "from", "mein", "pardon", "kya",
    "umm", "not sure", "why do you need", ",", ".", "...", "?", "-", "—", "'", "  ",
    "was", "now", "earlier", "used to", "last year", "next month", "pehle", "abhi", "tha", "also", "bhi", "but",
    "my wife", "papa", "moved to", "native", "if", "ctc", "in hand", "package", "beech", "se upar", "se kam",
    "हाँ", "नहीं", "पचास", "पच्चीस", "हज़ार", "लाख", "डेढ़", "सालाना", "दिल्ली", "मुंबई", "४०,०००", "नौकरी", "।",
]  # fmt: skip
_PHRASES = st.lists(st.sampled_from(_WORDS), max_size=14).map(" ".join)
_ANY_TEXT = st.one_of(st.text(max_size=200), _PHRASES, st.text(alphabet=string.printable, max_size=80))


def _well_formed(heard: Understanding, policy: Policy) -> None:
    slots = [slot for slot in (heard.employment, heard.salary, heard.city) if slot is not None]
    assert (heard.intent is Intent.ANSWER) == bool(slots)
    assert (heard.intent is Intent.UNUSABLE) == (heard.unusable is not None)
    for slot in slots:
        assert 0.0 <= slot.confidence <= 1.0
        assert not slot.contradicted or slot.confidence <= 0.7  # a contradicted value is never a sure one
    if heard.salary is not None:
        answer = heard.salary.value
        if answer.monthly is not None:
            assert isinstance(answer.monthly, int) and answer.monthly >= 0
            assert answer.meets_minimum == (answer.monthly >= policy.min_monthly_salary)
    if heard.city is not None:
        city = heard.city.value
        assert city.name and city.name.isascii()
        served = policy.city_for(city.name)
        assert city.serviceable == (served is not None and served.name == city.name)


@settings(max_examples=400, deadline=None)
@given(question=st.sampled_from(list(Question)), text=_ANY_TEXT)
def test_any_text_gives_a_well_formed_deterministic_result(question: Question, text: str) -> None:
    heard = understand(question, text, POLICY)
    _well_formed(heard, POLICY)
    assert understand(question, text, POLICY) == heard


@settings(max_examples=100, deadline=None)
@given(question=st.sampled_from(list(Question)), text=st.text(min_size=1000, max_size=5000))
def test_long_input_is_handled(question: Question, text: str) -> None:
    _well_formed(understand(question, text, POLICY), POLICY)


def test_warm_up_builds_the_index_so_a_turn_is_fast() -> None:
    from core.understanding import warm_up
    from core.understanding.gazetteer import city_index

    warm_up(POLICY)
    assert city_index.cache_info().currsize >= 1
    started = time.perf_counter()
    for _ in range(50):
        understand(Question.CITY, "I stay in Whitefield, Bengaluru", POLICY)
        understand(Question.SALARY, "around one lakh, twenty thousand per month", POLICY)
    assert (time.perf_counter() - started) / 100 < 0.005  # generous: the benchmark asks < 1 ms median
