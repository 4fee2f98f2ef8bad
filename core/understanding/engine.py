"""understand(): one caller reply to slots and an intent, deterministic and fast (no model)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.policy import Policy
from core.understanding.city import read_city
from core.understanding.clauses import Statement, Time, statements
from core.understanding.employment import STRONG, read_employment
from core.understanding.gazetteer import city_index
from core.understanding.intents import classify_unfilled, is_clarification
from core.understanding.reading import Reading
from core.understanding.salary import money_said, read_salary
from core.understanding.text import normalise, segments, tokens_of
from core.understanding.types import Intent, Question, Slot, Understanding, Unusable

_TIERS = (Time.NOW, Time.PRESENT, Time.CHANGED)
"""Said with 'now' beats no time said, which beats the result of a change ('I moved to Pune')."""
CONTRADICTED_CONFIDENCE = 0.7
"""Two current statements that disagree: the later one's value, at most this sure, marked contradicted."""


def _decision(slot: Slot[Any]) -> object:
    """What the policy would act on: salaried or not, meeting the minimum or not, which city."""
    value = slot.value
    return getattr(value, "meets_minimum", getattr(value, "name", value))


def weigh(said: list[tuple[Statement, Reading[Any] | None]]) -> tuple[Slot[Any] | None, bool]:
    """The slot from a stretch's current statements about the caller (the heaviest, then the first tier of
    _TIERS that says one; of changes the last), and whether they spoke of it without deciding. Past, future,
    hypothetical, other people's and side statements never fill it; two sure current ones that disagree give
    the later, marked contradicted."""
    current = [(statement, reading) for statement, reading in said if reading is not None and statement.current]
    if not current:
        return None, False
    heaviest = max(reading.weight for _, reading in current)  # "I live in Chennai, now in Bangalore for work"
    current = [(statement, reading) for statement, reading in current if reading.weight == heaviest]
    tier = next(time for time in _TIERS if any(statement.time is time for statement, _ in current))
    decided = [reading.slot for statement, reading in current if statement.time is tier and reading.slot is not None]
    if not decided:
        return None, True
    decided = [slot for slot in decided if slot.confidence >= STRONG] or decided  # a weak hint yields
    last = decided[-1]
    if tier is not Time.CHANGED and any(_decision(slot) != _decision(last) for slot in decided):
        return Slot(last.value, min(last.confidence, CONTRADICTED_CONFIDENCE), contradicted=True), False
    agreeing = [slot for slot in decided if slot.value == last.value]
    return Slot(last.value, max(slot.confidence for slot in agreeing), last.contradicted), False


def understand(question: Question, text: str, policy: Policy) -> Understanding:
    """What one reply says: every slot it fills (any question), else whether it asks for a repeat or why not."""
    if not isinstance(text, str) or not text.strip():
        return Understanding(Intent.UNUSABLE, unusable=Unusable.SILENCE)
    normalised = normalise(text)
    tokens = tokens_of(normalised)
    if is_clarification(" ".join(tokens)):
        return Understanding(Intent.REPEAT)
    pay = money_said(" ".join(tokens))
    readers: dict[str, Callable[[Statement], Reading[Any] | None]] = {
        "employment": lambda statement: read_employment(statement.segment, question),
        "salary": lambda statement: read_salary(statement.segment, question, policy, pay),
        "city": lambda statement: read_city(statement.segment, question, policy),
    }
    slots: dict[str, Slot[Any] | None] = dict.fromkeys(readers)
    undecided = False
    for segment in segments(normalised):  # a later stretch corrects an earlier one
        said = statements(segment)
        for name, read in readers.items():
            slot, unsure = weigh([(statement, read(statement)) for statement in said])
            if slot is not None or unsure:  # an undecided correction undoes what came before it
                slots[name] = slot
            undecided = undecided or unsure
    if any(slots.values()):
        return Understanding(Intent.ANSWER, **slots)
    if undecided:
        return Understanding(Intent.UNUSABLE, unusable=Unusable.UNSURE)
    intent, unusable = classify_unfilled(tokens, " ".join(tokens))
    return Understanding(intent, unusable=unusable)


def warm_up(policy: Policy) -> None:
    """Build the city index now (about 0.3 s once per policy) so the first caller's turn is not slow."""
    city_index(policy)
