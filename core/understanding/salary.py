"""The salary slot: an amount (ranges, approximations, yearly figures made monthly) or a yes/no to the minimum."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from core.policy import Policy
from core.understanding.numbers import HINDI, NUMBER_WORDS, Number, find_numbers
from core.understanding.reading import Reading
from core.understanding.text import Segment
from core.understanding.types import Question, SalaryAnswer, Slot
from core.understanding.yesno import yes_or_no

_CURRENCY = frozenset({"rs", "rupees", "rupee", "rupaye", "rupay", "rupaiye", "rupaiya", "rupya", "inr", "bucks",
                       "rupye", "rupae", "rupe"})
_MONEY_CONTEXT = re.compile(
    r"\b(?:salary|salaried|sallary|salery|celery|earn|earns|earning|earnings|make|makes|making|income|take home|"
    r"takehome|in hand|inhand|ctc|package|per month|a month|monthly|per annum|lpa|paid|pay|stipend|"
    r"kamata|kamati|kamate|kamai|kamaai|tankha|tankhwa|tankhwah|pagar|pagaar|vetan|milta|milti|milte)\b"
)
_NOT_MONEY_UNITS = frozenset({
    "year", "years", "yr", "yrs", "month", "months", "day", "days", "hour", "hours", "hrs", "week", "weeks",
    "saal", "sal", "mahine", "mahina", "din", "percent", "people", "kids", "children", "members", "am",
    "oclock", "minutes", "mins", "times", "floor", "number", "employees", "figure", "figures", "digit", "digits",
})  # fmt: skip
"""'3 years' or '2 kids' is not money, whatever the question."""
_NOT_SALARY_BEFORE = frozenset({
    "loan", "emi", "emis", "rent", "borrow", "lend", "credit", "limit", "need", "want", "chahiye", "udhaar",
    "karza", "debt", "fees", "price", "cost", "sector", "block", "phase", "flat", "house", "plot", "room",
    "floor", "gali", "age", "aged", "class", "standard", "pin", "pincode", "code", "number", "basic", "bonus",
    "incentive", "incentives", "allowance", "allowances", "hra", "reimbursement", "overtime", "tips",
})  # fmt: skip
"""'A loan of five lakh' is money but not the salary; 'sector fifteen' is an address; 'basic 15k' and
'incentives up to 10k' are parts of it."""
_MIN_GUESS = 10
_IN_HAND = frozenset({"hand", "inhand", "home", "takehome", "net"})
_YEARLY = frozenset({"annum", "annually", "yearly", "annual", "year", "pa", "saal", "salana", "saalana", "salaana",
                     "saalaana", "varshik", "anum",
                     "ctc", "package", "lpa"})
_MONTHLY = frozenset({"month", "monthly", "pm", "mahina", "mahine", "mahana", "permonth", "maheena", "maheene",
                      "mahinaa", "mahvar", "masik"})
_LOWER_BOUND_BEFORE = re.compile(r"\b(?:more than|above|over|at least|atleast|minimum|min|greater than|not less than|"
                                 r"upwards of|in excess of)$")
_UPPER_BOUND_BEFORE = re.compile(r"\b(?:less than|below|under|upto|up to|at most|maximum|max|not more than|"
                                 r"lower than)$")
_APPROX_BEFORE = re.compile(r"\b(?:around|about|roughly|approx|approximately|nearly|almost|lagbhag|lagbag|"
                            r"karib|kareeb|close to|somewhere around|some|like|maybe|probably)$")
_LOWER_BOUND_AFTER = re.compile(r"^(?:plus|and above|or more|se (?:thoda |kuch |bahut |jyada )?(?:upar|zyada|jyada|"
                                r"adhik|zada)|ke upar|upwards)\b")
_UPPER_BOUND_AFTER = re.compile(r"^(?:or less|and below|se (?:thoda |kuch |bahut )?(?:kam|neeche|niche)|tak)\b")
_APPROX_AFTER = re.compile(r"^(?:or so|ish|odd|ke aas paas|ke aaspaas|ke karib|ke kareeb|approx|approximately|"
                           r"roughly)\b")
_RANGE_LINKS = frozenset({("to",), ("se",), ("or",), ("till",), ("until",), ("upto",), ("up", "to"), ("and",),
                          ("aur",), ("ya",)})
_BETWEEN = frozenset({"between", "beech", "bich", "darmiyan", "bichme", "beechme"})
"""'between 20 and 30', '20 aur 30 ke beech': an 'and' that joins a range, not two statements."""
_TAKE_HOME_WORDS = re.compile(
    r"\b(?:in hand|inhand|in haind|take home|takehome|tek hom|net|after (?:tax|taxes|deductions?|cutting|pf)|"
    r"haath (?:me|mein)|hath (?:me|mein)|khate (?:me|mein)|account (?:me|mein)|credited)\b"
)
_CTC_WORDS = re.compile(
    r"\b(?:ctc|sitisi|cost to company|package|paikej|gross|gros|before (?:tax|taxes|deductions?|cutting)|pre tax|"
    r"lpa)\b"
)
_NEGATED_BEFORE = frozenset({"not", "isnt", "never", "na"})
_NEGATED_AFTER = frozenset({"nahi", "nahin", "nai"})
_BASIS_MARGIN = 1.2
"""A take-home pay is rarely less than 1/1.2 of the CTC made monthly; a figure on the other basis than the
policy's decides only when it is this far from the minimum."""
_COMPARED = r"(?:than (?:that|this|it|the minimum|twenty five thousand)|(?:it|that|this) (?:is|hai)|hai|he|h|se)"
_THRESHOLD_MORE = re.compile(
    rf"\b(?:(?:more|above|higher|over|greater|zyada|jyada|jada|upar|adhik) {_COMPARED}|"
    r"(?:its|it is|it's|salary is|thoda|usse|us se|isse|is se) (?:more|higher|above|zyada|jyada|upar)|"
    r"^(?:more|above|higher|zyada|jyada)$)"
)
_THRESHOLD_LESS = re.compile(
    rf"\b(?:(?:less|below|lower|under|kam|neeche) {_COMPARED}|"
    r"(?:its|it is|salary is|thoda|usse|us se|isse|is se) (?:less|lower|below|kam)|^(?:less|lower|kam)$|"
    r"not that much|nowhere near|not even)"
)
_IMPLAUSIBLE_MONTHLY = 10_000_000
_IMPLAUSIBLE_GUESSED_YEARLY = 10_000_000
"""A figure over a crore with no period said ('50,000,000.') is a mishearing more often than a package."""
_SMALL_MONTHLY = 1000
"""Under a thousand rupees a month is more likely a misheard or clipped amount than a salary: low confidence."""
_YEARLY_BY_SIZE = 300_000
"""Three lakh or more with no period said is taken as a yearly package (a low-confidence guess): callers
quote packages in lakh, and either reading clears a minimum of 25,000 a month."""


class _Bound(Enum):
    EXACT = "exact"
    APPROX = "approx"
    LOWER = "lower"  # "more than 30k"
    UPPER = "upper"  # "less than 30k"


@dataclass(frozen=True, slots=True)
class _Candidate:
    value: Decimal
    evidence: int
    """3: said with a unit or currency; 2: a money word nearby; 1: a bare number at the salary question."""
    first: Number
    last: Number
    """The upper end of a range ('20 to 25 thousand'); else the same as first."""
    floor: int
    """Where the words about this amount can start: after the number before it."""
    upper: Decimal
    """The top of a range ('20 to 25 thousand': 25,000); else the value."""

    @property
    def ranged(self) -> bool:
        return self.first is not self.last


def _has_currency(tokens: tuple[str, ...], number: Number) -> bool:
    near = tokens[max(0, number.start - 2) : number.start] + tokens[number.end : number.end + 2]
    return any(token in _CURRENCY for token in near)


def _is_money(tokens: tuple[str, ...], number: Number) -> bool:
    return number.scale >= 1000 or _has_currency(tokens, number)


def _leading(number: Number) -> Decimal:
    """The figure said before the multiplier: 25 for '25 hazaar' ('24 25 hazaar' is a range)."""
    return number.value / number.scale


def money_said(text: str) -> bool:
    """Whether a reply talks about pay ('salary', 'earn', 'kamata'): then its thousands are a salary anywhere."""
    return bool(_MONEY_CONTEXT.search(text))


def _candidates(segment: Segment, question: Question, money_context: bool) -> list[_Candidate]:
    tokens = segment.tokens
    numbers = [
        n for n in find_numbers(tokens)
        if (_is_money(tokens, n) or tokens[n.end : n.end + 1] == () or tokens[n.end] not in _NOT_MONEY_UNITS)
        and not _NOT_SALARY_BEFORE.intersection(tokens[max(0, n.start - 4) : n.start])
        and not _negated(tokens, n)
    ]  # fmt: skip
    context = money_context or money_said(segment.text)
    found: list[_Candidate] = []
    skip_next = False
    for i, number in enumerate(numbers):
        if skip_next:
            skip_next = False
            continue
        value, last = number.value, number
        top = value
        if i + 1 < len(numbers):
            upper = numbers[i + 1]
            link = tokens[number.end : upper.start]
            around = tokens[: number.start] + tokens[upper.end : upper.end + 3]
            joined = link not in {("and",), ("aur",)} or bool(_BETWEEN.intersection(around))
            is_link = (link in _RANGE_LINKS and joined) or (
                link == () and tokens[number.start] in HINDI  # "bees pachees hazaar"
            ) or (link == () and number.scale == 1 and upper.scale > 1 and 0 < number.value < _leading(upper))
            if is_link:
                if number.scale == 1 and upper.scale > 1 and not _has_currency(tokens, number):
                    value = value * upper.scale
                top = max(value, upper.value)
                value, last, skip_next = min(value, upper.value), upper, True
        money = _is_money(tokens, number) or _is_money(tokens, last)
        evidence = 3 if money else 2 if context and value >= 1000 else 1 if context else 0
        if question is Question.SALARY and (value >= _MIN_GUESS or value == 0):
            evidence = max(evidence, 1)
        if evidence >= (1 if question is Question.SALARY else 2):
            floor = numbers[i - 1].end if i else 0
            found.append(_Candidate(value=value, evidence=evidence, first=number, last=last, floor=floor, upper=top))
    return found


def _negated(tokens: tuple[str, ...], number: Number) -> bool:
    """'not 20k, 30k', '20 hazaar nahi, 30': an amount the caller says is not theirs ('not less than' is a bound)."""
    before = tokens[max(0, number.start - 2) : number.start]
    after = tokens[number.end : number.end + 2]
    return bool(_NEGATED_BEFORE.intersection(before[-1:]) or _NEGATED_AFTER.intersection(after[:1]) or (
        after[:1] in (("k",), ("hazaar",), ("hazar",), ("thousand",)) and _NEGATED_AFTER.intersection(after[1:2])
    ))


def _period_is_yearly(tokens: tuple[str, ...], candidate: _Candidate) -> bool | None:
    """True for a yearly figure, False for a monthly one, None when no period was said."""
    first, last = candidate.first, candidate.last
    if first.yearly_unit or last.yearly_unit:
        return True
    if _IN_HAND & set(_before(tokens, candidate, 3)):
        return False
    after = tokens[last.end : last.end + 4]
    for i, token in enumerate(after):
        if token in _MONTHLY and not _a_time(after, i):
            return False
        if token in _YEARLY and not _a_time(after, i):
            return True
    before = _before(tokens, candidate, 6)
    for i in range(len(before) - 1, -1, -1):
        if before[i] in _MONTHLY and not _a_time(before, i):
            return False
        if before[i] in _YEARLY and not _a_time(before, i):
            return True
    return None


_WHEN = frozenset({"last", "this", "next", "previous", "pichle", "pichhle", "pichla", "is", "agle", "current",
                   "same", "that", "since", "from", "till", "until"})


def _a_time(words: tuple[str, ...], i: int) -> bool:
    """'last year', 'is saal', 'this month': when something was, not the period an amount is paid for."""
    return i > 0 and words[i - 1] in _WHEN


def _before(tokens: tuple[str, ...], candidate: _Candidate, size: int) -> tuple[str, ...]:
    """Up to `size` words before the amount, not reaching back past the number before it."""
    return tokens[max(candidate.floor, candidate.first.start - size) : candidate.first.start]


def _take_home(tokens: tuple[str, ...], candidate: _Candidate) -> bool:
    """Said as the monthly or in-hand figure: preferred over a CTC said in the same breath."""
    return _period_is_yearly(tokens, candidate) is False


def _bound(tokens: tuple[str, ...], first: Number, last: Number) -> _Bound:
    before = " ".join(tokens[max(0, first.start - 4) : first.start])
    after = " ".join(tokens[last.end : last.end + 4])
    if _LOWER_BOUND_BEFORE.search(before) or _LOWER_BOUND_AFTER.search(after):
        return _Bound.LOWER
    if _UPPER_BOUND_BEFORE.search(before) or _UPPER_BOUND_AFTER.search(after):
        return _Bound.UPPER
    if _APPROX_BEFORE.search(before) or _APPROX_AFTER.search(after):
        return _Bound.APPROX
    return _Bound.EXACT


def _tens_swallowed(tokens: tuple[str, ...], number: Number) -> bool:
    """'It is the eight thousand': nobody says 'the' before a one-digit amount; a recogniser writes it for a
    tens word it did not catch ('fifty eight thousand'), so the amount is a guess."""
    return (
        number.start > 0
        and tokens[number.start - 1] == "the"
        and number.scale == 1000
        and number.value < 10_000
        and number.end - number.start == 2
    )


def _basis(tokens: tuple[str, ...], candidate: _Candidate) -> str | None:
    """'take_home' or 'ctc' when the words next to the amount say which figure it is; None when they do not."""
    before = " ".join(_before(tokens, candidate, 4))
    after_words = []
    for token in tokens[candidate.last.end : candidate.last.end + 4]:
        if token[0].isdigit() or token in NUMBER_WORDS:  # the words of the next amount are its own
            break
        after_words.append(token)
    for words in (before, " ".join(after_words)):
        if _TAKE_HOME_WORDS.search(words):
            return "take_home"
        if _CTC_WORDS.search(words):
            return "ctc"
    return None


def _undecided_basis(monthly: int, basis: str | None, policy: Policy) -> bool:
    """A CTC said where take-home counts (or the reverse) that lands close to the minimum on the unsure side."""
    if basis is None or basis == policy.salary_basis:
        return False
    if basis == "ctc":  # take-home is less than the CTC: a CTC just over the minimum may be under it
        return policy.meets_minimum(monthly) and not policy.meets_minimum(int(monthly / _BASIS_MARGIN))
    return not policy.meets_minimum(monthly) and policy.meets_minimum(int(monthly * _BASIS_MARGIN))


def _amount(segment: Segment, question: Question, policy: Policy, money_context: bool) -> Reading[SalaryAnswer] | None:
    """The amount said, made monthly, with a confidence that drops for approximations and guesses; a reading
    without a slot when the words do not decide against the minimum (a range across it, 'more than 20k')."""
    candidates = _candidates(segment, question, money_context)
    if not candidates:
        return None
    tokens = segment.tokens
    bases = {id(c): _basis(tokens, c) for c in candidates}
    best = max(candidates, key=lambda c: (  # "CTC 4.2 lakh, in hand around 30": the basis said beats the unit
        c.evidence >= 2 or bases[id(c)] == policy.salary_basis, bases[id(c)] == policy.salary_basis,
        bases[id(c)] is None, _take_home(tokens, c), c.evidence,
    ))  # fmt: skip  # then the first
    basis = bases[id(best)]
    weight = 2 if basis == policy.salary_basis else 1 if basis is None else 0
    value, upper, confidence = best.value, best.upper, 0.95 if best.evidence == 3 else 0.85
    if best.evidence < 3 and upper < 1000:
        value, upper, confidence = value * 1000, upper * 1000, 0.5  # "thirty five" at the salary question
    yearly = _period_is_yearly(tokens, best)
    if yearly is None and value > _IMPLAUSIBLE_GUESSED_YEARLY:
        return None
    if yearly is None and value >= _YEARLY_BY_SIZE:
        yearly, confidence = True, 0.6
    elif yearly:
        confidence = min(confidence, 0.85)
    monthly_value = value / 12 if yearly else value
    monthly_upper = int(upper / 12 if yearly else upper)
    bound = _bound(tokens, best.first, best.last)
    if best.ranged or bound is _Bound.APPROX:
        confidence = min(confidence, 0.8)
    elif bound is _Bound.LOWER:
        confidence = min(confidence, 0.85)
    if bound is _Bound.UPPER:  # "less than 20k": below the minimum only if 20k is not above it
        if policy.meets_minimum(int(monthly_value) - 1):
            return Reading(None, weight)
        return Reading(Slot(SalaryAnswer(monthly=None, meets_minimum=False), min(confidence, 0.85)), weight)
    monthly = int(monthly_value)
    if not 0 <= monthly <= _IMPLAUSIBLE_MONTHLY:
        return None
    if 0 < monthly < _SMALL_MONTHLY or _tens_swallowed(tokens, best.first):
        confidence = min(confidence, 0.5)
    meets = policy.meets_minimum(monthly)
    if (bound is _Bound.LOWER and not meets) or meets != policy.meets_minimum(monthly_upper):
        return Reading(None, weight)  # "more than 20k", "20 to 30 thousand": either side of 25,000
    if _undecided_basis(monthly, basis, policy):
        return Reading(None, weight)
    return Reading(Slot(SalaryAnswer(monthly=monthly, meets_minimum=meets), confidence), weight)


def _threshold_answer(segment: Segment) -> Slot[SalaryAnswer] | None:
    """A yes/no to 'is it at least the minimum?', or 'more'/'less' than it."""
    said = yes_or_no(segment.text)
    if _THRESHOLD_LESS.search(segment.text):
        return Slot(SalaryAnswer(monthly=None, meets_minimum=False), 0.85)
    if _THRESHOLD_MORE.search(segment.text) and (said is None or said.yes):
        return Slot(SalaryAnswer(monthly=None, meets_minimum=True), 0.85)
    if said is None:
        return None
    return Slot(SalaryAnswer(monthly=None, meets_minimum=said.yes), min(said.confidence, 0.9))


def read_salary(
    segment: Segment, question: Question, policy: Policy, money_context: bool = False
) -> Reading[SalaryAnswer] | None:
    """The salary this statement gives, if any; yes/no counts only at the salary question. `money_context`:
    another statement of the reply spoke of pay ("I'm salaried but only get 18,000")."""
    amount = _amount(segment, question, policy, money_context)
    if question is not Question.SALARY:
        return amount
    threshold = _threshold_answer(segment)
    if amount is None:
        return None if threshold is None else Reading(threshold, weight=1)
    slot = amount.slot
    if slot is not None and threshold is not None and threshold.value.meets_minimum != slot.value.meets_minimum:
        return Reading(Slot(slot.value, min(slot.confidence, 0.7)), amount.weight)  # "yes, around 20k": the amount
    return amount
