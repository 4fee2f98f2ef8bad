"""One call's offline recogniser: Silero VAD, endpointing and speculative Whisper decodes.

Whisper costs ~340 ms whatever the clip, so waiting for the full end-of-turn silence and only then
decoding would put every reply near a second. Instead the decode starts the moment the caller goes
quiet; by the time ~0.4 s of silence has passed the text is there, and a complete, confident answer
("yes", "Mumbai", "forty thousand") ends the turn at once. Anything else waits for the configured
silence, longer when the caller stopped mid-number. New speech makes a running decode stale.

Where speech starts and stops is the pure `Endpointer`'s job; which reading leads is `Readings`';
this class moves audio and runs the decodes.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from concurrent.futures import Executor

import numpy as np

from core.audio import AudioFrame, StreamResampler
from core.events import TurnEndReason
from core.speech.endpointer import Decision, Endpointer
from core.speech.engine import (
    Expectation,
    FinalText,
    ListenerEvent,
    PartialText,
    RecognitionFailed,
    SpeechStarted,
    SpeechStopped,
    TurnSettings,
)
from core.speech.readings import Readings
from core.speech.recognizer import Transcript, WhisperRecognizer
from core.speech.vad import RATE, WINDOW, SileroModel
from core.understanding.types import Question

log = logging.getLogger("quickrupee.speech")

WINDOW_SECONDS = WINDOW / RATE
PREROLL_WINDOWS = 32
"""Audio kept from before speech opened (1 s): on phone audio the VAD can open a word or two late."""


class OfflineListener:
    """Listener (core/speech/engine.py) running on the offline engine's shared models."""

    def __init__(
        self,
        sample_rate: int,
        turn: TurnSettings,
        vad: SileroModel,
        recognizer: WhisperRecognizer,
        executor: Executor,
        vad_threshold: float,
    ) -> None:
        self.sample_rate = sample_rate
        self._turn_settings = turn
        self._vad = vad.stream()
        self._recognizer = recognizer
        self._executor = executor
        self._resampler = StreamResampler(sample_rate, RATE)
        self._pending = np.zeros(0, np.float32)
        self._queue: asyncio.Queue[ListenerEvent | None] = asyncio.Queue()
        self._question: Question | None = None
        self._input_time = 0.0
        self._window_time = 0.0
        self._closed = False
        self._future: asyncio.Future[Transcript] | None = None
        self._speech = Endpointer(vad_threshold, WINDOW_SECONDS, turn.max_turn)
        self._readings = Readings()
        self._version = 0
        """Bumped whenever running decodes become stale (new speech, a new turn)."""
        self._preroll: deque[np.ndarray] = deque(maxlen=PREROLL_WINDOWS)
        self._audio: list[np.ndarray] = []
        self._decoding: int | None = None
        self._finishing = False
        self._input_ended = False
        self._new_turn()

    # --- Listener API --------------------------------------------------------------------------

    def set_question(self, question: Question | None, expected: Expectation | None) -> None:
        self._question = question
        self._readings.expected = expected

    async def push(self, frame: AudioFrame) -> None:
        if self._closed:
            return
        self._input_time += frame.duration
        audio = self._resampler.process(frame).to_float32()
        self._pending = np.concatenate([self._pending, audio]) if self._pending.size else audio
        while self._pending.size >= WINDOW:
            window, self._pending = self._pending[:WINDOW], self._pending[WINDOW:]
            self._window_time += WINDOW_SECONDS
            self._on_window(window)

    async def events(self) -> AsyncIterator[ListenerEvent]:
        while True:
            event = await self._queue.get()
            if event is None:
                return
            yield event

    def reset(self) -> None:
        self._new_turn()

    def end_input(self) -> bool:
        """No silence will come: end the turn as soon as its text is there, reusing a decode in flight."""
        if self._closed or self._question is None or not self._speech.had_speech:
            return False
        if not self._finishing:
            self._input_ended = True
            self._speech.cut_off()
            self._maybe_finish()
        return True

    @property
    def paused(self) -> bool:
        return self._speech.paused

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._version += 1
            self._queue.put_nowait(None)

    # --- turn state ----------------------------------------------------------------------------

    def _new_turn(self) -> None:
        self._version += 1
        self._preroll.clear()
        self._audio = []
        self._speech.reset()
        self._readings.clear()
        self._decoding = None
        self._finishing = False
        self._input_ended = False

    def _on_window(self, window: np.ndarray) -> None:
        prob = self._vad.probability(window)
        if self._finishing:
            self._preroll.append(window)  # audio after the turn's end belongs to the next turn
            return
        speech = self._speech
        if speech.had_speech:
            self._audio.append(window)
        else:
            self._preroll.append(window)
        for decision in speech.step(self._window_time, prob):
            match decision:
                case Decision.OPENED:
                    self._open_speech()
                case Decision.PAUSED:
                    self._maybe_finish()
                case Decision.CLOSED:
                    self._emit(SpeechStopped(self._to_input_time(speech.speech_end)))
                    self._start_decode()
                case Decision.MAX_TURN:
                    self._finish_with_decode(TurnEndReason.MAX_TURN)

    def _open_speech(self) -> None:
        """Speech began (or resumed): running decodes are stale."""
        self._version += 1
        self._readings.clear()
        self._decoding = None
        if not self._audio:  # the turn's first speech: the pre-roll is its start
            self._audio = list(self._preroll)
            self._preroll.clear()
        self._emit(SpeechStarted(self._to_input_time(self._speech.opened_at)))

    def _maybe_finish(self) -> None:
        """In a pause after speech: end the turn when the text and the silence allow it."""
        silence = self._speech.silence
        settings = self._turn_settings
        if self._question is None:
            if silence >= settings.end_of_turn_silence:
                self._new_turn()  # nobody asked: speech over a closing prompt only mattered for barge-in
            return
        if self._decoding is not None or (self._speech.stirring and not self._input_ended):
            return  # the text (or its second look) is on its way, or the caller may be starting again
        readings = self._readings
        if readings.lead is None:
            self._start_decode()
            return
        if self._input_ended:  # no more audio: the text decides alone, silence never comes
            if readings.needs_second_look():
                self._start_decode(full=True)
            else:
                self._finish(TurnEndReason.END_OF_INPUT)
            return
        if readings.needs_second_look():
            # a complete answer (decoded unsurely) is likely the whole reply: look again at once; anything
            # else only once the pause is likely the real end, not a breath mid-sentence
            if readings.complete or silence >= settings.early_end_silence:
                self._start_decode(full=True)
            return
        if readings.complete and silence >= settings.early_end_silence:
            self._finish(TurnEndReason.EARLY)
        elif silence >= (settings.mid_number_silence if readings.expects_more else settings.end_of_turn_silence):
            self._finish(TurnEndReason.SILENCE)

    # --- decoding ------------------------------------------------------------------------------

    def _start_decode(self, *, full: bool = False, then_finish: TurnEndReason | None = None) -> None:
        """Decode the turn so far in the background; `full` is the slower second look (30 s window)."""
        if self._question is None:
            return
        version = self._version
        audio = np.concatenate(self._audio) if self._audio else np.zeros(0, np.float32)
        expected = self._readings.expected
        prompt = expected.prompt if expected else None
        self._decoding = version
        if self._future is not None and not full:
            self._future.cancel()  # a stale decode that has not started yet is never run
        decode = self._recognizer.transcribe_full if full else self._recognizer.transcribe
        future = asyncio.get_running_loop().run_in_executor(self._executor, decode, audio, prompt)
        future.add_done_callback(lambda done: self._decoded(done, version, full, then_finish))
        self._future = future

    def _decoded(
        self, done: asyncio.Future[Transcript], version: int, full: bool, then_finish: TurnEndReason | None
    ) -> None:
        if self._decoding == version:
            self._decoding = None
        if done is self._future:
            self._future = None
        if version != self._version or self._closed or done.cancelled():
            return
        error = done.exception()
        if error is not None:  # the turn counts as unheard; the session reports it and the call goes on
            log.error("decoding a caller turn failed", exc_info=error)
            self._emit(RecognitionFailed(f"cannot decode the caller's turn: {type(error).__name__}: {error}"))
        transcript = Transcript("", None, 1.0) if error is not None else done.result()
        lead = self._readings.take(transcript, full=full)
        if lead.text:
            self._emit(PartialText(lead.text))
        if then_finish is not None and self._readings.needs_second_look():
            self._start_decode(full=True, then_finish=then_finish)
        elif then_finish is not None:
            self._finish(then_finish)
        elif not self._speech.in_speech:
            self._maybe_finish()

    def _finish_with_decode(self, reason: TurnEndReason) -> None:
        self._version += 1
        self._finishing = True
        self._readings.clear()
        self._start_decode(then_finish=reason)

    def _finish(self, reason: TurnEndReason) -> None:
        """End the turn with the leading reading; alternatives add vocabulary corrections."""
        transcript, alternatives = self._readings.final()
        speech_end = self._to_input_time(self._speech.speech_end)
        leftover = list(self._preroll) if self._finishing else []
        text, confidence, injected = transcript.text, transcript.confidence, bool(transcript.injected)
        self._emit(FinalText(text, confidence, alternatives, speech_end, reason, self._readings.other_look, injected))
        self._new_turn()
        self._preroll.extend(leftover)

    # --- plumbing ------------------------------------------------------------------------------

    def _to_input_time(self, window_time: float) -> float:
        """A time on the 16 kHz window clock as seconds of input audio (resampler delay, partial window)."""
        return window_time + (self._input_time - self._window_time)

    def _emit(self, event: ListenerEvent) -> None:
        if not self._closed:
            self._queue.put_nowait(event)
