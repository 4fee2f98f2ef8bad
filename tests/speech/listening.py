"""Drive a listener or session the way a live line does: speech as fast as it is taken, then the
caller's silence in real time (so speculative decodes race the clock as they would on a call)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import numpy as np

from core.audio import AudioFrame, resample, split
from core.speech.engine import Expectation, FinalText, Listener, ListenerEvent
from core.understanding.types import Question

RATE = 16000


@dataclass
class Heard:
    """Listener events, each with the seconds of audio fed when it arrived."""

    events: list[tuple[float, ListenerEvent]] = field(default_factory=list)

    def of(self, kind: type) -> list[tuple[float, ListenerEvent]]:
        return [(at, event) for at, event in self.events if isinstance(event, kind)]

    @property
    def finals(self) -> list[FinalText]:
        return [event for _, event in self.of(FinalText)]  # type: ignore[misc]


async def listen(
    listener: Listener,
    audio: AudioFrame,
    question: Question | None,
    expected: Expectation | None,
    *,
    trailing: float = 2.5,
    stop_after_final: bool = True,
) -> Heard:
    """Feed `audio` then `trailing` seconds of silence in 20 ms frames; collect every event."""
    listener.set_question(question, expected)
    heard = Heard()
    fed = 0.0

    async def collect() -> None:
        async for event in listener.events():
            heard.events.append((fed, event))

    collector = asyncio.ensure_future(collect())
    rate = listener.sample_rate
    clip = resample(audio, rate)
    frames = [*split(clip), *split(AudioFrame(np.zeros(round(trailing * rate), np.int16), rate))]
    due: float | None = None
    for frame in frames:
        await listener.push(frame)
        fed += frame.duration
        if stop_after_final and heard.finals:
            break
        if listener.paused:
            due = (time.monotonic() if due is None else due) + frame.duration
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        else:
            due = None
            await asyncio.sleep(0)
    await asyncio.sleep(0.05)
    await listener.aclose()
    await collector
    return heard
