"""Two ways to run one visitor's call behind one event stream: spoken (Session + audio port) or typed
(Session on the text-only engine).

Both report core session events plus the device events below to one `on_event` callback on the loop,
so the window is driven the same way whether the visitor speaks or types.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.kiosk.audio_port import AudioPort, DeviceLost, MicFrame, PlaybackDrained, PlaybackStarted
from core.audio import AudioError, StreamResampler
from core.events import BotSaid, CallFinished, EngineChanged, PromptAudio, SessionEvent, StopPlayback
from core.session import Session

if TYPE_CHECKING:  # only the type: the window reads the state through the session
    from core.dialogue.conversation import Conversation

LISTEN_RATE = 16000
"""The rate the recogniser gets; the device may run at 48 kHz for the echo canceller and the speaker."""
POLL_SECONDS = 0.01
LEVEL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class MicLevel:
    """The microphone's level since the last report (None while the microphone is gated or closed)."""

    rms: float | None


@dataclass(frozen=True, slots=True)
class DeviceProblem:
    """A device failed mid-call; `kind` picks the window message."""

    kind: str
    detail: str


CallEvent = SessionEvent | MicLevel | PlaybackStarted | PlaybackDrained | DeviceProblem
EventSink = Callable[[CallEvent], None]


class TypedCall:
    """A Session on the text-only engine, for a visitor who types (or when no microphone or engine works).

    Nothing is played: a prompt counts as played once shown, and no engine is announced."""

    def __init__(self, session: Session, on_event: EventSink) -> None:
        self.session = session
        self._on_event = on_event
        self._shown = 0
        self._progress = asyncio.Event()
        self._relay: asyncio.Task[None] | None = None

    @property
    def conversation(self) -> Conversation:
        """The session's dialogue, read-only (tests watch its state)."""
        return self.session.conversation

    @property
    def spoken(self) -> bool:
        return False

    @property
    def finished(self) -> bool:
        return self.session.finished

    async def start(self) -> None:
        self._relay = asyncio.ensure_future(self._relay_session())
        await self.session.start()
        await self._shown_at_least(1)

    async def push_text(self, text: str) -> None:
        """Answer, and return once the window has been told what the bot says next (as typed calls did)."""
        if not self.session.awaiting_reply:
            return
        wanted = self._shown + 1
        await self.session.push_text(text)
        await self._shown_at_least(wanted)

    async def wait_closed(self) -> None:
        """Until the session's background work has stopped (no device to release)."""
        if self._relay is not None:
            await asyncio.gather(self._relay, return_exceptions=True)
        await self.session.aclose()

    async def stop(self) -> None:
        """Hang up; returns once the window has been told the call finished."""
        await self.session.hang_up()
        if self._relay is not None:
            await asyncio.gather(self._relay, return_exceptions=True)

    async def _shown_at_least(self, count: int) -> None:
        while self._shown < count and not (self._relay is None or self._relay.done()):
            self._progress.clear()
            await self._progress.wait()

    async def _relay_session(self) -> None:
        try:
            async for event in self.session.events():
                match event:
                    case PromptAudio() | EngineChanged():
                        continue  # nothing to play, no engine to show
                    case BotSaid(_, prompt_id, _):
                        self._shown += 1
                        self.session.playback_finished(prompt_id)  # shown is played
                self._on_event(event)
                self._progress.set()
        finally:
            self._progress.set()


class SpokenCall:
    """A Session on the shared engine, its audio moved between the port and the session on the loop."""

    def __init__(self, session: Session, port: AudioPort, on_event: EventSink) -> None:
        """`session` listens at LISTEN_RATE and speaks at the (opened) port's output rate."""
        self.session = session
        self._session = session
        self._port = port
        self._on_event = on_event
        self._half_duplex = session.settings.half_duplex
        self._resampler = StreamResampler(port.input_rate, LISTEN_RATE)
        self._playing: int | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._closed = False
        self._closing: asyncio.Future[None] | None = None

    @property
    def conversation(self) -> Conversation:
        """The session's dialogue, read-only (tests watch its state)."""
        return self.session.conversation

    @property
    def spoken(self) -> bool:
        return True

    @property
    def finished(self) -> bool:
        return self._session.finished

    async def start(self) -> None:
        """The port is already open; greet, and start moving audio both ways."""
        self._tasks = [
            asyncio.ensure_future(self._relay_session()),
            asyncio.ensure_future(self._relay_port()),
        ]
        await self._session.start()

    async def push_text(self, text: str) -> None:
        await self._session.push_text(text)

    async def stop(self) -> None:
        await self._session.hang_up()

    async def wait_closed(self) -> None:
        """Until the device is released and the session's background work has stopped."""
        if self._closing is not None:
            await self._closing

    async def _relay_session(self) -> None:
        """Session events to the speaker and the window; ends with CallFinished."""
        try:
            async for event in self._session.events():
                match event:
                    case PromptAudio(chunk, prompt_id, last):
                        self._port.play(chunk, prompt_id, last=last)
                        continue
                    case StopPlayback():
                        self._port.flush()
                        self._playing = None
                    case CallFinished():
                        self._shutdown()
                self._on_event(event)
        finally:
            self._shutdown()

    async def _relay_port(self) -> None:
        """Device events to the session (microphone audio, playback done) and the window (level)."""
        loudest, reported_at = 0.0, 0.0
        loop = asyncio.get_running_loop()
        while not self._session.finished:
            for event in self._port.poll():
                match event:
                    case MicFrame(frame, rms):
                        if self._half_duplex and self._playing is not None:
                            continue
                        loudest = max(loudest, rms)
                        await self._session.push_audio(self._resampler.process(frame))
                    case PlaybackStarted(prompt_id):
                        self._playing = prompt_id
                        self._on_event(event)
                    case PlaybackDrained(prompt_id):
                        self._playing = None
                        self._session.playback_finished(prompt_id)
                        self._on_event(event)
                    case DeviceLost(detail):
                        self._session.note(f"audio device lost: {detail}")
                        self._on_event(DeviceProblem("device_lost", detail))
                        await self._session.hang_up()
                        return
            if loop.time() - reported_at >= LEVEL_SECONDS:
                gated = self._half_duplex and self._playing is not None
                self._on_event(MicLevel(None if gated else loudest))
                loudest, reported_at = 0.0, loop.time()
            await asyncio.sleep(POLL_SECONDS)

    def _shutdown(self) -> None:
        """Release the device once the call is over (idempotent)."""
        if self._closed:
            return
        self._closed = True
        for task in self._tasks:
            if task is not asyncio.current_task():
                task.cancel()
        try:
            self._port.close()
        except (AudioError, OSError) as exc:
            self._on_event(DeviceProblem("output", str(exc)))
        self._closing = asyncio.ensure_future(self._session.aclose())
