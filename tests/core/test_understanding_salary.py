"""The salary slot: amounts as recognisers write them, Hinglish, ranges, yearly figures, threshold yes/no."""

from __future__ import annotations

import pytest
from num2words import num2words

from core.policy import Policy, ServiceableCity, load_policy
from core.understanding import understand
from core.understanding.numbers import HINDI
from core.understanding.types import Intent, Question, SalaryAnswer, Unusable


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy()


def _salary(policy: Policy, text: str, question: Question = Question.SALARY) -> SalaryAnswer | None:
    heard = understand(question, text, policy)
    return heard.salary.value if heard.salary else None


def _confidence(policy: Policy, text: str) -> float:
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is not None, text
    return heard.salary.confidence


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("25000", 25000),
        ("25,000", 25000),
        ("2,50,000", 250000),
        ("₹25,000/-", 25000),
        ("Rs. 40000", 40000),
        ("Rs 32,500", 32500),
        ("INR 30000", 30000),
        ("30000 rupees", 30000),
        ("My salary is 35,000 rupees.", 35000),
        ("35 thousand", 35000),
        ("22,000 per month", 22000),
        ("twenty two thousand", 22000),
        ("twenty-five thousand", 25000),
        ("forty one thousand two hundred", 41200),
        ("thirty two thousand and five hundred", 32500),
        ("twenty four thousand nine hundred ninety nine", 24999),
        ("one lakh twenty thousand", 120000),
        ("one lakh, twenty thousand", 120000),
        ("1 lakh 20 thousand", 120000),
        ("My income is one lakh, 20,000.", 120000),
        ("one and a half lakh", 150000),
        ("a lakh", 100000),
        ("half a lakh", 50000),
        ("60k", 60000),
        ("60 k", 60000),
        ("sixty k", 60000),
        ("1.8 lakh", 180000),
        ("2.5 lakhs", 250000),
        ("1.2 lakh per month", 120000),
        ("chaalis hazaar", 40000),
        ("pachaas hazaar", 50000),
        ("pachees hazaar", 25000),
        ("Pachchees hazar", 25000),
        ("bees hazaar milta hai", 20000),
        ("ek lakh bees hazaar", 120000),
        ("sava lakh", 125000),
        ("dedh lakh", 150000),
        ("dhai lakh", 250000),
        ("saade do lakh", 250000),
        ("unees hazaar", 19000),
        ("chhattis hazaar", 36000),
        ("nabbe hazaar", 90000),
        ("Fifteen thousand only", 15000),
        ("two five zero zero zero rupees", 25000),
        ("four two double zero zero", 42000),
        ("No, it is only twenty-four thousand.", 24000),
        ("only 18k", 18000),
        ("point five lakh", 50000),
        ("one point two lakh", 120000),
        ("zero", 0),
    ],
)
def test_amounts(policy: Policy, text: str, monthly: int) -> None:
    answer = _salary(policy, text)
    assert answer == SalaryAnswer(monthly=monthly, meets_minimum=monthly >= policy.min_monthly_salary)


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("9 lakh per annum", 75000),
        ("12 LPA", 100000),
        ("12 lpa", 100000),
        ("CTC of 7.2 lakh", 60000),
        ("6 lakhs a year", 50000),
        ("3.6 lakh per year", 30000),
        ("annual salary is 4 lakh", 33333),
        ("2.4 lakh per annum", 20000),
        ("1.8 LPA", 15000),
        ("yearly package 10 lakh", 83333),
    ],
)
def test_yearly_figures_become_monthly_rounded_down(policy: Policy, text: str, monthly: int) -> None:
    assert _salary(policy, text) == SalaryAnswer(monthly, monthly >= policy.min_monthly_salary)


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("15 to 20 thousand", 15000),
        ("between 30 and 35k", 30000),
        ("30-35k", 30000),
        ("twenty five to thirty thousand", 25000),
        ("pachees se tees hazaar", 25000),
        ("das-pandrah hazaar", 10000),
        ("tees aur chaalees hazaar ke beech", 30000),
        ("around 22,000 per month.", 22000),
        ("about 50k", 50000),
        ("roughly forty thousand", 40000),
        ("approx 28000", 28000),
        ("lagbhag tees hazaar", 30000),
        ("more than 50 thousand", 50000),
        ("above 30k", 30000),
        ("40k plus", 40000),
    ],
)
def test_ranges_take_the_lower_bound_and_approximations_are_less_sure(
    policy: Policy, text: str, monthly: int
) -> None:
    assert _salary(policy, text) == SalaryAnswer(monthly, monthly >= policy.min_monthly_salary)
    assert 0.6 <= _confidence(policy, text) < 0.95


@pytest.mark.parametrize(
    "text",
    ["20 to 25 thousand", "20-25k", "twenty to twenty five thousand", "bees se pachees hazaar", "bees-pachees hazaar",
     "bees pachees hazaar ke beech", "between 20 and 30 thousand", "20 aur 30 hazaar ke beech", "more than 20k",
     "bees hazaar se zyada", "above 15 thousand"],
)  # fmt: skip
def test_a_range_or_bound_across_the_minimum_decides_nothing(policy: Policy, text: str) -> None:
    """'20 to 25 thousand' may be either side of 25,000: the question is asked again, never decided."""
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is None
    assert heard.intent is Intent.UNUSABLE and heard.unusable is Unusable.UNSURE


def test_clean_amounts_are_surer_than_approximations_and_guesses(policy: Policy) -> None:
    exact = _confidence(policy, "35,000 rupees")
    approx = _confidence(policy, "around 35,000")
    guess = _confidence(policy, "thirty five")
    assert exact >= 0.9
    assert guess < approx < exact


@pytest.mark.parametrize(("text", "monthly"), [("thirty five", 35000), ("35", 35000), ("40", 40000),
                                               ("my salary is twenty", 20000)])  # fmt: skip
def test_a_bare_small_number_at_the_salary_question_is_thousands_with_low_confidence(
    policy: Policy, text: str, monthly: int
) -> None:
    assert _salary(policy, text) == SalaryAnswer(monthly, monthly >= policy.min_monthly_salary)
    assert _confidence(policy, text) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("text", "meets"),
    [
        ("yes", True),
        ("Yes.", True),
        ("haan", True),
        ("haan ji", True),
        ("yes it is", True),
        ("Yes ma'am, it is more than that", True),
        ("yes it is above that", True),
        ("no", False),
        ("nahi", False),
        ("no, less than that", False),
        ("not that much, no", False),
        ("nahi, usse kam hai", False),
        ("kam hai", False),
        ("less than twenty five thousand", False),
        ("less than 20k", False),
    ],
)
def test_yes_no_against_the_minimum(policy: Policy, text: str, meets: bool) -> None:
    assert _salary(policy, text) == SalaryAnswer(monthly=None, meets_minimum=meets)


def test_less_than_an_amount_above_the_minimum_says_nothing(policy: Policy) -> None:
    assert understand(Question.SALARY, "less than 40 thousand", policy).salary is None


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("fifty thousand, sorry, forty thousand", 40000),
        ("30k, no wait, 24k", 24000),
        ("twenty thousand, I mean twenty eight thousand", 28000),
        ("18,000... actually 28,000", 28000),
    ],
)
def test_corrections_take_the_last_amount(policy: Policy, text: str, monthly: int) -> None:
    assert _salary(policy, text) == SalaryAnswer(monthly, monthly >= policy.min_monthly_salary)


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("yes, I make 60k in Delhi", 60000),
        ("Yes I am salaried, 1.2 lakh per month, Bengaluru", 120000),
        ("yes, salaried, 20k, Hyderabad", 20000),
        ("I earn 45000 a month", 45000),
        ("salary is 35 thousand", 35000),
        ("My take home is 52,000", 52000),
        ("12 LPA at Infosys", 100000),
        ("Yes, I am celery, and my celery is 35,000 rupees a month.", 35000),
    ],
)
@pytest.mark.parametrize("question", [Question.EMPLOYMENT, Question.CITY])
def test_over_answered_amounts_need_a_money_cue(
    policy: Policy, question: Question, text: str, monthly: int
) -> None:
    assert _salary(policy, text, question) == SalaryAnswer(monthly, monthly >= policy.min_monthly_salary)


@pytest.mark.parametrize(
    "text",
    [
        "I have worked at TCS for 3 years",
        "yes for 5 years now",
        "I live in sector 62 Noida",
        "Two kids and I am salaried",
        "I am 35",
    ],
)
@pytest.mark.parametrize("question", [Question.EMPLOYMENT, Question.CITY])
def test_numbers_without_a_money_cue_are_not_a_salary_off_the_salary_question(
    policy: Policy, question: Question, text: str
) -> None:
    assert understand(question, text, policy).salary is None


@pytest.mark.parametrize(
    "text",
    ["I have worked for 3 years", "Can I get a loan of five lakh", "My EMI is 10,000", "One more time please",
     "9876543210"],
)  # fmt: skip
def test_numbers_that_are_not_the_salary(policy: Policy, text: str) -> None:
    assert understand(Question.SALARY, text, policy).salary is None


@pytest.mark.parametrize(("text", "monthly"), [("my salary is 8 lakh", 66666), ("saade teen lakh", 29166)])
def test_lakhs_with_no_period_are_a_low_confidence_yearly_guess(policy: Policy, text: str, monthly: int) -> None:
    assert _salary(policy, text) == SalaryAnswer(monthly, monthly >= policy.min_monthly_salary)
    assert _confidence(policy, text) <= 0.6


@pytest.mark.parametrize("text", ["My CTC is 6 LPA but in hand is 42,000", "In hand 42,000, CTC 6 LPA",
                                  "take home 42000, package is 6 lakh"])  # fmt: skip
def test_the_take_home_figure_wins_over_a_ctc_in_the_same_breath(policy: Policy, text: str) -> None:
    assert _salary(policy, text) == SalaryAnswer(42000, True)


@pytest.mark.parametrize(("text", "meets"), [("25 hazaar se upar", True), ("25 hazaar se kam", False),
                                             ("tees hazaar ke aas paas", True)])  # fmt: skip
def test_hinglish_comparisons(policy: Policy, text: str, meets: bool) -> None:
    answer = _salary(policy, text)
    assert answer is not None and answer.meets_minimum is meets


def test_meets_minimum_follows_the_policy(policy: Policy) -> None:
    richer = Policy(version="t", min_monthly_salary=50000, max_attempts=3,
                    serviceable_cities=(ServiceableCity(name="Delhi"),))  # fmt: skip
    assert _salary(richer, "40k") == SalaryAnswer(40000, False)
    assert _salary(policy, "40k") == SalaryAnswer(40000, True)
    assert _salary(richer, "exactly 50,000") == SalaryAnswer(50000, True)


def test_amount_beats_a_contradicting_yes(policy: Policy) -> None:
    heard = understand(Question.SALARY, "yes, around 20 thousand", policy)
    assert heard.intent is Intent.ANSWER
    assert heard.salary is not None and heard.salary.value == SalaryAnswer(20000, False)
    assert heard.salary.confidence <= 0.7


_HINDI_BY_VALUE = {value: word for word, value in sorted(HINDI.items(), reverse=True)}


@pytest.mark.parametrize("thousands", range(1, 100))
def test_every_thousands_amount_in_every_common_form(policy: Policy, thousands: int) -> None:
    rupees = thousands * 1000
    words = num2words(thousands, lang="en_IN")
    forms = [
        f"{thousands} thousand", f"{thousands}k", f"{thousands} K", f"{rupees:,}", f"Rs. {rupees}/-",
        f"₹{rupees:,}", f"{words} thousand", f"{words} thousand rupees", f"{_HINDI_BY_VALUE[thousands]} hazaar",
        f"{_HINDI_BY_VALUE[thousands]} hazaar rupaye", f"my salary is {words} thousand per month",
    ]  # fmt: skip
    expected = SalaryAnswer(rupees, rupees >= policy.min_monthly_salary)
    for form in forms:
        assert _salary(policy, form) == expected, form
        assert _salary(policy, f"I earn {form}", Question.EMPLOYMENT) == expected, form


@pytest.mark.parametrize("text", ["50,000,000.", "5 crore", "It is 20,000,000"])
def test_over_a_crore_with_no_period_is_unusable(policy: Policy, text: str) -> None:
    heard = understand(Question.SALARY, text, policy)
    assert heard.salary is None and heard.intent is Intent.UNUSABLE


@pytest.mark.parametrize("text", ["It's 500 rupees.", "I earn 800 rupees a month"])
def test_under_a_thousand_a_month_is_a_low_confidence_reading(policy: Policy, text: str) -> None:
    assert _confidence(policy, text) <= 0.5


@pytest.mark.parametrize(
    ("text", "monthly"),
    [("I earn 40, one thousand rupees a month.", 41000), ("90, five thousand", 95000), ("20 5 thousand", 5000)],
)
def test_split_tens_written_in_digits_join_a_unit_word(policy: Policy, text: str, monthly: int) -> None:
    assert _salary(policy, text) == SalaryAnswer(monthly=monthly, meets_minimum=monthly >= 25000)


@pytest.mark.parametrize("text", ["Yes. It includes the eight thousand.", "I will take the eight thousand"])
def test_the_before_a_one_digit_thousand_is_a_swallowed_tens_word(policy: Policy, text: str) -> None:
    assert _confidence(policy, text) <= 0.5
    assert _confidence(policy, "It is eight thousand") >= 0.85
