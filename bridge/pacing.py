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


class InputGate:
    """Caller audio admitted at real time plus a small buffer; what runs further ahead is dropped.

    The session's clock never falls behind the audio pushed into it, so a burst of frames would move
    the call's clock (firing no-input timeouts at once) and keep the event loop busy for every call.
    Dropping beyond `buffer_s` keeps the clock on real time; each dropped frame yields to the loop.
    """

    def __init__(
        self, buffer_s: float, on_drop: Callable[[], None], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._buffer_s = buffer_s
        self._on_drop = on_drop
        self._clock = clock
        self._start: float | None = None
        self._received_s = 0.0
        self.dropped = 0

    async def admit(self, duration_s: float) -> bool:
        now = self._clock()
        if self._start is None:
            self._start = now
        if self._received_s + duration_s > now - self._start + self._buffer_s + 1e-9:
            self.dropped += 1
            self._on_drop()
            await asyncio.sleep(0)  # a flood must not hold the event loop other calls share
            return False
        self._received_s += duration_s
        return True
