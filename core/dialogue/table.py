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
    CONFIRM_EMPLOYMENT = "CONFIRM_EMPLOYMENT"
    CONFIRM_SALARY = "CONFIRM_SALARY"
    CONFIRM_CITY = "CONFIRM_CITY"
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
    UNSURE = "unsure"
    DENIED = "denied"
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

CONFIRMING: dict[State, Question] = {
    State.CONFIRM_EMPLOYMENT: Question.EMPLOYMENT,
    State.CONFIRM_SALARY: Question.SALARY,
    State.CONFIRM_CITY: Question.CITY,
}
"""Which question's unsure answer each read-back state reads to the caller for a yes or no."""
CONFIRM_STATE: dict[Question, State] = {question: state for state, question in CONFIRMING.items()}

TERMINAL_STATES = (State.ELIGIBLE, State.NOT_ELIGIBLE, State.INCOMPLETE)


def _asking_edges(source: State, forward: list[tuple[Trigger, State, str]]) -> list[Edge]:
    """Edges out of an asking state, then out of its read-back state: the same forward moves (a confirmed
    reading moves on like a sure one), plus the shared retry/repeat/give-up moves."""
    confirm = CONFIRM_STATE[QUESTION_OF[source]]
    common = [
        (Trigger.GAVE_UP, State.INCOMPLETE, "no usable answer"),
        (Trigger.HUNG_UP, State.INCOMPLETE, "caller left"),
    ]
    asking = [
        *forward,
        (Trigger.UNSURE, confirm, "unsure: read back"),
        (Trigger.RETRY, source, "unclear: ask again"),
        (Trigger.REPEAT, source, "repeat requested"),
        *common,
    ]
    # a new amount or city in reply to a read-back is a new answer; a yes or no only answers the read-back
    corrected = [] if source is State.ASK_EMPLOYMENT else [(Trigger.UNSURE, confirm, "new unsure answer: read back")]
    reading_back = [
        *((trigger, target, f"yes: {label}") for trigger, target, label in forward),
        *corrected,
        (Trigger.DENIED, source, "not confirmed: ask again"),
        (Trigger.REPEAT, confirm, "repeat requested"),
        *common,
    ]
    return [Edge(source, trigger, target, label) for trigger, target, label in asking] + [
        Edge(confirm, trigger, target, label) for trigger, target, label in reading_back
    ]


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
