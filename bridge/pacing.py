"""Real-time pacing of outgoing audio from a monotonic clock, with a small lead over playback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

LATE_TOLERANCE_S = 0.02


class Pacer:
    """Tracks where the far end's playback will be; each chunk leaves `lead_s` before it starts playing.

    Sleeping a fixed time per chunk drifts late and starves the jitter buffer; this schedules against
    an absolute playhead instead, so timer lateness never accumulates.
    """

    def __init__(self, lead_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._lead_s = lead_s
        self._clock = clock
        self._playhead = 0.0

    def reset(self) -> None:
        """The far end's buffer was cleared: playback restarts from now."""
        self._playhead = 0.0

    async def wait_turn(self, duration_s: float, *, continuing: bool) -> bool:
        """Wait until a chunk of `duration_s` may go; True if a `continuing` chunk is late (a gap was heard)."""
        now = self._clock()
        late = continuing and self._playhead + LATE_TOLERANCE_S < now
        start = max(self._playhead, now)
        self._playhead = start + duration_s
        delay = start - self._lead_s - now
        if delay > 0:
            await asyncio.sleep(delay)
        return late
