"""One call as an asyncio session: caller audio and typed input in, typed events and prompt audio out.

Front ends open sessions through `core.screening.Screening` and drive every call the same way:

    engine = create_engine("offline", SpeechSettings.from_env())      # once per process, shared
    screening = Screening.load()                                       # once per process, shared
    session = screening.open_session(engine, channel="twilio", input_rate=8000, output_rate=8000)
    await session.start()                     # greeting + first question start speaking
    async for event in session.events():      # in one task ...
        match event:
            case PromptAudio(chunk, prompt_id, last): play(chunk); if last: when drained ->
                                                      session.playback_finished(prompt_id)
            case StopPlayback(prompt_id): flush the speaker / send Twilio "clear"
            case CallFinished(record): store(record)           # always the last event
    await session.push_audio(frame)           # ... and in another: caller audio, any frame size
    await session.push_text("yes")            # typed answer or DTMF digits ("1", "45000#")
    await session.end_input()                 # the caller's audio ended (hung up): keep their last answer
    await session.hang_up()                   # the caller left
    session.note("twilio status: completed")  # a line for the record's notes

Times are on the session clock: wall time since `start`, never behind the audio pushed so far (audio
pushed faster than real time moves the clock forward), so latencies measured on files fed at full
speed match a live call. Model work runs in engine-owned executors, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from core.audio import AudioFrame, resample
from core.dialogue.conversation import BotTurn, Conversation
from core.dialogue.table import State
from core.dialogue.unsure import Hearing
from core.events import (
    BotSaid,
    CallFinished,
    EngineChanged,
    ErrorKind,
    FinalTranscript,
    PartialTranscript,
    PromptAudio,
    SessionError,
    SessionEvent,
    SpeechStarted,
    SpeechStopped,
    StateChanged,
    StopPlayback,
    TurnEnded,
    TurnEndReason,
)
from core.record import CallRecord
from core.speech import engine as speech
from core.speech.context import QuestionContext
from core.speech.engine import Expectation, Listener, SpeechEngine, TurnSettings
from core.understanding.types import Intent, Question, Understanding

__all__ = ["Session", "TurnSettings"]

_TICK = 0.05
_PLAYBACK_SLACK = 2.0
"""A prompt counts as played this long after its audio should have ended, if no front end said so."""
LAST_ANSWER_WAIT = 3.0
"""How long `end_input` waits for the recogniser to finish the caller's last answer."""


class Session:
    """One call: the dialogue, a listener on the shared engine, prompt playback, timers and the record."""

    def __init__(
        self,
        engine: SpeechEngine,
        conversation: Conversation,
        settings: TurnSettings | None = None,
        *,
        input_rate: int,
        context: QuestionContext,
        output_rate: int | None = None,
    ) -> None:
        """`input_rate`: caller audio rate; `output_rate`: prompt audio rate (default: the voice's own);
        `context`: per-question recognition context and answer checks (shareable across calls)."""
        self.engine = engine
        self.conversation = conversation
        self.settings = settings or TurnSettings()
        self.input_rate = input_rate
        self.output_rate = output_rate or engine.voice.sample_rate
        self._context = context
        self._listener: Listener = engine.open_listener(input_rate, self.settings)
        self._events: asyncio.Queue[SessionEvent | None] = asyncio.Queue()
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._speaking: asyncio.Task[None] | None = None
        self._t0 = time.monotonic()
        self._skew = 0.0
        self._audio_in = 0.0
        self._listener_in = 0.0
        self._prompt_id = 0
        self._playing: int | None = None
        self._playing_closing = False
        self._play_started = 0.0
        self._play_until: float | None = None
        self._listening_since: float | None = None
        self._speech_since: float | None = None
        self._latency_anchor: float | None = None
        self._expectation: Expectation | None = None
        self._replied = asyncio.Event()
        self._latencies: dict[int, float] = {}
        self._finished = False

    # --- front-end API -------------------------------------------------------------------------

    async def start(self) -> None:
        """Greet and ask the first question; starts the session's background tasks."""
        self._t0 = time.monotonic()
        self._emit(EngineChanged(self.engine.name))
        self._spawn(self._pump_listener())
        self._spawn(self._tick())
        async with self._lock:
            await self._say(self.conversation.start())

    async def events(self) -> AsyncIterator[SessionEvent]:
        """Every event in order; ends after CallFinished."""
        while True:
            event = await self._events.get()
            if event is None:
                return
            yield event

    async def push_audio(self, frame: AudioFrame) -> None:
        """Caller audio at `input_rate`, in order; returns quickly (recognition runs in the background)."""
        if self._finished:
            return
        if frame.sample_rate != self.input_rate:
            got = f"expected {self.input_rate} Hz caller audio, got {frame.sample_rate} Hz"
            self._emit(SessionError(ErrorKind.AUDIO, got))
            return
        self._audio_in += frame.duration
        now = self.now()
        if self._audio_in > now:
            self._skew += self._audio_in - now
        if self.settings.half_duplex and self._playing is not None:
            return
        self._listener_in += frame.duration
        await self._listener.push(frame)
        await self._check_timers()

    async def push_text(self, text: str) -> None:
        """A typed reply or keypad digits: answers the current question at once, like a spoken turn."""
        if self._finished or not self.conversation.awaiting_reply:
            return
        self._listener.reset()
        self._latency_anchor = self.now()
        await self._handle_reply(text, None, (), TurnEndReason.TYPED)

    async def end_input(self, wait: float = LAST_ANSWER_WAIT) -> None:
        """The caller's audio has ended (they hung up): a turn with speech in it ends now instead of
        waiting for silence, and is handled as their reply; returns once it is, or after `wait` s."""
        if self._finished or not self.conversation.awaiting_reply:
            return
        self._replied.clear()
        if not self._listener.end_input():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._replied.wait(), wait)

    def note(self, text: str) -> None:
        """A line for the call record's notes (provider status, device trouble, how the call ended)."""
        self.conversation.record.notes.append(text)

    def playback_finished(self, prompt_id: int) -> None:
        """The front end finished playing prompt `prompt_id` (Twilio mark, kiosk speaker drained)."""
        if prompt_id != self._playing:
            return
        self._playback_done()

    async def hang_up(self) -> None:
        """The caller left: the call ends incomplete (or as decided, if the goodbye was playing)."""
        if self._finished:
            return
        async with self._lock:
            self._cancel_speaking()
            self.conversation.hang_up()
            await self._finish()

    async def aclose(self) -> None:
        """Stop background work (after CallFinished, or to abandon the session)."""
        self._cancel_speaking()
        for task in list(self._tasks):
            if task is not asyncio.current_task():
                task.cancel()
        await self._listener.aclose()

    def now(self) -> float:
        """Seconds on the session clock (see the module docstring)."""
        return time.monotonic() - self._t0 + self._skew

    @property
    def caller_paused(self) -> bool:
        """The caller spoke and went quiet and the turn has not ended: simulators feed in real time now."""
        return self._listener.paused

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def state(self) -> State:
        """Where the dialogue stands (a checkpoint stores it, so another instance can resume the call)."""
        return self.conversation.state

    @property
    def reading_back(self) -> bool:
        """The bot read an answer back and waits for a yes or no (the keypad's 1 and 2 mean that then)."""
        return self.conversation.reading_back

    @property
    def read_back(self) -> tuple[str, object] | None:
        """What the bot is reading back: (slot, value heard) as in `CallRecord.confirmations`, else None."""
        return self.conversation.read_back

    @property
    def question(self) -> Question | None:
        """The question the caller's next reply answers (None once the dialogue is over)."""
        return self.conversation.question

    @property
    def awaiting_reply(self) -> bool:
        return self.conversation.awaiting_reply

    @property
    def record(self) -> CallRecord:
        """The call's record as it stands (final after CallFinished)."""
        return self.conversation.record

    def reply_latency_ms(self, prompt_id: int) -> float | None:
        """End of the caller's reply to the first audio of prompt `prompt_id` (the answer to it), if measured."""
        return self._latencies.get(prompt_id)

    def close_record(self) -> CallRecord:
        """End the record without the session's tasks (the session never started, or would not stop):
        incomplete unless already decided."""
        if not self.conversation.finished:
            self.conversation.hang_up()
        return self.conversation.close()

    # --- listener events -----------------------------------------------------------------------

    async def _pump_listener(self) -> None:
        async for event in self._listener.events():
            if self._finished:
                return
            try:
                await self._on_listener_event(event)
            except Exception as exc:  # keep the call alive; the front end logs it
                self._emit(SessionError(ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}"))

    async def _on_listener_event(self, event: speech.ListenerEvent) -> None:
        match event:
            case speech.SpeechStarted():
                self._speech_since = self.now()
                self._listening_since = None
                self._emit(SpeechStarted(self._speech_since))
            case speech.SpeechStopped():
                self._speech_since = None
                self._emit(SpeechStopped(self.now()))
            case speech.PartialText(text):
                self._emit(PartialTranscript(text))
            case speech.EngineSwitched(name, note):
                self.note(note)
                self._emit(EngineChanged(name))
            case speech.RecognitionFailed(message):
                self._emit(SessionError(ErrorKind.RECOGNITION, message))
            case speech.FinalText(text, confidence, alternatives, speech_end, reason, other_look, injected):
                self._speech_since = None
                self._emit(FinalTranscript(text, confidence, alternatives))
                behind = max(0.0, self._listener_in - speech_end)
                self._latency_anchor = self.now() - behind
                async with self._lock:
                    if not self.conversation.awaiting_reply or self._finished:
                        self._replied.set()
                        return
                    if self._playing is not None and not self._usable(text, alternatives):
                        return  # a cough or echo over a prompt is not a reply
                    hearing = Hearing(confidence, other_look, injected)
                    await self._handle_reply(text, confidence, alternatives, TurnEndReason(reason), hearing)

    # --- turns ---------------------------------------------------------------------------------

    async def _handle_reply(
        self,
        text: str,
        confidence: float | None,
        alternatives: tuple[str, ...],
        reason: TurnEndReason,
        hearing: Hearing | None = None,
    ) -> None:
        """`hearing`: what the recogniser knows of a spoken reply (None for typed text and silence)."""
        if self._playing is not None:
            self._stop_playback()
        heard = self._understood(text, alternatives)
        assert heard is not None, "replies are handled only while one is awaited"
        self._emit(TurnEnded(text, reason, self.now()))
        await self._say(self.conversation.reply_understood(text, heard, asr_confidence=confidence, hearing=hearing))
        self._replied.set()

    def _understood(self, text: str, alternatives: tuple[str, ...]) -> Understanding | None:
        """Understanding of the first reading that answers (transcript first); None when no reply is due."""
        question = self.conversation.question
        if question is None:
            return None
        first = self._context.understand(question, text)
        if first.intent is Intent.ANSWER:
            return first
        for alternative in alternatives:
            heard = self._context.understand(question, alternative)
            if heard.intent is Intent.ANSWER:
                return heard
        return first

    def _usable(self, text: str, alternatives: tuple[str, ...]) -> bool:
        heard = self._understood(text, alternatives)
        return heard is not None and heard.intent is not Intent.UNUSABLE

    async def _say(self, turn: BotTurn) -> None:
        """Announce a bot turn and start speaking it; the recogniser is primed for the reply."""
        self._emit(StateChanged(turn.edges, turn.state, tuple(self.conversation.record.path)))
        question = self.conversation.question
        confirming = self.conversation.reading_back
        self._expectation = self._context.expect(question, confirming=confirming) if question else None
        self._listener.set_question(question, self._expectation)
        self._listening_since = None
        self._prompt_id += 1
        self._playing = self._prompt_id
        self._playing_closing = turn.closing
        self._play_started = self.now()
        self._play_until = None
        if self.settings.half_duplex:
            self._listener.reset()
        self._emit(BotSaid(turn.text, self._prompt_id, turn.closing))
        self._speaking = self._spawn(self._speak(turn.text, self._prompt_id))

    async def _speak(self, text: str, prompt_id: int) -> None:
        total = 0.0
        try:
            async for chunk in self.engine.voice.speak(text):
                out = resample(chunk, self.output_rate)
                if total == 0.0 and len(out) and self._latency_anchor is not None:
                    latency_ms = (self.now() - self._latency_anchor) * 1000.0
                    self.conversation.note_latency(latency_ms)
                    self._latencies[prompt_id] = latency_ms
                    self._latency_anchor = None
                total += out.duration
                self._emit(PromptAudio(out, prompt_id, last=False))
        except Exception as exc:
            self._emit(SessionError(ErrorKind.ENGINE, f"cannot speak the prompt: {type(exc).__name__}: {exc}"))
        self._emit(PromptAudio(AudioFrame.silence(0, self.output_rate), prompt_id, last=True))
        if self._playing == prompt_id:
            self._play_until = self._play_started + total + _PLAYBACK_SLACK

    def _stop_playback(self) -> None:
        """Barge-in or an early reply: stop the prompt now playing and note it in the record."""
        if self._playing is None:
            return
        prompt_id = self._playing
        self._cancel_speaking()
        self._playing = None
        self.conversation.note_barge_in()
        self._emit(StopPlayback(prompt_id))

    def _playback_done(self) -> None:
        self._playing = None
        self._play_until = None
        if self._playing_closing:
            self._spawn(self._finish_locked())
        elif self._speech_since is None:
            self._listening_since = self.now()

    async def _finish_locked(self) -> None:
        async with self._lock:
            await self._finish()

    async def _finish(self) -> None:
        if self._finished:
            return
        record = self.conversation.close()
        if self.conversation.closing_edges:
            edges = self.conversation.closing_edges
            self._emit(StateChanged(edges, self.conversation.state, tuple(record.path)))
        self._finished = True
        self._emit(CallFinished(record))
        self._events.put_nowait(None)
        self._cancel_speaking()
        await self._listener.aclose()

    # --- timers --------------------------------------------------------------------------------

    async def _tick(self) -> None:
        while not self._finished:
            await asyncio.sleep(_TICK)
            await self._check_timers()

    async def _check_timers(self) -> None:
        if self._finished:
            return
        now = self.now()
        if self._playing is not None:
            if self._play_until is not None and now >= self._play_until:
                self._playback_done()
            elif self._barge_in_due(now):
                async with self._lock:
                    if self._playing is not None and self._barge_in_due(self.now()):
                        self._stop_playback()
                        self._listening_since = None
            return
        since = self._listening_since
        if since is None or now - since < self.settings.no_input_timeout:
            return
        async with self._lock:
            if self._listening_since != since or not self.conversation.awaiting_reply:
                return
            self._listening_since = None
            self._listener.reset()
            await self._handle_reply("", None, (), TurnEndReason.NO_INPUT)

    def _barge_in_due(self, now: float) -> bool:
        """Sustained speech over an interruptible prompt, not counting its first moments."""
        if self._speech_since is None or self._playing_closing or self.settings.half_duplex:
            return False
        counted_from = max(self._speech_since, self._play_started + self.settings.barge_in_grace)
        return now - counted_from >= self.settings.barge_in_min_speech

    # --- plumbing ------------------------------------------------------------------------------

    def _emit(self, event: SessionEvent) -> None:
        if not self._finished or isinstance(event, CallFinished):
            self._events.put_nowait(event)

    def _spawn(self, coro: object) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _cancel_speaking(self) -> None:
        if self._speaking is not None and self._speaking is not asyncio.current_task():
            self._speaking.cancel()
        self._speaking = None
