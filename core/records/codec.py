"""CallRecord JSON <-> table rows, plus the few columns analytics needs precomputed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from core.record import CallRecord, utc_now

ASK_STATES = {"ASK_EMPLOYMENT": "employment", "ASK_SALARY": "salary", "ASK_CITY": "city"}
"""Asking states and the question each one puts (the funnel's steps)."""
SLOT_KEYS = {"employment": ("employment",), "salary": ("monthly_salary", "meets_minimum"), "city": ("city",)}
"""The parsed keys that mean a question was answered (a salary may be only yes/no to the minimum)."""
TURN_FIELDS = (
    "state", "bot", "caller", "state_after", "intent", "parsed",
    "confidence", "asr_confidence", "latency_ms", "barge_in", "at",
)  # fmt: skip


def as_json(record: CallRecord | Mapping[str, Any]) -> dict[str, Any]:
    """A CallRecord, or its to_json() form (as the spool holds it), as plain JSON."""
    return record.to_json() if isinstance(record, CallRecord) else dict(record)


def parse_time(value: str | date | datetime) -> datetime:
    """An aware UTC datetime from an ISO string, a date (midnight UTC) or a datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def call_row(data: Mapping[str, Any], *, keep_transcript: bool) -> dict[str, Any]:
    """The `calls` row for a record."""
    turns = data.get("turns") or []
    parsed_keys = {key for turn in turns for key in (turn.get("parsed") or {})}
    answered = {q: any(key in parsed_keys for key in keys) for q, keys in SLOT_KEYS.items()}
    return {
        "call_id": str(data["call_id"]),
        "channel": data["channel"],
        "engine": data["engine"],
        "policy_version": data["policy_version"],
        "started_at": parse_time(data["started_at"]),
        "ended_at": parse_time(data["ended_at"]) if data.get("ended_at") else None,
        "outcome": data.get("outcome"),
        "reasons": list(data.get("reasons") or []),
        "answers": dict(data.get("answers") or {}),
        "path": list(data.get("path") or []),
        "notes": list(data.get("notes") or []),
        "answered_employment": answered["employment"],
        "answered_salary": answered["salary"],
        "answered_city": answered["city"],
        "dropped_at": dropped_at(data),
        "transcript_dropped": not keep_transcript,
        "saved_at": utc_now(),
        "language": data.get("language") or "en",
        "contact": data.get("contact"),
        "confirmations": list(data.get("confirmations") or []),
        "owner": data.get("owner"),
        "resume": data.get("resume") if not data.get("ended_at") else None,
    }


def turn_rows(data: Mapping[str, Any], *, keep_transcript: bool) -> list[dict[str, Any]]:
    """The `turns` rows for a record; without the transcript, the words go and the metrics stay."""
    rows = []
    for idx, turn in enumerate(data.get("turns") or []):
        row = {name: turn.get(name) for name in TURN_FIELDS}
        row.update(call_id=str(data["call_id"]), idx=idx, barge_in=bool(turn.get("barge_in")))
        if not keep_transcript:
            row.update(bot=None, caller=None)
        for name in ("bot", "caller"):  # PostgreSQL text cannot hold NUL; a recogniser glitch must not lose a call
            if isinstance(row[name], str):
                row[name] = row[name].replace("\x00", "")
        rows.append(row)
    return rows


def dropped_at(data: Mapping[str, Any]) -> str | None:
    """For an incomplete call, the question it ended on (the asking state before INCOMPLETE)."""
    if data.get("outcome") != "incomplete":
        return None
    asked = [state for state in data.get("path") or [] if state in ASK_STATES]
    return ASK_STATES[asked[-1]] if asked else None


def record_json(call: Mapping[str, Any], turns: list[Mapping[str, Any]] | None) -> dict[str, Any]:
    """A stored call back in CallRecord.to_json() shape (turns omitted for listings)."""
    data: dict[str, Any] = {
        "channel": call["channel"],
        "engine": call["engine"],
        "policy_version": call["policy_version"],
        "call_id": call["call_id"],
        "started_at": call["started_at"].isoformat(),
        "ended_at": call["ended_at"].isoformat() if call["ended_at"] else None,
        "outcome": call["outcome"],
        "reasons": call["reasons"],
        "answers": call["answers"],
        "path": call["path"],
        "notes": call["notes"],
        "language": call["language"],
        "contact": call["contact"],
        "confirmations": call["confirmations"] or [],
    }
    if turns is not None:
        data["turns"] = [{name: turn[name] for name in TURN_FIELDS} for turn in turns]
    data["transcript_dropped"] = call["transcript_dropped"]
    return data
