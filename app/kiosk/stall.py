"""Measures how late the event loop wakes up: the UI freezes for at least that long."""

from __future__ import annotations

import asyncio
import time

INTERVAL = 0.01


class StallMeter:
    """Sleeps `INTERVAL` over and over and keeps the worst oversleep, in milliseconds."""

    def __init__(self) -> None:
        self.worst_ms = 0.0
        self.samples = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        return self.worst_ms

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(INTERVAL)
            late = (time.perf_counter() - before - INTERVAL) * 1000.0
            self.worst_ms = max(self.worst_ms, late)
            self.samples += 1
