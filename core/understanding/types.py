"""What understanding an answer yields: slot values with confidences, or why the answer was unusable."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Question(StrEnum):
    """The three things the bot asks about."""

    EMPLOYMENT = "employment"
    SALARY = "salary"
    CITY = "city"


class Employment(StrEnum):
    SALARIED = "salaried"
    NOT_SALARIED = "not_salaried"


class Intent(StrEnum):
    """What the caller did with their turn."""

    ANSWER = "answer"
    REPEAT = "repeat"  # "pardon?", "come again?": repeat the question, no attempt spent
    UNUSABLE = "unusable"


class Unusable(StrEnum):
    """Why an answer could not be used (drives logging and analytics, not wording)."""

    SILENCE = "silence"
    FILLER = "filler"
    UNSURE = "unsure"
    REFUSAL = "refusal"
    OFF_TOPIC = "off_topic"


@dataclass(frozen=True, slots=True)
class Slot(Generic[T]):
    """One understood value and how sure we are of it (0..1)."""

    value: T
    confidence: float
    contradicted: bool = False
    """The reply holds two current statements that disagree on this slot and nothing marks one as the
    correction; `value` is the likelier one. The dialogue reads such a value back before acting on it."""


@dataclass(frozen=True, slots=True)
class SalaryAnswer:
    """A salary answer: an amount, or only a yes/no against the policy minimum."""

    monthly: int | None
    """Monthly rupees; None when the caller only said yes/no to 'at least the minimum?'."""
    meets_minimum: bool


@dataclass(frozen=True, slots=True)
class CityAnswer:
    """A recognised city: the policy's canonical name when serviceable, else the gazetteer name."""

    name: str
    serviceable: bool


@dataclass(frozen=True, slots=True)
class Understanding:
    """Everything one caller reply told us; slots may be filled beyond the question asked."""

    intent: Intent
    employment: Slot[Employment] | None = None
    salary: Slot[SalaryAnswer] | None = None
    city: Slot[CityAnswer] | None = None
    unusable: Unusable | None = None

    def slot_for(self, question: Question) -> Slot[Employment] | Slot[SalaryAnswer] | Slot[CityAnswer] | None:
        """The slot that answers `question`, if this reply filled it."""
        return {Question.EMPLOYMENT: self.employment, Question.SALARY: self.salary, Question.CITY: self.city}[
            question
        ]
