"""understand(): one caller reply to slots and an intent, deterministic and fast (no model)."""

from __future__ import annotations

from core.policy import Policy
from core.understanding.city import read_city
from core.understanding.employment import read_employment
from core.understanding.gazetteer import city_index
from core.understanding.intents import classify_unfilled, is_clarification
from core.understanding.salary import read_salary
from core.understanding.text import normalise, segments, tokens_of
from core.understanding.types import Intent, Question, Understanding, Unusable


def understand(question: Question, text: str, policy: Policy) -> Understanding:
    """What one reply says: every slot it fills (any question), else whether it asks for a repeat or why not."""
    if not isinstance(text, str) or not text.strip():
        return Understanding(Intent.UNUSABLE, unusable=Unusable.SILENCE)
    normalised = normalise(text)
    tokens = tokens_of(normalised)
    if is_clarification(" ".join(tokens)):
        return Understanding(Intent.REPEAT)
    employment = salary = city = None
    for segment in segments(normalised):  # a later stretch corrects an earlier one
        employment = read_employment(segment, question) or employment
        salary = read_salary(segment, question, policy) or salary
        city = read_city(segment, question, policy) or city
    if employment or salary or city:
        return Understanding(Intent.ANSWER, employment=employment, salary=salary, city=city)
    intent, unusable = classify_unfilled(tokens, " ".join(tokens))
    return Understanding(intent, unusable=unusable)


def warm_up(policy: Policy) -> None:
    """Build the city index now (about 0.3 s once per policy) so the first caller's turn is not slow."""
    city_index(policy)
