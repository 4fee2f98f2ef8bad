"""One conversation: the pure dialogue plus understanding, prompt text and the audit record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.dialogue.machine import Context, Step, close, hang_up, respond, start
from core.dialogue.table import TERMINAL_STATES, Edge, State
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
    def finished(self) -> bool:
        return self._context.state is State.END

    def start(self) -> BotTurn:
        """The greeting and the first question."""
        return self._apply(start(self._context))

    def reply(self, text: str, *, asr_confidence: float | None = None) -> BotTurn:
        """Understand one caller reply (empty text is silence) and say what comes next."""
        question = self._require_question()
        heard = self._understand(question, text, self._policy)
        return self.reply_understood(text, heard, asr_confidence=asr_confidence)

    def reply_understood(
        self, text: str, heard: Understanding, *, asr_confidence: float | None = None
    ) -> BotTurn:
        """Advance on an already-understood reply (keypad input, a confirmed value)."""
        self._require_question()
        turn = self.record.turns[-1]
        turn.caller = text
        turn.intent = heard.intent.value
        turn.asr_confidence = asr_confidence
        if heard.intent is Intent.ANSWER:
            turn.parsed, turn.confidence = _parsed(heard)
        step = respond(self._context, heard, self._policy)
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
        text = " ".join(self._prompts[key] for key in step.prompts)
        if step.prompts:
            self.record.turns.append(TurnRecord(state=step.context.state.value, bot=text))
        return BotTurn(text=text, prompts=step.prompts, state=step.context.state, edges=step.edges)


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
