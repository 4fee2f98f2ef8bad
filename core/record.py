"""The audit record every finished conversation yields, whatever the front end."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class TurnRecord:
    """One bot prompt and the caller's reply to it."""

    state: str
    """The state the bot spoke in: the question awaiting a reply, or the outcome state for the close."""
    bot: str
    caller: str | None = None
    """What the caller said (or what the recogniser heard); None when no reply came."""
    state_after: str | None = None
    intent: str | None = None
    parsed: dict[str, Any] | None = None
    """The slots this reply filled, in `answers` form ({"monthly_salary": 60000, ...})."""
    confidence: float | None = None
    """Understanding confidence: the lowest confidence of the slots filled."""
    asr_confidence: float | None = None
    latency_ms: float | None = None
    """End of the caller's speech to the first sample of the next prompt being ready."""
    barge_in: bool = False
    """The caller spoke over this prompt and it was cut off."""
    at: str = field(default_factory=lambda: utc_now().isoformat())


@dataclass(slots=True)
class CallRecord:
    """Outcome, reasons, answers, policy version and every turn of one conversation."""

    channel: str
    engine: str
    policy_version: str
    call_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started_at: str = field(default_factory=lambda: utc_now().isoformat())
    ended_at: str | None = None
    outcome: str | None = None
    reasons: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    turns: list[TurnRecord] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    """Every state visited, in order, starting at INIT."""
    notes: list[str] = field(default_factory=list)
    """Events worth auditing that are not turns (engine fail-over, device errors)."""
    language: str = "en"
    """The language the call was held in (prompts, voice and recogniser): "en" or "hi"."""
    contact: dict[str, Any] | None = None
    """How an agent reaches an eligible caller who left details (a kiosk lead), or None."""
    confirmations: list[dict[str, Any]] = field(default_factory=list)
    """Every read-back: {"slot", "heard", "answer"}, in order."""

    def to_json(self) -> dict[str, Any]:
        """The record as plain JSON; a superset of the `simulate --json` result."""
        data = asdict(self)
        data["turns"] = [asdict(turn) for turn in self.turns]
        return data
