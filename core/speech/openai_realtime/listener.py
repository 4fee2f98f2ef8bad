"""One call's recogniser on an OpenAI transcription session: caller audio out, listener events back.

Audio goes out as `audio/pcmu` when the caller is on the phone (8 kHz: the carrier's bytes, no
resampling) and as 24 kHz `audio/pcm` otherwise. The server's VAD ends turns; each completed
transcript becomes the turn's FinalText, exactly as the offline recogniser's would. Dropped sockets
and the session limit reconnect with backoff and replay the unfinished turn's audio; anything that
stays broken surfaces as RealtimeUnavailable from `events()` (the fail-over listener takes it from there).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

from core.audio import AudioFrame, StreamResampler, ulaw_encode
from core.events import TurnEndReason
from core.speech.engine import (
    Expectation,
    FinalText,
    ListenerEvent,
    PartialText,
    SpeechStarted,
    SpeechStopped,
    TurnSettings,
)
from core.speech.openai_realtime import protocol
from core.speech.openai_realtime.client import RealtimeConnection, session_url
from core.speech.openai_realtime.errors import (
    RealtimeError,
    RealtimeUnavailable,
    SessionClosed,
    TranscriptTimeout,
)
from core.speech.openai_realtime.keys import ApiKey
from core.speech.openai_realtime.protocol import InputFormat, ServerEvent
from core.speech.openai_realtime.settings import RealtimeSettings
from core.understanding.types import Question

log = logging.getLogger("quickrupee.openai")
MAX_SERVER_ERRORS = 3
"""`error` events tolerated per session before it counts as broken."""
LOUD_PEAK = 2000
"""A frame this loud (of 32768) may be speech the server has yet to report."""
SERVER_LAG_S = 2.0
"""How long loud audio may go unreported before it counts as noise the server's VAD ignored."""
CLOCK_SLACK_S = 0.1
"""The server's clock trails ours by the resampler's delay (~20 ms): speech starting this close
before a reset still belongs to the next turn."""
MIN_SESSION_S = 5.0
"""A session that "expires" sooner than this is treated as a failure, not as the time limit."""
MAX_REPLAY_S = 30.0
"""At most this much unfinished-turn audio is kept for replay (longer than any turn)."""
_CLOSED = object()


@dataclass(frozen=True, slots=True)
class _Sent:
    """One pushed frame: when it starts (listener time), how long, and its encoded payload."""

    at: float
    duration: float
    payload: str


class RealtimeListener:
    """Implements core.speech.engine.Listener over one Realtime transcription session at a time."""

    def __init__(self, settings: RealtimeSettings, key: ApiKey, sample_rate: int, turn: TurnSettings) -> None:
        self.sample_rate = sample_rate
        self._settings = settings
        self._key = key
        self._turn = turn
        self._format: InputFormat = "audio/pcmu" if sample_rate == protocol.PCMU_RATE else "audio/pcm"
        self._resampler = None if self._format == "audio/pcmu" else StreamResampler(sample_rate, protocol.PCM_RATE)
        self._url = session_url(settings.url, intent="transcription")
        self._outbox: asyncio.Queue[str] = asyncio.Queue()
        self._events: asyncio.Queue[object] = asyncio.Queue()
        self._turn_audio: deque[_Sent] = deque()
        """Audio of the unfinished turn, replayed into a new session after a reconnect."""
        self._pushed = 0.0
        self._question: Question | None = None
        self._prompt = ""
        self._expected: Expectation | None = None
        self._connected = False
        self._runner: asyncio.Task[None] | None = None
        self._closed = False
        self._new_session(0.0)
        self._reset_at = 0.0
        self._held: tuple[str, float | None] | None = None
        self._held_timer: asyncio.TimerHandle | None = None
        self._speech_end = 0.0
        self._paused = False
        self._speaking = False
        self._speech_at = 0.0
        self._reason = TurnEndReason.SILENCE
        self._loud_at = -math.inf
        self.reconnects = 0

    # --- Listener API ----------------------------------------------------------------------------

    def set_question(self, question: Question | None, expected: Expectation | None) -> None:
        self._question, self._expected = question, expected
        prompt = expected.prompt if expected is not None else ""
        if prompt and prompt != self._prompt:
            self._prompt = prompt
            if self._connected:
                self._outbox.put_nowait(protocol.dumps(protocol.prompt_update(self._settings, prompt)))

    async def push(self, frame: AudioFrame) -> None:
        if self._closed:
            return
        self._ensure_running()
        if self._resampler is None:
            data = ulaw_encode(frame.samples)
        else:
            data = self._resampler.process(frame).samples.astype("<i2", copy=False).tobytes()
        if len(frame.samples) and (frame.samples.max() >= LOUD_PEAK or frame.samples.min() <= -LOUD_PEAK):
            self._loud_at = time.monotonic()
        sent = _Sent(self._pushed, frame.duration, base64.b64encode(data).decode("ascii"))
        self._pushed += frame.duration
        self._turn_audio.append(sent)
        while self._turn_audio[0].at < self._pushed - MAX_REPLAY_S:
            self._turn_audio.popleft()
        if self._connected and data:
            self._outbox.put_nowait(protocol.append(sent.payload))

    async def events(self) -> AsyncIterator[ListenerEvent]:
        self._ensure_running()
        while True:
            item = await self._events.get()
            if item is _CLOSED:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]  # only ListenerEvents and the two markers are queued

    def reset(self) -> None:
        """Forget the turn in progress: its transcript, if one still comes, is ignored."""
        self._reset_at = self._pushed - CLOCK_SLACK_S
        self._turn_audio.clear()
        self._release_held(emit=False)
        self._paused = False
        if self._connected:
            self._outbox.put_nowait('{"type":"input_audio_buffer.clear"}')

    def end_input(self) -> bool:
        """Commit what the server's VAD holds open, or release a held reply: the caller has gone."""
        if self._question is None:
            return False
        if self._speaking:
            self._reason, self._speech_end = TurnEndReason.END_OF_INPUT, self._pushed
            self._outbox.put_nowait('{"type":"input_audio_buffer.commit"}')
            return True
        if self._held is not None:
            self._release_held()
            return True
        return self._paused or bool(self._awaiting)

    @property
    def connected(self) -> bool:
        """A configured Realtime session is open right now."""
        return self._connected

    @property
    def paused(self) -> bool:
        """True whenever the service may still be working on audio already pushed: an utterance open or
        awaiting its transcript, loud audio not yet reported as speech, or a reconnect. A simulator then
        feeds in real time, so a remote recogniser's lag never turns into a faked no-answer."""
        if self._paused or self._speaking or self._awaiting:
            return True
        if self._runner is not None and not self._connected and not self._closed:
            return True
        return time.monotonic() - self._loud_at < SERVER_LAG_S

    async def aclose(self) -> None:
        self._closed = True
        self._release_held(emit=False)
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        self._events.put_nowait(_CLOSED)

    # --- connection lifecycle --------------------------------------------------------------------

    def _ensure_running(self) -> None:
        if self._runner is None and not self._closed:
            self._runner = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            await self._keep_connected()
        except Exception as exc:  # a bug must not leave the call deaf: fail over instead
            log.exception("OpenAI Realtime listener failed")
            self._events.put_nowait(RealtimeUnavailable(f"internal error: {type(exc).__name__}"))

    async def _keep_connected(self) -> None:
        failures = 0
        while not self._closed:
            try:
                await self._serve_one_session()
            except RealtimeError as exc:
                self._connected = False
                if self._finals_in_session:
                    failures = 0  # that session worked: this is a new problem
                    self._finals_in_session = 0
                expired = isinstance(exc, SessionClosed) and exc.expired
                if not exc.retryable or failures >= self._settings.reconnect_attempts:
                    self._events.put_nowait(RealtimeUnavailable(str(exc)))
                    return
                delay = 0.0 if expired else self._settings.backoff_s * 2**failures
                lived = time.monotonic() - self._session_opened
                failures += 0 if expired and lived > MIN_SESSION_S else 1
                self.reconnects += 1
                log.warning("OpenAI Realtime: %s; reconnecting in %.2f s", exc, delay)
                await asyncio.sleep(delay)

    async def _serve_one_session(self) -> None:
        silence_ms = round(self._turn.end_of_turn_silence * 1000)
        setup = protocol.transcription_session(self._settings, self._format, self._prompt, silence_ms)
        conn = await RealtimeConnection.open(self._url, self._key, setup, timeout=self._settings.connect_timeout_s)
        try:
            replay = list(self._turn_audio)
            while not self._outbox.empty():  # those appends are in the replay
                self._outbox.get_nowait()
            self._new_session(replay[0].at if replay else self._pushed)
            self._connected = True
            for sent in replay:
                await conn.send_text(protocol.append(sent.payload))
            tasks = [asyncio.create_task(job) for job in (self._read(conn), self._write(conn), self._watch())]
            try:
                done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
            raise SessionClosed("OpenAI ended the session")
        finally:
            self._connected = False
            await conn.close()

    def _new_session(self, starts_at: float) -> None:
        self._session_at = starts_at
        self._session_opened = time.monotonic()
        self._item_start: dict[str, float] = {}
        self._texts: dict[str, str] = {}
        self._awaiting: dict[str, float] = {}
        self._errors = 0
        self._finals_in_session = 0
        self._rotate = False

    async def _write(self, conn: RealtimeConnection) -> None:
        while True:
            await conn.send_text(await self._outbox.get())

    async def _watch(self) -> None:
        """Fail a turn whose transcript is overdue; rotate the session before its 60-minute limit."""
        while True:
            await asyncio.sleep(0.1)
            now = time.monotonic()
            if any(now - since > self._settings.transcript_timeout_s for since in self._awaiting.values()):
                raise TranscriptTimeout(f"no transcript within {self._settings.transcript_timeout_s:g} s")
            if self._rotate:
                raise SessionClosed("rotating the session before its time limit", expired=True)
            too_long = self._pushed - self._speech_at >= self._turn.max_turn
            if self._speaking and self._reason is TurnEndReason.SILENCE and too_long:
                self._reason = TurnEndReason.MAX_TURN  # a TV in the room never goes quiet
                self._speech_end = self._pushed
                self._outbox.put_nowait('{"type":"input_audio_buffer.commit"}')

    # --- server events ---------------------------------------------------------------------------

    async def _read(self, conn: RealtimeConnection) -> None:
        async for event in conn.events():
            self._on_event(event)

    def _on_event(self, event: ServerEvent) -> None:
        kind = event["type"]
        item = str(event.get("item_id", ""))
        if kind == "input_audio_buffer.speech_started":
            at = self._session_at + event.get("audio_start_ms", 0) / 1000
            self._item_start[item] = at
            if at >= self._reset_at:
                self._cancel_held_timer()
                self._paused = False
                self._speaking, self._speech_at = True, at
                self._events.put_nowait(SpeechStarted(at))
        elif kind == "input_audio_buffer.speech_stopped":
            at = self._session_at + event.get("audio_end_ms", 0) / 1000
            self._awaiting[item] = time.monotonic()
            self._speaking = False
            if self._item_start.get(item, at) >= self._reset_at:
                self._speech_end = at
                self._paused = True
                self._events.put_nowait(SpeechStopped(at))
        elif kind == "input_audio_buffer.committed":
            self._awaiting.setdefault(item, time.monotonic())
        elif kind == "conversation.item.input_audio_transcription.delta":
            self._texts[item] = self._texts.get(item, "") + (event.get("delta") or "")
            if self._question is not None and self._current(item):
                held = self._held[0] + " " if self._held else ""
                self._events.put_nowait(PartialText((held + self._texts[item]).strip()))
        elif kind == "conversation.item.input_audio_transcription.completed":
            self._awaiting.pop(item, None)
            self._texts.pop(item, None)
            if self._current(item):
                self._completed(str(event.get("transcript") or "").strip(), _confidence(event.get("logprobs")))
        elif kind == "conversation.item.input_audio_transcription.failed":
            raise TranscriptTimeout("OpenAI could not transcribe the turn: " + protocol.error_summary(event))
        elif kind == "error":
            self._errors += 1
            log.warning("OpenAI Realtime error event: %s", self._key.redact(protocol.error_summary(event)))
            if self._errors >= MAX_SERVER_ERRORS:
                raise SessionClosed(f"{self._errors} error events in one session")  # start afresh

    def _current(self, item: str) -> bool:
        return self._item_start.get(item, self._session_at) >= self._reset_at

    # --- turns -----------------------------------------------------------------------------------

    def _completed(self, text: str, confidence: float | None) -> None:
        self._paused = False
        if self._question is None:
            self._drop_turn_audio()
            return
        if self._held is not None:
            text = f"{self._held[0]} {text}".strip()
            confidence = _lowest(self._held[1], confidence)
        expected = self._expected
        wait = self._turn.mid_number_silence - self._turn.end_of_turn_silence
        if expected is not None and expected.expects_more is not None and wait > 0 and expected.expects_more(text):
            self._held = (text, confidence)
            if not self._speaking:  # the caller already went on: their next transcript joins this one
                self._held_timer = asyncio.get_running_loop().call_later(wait, self._release_held)
            return
        self._held = None
        self._final(text, confidence)

    def _final(self, text: str, confidence: float | None) -> None:
        self._events.put_nowait(FinalText(text, confidence, (), self._speech_end, self._reason))
        if self._reason is not TurnEndReason.SILENCE:
            self._speaking = False  # the server's VAD may still be open on the rest
        self._reason = TurnEndReason.SILENCE
        self._finals_in_session += 1
        self._drop_turn_audio()
        if time.monotonic() - self._session_opened > self._settings.session_max_s:
            self._rotate = True

    def _release_held(self, emit: bool = True) -> None:
        self._cancel_held_timer()
        held, self._held = self._held, None
        if held is not None and emit:
            self._final(*held)

    def _cancel_held_timer(self) -> None:
        if self._held_timer is not None:
            self._held_timer.cancel()
            self._held_timer = None

    def _drop_turn_audio(self) -> None:
        """The turn is over: keep only audio after its speech (the next turn may have started)."""
        while self._turn_audio and self._turn_audio[0].at + self._turn_audio[0].duration <= self._speech_end:
            self._turn_audio.popleft()


def _confidence(logprobs: object) -> float | None:
    """exp(mean token log-probability), the same measure the offline recogniser reports."""
    if not isinstance(logprobs, list) or not logprobs:
        return None
    values = [entry.get("logprob") for entry in logprobs if isinstance(entry, dict)]
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    return math.exp(sum(numbers) / len(numbers)) if numbers else None


def _lowest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)
