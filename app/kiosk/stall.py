"""Measures how late the event loop wakes up: the UI freezes for at least that long."""

from __future__ import annotations

import asyncio
import time

INTERVAL = 0.01


class StallMeter:
    """Sleeps `INTERVAL` over and over and keeps the worst oversleep, in milliseconds."""

    def __init__(self) -> None:
        self.lateness_ms: list[float] = []
        self._task: asyncio.Task[None] | None = None

    @property
    def worst_ms(self) -> float:
        return max(self.lateness_ms, default=0.0)

    @property
    def samples(self) -> int:
        return len(self.lateness_ms)

    def percentile(self, q: float) -> float:
        """The q-th percentile of lateness: robust to the odd scheduling hiccup of a busy machine."""
        ordered = sorted(self.lateness_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100.0))]

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
            self.lateness_ms.append((time.perf_counter() - before - INTERVAL) * 1000.0)
