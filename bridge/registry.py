"""Calls in progress in this process: one per call SID, none new while draining for shutdown."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

log = logging.getLogger("bridge.registry")


class LiveCall(Protocol):
    def end(self, reason: str) -> None:
        """Ask the call to finish now: stop, record as it stands, close the socket."""
        ...

    def note(self, text: str) -> None:
        """Add an audit note to the call's record."""
        ...


class CallRegistry:
    """Admits calls, refuses duplicates (a second stream for one call SID) and drains on shutdown."""

    def __init__(self) -> None:
        self._calls: dict[str, LiveCall] = {}
        self._empty = asyncio.Event()
        self._empty.set()
        self.draining = False

    def __len__(self) -> int:
        return len(self._calls)

    def admit(self, call_sid: str, call: LiveCall) -> str | None:
        """None when admitted, else why not."""
        if self.draining:
            return "shutting down"
        if call_sid in self._calls:
            return "a stream for this call is already open"
        self._calls[call_sid] = call
        self._empty.clear()
        return None

    def get(self, call_sid: str) -> LiveCall | None:
        return self._calls.get(call_sid)

    def release(self, call_sid: str, call: LiveCall) -> None:
        if self._calls.get(call_sid) is call:
            del self._calls[call_sid]
        if not self._calls:
            self._empty.set()

    def end_all(self, reason: str) -> None:
        """Ask every call to finish now (a second shutdown signal), recorded with `reason`."""
        self.draining = True
        for call in list(self._calls.values()):
            call.end(reason)

    async def drain(self, grace_s: float, close_timeout_s: float = 10.0) -> int:
        """Stop admitting, let calls finish for `grace_s`, then end the rest; returns how many were ended."""
        self.draining = True
        if not self._calls:
            return 0
        try:
            await asyncio.wait_for(self._empty.wait(), grace_s)
            return 0
        except TimeoutError:
            pass
        remaining = list(self._calls.values())
        log.info("grace period over: ending %d calls in progress", len(remaining))
        for call in remaining:
            call.end("shutdown")
        try:
            await asyncio.wait_for(self._empty.wait(), close_timeout_s)
        except TimeoutError:
            log.error("%d calls did not close after shutdown was requested", len(self._calls))
        return len(remaining)
