"""One conversation: the pure dialogue plus understanding, prompt text and the audit record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.dialogue.decide import Answers
from core.dialogue.machine import Context, Step, close, hang_up, respond, start
from core.dialogue.table import TERMINAL_STATES, Edge, State, Trigger
from core.dialogue.unsure import Hearing, confirmation, unsure_slots
from core.policy import Policy
from core.prompts import PromptBook, PromptKey
from core.record import CallRecord, TurnRecord, utc_now
from core.understanding.types import Intent, Question, Understanding

Understander = Callable[[Question, str, Policy], Understanding]


@dataclass(frozen=True, slots=True)
class BotTurn:
    """What the bot says next, and the table edges that led here."""

    text: str
    prompts: tuple[PromptKey, ...]
    state: State
    edges: tuple[Edge, ...]

    @property
    def closing(self) -> bool:
        """This is the last thing the bot says; close() follows once it has been spoken."""
        return self.state in TERMINAL_STATES


class Conversation:
    """Drives the screening dialogue turn by turn and keeps its record; used by every front end."""

    def __init__(
        self,
        policy: Policy,
        prompts: PromptBook,
        understand: Understander,
        *,
        channel: str = "simulator",
        engine: str = "text",
        keypad: bool = False,
        call_id: str | None = None,
    ) -> None:
        self._policy = policy
        self._prompts = prompts
        self._understand = understand
        self._context = Context(keypad=keypad)
        self.record = CallRecord(
            channel=channel, engine=engine, policy_version=policy.version, language=prompts.code
        )
        if call_id:
            self.record.call_id = call_id
        self.record.path.append(self._context.state.value)
        self.closing_edges: tuple[Edge, ...] = ()
        """The edges hang_up() and close() took (the UI lights them like any other step)."""

    @property
    def state(self) -> State:
        return self._context.state

    @property
    def question(self) -> Question | None:
        """The question the next caller reply answers (None once the dialogue is over)."""
        return self._context.question

    @property
    def awaiting_reply(self) -> bool:
        return self._context.question is not None

    @property
    def reading_back(self) -> bool:
        """The bot read an unsure answer back: the next reply is a yes or no (keypad 1 or 2)."""
        return self._context.reading_back

    @property
    def read_back(self) -> tuple[str, object] | None:
        """What is being read back: (slot, value heard) as in `CallRecord.confirmations`, else None."""
        question, pending = self._context.question, self._context.pending
        if not self._context.reading_back or question is None or pending is None:
            return None
        return read_back_value(pending, question)

    @property
    def finished(self) -> bool:
        return self._context.state is State.END

    def start(self) -> BotTurn:
        """The greeting and the first question."""
        return self._apply(start(self._context))

    def reply(self, text: str, *, asr_confidence: float | None = None, hearing: Hearing | None = None) -> BotTurn:
        """Understand one caller reply (empty text is silence) and say what comes next."""
        question = self._require_question()
        heard = self._understand(question, text, self._policy)
        return self.reply_understood(text, heard, asr_confidence=asr_confidence, hearing=hearing)

    def reply_understood(
        self,
        text: str,
        heard: Understanding,
        *,
        asr_confidence: float | None = None,
        hearing: Hearing | None = None,
    ) -> BotTurn:
        """Advance on an already-understood reply; `hearing` is what the recogniser knows of a spoken one
        (None for typed text and keypad input, which are never read back unless they contradict themselves)."""
        question = self._require_question()
        turn = self.record.turns[-1]
        turn.caller = text
        turn.intent = heard.intent.value
        turn.asr_confidence = asr_confidence
        if heard.intent is Intent.ANSWER:
            turn.parsed, turn.confidence = _parsed(heard)
        unsure = unsure_slots(
            question, text, heard, hearing, self._policy, lambda other: self._understand(question, other, self._policy)
        )
        said = confirmation(text, hearing, question, self._context.pending) if self._context.reading_back else None
        before = self._context
        step = respond(self._context, heard, self._policy, unsure=unsure, yes=said)
        if before.reading_back:
            self._note_confirmation(before, question, said, step)
        turn.state_after = step.context.state.value
        return self._apply(step)

    def note_latency(self, latency_ms: float) -> None:
        """Record the turn latency of the reply just handled (measured by the speech front end)."""
        if len(self.record.turns) >= 2:
            self.record.turns[-2].latency_ms = round(latency_ms, 1)

    def note_barge_in(self) -> None:
        """The caller cut off the prompt now playing."""
        if self.record.turns:
            self.record.turns[-1].barge_in = True

    def hang_up(self) -> None:
        """The caller left, or replies ran out: the call ends incomplete with what was answered."""
        if self.finished:
            return
        if self.reading_back:
            self._note_confirmation(self._context, self._require_question(), None, None)
        if self.awaiting_reply:
            step = hang_up(self._context)
            self._context = step.context
            self.record.turns[-1].state_after = step.context.state.value
            self.record.path.extend(edge.target.value for edge in step.edges)
            self.closing_edges += step.edges
        self.close()

    def close(self) -> CallRecord:
        """After the closing prompt has been spoken: finish the record."""
        if not self.finished:
            step = close(self._context)
            if self.record.turns and self.record.turns[-1].state_after is None:
                self.record.turns[-1].state_after = step.context.state.value
            self._context = step.context
            self.record.path.extend(edge.target.value for edge in step.edges)
            self.closing_edges += step.edges
            self.record.ended_at = utc_now().isoformat()
            self.record.outcome = self._context.outcome.value if self._context.outcome else None
            self.record.reasons = [reason.value for reason in self._context.reasons]
        self.record.answers = self._context.answers.to_json()
        return self.record

    def _require_question(self) -> Question:
        question = self._context.question
        if question is None:
            raise RuntimeError(f"no reply is expected in state {self._context.state}")
        return question

    def _apply(self, step: Step) -> BotTurn:
        self._context = step.context
        self.record.path.extend(edge.target.value for edge in step.edges)
        self.record.answers = step.context.answers.to_json()
        values = dict(step.values)
        text = " ".join(self._prompts.fill(key, values) for key in step.prompts)
        if step.prompts:
            self.record.turns.append(TurnRecord(state=step.context.state.value, bot=text))
        return BotTurn(text=text, prompts=step.prompts, state=step.context.state, edges=step.edges)

    def _note_confirmation(self, before: Context, question: Question, said: bool | None, step: Step | None) -> None:
        """One read-back in the record: the slot, the value read back, and the caller's answer."""
        pending = before.pending
        if pending is None:
            return
        slot, heard = read_back_value(pending, question)
        trigger = step.edges[0].trigger if step is not None and step.edges else None
        if trigger is Trigger.REPEAT:
            return  # asked to hear the read-back again: not answered yet
        if step is None:
            answer = None
        elif trigger in (Trigger.DENIED, Trigger.GAVE_UP):
            answer = "no" if said is False else "unclear"
        elif said is True and step.context.answers == pending:
            answer = "yes"
        else:
            answer = "new_answer"
        self.record.confirmations.append({"slot": slot, "heard": heard, "answer": answer})


def read_back_value(answers: Answers, question: Question) -> tuple[str, object]:
    """The slot name and value a read-back of `question` speaks, as the record and the by-question caller
    name them: employment, monthly_salary (an amount) or meets_minimum (a yes/no), city."""
    if question is Question.EMPLOYMENT and answers.employment is not None:
        return "employment", answers.employment.value.value
    if question is Question.SALARY and answers.salary is not None:
        salary = answers.salary.value
        if salary.monthly is not None:
            return "monthly_salary", salary.monthly
        return "meets_minimum", salary.meets_minimum
    if question is Question.CITY and answers.city is not None:
        return "city", answers.city.value.name
    raise ValueError(f"nothing read back for {question}")


def _parsed(heard: Understanding) -> tuple[dict[str, object], float | None]:
    parsed: dict[str, object] = {}
    confidences = []
    if heard.employment:
        parsed["employment"] = heard.employment.value.value
        confidences.append(heard.employment.confidence)
    if heard.salary:
        parsed["monthly_salary"] = heard.salary.value.monthly
        parsed["meets_minimum"] = heard.salary.value.meets_minimum
        confidences.append(heard.salary.confidence)
    if heard.city:
        parsed["city"] = heard.city.value.name
        parsed["city_serviceable"] = heard.city.value.serviceable
        confidences.append(heard.city.confidence)
    return parsed, (min(confidences) if confidences else None)
