"""The employment slot: yes/no at its question, implied statements, Hinglish, negation and corrections."""

from __future__ import annotations

import pytest

from core.policy import Policy, load_policy
from core.understanding import understand
from core.understanding.types import Employment, Intent, Question

SALARIED, NOT_SALARIED = Employment.SALARIED, Employment.NOT_SALARIED


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def _employment(policy: Policy, text: str, question: Question = Question.EMPLOYMENT) -> Employment | None:
    heard = understand(question, text, policy)
    return heard.employment.value if heard.employment else None


@pytest.mark.parametrize(
    "text",
    ["yes", "Yes.", "Yeah", "yep", "Yup!", "sure", "Absolutely.", "of course", "Correct.", "right", "haan",
     "Haan ji", "han ji", "ji", "Ji haan", "bilkul", "hanji", "Yes I am", "Yes, I am Salaried.",
     "yes sir", "Haan, main salaried hoon"],
)  # fmt: skip
def test_yes_means_salaried(policy: Policy, text: str) -> None:
    heard = understand(Question.EMPLOYMENT, text, policy)
    assert heard.intent is Intent.ANSWER
    assert heard.employment is not None and heard.employment.value is SALARIED
    assert heard.employment.confidence >= 0.9


@pytest.mark.parametrize(
    "text",
    ["no", "No.", "nope", "nah", "nahi", "nahin", "na", "Bilkul nahi", "not really", "No, I'm not", "No sir",
     "ji nahi", "Na ji", "Not at all.", "Not exactly"],
)  # fmt: skip
def test_no_means_not_salaried(policy: Policy, text: str) -> None:
    heard = understand(Question.EMPLOYMENT, text, policy)
    assert heard.employment is not None and heard.employment.value is NOT_SALARIED
    assert heard.employment.confidence >= 0.9


@pytest.mark.parametrize(
    "text",
    [
        "I work at Infosys",
        "I work for TCS",
        "I'm working in a bank",
        "private job",
        "Government job hai",
        "I have a government job.",
        "naukri karta hoon",
        "Main naukri karti hoon",
        "I am a software engineer at Wipro",
        "I'm a consultant at Deloitte",
        "salaried",
        "I get a salary",
        "I get a monthly salary from my company",
        "MNC mein kaam karta hoon",
        "I am an employee of HDFC Bank",
        "I'm employed with Accenture.",
        "full time job in an IT company",
        "I don't run a business, I work for Wipro",
        "I'm not self-employed",
        "Business nahi hai, naukri karta hoon",
        "I used to run a shop, now I work at Reliance",
        "I'm a business analyst at Accenture",
        "My father has a business but I work at Amazon",
        "I am working",
        "Delivery manager at Infosys",
        "Main ek private company mein kaam karta hoon",
        "haan ji, sarkari naukri hai",
        "main Infosys mein engineer hoon",
        "office mein kaam karta hoon",
        "meri naukri hai",
        "I'm in IT",
        "I am celery.",
    ],
)
def test_implied_salaried(policy: Policy, text: str) -> None:
    assert _employment(policy, text) is SALARIED


@pytest.mark.parametrize(
    "text",
    [
        "No, I run my own business.",
        "I have my own business",
        "apna business hai",
        "Mera apna dukaan hai",
        "dukaan hai",
        "I run a shop",
        "I'm self-employed",
        "self employed",
        "I am a freelancer",
        "I do freelancing",
        "I do consulting for clients",
        "I work on contract",
        "I drive for Uber",
        "Swiggy delivery",
        "I'm a student",
        "still studying",
        "I am retired",
        "I'm a housewife",
        "homemaker",
        "unemployed",
        "I don't have a job",
        "I have no job right now",
        "between jobs",
        "I'm looking for a job",
        "berozgar hoon",
        "not salaried",
        "I'm not salaried, I run a shop",
        "Main salaried nahi hoon",
        "Job nahi hai",
        "I was salaried but now I run my own business",
        "I am a farmer",
        "I was salaried but I quit last month",
        "I have a clinic",
        "I'm not working right now",
        "I don't work for any company",
        "I run a kirana shop",
        "Auto chalata hoon",
        "Apna kaam karta hoon",
        "Main apna khud ka kaam karti hoon",
        "nahi ji, main student hoon",
        "khet mein kaam karta hoon",
        "ghar ka kaam karti hoon",
        "naukri nahi karta, apna dhanda hai",
    ],
)
def test_implied_not_salaried(policy: Policy, text: str) -> None:
    assert _employment(policy, text) is NOT_SALARIED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no... actually yes", SALARIED),
        ("No, sorry, yes.", SALARIED),
        ("yes, I mean no", NOT_SALARIED),
        ("Yes. No.", NOT_SALARIED),
        ("No. Yes.", SALARIED),
        ("Haan, nahi, main student hoon", NOT_SALARIED),
        ("Yes. No wait, no, I run a business.", NOT_SALARIED),
        ("I'm self employed, sorry, I mean I work at a company", SALARIED),
    ],
)
def test_corrections_take_the_last_answer(policy: Policy, text: str, expected: Employment) -> None:
    assert _employment(policy, text) is expected


@pytest.mark.parametrize(("text", "expected"), [("I am", SALARIED), ("I do", SALARIED), ("I'm not", NOT_SALARIED)])
def test_a_bare_i_am_is_an_answer_but_too_unsure_to_end_the_turn_early(
    policy: Policy, text: str, expected: Employment
) -> None:
    heard = understand(Question.EMPLOYMENT, text, policy).employment
    assert heard is not None and heard.value is expected
    assert 0.7 <= heard.confidence < 0.8  # the listener ends a turn early only at 0.8: "I am ... self-employed"


def test_implied_statements_are_less_sure_than_a_plain_yes(policy: Policy) -> None:
    plain = understand(Question.EMPLOYMENT, "yes", policy).employment
    implied = understand(Question.EMPLOYMENT, "I'm not self-employed", policy).employment
    assert plain is not None and implied is not None
    assert implied.confidence < plain.confidence


def test_conflicting_yes_and_statement_is_unsure(policy: Policy) -> None:
    heard = understand(Question.EMPLOYMENT, "No, I work at Infosys", policy).employment
    assert heard is not None and heard.value is SALARIED
    assert heard.confidence <= 0.7


@pytest.mark.parametrize("question", [Question.SALARY, Question.CITY])
def test_bare_yes_no_fills_employment_only_at_its_question(policy: Policy, question: Question) -> None:
    assert understand(question, "yes", policy).employment is None
    assert understand(question, "nahi", policy).employment is None


@pytest.mark.parametrize("question", [Question.SALARY, Question.CITY])
def test_work_statements_fill_employment_at_any_question(policy: Policy, question: Question) -> None:
    assert _employment(policy, "I run my own business", question) is NOT_SALARIED
    assert _employment(policy, "I'm salaried, by the way", question) is SALARIED


@pytest.mark.parametrize("text", ["No idea", "no problem", "None of your business", "I have no clue"])
def test_no_inside_a_phrase_is_not_a_no(policy: Policy, text: str) -> None:
    assert _employment(policy, text) is None


@pytest.mark.parametrize(("text", "expected"), [("Now, hi.", NOT_SALARIED), ("Nahai.", NOT_SALARIED),
                                                ("On.", SALARIED), ("All right.", SALARIED)])  # fmt: skip
def test_typical_mishearings_of_haan_and_nahi_are_low_confidence_guesses(
    policy: Policy, text: str, expected: Employment
) -> None:
    heard = understand(Question.EMPLOYMENT, text, policy).employment
    assert heard is not None and heard.value is expected
    assert heard.confidence <= 0.95
    if text != "Nahai.":
        assert heard.confidence <= 0.6


@pytest.mark.parametrize("text", ["I am a doctor", "I work from home", "Kind of"])
def test_ambiguous_work_statements_are_not_guessed(policy: Policy, text: str) -> None:
    heard = understand(Question.EMPLOYMENT, text, policy)
    assert heard.employment is None
    assert heard.intent is Intent.UNUSABLE


@pytest.mark.parametrize("text", ["I live in Delhi with my parents, they are retired", "My husband runs a shop"])
def test_statements_about_other_people_are_not_the_callers_employment(policy: Policy, text: str) -> None:
    assert understand(Question.CITY, text, policy).employment is None


@pytest.mark.parametrize("text", ["I get some monthly salary from my company.", "I get the salary every month"])
def test_getting_a_salary_is_salaried(policy: Policy, text: str) -> None:
    assert _employment(policy, text) is SALARIED


@pytest.mark.parametrize("text", ["I am a free lancer.", "freelancer"])
def test_free_lancer_in_two_words_is_not_salaried(policy: Policy, text: str) -> None:
    assert _employment(policy, text) is NOT_SALARIED


@pytest.mark.parametrize("text", ["Yes, I can't have a job in a bank.", "Yes, I am not salaried"])
def test_yes_with_a_negated_statement_is_unusable(policy: Policy, text: str) -> None:
    heard = understand(Question.EMPLOYMENT, text, policy)
    assert heard.employment is None and heard.intent is Intent.UNUSABLE


def test_no_with_a_negated_statement_agrees(policy: Policy) -> None:
    assert _employment(policy, "No, I don't have a job.") is NOT_SALARIED
