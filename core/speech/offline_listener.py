"""One call's offline recogniser: Silero VAD, endpointing and speculative Whisper decodes.

Whisper costs ~340 ms whatever the clip, so waiting for the full end-of-turn silence and only then
decoding would put every reply near a second. Instead the decode starts the moment the caller goes
quiet; by the time ~0.4 s of silence has passed the text is there, and a complete, confident answer
("yes", "Mumbai", "forty thousand") ends the turn at once. Anything else waits for the configured
silence, longer when the caller stopped mid-number. New speech makes a running decode stale.

VAD opens after 2 speech windows (64 ms), so a 0.3 s "Yes." always opens a turn.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from concurrent.futures import Executor
from decimal import Decimal

import numpy as np

from core.audio import AudioFrame, StreamResampler
from core.speech.engine import (
    Expectation,
    FinalText,
    ListenerEvent,
    PartialText,
    SpeechStarted,
    SpeechStopped,
    TurnSettings,
)
from core.speech.recognizer import Transcript, WhisperRecognizer
from core.speech.vad import RATE, WINDOW, SileroModel
from core.speech.vocabulary import corrections
from core.understanding.numbers import find_numbers
from core.understanding.text import normalise, tokens_of
from core.understanding.types import Question

WINDOW_SECONDS = WINDOW / RATE
START_WINDOWS = 2
"""Consecutive speech windows that open speech (64 ms)."""
SOFT_START_WINDOWS = 4
"""Consecutive windows above the closing threshold that also open speech (128 ms): band-limited phone
speech often scores 0.3-0.45 for a whole word ("sixty" in "sixty six thousand")."""
STOP_WINDOWS = 2
"""Consecutive quiet windows that close it (64 ms): the speculative decode starts here."""
PREROLL_WINDOWS = 32
"""Audio kept from before speech opened (1 s): on phone audio the VAD can open a word or two late."""
CLOSE_MARGIN = 0.15
"""Speech closes below threshold - margin (hysteresis against flicker)."""
UNSURE_DECODE = 0.6
"""Decoder confidence (exp of the mean token log-probability) below which even a complete answer gets a
second look: misheard amounts ("twenty-five thousand" for "ninety-four thousand") decode at 0.55-0.6,
clear answers mostly above 0.7."""


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
        self._open_at = vad_threshold
        self._close_at = vad_threshold - CLOSE_MARGIN
        self._resampler = StreamResampler(sample_rate, RATE)
        self._pending = np.zeros(0, np.float32)
        self._queue: asyncio.Queue[ListenerEvent | None] = asyncio.Queue()
        self._question: Question | None = None
        self._expected: Expectation | None = None
        self._input_time = 0.0
        self._window_time = 0.0
        self._closed = False
        self._future: asyncio.Future[Transcript] | None = None
        self._new_turn()

    # --- Listener API --------------------------------------------------------------------------

    def set_question(self, question: Question | None, expected: Expectation | None) -> None:
        self._question = question
        self._expected = expected

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

    @property
    def paused(self) -> bool:
        return self._had_speech and not self._in_speech

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._version += 1
            self._queue.put_nowait(None)

    # --- turn state ----------------------------------------------------------------------------

    def _new_turn(self) -> None:
        self._version = getattr(self, "_version", 0) + 1
        self._preroll: deque[np.ndarray] = deque(maxlen=PREROLL_WINDOWS)
        self._audio: list[np.ndarray] = []
        self._had_speech = False
        self._in_speech = False
        self._run = 0
        self._soft_run = 0
        self._quiet = 0
        self._stirring = False
        self._turn_start = 0.0
        self._speech_end = 0.0
        self._spec: Transcript | None = None
        self._others: tuple[str, ...] = ()
        self._other_look = ""
        self._looked_twice = False
        self._spec_complete = False
        self._spec_more = False
        self._decoding: int | None = None
        self._finishing = False

    def _on_window(self, window: np.ndarray) -> None:
        prob = self._vad.probability(window)
        if self._finishing:
            self._preroll.append(window)  # audio after the turn's end belongs to the next turn
            return
        if not self._in_speech:
            self._run = self._run + 1 if prob >= self._open_at else 0
            self._soft_run = self._soft_run + 1 if prob >= self._close_at else 0
            self._stirring = prob >= self._close_at
            if self._had_speech:
                self._audio.append(window)
            else:
                self._preroll.append(window)
            if self._run >= START_WINDOWS or self._soft_run >= SOFT_START_WINDOWS:
                self._open_speech(self._soft_run if self._run < START_WINDOWS else START_WINDOWS)
            elif self._had_speech:
                self._maybe_finish()
            return
        self._audio.append(window)
        if prob >= self._close_at:
            self._quiet = 0
            self._speech_end = self._window_time
        else:
            self._quiet += 1
            if self._quiet >= STOP_WINDOWS:
                self._in_speech = False
                self._run = 0
                self._soft_run = 0
                self._stirring = False
                self._emit(SpeechStopped(self._to_input_time(self._speech_end)))
                self._start_decode()
        if self._window_time - self._turn_start >= self._turn_settings.max_turn:
            self._in_speech = False
            self._finish_with_decode("max_turn")

    def _open_speech(self, windows: int) -> None:
        """Speech began `windows` windows ago."""
        self._in_speech = True
        self._quiet = 0
        self._speech_end = self._window_time
        self._version += 1  # any decode running now is stale
        self._spec = None
        self._looked_twice = False
        self._decoding = None
        if not self._had_speech:
            self._had_speech = True
            self._turn_start = self._window_time - windows * WINDOW_SECONDS
            self._audio = list(self._preroll)
            self._preroll.clear()
        self._emit(SpeechStarted(self._to_input_time(self._window_time - windows * WINDOW_SECONDS)))

    def _maybe_finish(self) -> None:
        """In a pause after speech: end the turn when the text and the silence allow it."""
        if self._question is None:
            if self._silence() >= self._turn_settings.end_of_turn_silence:
                self._new_turn()  # nobody asked: speech over a closing prompt only mattered for barge-in
            return
        if self._decoding is not None or self._stirring:
            return  # the text (or its second look) is on its way, or the caller may be starting again
        if self._spec is None:
            self._start_decode()
            return
        silence = self._silence()
        settings = self._turn_settings
        if self._needs_second_look():
            # a complete answer (decoded unsurely) is likely the whole reply: look again at once; anything
            # else only once the pause is likely the real end, not a breath mid-sentence
            if self._spec_complete or silence >= settings.early_end_silence:
                self._start_decode(full=True)
            return
        if self._spec_complete and silence >= settings.early_end_silence:
            self._finish("early")
        elif silence >= (settings.mid_number_silence if self._spec_more else settings.end_of_turn_silence):
            self._finish("silence")

    def _silence(self) -> float:
        return self._window_time - self._speech_end

    # --- decoding ------------------------------------------------------------------------------

    def _start_decode(self, *, full: bool = False, then_finish: str | None = None) -> None:
        """Decode the turn so far in the background; `full` is the slower second look (30 s window)."""
        if self._question is None:
            return
        version = self._version
        audio = np.concatenate(self._audio) if self._audio else np.zeros(0, np.float32)
        prompt = self._expected.prompt if self._expected else None
        self._decoding = version
        if self._future is not None and not full:
            self._future.cancel()  # a stale decode that has not started yet is never run
        decode = self._recognizer.transcribe_full if full else self._recognizer.transcribe
        future = asyncio.get_running_loop().run_in_executor(self._executor, decode, audio, prompt)
        future.add_done_callback(lambda done: self._decoded(done, version, full, then_finish))
        self._future = future

    def _decoded(self, done: asyncio.Future[Transcript], version: int, full: bool, then_finish: str | None) -> None:
        if self._decoding == version:
            self._decoding = None
        if done is self._future:
            self._future = None
        if version != self._version or self._closed or done.cancelled():
            return
        transcript = Transcript("", None, 1.0) if done.exception() is not None else done.result()
        self._take(transcript, full)
        if then_finish is not None and self._needs_second_look():
            self._start_decode(full=True, then_finish=then_finish)
        elif then_finish is not None:
            self._finish(then_finish)
        elif not self._in_speech:
            self._maybe_finish()

    def _take(self, transcript: Transcript, full: bool) -> None:
        """Adopt a decode; after a second look the better reading of the two looks leads (`_choose`) and
        the other look's reading becomes an alternative."""
        expected = self._expected
        first = self._spec if full else None
        if first is not None and first.text:
            chosen = self._choose(first, transcript)
            other = first.text if chosen.text != first.text else transcript.text
            transcript = chosen
        else:
            other = first.text if first is not None else ""
        self._spec = transcript
        self._others = (other,) if other and other != transcript.text else ()
        self._other_look = self._others[0] if full and self._others else ""
        self._looked_twice = full
        self._spec_more = bool(expected and expected.expects_more and expected.expects_more(transcript.text))
        self._spec_complete = self._kind(transcript.text)[1]
        if transcript.text:
            self._emit(PartialText(transcript.text))

    def _answers(self, text: str) -> bool:
        expected = self._expected
        return expected is None or expected.is_answer is None or expected.is_answer(text)

    def _kind(self, text: str) -> tuple[bool, bool]:
        """(an answer, a complete one): how good a reading is before its confidence counts."""
        expected = self._expected
        complete = bool(text and expected and expected.is_complete and expected.is_complete(text))
        return self._answers(text), complete

    def _rank(self, transcript: Transcript) -> tuple[bool, bool, float]:
        return *self._kind(transcript.text), transcript.confidence or 0.0

    def _choose(self, first: Transcript, second: Transcript) -> Transcript:
        """The surer of two looks: an answer, then a complete one, then the decoder's confidence (the
        second look on a tie). At the salary question the readings of the best kind (complete answers
        if any) vote on the amount: the first look with its confidence, the second with the best
        confidence of each amount among its beam's readings
        (near-duplicate beam readings count once), so one odd reading ("Family three thousand") loses
        to two looks that agree ("73,000", "70, 3,000"); amounts are compared as numbers, so wording
        does not split the vote. Elsewhere only the two best readings compete: a lower beam reading that
        happens to name a served city must not win over what was mostly heard."""
        if self._question is Question.SALARY:
            beam = [second, *(Transcript(text, score, 0.0) for text, score in second.others)]
            best = max(self._kind(reading.text) for reading in [*beam, first])
            if best[0]:
                return self._vote(first, [reading for reading in beam if self._kind(reading.text) == best], best)
        return first if self._rank(first) > self._rank(second) else second

    def _vote(self, first: Transcript, beam: list[Transcript], kind: tuple[bool, bool]) -> Transcript:
        """The amount with the most confidence behind it (see `_choose`), and its surest reading."""
        votes: dict[tuple[Decimal, ...], float] = {}
        for reading in beam:
            amounts = heard_amounts(reading.text)
            votes[amounts] = max(votes.get(amounts, 0.0), reading.confidence or 0.0)
        voters = beam
        if self._kind(first.text) == kind:
            amounts = heard_amounts(first.text)
            votes[amounts] = votes.get(amounts, 0.0) + (first.confidence or 0.0)
            voters = [*beam, first]
        winner = max(votes, key=lambda amounts: votes[amounts])  # the second look's best on a tie
        return max((r for r in voters if heard_amounts(r.text) == winner), key=self._rank)

    def _needs_second_look(self) -> bool:
        """Speech was heard but the fast reading is no answer, or an unsure one (not a complete answer, or
        decoded with low confidence) that is not waiting for the rest of a number: the slower, surer
        second look often hears it right. Confident answers, the common case, never pay for it."""
        spec = self._spec
        if spec is None or self._looked_twice:
            return False
        if not self._answers(spec.text):
            return True
        unsure = not self._spec_complete or (spec.confidence or 0.0) < UNSURE_DECODE
        return unsure and not self._spec_more

    def _finish_with_decode(self, reason: str) -> None:
        self._version += 1
        self._finishing = True
        self._spec = None
        self._start_decode(then_finish=reason)

    def _finish(self, reason: str) -> None:
        """End the turn with the current reading; alternatives add vocabulary corrections."""
        transcript = self._spec or Transcript("", None, 1.0)
        expected = self._expected
        readings = (transcript.text, *self._others)
        fixed = [alt for text in readings if text and expected for alt in corrections(text, expected.vocabulary)]
        alternatives = tuple(dict.fromkeys([*self._others, *fixed]))
        speech_end = self._to_input_time(self._speech_end)
        leftover = list(self._preroll) if self._finishing else []
        self._emit(
            FinalText(
                transcript.text,
                transcript.confidence,
                alternatives,
                speech_end,
                reason,
                other_look=self._other_look,
                injected=bool(transcript.injected),
            )
        )
        self._new_turn()
        self._preroll.extend(leftover)

    # --- plumbing ------------------------------------------------------------------------------

    def _to_input_time(self, window_time: float) -> float:
        """A time on the 16 kHz window clock as seconds of input audio (resampler delay, partial window)."""
        return window_time + (self._input_time - self._window_time)

    def _emit(self, event: ListenerEvent) -> None:
        if not self._closed:
            self._queue.put_nowait(event)


def heard_amounts(text: str) -> tuple[Decimal, ...]:
    """The numbers a reading says ("73,000." and "seventy-three thousand" agree), for voting on an amount."""
    return tuple(number.value for number in find_numbers(tokens_of(normalise(text))))
