"""Pure transition functions: (context, what the caller said) -> (new context, edges taken, prompts)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.dialogue.decide import Answers, Need, Outcome, Reason, decide, failing_reasons
from core.dialogue.table import QUESTION_OF, Edge, State, Trigger, follow
from core.policy import Policy
from core.prompts import PromptKey
from core.understanding.types import Intent, Question, Understanding, Unusable

ASK: dict[Question, PromptKey] = {
    Question.EMPLOYMENT: PromptKey.ASK_EMPLOYMENT,
    Question.SALARY: PromptKey.ASK_SALARY,
    Question.CITY: PromptKey.ASK_CITY,
}
ASK_AGAIN: dict[Question, PromptKey] = {
    Question.EMPLOYMENT: PromptKey.ASK_EMPLOYMENT_RETRY,
    Question.SALARY: PromptKey.ASK_SALARY_RETRY,
    Question.CITY: PromptKey.ASK_CITY_RETRY,
}
KEYPAD_HINT: dict[Question, PromptKey] = {
    Question.EMPLOYMENT: PromptKey.KEYPAD_YES_NO,
    Question.SALARY: PromptKey.KEYPAD_AMOUNT,
}
REASON_PROMPT: dict[Reason, PromptKey] = {
    Reason.NOT_SALARIED: PromptKey.REASON_NOT_SALARIED,
    Reason.SALARY_BELOW_MINIMUM: PromptKey.REASON_SALARY_BELOW_MINIMUM,
    Reason.CITY_NOT_SERVICEABLE: PromptKey.REASON_CITY_NOT_SERVICEABLE,
}
_NEED_TRIGGER = {Need.SALARY: Trigger.NEED_SALARY, Need.CITY: Trigger.NEED_CITY}
_NEED_QUESTION = {Need.EMPLOYMENT: Question.EMPLOYMENT, Need.SALARY: Question.SALARY, Need.CITY: Question.CITY}


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the dialogue knows between turns."""

    state: State = State.INIT
    answers: Answers = field(default_factory=Answers)
    unusable_in_a_row: int = 0
    repeats: int = 0
    keypad: bool = False
    """The caller has a keypad (phone): prompts offer it after a failed attempt."""
    outcome: Outcome | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def question(self) -> Question | None:
        """The question awaiting an answer, if the dialogue is waiting for one."""
        return QUESTION_OF.get(self.state)


@dataclass(frozen=True, slots=True)
class Step:
    """The result of one move: the new context, the table edges taken, and what the bot says now."""

    context: Context
    edges: tuple[Edge, ...]
    prompts: tuple[PromptKey, ...]


def start(context: Context) -> Step:
    """Open the call: the greeting flows straight into the first question in the same bot turn."""
    greet = follow(context.state, Trigger.START)
    ask = follow(greet.target, Trigger.GREETED)
    return Step(replace(context, state=ask.target), (greet, ask), (PromptKey.GREETING, PromptKey.ASK_EMPLOYMENT))


def respond(context: Context, heard: Understanding, policy: Policy) -> Step:
    """Advance on one caller reply to the question `context` is asking."""
    question = context.question
    if question is None:
        raise ValueError(f"no question is pending in state {context.state}")
    if heard.intent is Intent.REPEAT and context.repeats < policy.max_attempts:
        edge = follow(context.state, Trigger.REPEAT)
        prompts = (PromptKey.REPEAT_LEAD, ASK[question], *_keypad_hint(context, question))
        return Step(replace(context, repeats=context.repeats + 1), (edge,), prompts)

    answers = context.answers.merged(heard) if heard.intent is Intent.ANSWER else context.answers
    verdict = decide(answers)
    if isinstance(verdict, Need) and _NEED_QUESTION[verdict] is question:
        return _retry(replace(context, answers=answers), question, heard.unusable, policy)
    if isinstance(verdict, Need):
        edge = follow(context.state, _NEED_TRIGGER[verdict])
        moved = replace(context, state=edge.target, answers=answers, unusable_in_a_row=0, repeats=0)
        return Step(moved, (edge,), (ASK[_NEED_QUESTION[verdict]],))
    return _conclude(replace(context, answers=answers), verdict)


def hang_up(context: Context) -> Step:
    """The caller left (or replies ran out) before the dialogue finished: incomplete, nothing spoken."""
    edge = follow(context.state, Trigger.HUNG_UP)
    return Step(replace(context, state=edge.target, outcome=Outcome.INCOMPLETE, reasons=()), (edge,), ())


def close(context: Context) -> Step:
    """After the closing prompt has been spoken: move from the outcome state to END."""
    edge = follow(context.state, Trigger.CLOSED)
    return Step(replace(context, state=edge.target), (edge,), ())


def _retry(context: Context, question: Question, why: Unusable | None, policy: Policy) -> Step:
    failures = context.unusable_in_a_row + 1
    if failures >= policy.max_attempts:
        edge = follow(context.state, Trigger.GAVE_UP)
        ended = replace(context, state=edge.target, unusable_in_a_row=failures, outcome=Outcome.INCOMPLETE)
        return Step(ended, (edge,), (PromptKey.INCOMPLETE,))
    edge = follow(context.state, Trigger.RETRY)
    if why is Unusable.SILENCE and failures >= 2:
        prompts: tuple[PromptKey, ...] = (PromptKey.STILL_THERE, ASK[question])
    else:
        prompts = (ASK_AGAIN[question],)
    return Step(
        replace(context, unusable_in_a_row=failures),
        (edge,),
        (*prompts, *_keypad_hint(replace(context, unusable_in_a_row=failures), question)),
    )


def _conclude(context: Context, verdict: Outcome | Need) -> Step:
    if verdict is Outcome.ELIGIBLE:
        edge = follow(context.state, Trigger.PASSED)
        done = replace(context, state=edge.target, outcome=Outcome.ELIGIBLE, reasons=())
        return Step(done, (edge,), (PromptKey.ELIGIBLE,))
    reasons = tuple(failing_reasons(context.answers))
    edge = follow(context.state, Trigger.FAILED)
    done = replace(context, state=edge.target, outcome=Outcome.NOT_ELIGIBLE, reasons=reasons)
    prompts = (PromptKey.NOT_ELIGIBLE_LEAD, *(REASON_PROMPT[r] for r in reasons), PromptKey.GOODBYE)
    return Step(done, (edge,), prompts)


def _keypad_hint(context: Context, question: Question) -> tuple[PromptKey, ...]:
    if context.keypad and context.unusable_in_a_row > 0 and question in KEYPAD_HINT:
        return (KEYPAD_HINT[question],)
    return ()
