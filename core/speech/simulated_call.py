"""A simulated phone line: recorded replies go through a real `Session`, one 20 ms frame at a time.

The caller side is one continuous stream, as on a real call: silence while the bot's prompt plays
(the prompt "plays" in step with the stream), then the next reply, then silence until the bot answers.
Each reply answers whatever the bot says next, or a caller function picks the reply from what the bot
asks (the by-question caller, app/by_question.py). When replies run out while the bot waits, the caller
hangs up. Both sides are kept on one timeline, so the call can be written out as a stereo WAV.

Pacing: `realtime` feeds every frame at wall-clock pace. Otherwise frames go as fast as the session
takes them, except while the caller is pausing mid-turn (`Session.caller_paused`): that silence is fed
in real time, so endpointing and speculative decoding race exactly as they would live.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core.audio import AudioFrame, resample
from core.events import BotSaid, CallFinished, PromptAudio, SessionError, StopPlayback
from core.policy import Policy
from core.prompts import PromptBook
from core.record import CallRecord
from core.screening import Screening, Understander
from core.session import Session
from core.speech.engine import SpeechEngine, TurnSettings

RATE = 16000
FRAME = 320  # 20 ms at 16 kHz
STUCK_AFTER = 30.0
"""Seconds of caller silence with no reaction from the bot before the simulator gives up (a bug)."""


@dataclass
class SimulatedCall:
    """The finished call: its record, both sides of the line, and any session errors."""

    record: CallRecord
    caller: AudioFrame
    bot: AudioFrame
    errors: list[str] = field(default_factory=list)


@dataclass
class _Playback:
    """A prompt being played out in step with the caller stream."""

    prompt_id: int
    chunks: deque[np.ndarray] = field(default_factory=deque)
    complete: bool = False


Caller = Callable[[Session], AudioFrame | None]
"""Picks the reply to the bot's latest prompt from the session (None: hang up)."""


async def simulate_call(
    engine: SpeechEngine,
    replies: list[AudioFrame] | Caller,
    policy: Policy,
    prompts: PromptBook,
    understand: Understander,
    *,
    realtime: bool = False,
    settings: TurnSettings | None = None,
    channel: str = "simulator",
) -> SimulatedCall:
    """Run one call with `replies` (any rate; resampled to 16 kHz), in order or picked by a caller function,
    and return what happened."""
    screening = Screening(policy, prompts, understand)
    session = screening.open_session(engine, channel=channel, input_rate=RATE, output_rate=RATE, settings=settings)
    if callable(replies):
        pick = replies

        def next_reply() -> AudioFrame | None:
            reply = pick(session)
            return None if reply is None else resample(reply, RATE)
    else:
        queue = deque(resample(reply, RATE) for reply in replies)

        def next_reply() -> AudioFrame | None:
            return queue.popleft() if queue else None

    line = _Line(session, next_reply, realtime)
    consumer = asyncio.ensure_future(line.consume())
    await session.start()
    try:
        await line.feed()
        record = await consumer
    finally:
        consumer.cancel()
        await session.aclose()
    return SimulatedCall(record, line.caller_track(), line.bot_track(), line.errors)


class _Line:
    """Both ends of the simulated line and the clock they share (samples fed so far)."""

    def __init__(self, session: Session, next_reply: Callable[[], AudioFrame | None], realtime: bool) -> None:
        self.session = session
        self.next_reply = next_reply
        self.realtime = realtime
        self.errors: list[str] = []
        self._caller: list[np.ndarray] = []
        self._bot: list[tuple[int, np.ndarray]] = []
        self._fed = 0
        self._playback: _Playback | None = None
        self._reply: np.ndarray | None = None
        self._reply_pos = 0
        self._prompts_seen = 0
        self._answered = 0
        self._reply_end = 0
        self._record: CallRecord | None = None
        self._finished = asyncio.Event()

    async def consume(self) -> CallRecord:
        async for event in self.session.events():
            match event:
                case BotSaid(prompt_id=prompt_id):
                    self._playback = _Playback(prompt_id)
                    self._prompts_seen += 1
                case PromptAudio(chunk=chunk, prompt_id=prompt_id, last=last):
                    if self._playback is not None and self._playback.prompt_id == prompt_id:
                        if len(chunk):
                            self._playback.chunks.append(chunk.samples)
                        self._playback.complete = last
                case StopPlayback(prompt_id=prompt_id):
                    if self._playback is not None and self._playback.prompt_id == prompt_id:
                        self._playback = None
                case SessionError(kind=kind, message=message):
                    self.errors.append(f"{kind}: {message}")
                case CallFinished(record=record):
                    self._record = record
        self._finished.set()
        if self._record is None:
            raise RuntimeError("the session ended without a CallFinished event")
        return self._record

    async def feed(self) -> None:
        silence = np.zeros(FRAME, np.int16)
        due: float | None = None
        while not self._finished.is_set() and not self.session.finished:
            self._play_bot()
            frame = self._next_caller_frame(silence)
            if frame is None:
                await self.session.hang_up()
                break
            self._caller.append(frame)
            self._fed += len(frame)
            await self.session.push_audio(AudioFrame(frame, RATE))
            if self.realtime or self.session.caller_paused:
                due = (time.monotonic() if due is None else due) + FRAME / RATE
                await asyncio.sleep(max(0.0, due - time.monotonic()))
            else:
                due = None
                await asyncio.sleep(0)
        await self._finished.wait()

    def _play_bot(self) -> None:
        """Play the next 20 ms of the current prompt; tell the session when it has all been played."""
        playback = self._playback
        if playback is None:
            return
        need = FRAME
        while need and playback.chunks:
            chunk = playback.chunks[0]
            take = chunk[:need]
            self._bot.append((self._fed + FRAME - need, take))
            need -= len(take)
            if len(take) == len(chunk):
                playback.chunks.popleft()
            else:
                playback.chunks[0] = chunk[len(take) :]
        if playback.complete and not playback.chunks:
            self._playback = None
            self.session.playback_finished(playback.prompt_id)

    def _next_caller_frame(self, silence: np.ndarray) -> np.ndarray | None:
        """The caller's next 20 ms: their reply, or silence; None when they have nothing left to say."""
        ready = self._reply is None and self._playback is None and self._prompts_seen > self._answered
        if ready and self.session.awaiting_reply:
            reply = self.next_reply()
            if reply is None:
                return None
            self._reply, self._reply_pos = reply.samples, 0
            self._answered = self._prompts_seen
        if self._reply is not None:
            frame = self._reply[self._reply_pos : self._reply_pos + FRAME]
            self._reply_pos += FRAME
            if self._reply_pos >= len(self._reply):
                self._reply = None
                self._reply_end = self._fed + FRAME
            return frame if len(frame) == FRAME else np.concatenate([frame, silence[len(frame) :]])
        if self._answered == self._prompts_seen and (self._fed - self._reply_end) / RATE > STUCK_AFTER:
            self.errors.append("simulator: the bot did not react to a reply within 30 s")
            return None
        return silence

    def caller_track(self) -> AudioFrame:
        return AudioFrame(np.concatenate(self._caller) if self._caller else np.zeros(0, np.int16), RATE)

    def bot_track(self) -> AudioFrame:
        track = np.zeros(max(self._fed, max((at + len(s) for at, s in self._bot), default=0)), np.int16)
        for at, samples in self._bot:
            track[at : at + len(samples)] = samples
        return AudioFrame(track, RATE)
