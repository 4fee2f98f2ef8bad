"""Hindi in Devanagari and Hinglish in Latin letters: yes/no, work, amounts, cities, whatever the prompt's language."""

from __future__ import annotations

import pytest

from core.policy import Policy, load_policy
from core.understanding import understand
from core.understanding.devanagari import romanise
from core.understanding.numbers import HINDI
from core.understanding.types import CityAnswer, Employment, Intent, Question, SalaryAnswer, Unusable

SALARIED, NOT_SALARIED = Employment.SALARIED, Employment.NOT_SALARIED


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


@pytest.mark.parametrize(
    ("text", "spelt"),
    [
        ("हाँ जी", "haan ji"),
        ("काम", "kaam"),
        ("कम", "kam"),
        ("नहीं", "nahin"),
        ("नौकरी करता हूँ", "naukri karta hun"),
        ("मैं दिल्ली में रहता हूँ", "main dilli mein rahta hun"),
        ("डेढ़ लाख", "derh laakh"),
        ("४०,०००", "40,000"),
        ("पच्चीस", "pachees"),
        ("पचास", "pachaas"),
        ("Yes, 40k", "Yes, 40k"),
    ],
)
def test_devanagari_is_spelt_as_typed_hinglish(text: str, spelt: str) -> None:
    assert romanise(text) == spelt


def test_every_devanagari_number_word_reads_as_its_own_value() -> None:
    """The library's table of Hindi number words, each spelling, lands on exactly its number (no near misses)."""
    from hindi_normalize import WORD_TO_NUM

    for word, value in WORD_TO_NUM.items():
        if 0 < value < 100:
            assert HINDI[romanise(word)] == value, word


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("हाँ", SALARIED), ("जी हाँ", SALARIED), ("हां जी", SALARIED), ("हाँ जी, मैं नौकरी करता हूँ", SALARIED),
        ("नहीं", NOT_SALARIED), ("बिल्कुल नहीं", NOT_SALARIED), ("नहीं जी", NOT_SALARIED),
    ],
)  # fmt: skip
def test_devanagari_yes_no_at_the_employment_question(text: str, meaning: Employment, policy: Policy) -> None:
    heard = understand(Question.EMPLOYMENT, text, policy)
    assert heard.employment is not None and heard.employment.value is meaning
    assert heard.employment.confidence >= 0.9


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("मैं नौकरी करता हूँ", SALARIED),
        ("प्राइवेट कंपनी में काम करता हूँ", SALARIED),
        ("सरकारी नौकरी है", SALARIED),
        ("सैलरी मिलती है", SALARIED),
        ("मेरा अपना बिज़नेस है", NOT_SALARIED),
        ("अपनी दुकान है", NOT_SALARIED),
        ("खेती करता हूँ", NOT_SALARIED),
        ("मैं छात्र हूँ", NOT_SALARIED),
        ("मैं गृहिणी हूँ", NOT_SALARIED),
        ("मेरी नौकरी नहीं है", NOT_SALARIED),
        ("मैं सरकारी कर्मचारी हूँ", SALARIED),
        ("मैं एक कंपनी में जॉब करता हूँ", SALARIED),
        ("मैं हाउसवाइफ हूँ", NOT_SALARIED),
        ("मैं सेल्फ एम्प्लॉयड हूँ", NOT_SALARIED),
        ("मैं फ्रीलांसर हूँ", NOT_SALARIED),
        ("मेरा अपना व्यापार है", NOT_SALARIED),
        ("मैं बेरोज़गार हूँ", NOT_SALARIED),
    ],
)
def test_devanagari_work_statements(text: str, meaning: Employment, policy: Policy) -> None:
    for question in Question:  # over-answering: a work statement counts at every question
        heard = understand(question, text, policy)
        assert heard.employment is not None and heard.employment.value is meaning, (question, text)


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("पच्चीस हज़ार", 25000),
        ("पचास हज़ार", 50000),
        ("चौबीस हज़ार", 24000),
        ("पच्चीस हजार रुपये", 25000),
        ("डेढ़ लाख", 150000),
        ("ढाई लाख सालाना", 250000 // 12),
        ("साढ़े तीन लाख सालाना", 350000 // 12),
        ("४०,०००", 40000),
        ("४०००० रुपये महीना", 40000),
        ("एक लाख बीस हज़ार", 120000),
        ("मुझे तीस हज़ार सैलरी मिलती है", 30000),
        ("30,000 रुपये", 30000),
        ("अट्ठाईस हज़ार", 28000),
        ("पैंतालीस हजार", 45000),
        ("सवा लाख", 125000),
        ("हर महीने चालीस हज़ार", 40000),
    ],
)
def test_devanagari_amounts(text: str, monthly: int, policy: Policy) -> None:
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is not None and heard.salary.value.monthly == monthly


@pytest.mark.parametrize(
    ("text", "city", "served"),
    [
        ("दिल्ली", "Delhi", True), ("नई दिल्ली", "Delhi", True), ("मुंबई", "Mumbai", True), ("मुम्बई", "Mumbai", True),
        ("बम्बई", "Mumbai", True), ("बेंगलुरु", "Bangalore", True), ("बैंगलोर", "Bangalore", True),
        ("मैं दिल्ली में रहता हूँ", "Delhi", True), ("अंधेरी", "Mumbai", True), ("पुणे", "Pune", False),
        ("लखनऊ", "Lucknow", False), ("हैदराबाद", "Hyderabad", False), ("नोएडा", "Noida", False),
    ],
)  # fmt: skip
def test_devanagari_cities_through_the_gazetteer(text: str, city: str, served: bool, policy: Policy) -> None:
    heard = understand(Question.CITY, text, policy)
    assert heard.city is not None
    assert (heard.city.value.name, heard.city.value.serviceable) == (city, served)


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("dhai lakh saalana", 250000 // 12),
        ("dhai lakh salana", 250000 // 12),
        ("dhai lakh saal ka", 250000 // 12),
        ("saadhe teen lakh saalana", 350000 // 12),
        ("sava teen lakh saal ka", 325000 // 12),
        ("paune do lakh salana", 175000 // 12),
        ("dedh lakh saalana", 150000 // 12),
        ("35 hazaar mahine ka", 35000),
        ("har mahine 28 hazaar", 28000),
        ("mahina 30 hazaar", 30000),
    ],
)
def test_hinglish_fractions_and_period_markers(text: str, monthly: int, policy: Policy) -> None:
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is not None and heard.salary.value.monthly == monthly


@pytest.mark.parametrize(
    ("text", "meets"), [("हाँ, उससे ज़्यादा है", True), ("नहीं, उससे कम है", False), ("बीस हज़ार से कम", False),
                        ("तीस हज़ार से ज़्यादा", True)],
)  # fmt: skip
def test_devanagari_answers_against_the_minimum(text: str, meets: bool, policy: Policy) -> None:
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is not None and heard.salary.value.meets_minimum is meets


@pytest.mark.parametrize("text", ["बीस से पच्चीस हज़ार", "बीस पच्चीस हज़ार के बीच", "बीस हज़ार से ज़्यादा"])
def test_devanagari_range_across_the_minimum_is_unsure(text: str, policy: Policy) -> None:
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is None and heard.unusable is Unusable.UNSURE


@pytest.mark.parametrize(
    ("question", "text", "value"),
    [
        (Question.SALARY, "पहले बीस हज़ार मिलते थे, अब तीस हज़ार मिलते हैं", 30000),
        (Question.SALARY, "मेरे पति पचास हज़ार कमाते हैं, मुझे बीस हज़ार मिलता है", 20000),
        (Question.SALARY, "सीटीसी चार लाख है, हाथ में तेईस हज़ार आता है", 23000),
        (Question.CITY, "मैं पहले दिल्ली में रहता था, अब पुणे में रहता हूँ", "Pune"),
        (Question.EMPLOYMENT, "पहले नौकरी करता था, अब अपना काम है", NOT_SALARIED),
        (Question.EMPLOYMENT, "पिछले महीने नौकरी चली गई", NOT_SALARIED),
        (Question.EMPLOYMENT, "हाँ, लेकिन साइड में थोड़ा बिज़नेस भी है", SALARIED),
        (Question.EMPLOYMENT, "मेरी पत्नी नौकरी करती है, मैं दुकान चलाता हूँ", NOT_SALARIED),
    ],
)
def test_devanagari_statements_the_current_one_decides(
    question: Question, text: str, value: object, policy: Policy
) -> None:
    heard = understand(question, text, policy).slot_for(question)
    assert heard is not None
    got = heard.value
    if isinstance(got, SalaryAnswer):
        assert got.monthly == value
    elif isinstance(got, CityAnswer):
        assert got.name == value
    else:
        assert got is value


def test_near_a_served_city_in_hindi_is_not_that_city(policy: Policy) -> None:
    heard = understand(Question.CITY, "दिल्ली के पास, गाज़ियाबाद", policy)
    assert heard.city is not None and (heard.city.value.name, heard.city.value.serviceable) == ("Ghaziabad", False)


@pytest.mark.parametrize(
    ("text", "meets"),
    [("pachees hazaar se upar", True), ("tees hazaar se zyada", True), ("tees hazaar se thoda upar", True),
     ("ek lakh ke upar", True), ("bees hazaar se kam", False), ("bees hazaar se thoda kam", False),
     ("bees hazaar se neeche", False), ("pachees se kam", False)],
)  # fmt: skip
def test_hinglish_bounds_against_the_minimum(text: str, meets: bool, policy: Policy) -> None:
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is not None and heard.salary.value.meets_minimum is meets


@pytest.mark.parametrize(
    "text", ["bees pachees hazaar ke beech", "bees se pachees hazaar ke beech mein", "pandrah hazaar se thoda zyada",
             "bees hazaar se zyada", "24 25 hazaar"],
)  # fmt: skip
def test_hinglish_ranges_and_bounds_across_the_minimum_are_unsure(text: str, policy: Policy) -> None:
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is None and heard.unusable is Unusable.UNSURE


def test_a_hindi_answer_to_an_english_prompt_and_back(policy: Policy) -> None:
    """Understanding does not know the prompt's language: the same reply means the same in any call."""
    assert understand(Question.SALARY, "पचास हज़ार", policy) == understand(Question.SALARY, "pachaas hazaar", policy)
    assert understand(Question.CITY, "I live in Mumbai", policy).city == understand(
        Question.CITY, "मैं मुंबई में रहता हूँ", policy
    ).city
    mixed = understand(Question.EMPLOYMENT, "हाँ, I work at Infosys", policy)
    assert mixed.intent is Intent.ANSWER and mixed.employment is not None and mixed.employment.value is SALARIED
