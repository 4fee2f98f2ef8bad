"""Pure transition functions: (context, what the caller said) -> (new context, edges taken, prompts)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.dialogue.decide import Answers, Need, Outcome, Reason, decide, failing_reasons
from core.dialogue.table import CONFIRMING, QUESTION_OF, Edge, State, Trigger, follow
from core.policy import Policy
from core.prompts import PromptKey
from core.understanding.types import Employment, Intent, Question, Understanding, Unusable

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


Values = tuple[tuple[str, str], ...]
"""What a read-back prompt fills in, as (placeholder, text) pairs."""


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
    pending: Answers | None = None
    """While a reading is read back: the answers as they stand if the caller confirms it."""
    denied: frozenset[tuple[Question, object]] = frozenset()
    """Values the caller did not confirm for the current question: heard again, they are read back
    again, never acted on."""

    @property
    def question(self) -> Question | None:
        """The question awaiting an answer (or whose answer is being read back), if a reply is awaited."""
        return QUESTION_OF.get(self.state) or CONFIRMING.get(self.state)

    @property
    def reading_back(self) -> bool:
        """The bot has read an unsure answer back and awaits the caller's yes or no."""
        return self.state in CONFIRMING


@dataclass(frozen=True, slots=True)
class Step:
    """The result of one move: the new context, the table edges taken, and what the bot says now."""

    context: Context
    edges: tuple[Edge, ...]
    prompts: tuple[PromptKey, ...]
    values: Values = ()
    """What a read-back prompt fills in (("amount", "forty thousand"),)."""


def start(context: Context) -> Step:
    """Open the call: the greeting flows straight into the first question in the same bot turn."""
    greet = follow(context.state, Trigger.START)
    ask = follow(greet.target, Trigger.GREETED)
    return Step(replace(context, state=ask.target), (greet, ask), (PromptKey.GREETING, PromptKey.ASK_EMPLOYMENT))


def respond(
    context: Context,
    heard: Understanding,
    policy: Policy,
    *,
    unsure: frozenset[Question] = frozenset(),
    yes: bool | None = None,
) -> Step:
    """Advance on one caller reply to the question `context` is asking, or to its read-back.

    `unsure`: the slots of this reply that must not be acted on before the caller confirms them (the
    question's own slot is read back; an unsure over-answer is dropped and asked for in turn).
    `yes`: at a read-back, the caller's yes or no (None when the reply held neither, or not surely).
    """
    question = context.question
    if question is None:
        raise ValueError(f"no question is pending in state {context.state}")
    if heard.intent is Intent.REPEAT and context.repeats < policy.max_attempts:
        edge = follow(context.state, Trigger.REPEAT)
        if context.reading_back and context.pending is not None:
            prompts, values = _read_back(context, context.pending, question)
            return Step(replace(context, repeats=context.repeats + 1), (edge,), prompts, values)
        prompts = (PromptKey.REPEAT_LEAD, ASK[question], *_keypad_hint(context, question))
        return Step(replace(context, repeats=context.repeats + 1), (edge,), prompts)
    kept = _without(heard, unsure - {question}) if heard.intent is Intent.ANSWER else heard
    fresh = kept.intent is Intent.ANSWER and kept.slot_for(question) is not None
    pending = context.pending if context.reading_back else None
    if pending is not None and not (fresh and _differs(kept, pending, question)):
        if yes is True:
            return _advance(replace(context, pending=None), pending, question, None, policy)
        denied = context.denied | {(question, _value(pending, question))}
        return _denied(replace(context, pending=None, denied=denied), question, policy, said_no=yes is False)
    answers = context.answers.merged(kept) if kept.intent is Intent.ANSWER else context.answers
    if fresh and (question, _value(kept, question)) in context.denied:
        unsure = unsure | {question}
    if fresh and question in unsure:
        edge = follow(context.state, Trigger.UNSURE)
        reading = replace(context, state=edge.target, pending=answers, repeats=0)
        prompts, values = _read_back(reading, answers, question)
        return Step(reading, (edge,), prompts, values)
    return _advance(replace(context, pending=None), answers, question, kept.unusable, policy)


def _advance(context: Context, answers: Answers, question: Question, why: Unusable | None, policy: Policy) -> Step:
    """Act on accepted answers: ask the next thing the policy needs, or conclude."""
    verdict = decide(answers)
    if isinstance(verdict, Need) and _NEED_QUESTION[verdict] is question:
        return _retry(replace(context, answers=answers), question, why, policy)
    if isinstance(verdict, Need):
        edge = follow(context.state, _NEED_TRIGGER[verdict])
        moved = replace(context, state=edge.target, answers=answers, unusable_in_a_row=0, repeats=0, denied=frozenset())
        return Step(moved, (edge,), (ASK[_NEED_QUESTION[verdict]],))
    return _conclude(replace(context, answers=answers), verdict)


def _denied(context: Context, question: Question, policy: Policy, *, said_no: bool) -> Step:
    """The read-back was answered no (or not clearly): ask the question again; it counts as one unusable answer."""
    failures = context.unusable_in_a_row + 1
    if failures >= policy.max_attempts:
        edge = follow(context.state, Trigger.GAVE_UP)
        ended = replace(context, state=edge.target, unusable_in_a_row=failures, outcome=Outcome.INCOMPLETE)
        return Step(ended, (edge,), (PromptKey.INCOMPLETE,))
    edge = follow(context.state, Trigger.DENIED)
    moved = replace(context, state=edge.target, unusable_in_a_row=failures, repeats=0)
    lead = (PromptKey.CONFIRM_DENIED, ASK[question]) if said_no else (ASK_AGAIN[question],)
    return Step(moved, (edge,), (*lead, *_keypad_hint(moved, question)))


def _read_back(context: Context, answers: Answers, question: Question) -> tuple[tuple[PromptKey, ...], Values]:
    """The read-back of `question`'s answer in `answers`, with the keypad's 1/2 offered on a phone."""
    keypad = (PromptKey.KEYPAD_YES_NO,) if context.keypad else ()
    key, values = read_back_prompt(answers, question)
    return (key, *keypad), values


def read_back_prompt(answers: Answers, question: Question) -> tuple[PromptKey, Values]:
    """Which read-back prompt says this answer, and what it fills in."""
    if question is Question.EMPLOYMENT and answers.employment is not None:
        salaried = answers.employment.value is Employment.SALARIED
        return (PromptKey.CONFIRM_SALARIED if salaried else PromptKey.CONFIRM_NOT_SALARIED), ()
    if question is Question.SALARY and answers.salary is not None:
        salary = answers.salary.value
        if salary.monthly is not None:
            return PromptKey.CONFIRM_AMOUNT, (("amount", str(salary.monthly)),)
        return (PromptKey.CONFIRM_MEETS_MINIMUM if salary.meets_minimum else PromptKey.CONFIRM_BELOW_MINIMUM), ()
    if question is Question.CITY and answers.city is not None:
        return PromptKey.CONFIRM_CITY, (("city", answers.city.value.name),)
    raise ValueError(f"nothing to read back for {question}")


def _without(heard: Understanding, slots: frozenset[Question]) -> Understanding:
    """The reply with its unsure over-answers left out (they are asked for in turn instead)."""
    dropped = replace(
        heard,
        employment=None if Question.EMPLOYMENT in slots else heard.employment,
        salary=None if Question.SALARY in slots else heard.salary,
        city=None if Question.CITY in slots else heard.city,
    )
    if dropped.employment or dropped.salary or dropped.city:
        return dropped
    return Understanding(Intent.UNUSABLE, unusable=Unusable.UNSURE)


def _value(answers: Answers | Understanding, question: Question) -> object:
    """The value `answers` hold for `question` (None when unanswered)."""
    slot = {Question.EMPLOYMENT: answers.employment, Question.SALARY: answers.salary, Question.CITY: answers.city}[
        question
    ]
    return None if slot is None else slot.value


def _differs(heard: Understanding, pending: Answers, question: Question) -> bool:
    """The reply to a read-back names another value for the slot ("no, forty thousand", "no, Pune"): a
    new answer. A bare yes or no is the answer to the read-back itself, never a new employment or
    salary answer."""
    if question is Question.SALARY and heard.salary is not None and heard.salary.value.monthly is not None:
        return pending.salary is None or heard.salary.value != pending.salary.value
    if question is Question.CITY and heard.city is not None:
        return pending.city is None or heard.city.value != pending.city.value
    return False


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
