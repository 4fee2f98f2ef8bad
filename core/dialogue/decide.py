"""The eligibility policy applied to what the caller has told us so far; pure, so tests can compare."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from core.policy import Policy
from core.understanding.types import CityAnswer, Employment, SalaryAnswer, Slot, Understanding


class Reason(StrEnum):
    NOT_SALARIED = "not_salaried"
    SALARY_BELOW_MINIMUM = "salary_below_minimum"
    CITY_NOT_SERVICEABLE = "city_not_serviceable"


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    INCOMPLETE = "incomplete"


class Need(StrEnum):
    """What the policy still needs to know before it can decide."""

    EMPLOYMENT = "employment"
    SALARY = "salary"
    CITY = "city"


@dataclass(frozen=True, slots=True)
class Answers:
    """The caller's answers so far; a later answer to the same slot replaces an earlier one."""

    employment: Slot[Employment] | None = None
    salary: Slot[SalaryAnswer] | None = None
    city: Slot[CityAnswer] | None = None

    def merged(self, understanding: Understanding) -> Answers:
        """These answers updated with every slot a reply filled (over-answering included)."""
        return replace(
            self,
            employment=understanding.employment or self.employment,
            salary=understanding.salary or self.salary,
            city=understanding.city or self.city,
        )

    def to_json(self) -> dict[str, str | int | None]:
        """The `answers` object of `simulate --json`."""
        return {
            "employment": self.employment.value.value if self.employment else None,
            "monthly_salary": self.salary.value.monthly if self.salary else None,
            "city": self.city.value.name if self.city else None,
        }


def failing_reasons(answers: Answers) -> list[Reason]:
    """Every criterion the known answers fail, in the order the questions are asked."""
    reasons = []
    if answers.employment and answers.employment.value is Employment.NOT_SALARIED:
        reasons.append(Reason.NOT_SALARIED)
    if answers.salary and not answers.salary.value.meets_minimum:
        reasons.append(Reason.SALARY_BELOW_MINIMUM)
    if answers.city and not answers.city.value.serviceable:
        reasons.append(Reason.CITY_NOT_SERVICEABLE)
    return reasons


def decide(answers: Answers) -> Outcome | Need:
    """Short-circuit in question order: the first failed criterion ends it; else ask what is missing."""
    if answers.employment is None:
        return Need.EMPLOYMENT
    if answers.employment.value is Employment.NOT_SALARIED:
        return Outcome.NOT_ELIGIBLE
    if answers.salary is None:
        return Need.SALARY
    if not answers.salary.value.meets_minimum:
        return Outcome.NOT_ELIGIBLE
    if answers.city is None:
        return Need.CITY
    if not answers.city.value.serviceable:
        return Outcome.NOT_ELIGIBLE
    return Outcome.ELIGIBLE


def meets_minimum(monthly: int, policy: Policy) -> bool:
    """Whether a monthly salary satisfies the policy (kept for callers; the rule is `Policy.meets_minimum`)."""
    return policy.meets_minimum(monthly)
