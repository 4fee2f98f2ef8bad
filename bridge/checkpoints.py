"""A live call's record in the store: claimed when the stream starts, saved after every turn, closed once.

The claim (`RecordStore.begin`) is insert-only, so a replayed webhook or a stream reusing a stored
call SID is refused instead of replacing the record. The checkpoint after each turn means a crash
loses at most the turn in flight; it carries the instance that runs the call (`owner`) and what
another instance needs to continue it (`resume`: the dialogue state and the next question).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import TYPE_CHECKING, Any

from core.records import RecordExists, StoreError

if TYPE_CHECKING:
    from bridge.runtime import Runtime
    from core.session import Session

log = logging.getLogger("bridge.checkpoints")

MAX_ID = 64
"""The store's call-id width."""
EXOTEL_PREFIX = "exotel:"


def record_id(provider: str, call_sid: str) -> str:
    """The record id for a provider's call SID: Twilio SIDs as they are, Exotel's in their own namespace.

    An Exotel SID too long for the store keeps its start and a digest of the whole, so it is still
    unique and the record is never lost to a column width.
    """
    if provider == "twilio":
        return call_sid
    sid = call_sid
    room = MAX_ID - len(provider) - 1
    if len(sid) > room:
        digest = hashlib.sha256(sid.encode()).hexdigest()[:16]
        sid = f"{sid[: room - 17]}~{digest}"
    return f"{provider}:{sid}"


class CallCheckpoints:
    """One call's writes to the store; at most one checkpoint in flight, the newest state wins."""

    def __init__(self, rt: Runtime, session: Session) -> None:
        self._rt = rt
        self._session = session
        self._task: asyncio.Task[None] | None = None
        self._dirty = False

    async def claim(self) -> str | None:
        """Write the call's first (open) record; the reason to refuse the stream, or None to go on."""
        record = self._session.record
        try:
            await self._rt.records.begin_async(self._snapshot(), owner=self._rt.instance_id)
        except RecordExists:
            return "this call already has a record"
        except StoreError:  # refused content would fail the final save too; the call still runs
            log.exception("call record could not be started", extra={"record_id": record.call_id})
        return None

    def turn(self) -> None:
        """A turn ended (the next prompt is chosen): save the record as it stands, off the event loop."""
        self._dirty = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._write(), name=f"checkpoint-{self._session.record.call_id}")

    async def settle(self) -> None:
        """Let a checkpoint in flight finish before the final save (so it cannot land after it)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _write(self) -> None:
        metrics = self._rt.metrics
        while self._dirty:
            self._dirty = False
            snapshot = self._snapshot()  # taken on the loop thread: the session is not thread-safe
            if snapshot.get("ended_at"):
                return
            try:
                where = await self._rt.records.checkpoint_async(
                    snapshot, owner=self._rt.instance_id, resume=self._resume()
                )
                metrics.checkpoints.labels(str(where)).inc()
            except StoreError as exc:
                metrics.checkpoints.labels("failed").inc()
                log.warning("checkpoint not saved: %s", exc)

    def _snapshot(self) -> dict[str, Any]:
        return self._session.record.to_json()

    def _resume(self) -> dict[str, Any]:
        session = self._session
        question = session.question
        return {
            "state": session.state.value,
            "question": str(question) if question is not None else None,
            "answers": dict(session.record.answers),
            "turns": len(session.record.turns),
        }
