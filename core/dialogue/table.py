"""States, triggers and the transition table: the one source for both the dialogue and the UI diagram."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.understanding.types import Question


class State(StrEnum):
    INIT = "INIT"
    GREETING = "GREETING"
    ASK_EMPLOYMENT = "ASK_EMPLOYMENT"
    ASK_SALARY = "ASK_SALARY"
    ASK_CITY = "ASK_CITY"
    ELIGIBLE = "ELIGIBLE"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    INCOMPLETE = "INCOMPLETE"
    END = "END"


class Trigger(StrEnum):
    START = "start"
    GREETED = "greeted"
    NEED_SALARY = "need_salary"
    NEED_CITY = "need_city"
    PASSED = "passed"
    FAILED = "failed"
    RETRY = "retry"
    REPEAT = "repeat"
    GAVE_UP = "gave_up"
    HUNG_UP = "hung_up"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Edge:
    source: State
    trigger: Trigger
    target: State
    label: str


QUESTION_OF: dict[State, Question] = {
    State.ASK_EMPLOYMENT: Question.EMPLOYMENT,
    State.ASK_SALARY: Question.SALARY,
    State.ASK_CITY: Question.CITY,
}
"""Which question each asking state puts to the caller."""

TERMINAL_STATES = (State.ELIGIBLE, State.NOT_ELIGIBLE, State.INCOMPLETE)


def _asking_edges(source: State, forward: list[tuple[Trigger, State, str]]) -> list[Edge]:
    """Edges out of an asking state: its forward moves plus the shared retry/repeat/give-up moves."""
    common = [
        (Trigger.RETRY, source, "unclear: ask again"),
        (Trigger.REPEAT, source, "repeat requested"),
        (Trigger.GAVE_UP, State.INCOMPLETE, "no usable answer"),
        (Trigger.HUNG_UP, State.INCOMPLETE, "caller left"),
    ]
    return [Edge(source, trigger, target, label) for trigger, target, label in forward + common]


TRANSITIONS: tuple[Edge, ...] = (
    Edge(State.INIT, Trigger.START, State.GREETING, "call starts"),
    Edge(State.GREETING, Trigger.GREETED, State.ASK_EMPLOYMENT, "greeted"),
    *_asking_edges(
        State.ASK_EMPLOYMENT,
        [
            (Trigger.NEED_SALARY, State.ASK_SALARY, "salaried"),
            (Trigger.NEED_CITY, State.ASK_CITY, "salaried, salary given"),
            (Trigger.PASSED, State.ELIGIBLE, "all answered, all met"),
            (Trigger.FAILED, State.NOT_ELIGIBLE, "not salaried"),
        ],
    ),
    *_asking_edges(
        State.ASK_SALARY,
        [
            (Trigger.NEED_CITY, State.ASK_CITY, "salary at least minimum"),
            (Trigger.PASSED, State.ELIGIBLE, "salary met, city serviceable"),
            (Trigger.FAILED, State.NOT_ELIGIBLE, "salary below minimum"),
        ],
    ),
    *_asking_edges(
        State.ASK_CITY,
        [
            (Trigger.PASSED, State.ELIGIBLE, "serviceable city"),
            (Trigger.FAILED, State.NOT_ELIGIBLE, "city not serviceable"),
        ],
    ),
    Edge(State.ELIGIBLE, Trigger.CLOSED, State.END, "goodbye"),
    Edge(State.NOT_ELIGIBLE, Trigger.CLOSED, State.END, "goodbye"),
    Edge(State.INCOMPLETE, Trigger.CLOSED, State.END, "goodbye"),
)

_INDEX: dict[tuple[State, Trigger], Edge] = {(edge.source, edge.trigger): edge for edge in TRANSITIONS}


class NoTransition(LookupError):
    """The table has no edge for this state and trigger: a bug in the caller, never caller input."""


def follow(state: State, trigger: Trigger) -> Edge:
    """The edge the table defines for `trigger` in `state`."""
    try:
        return _INDEX[(state, trigger)]
    except KeyError:
        raise NoTransition(f"no transition from {state} on {trigger}") from None
