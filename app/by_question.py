"""The by-question simulated caller: answers whatever the bot asks, and confirms read-backs against the truth.

A batch line `{"id", "audio", "by_question": {question: [replies]}, "confirm": {"yes", "no"}, "truth"}`
(`python -m app simulate --json --batch`): each time the bot asks a question (first time, re-ask or
repeat) the caller gives the next item of that question's list (the last one again when the list runs
out; silence when the question has none). When the bot reads a value back, the caller answers
`confirm.yes` if the value matches `truth`, else `confirm.no`. The call is cut off (incomplete) when the
bot has said `MAX_PROMPTS` prompts and still waits for a reply.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from core.policy import Policy
from core.record import CallRecord
from core.understanding.types import Question

R = TypeVar("R")
MAX_PROMPTS = 12
QUESTIONS = tuple(question.value for question in Question)
TRUTH_FIELDS = ("employment", "monthly_salary", "city", "meets_minimum")


class CallState(Protocol):
    """What the caller sees of the call (a Session): whether a reply is due, to what, and any read-back."""

    @property
    def awaiting_reply(self) -> bool: ...
    @property
    def read_back(self) -> tuple[str, object] | None: ...
    @property
    def question(self) -> Question | None: ...
    @property
    def record(self) -> CallRecord: ...


@dataclass
class ByQuestion(Generic[R]):
    """One by-question caller; `silence` is what saying nothing is (empty text, or an empty clip)."""

    replies: dict[str, list[R]]
    confirm: dict[str, R]
    truth: dict[str, Any]
    silence: R
    same_place: Callable[[str, str], bool]
    """Whether two city names are the same gazetteer place (any alias)."""
    minimum: int
    """The policy's minimum monthly salary, for an amount checked against `meets_minimum`."""
    _asked: Counter[str] = field(default_factory=Counter)

    def next_reply(self, conversation: CallState) -> R | None:
        """The reply to the bot's latest prompt; None to hang up (the call is cut off)."""
        if not conversation.awaiting_reply or len(conversation.record.turns) >= MAX_PROMPTS:
            return None
        read_back = conversation.read_back
        if read_back is not None:
            slot, heard = read_back
            return self.confirm.get("yes" if self.matches(slot, heard) else "no", self.silence)
        question = conversation.question
        assert question is not None
        items = self.replies.get(question.value) or []
        asked = self._asked[question.value]
        self._asked[question.value] += 1
        return items[min(asked, len(items) - 1)] if items else self.silence

    def matches(self, slot: str, heard: object) -> bool:
        """Whether a read-back value is what the caller said (the issue's matching rules)."""
        truth = self.truth
        if slot == "employment":
            return heard == truth.get("employment")
        if slot in ("monthly_salary", "meets_minimum"):
            if truth.get("monthly_salary") is not None:
                return slot == "monthly_salary" and heard == truth["monthly_salary"]
            if slot == "monthly_salary":
                return isinstance(heard, int) and (heard >= self.minimum) == truth.get("meets_minimum")
            return heard == truth.get("meets_minimum")
        if slot == "city":
            city = truth.get("city")
            return isinstance(city, str) and isinstance(heard, str) and self.same_place(city, heard)
        return False


def same_place_for(policy: Policy) -> Callable[[str, str], bool]:
    """Same gazetteer place: both names understood as one city ("Bombay" and "Mumbai")."""
    from core.understanding import understand

    def canonical(name: str) -> str:
        heard = understand(Question.CITY, name, policy).city
        return heard.value.name.casefold() if heard is not None else name.strip().casefold()

    return lambda first, second: canonical(first) == canonical(second)


def parse_by_question(item: dict[str, Any], where: str) -> tuple[dict[str, list[str]], dict[str, str], dict[str, Any]]:
    """The by-question fields of a batch line, checked: (replies per question, confirm, truth)."""
    by_question = item.get("by_question")
    if not isinstance(by_question, dict) or not set(by_question) <= set(QUESTIONS):
        raise ValueError(f'{where}: "by_question" must map {", ".join(QUESTIONS)} to lists of replies')
    for replies in by_question.values():
        if not isinstance(replies, list) or not all(isinstance(reply, str) for reply in replies):
            raise ValueError(f'{where}: every "by_question" entry must be a list of strings')
    confirm = item.get("confirm", {})
    if not isinstance(confirm, dict) or not set(confirm) <= {"yes", "no"}:
        raise ValueError(f'{where}: "confirm" must be {{"yes": ..., "no": ...}}')
    if not all(isinstance(reply, str) for reply in confirm.values()):
        raise ValueError(f'{where}: "confirm" replies must be strings')
    truth = item.get("truth", {})
    if not isinstance(truth, dict) or not set(truth) <= set(TRUTH_FIELDS):
        raise ValueError(f'{where}: "truth" may hold only {", ".join(TRUTH_FIELDS)}')
    return by_question, confirm, truth
