"""A speech engine for call-flow tests: scripted readings instead of Whisper, tones instead of Piper.

Everything around the models stays real: the Session, its timers, the dialogue, the bridge or kiosk
wiring. The listener finds speech by level with the real pure `Endpointer`, so turns begin and end on
audio time (pushed samples), never on the wall clock: a test pushes a second of tone and a second of
silence in microseconds and the turn ends exactly as it would live. Each turn that held speech is
"heard" as the next `Reading` of the script (text, confidence, and how long its decode takes).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

import numpy as np

from core.audio import AudioFrame
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
from core.understanding.types import Question

WINDOW_S = 0.02
SPEECH_RMS = 500.0
"""Windows louder than this (int16 RMS) count as speech."""
TONE_HZ = 440.0


@dataclass(frozen=True, slots=True)
class Reading:
    """What the scripted recogniser hears for one turn."""

    text: str
    confidence: float = 0.9
    decode_s: float = 0.0
    """Wall time the 'decode' takes (0: the turn ends within the push that completed it)."""
    fails: bool = False
    """The decode raises: the listener reports RecognitionFailed and the turn is heard as ""."""


def speech(seconds: float, rate: int) -> AudioFrame:
    """A caller 'speaking': a loud tone the level detector takes for speech."""
    t = np.arange(int(seconds * rate)) / rate
    return AudioFrame((np.sin(2 * np.pi * TONE_HZ * t) * 8000).astype(np.int16), rate)


class ToneVoice:
    """Speaks every sentence as a short tone (`seconds_per_char` of audio per character)."""

    name = "tones"

    def __init__(self, sample_rate: int = 16000, seconds_per_char: float = 0.002) -> None:
        self.sample_rate = sample_rate
        self.seconds_per_char = seconds_per_char
        self.spoken: list[str] = []

    async def speak(self, text: str) -> AsyncIterator[AudioFrame]:
        self.spoken.append(text)
        for sentence in (part for part in text.split(". ") if part):
            yield speech(max(0.02, len(sentence) * self.seconds_per_char), self.sample_rate)

    def warm(self, texts: Iterable[str]) -> int:
        return 0


class ScriptedListener:
    """Level-based endpointing on the real Endpointer; each turn is heard as the script's next reading."""

    def __init__(self, sample_rate: int, turn: TurnSettings, script: deque[Reading]) -> None:
        self.sample_rate = sample_rate
        self._turn = turn
        self._script = script
        self._speech = Endpointer(0.5, WINDOW_S, turn.max_turn)
        self._window = int(sample_rate * WINDOW_S)
        self._pending = np.zeros(0, np.int16)
        self._clock = 0.0
        self._question: Question | None = None
        self._events: asyncio.Queue[ListenerEvent | None] = asyncio.Queue()
        self._finishing = False
        self._closed = False
        self.heard: list[str] = []

    def set_question(self, question: Question | None, expected: Expectation | None) -> None:
        self._question = question

    async def push(self, frame: AudioFrame) -> None:
        samples = np.concatenate([self._pending, frame.samples]) if self._pending.size else frame.samples
        while samples.size >= self._window and not self._closed:
            window, samples = samples[: self._window], samples[self._window :]
            self._clock += WINDOW_S
            loud = float(np.sqrt(np.mean(np.square(window.astype(np.float64))))) >= SPEECH_RMS
            self._on_window(1.0 if loud else 0.0)
        self._pending = samples

    def _on_window(self, probability: float) -> None:
        if self._finishing:
            return
        for decision in self._speech.step(self._clock, probability):
            match decision:
                case Decision.OPENED:
                    self._emit(SpeechStarted(self._speech.opened_at))
                case Decision.CLOSED:
                    self._emit(SpeechStopped(self._speech.speech_end))
                case Decision.PAUSED:
                    if self._speech.silence >= self._turn.end_of_turn_silence:
                        self._finish(TurnEndReason.SILENCE)
                case Decision.MAX_TURN:
                    self._finish(TurnEndReason.MAX_TURN)

    def _finish(self, reason: TurnEndReason) -> None:
        if self._question is None:  # nobody asked: speech over a closing prompt only mattered for barge-in
            self._speech.reset()
            return
        self._finishing = True
        reading = self._script.popleft() if self._script else Reading("")
        if reading.decode_s:
            asyncio.get_running_loop().call_later(reading.decode_s, self._deliver, reading, reason)
        else:
            self._deliver(reading, reason)

    def _deliver(self, reading: Reading, reason: TurnEndReason) -> None:
        text = reading.text
        if reading.fails:
            self._emit(RecognitionFailed("cannot decode the caller's turn: scripted failure"))
            text = ""
        elif text:
            self._emit(PartialText(text))
        self.heard.append(text)
        self._emit(FinalText(text, reading.confidence if text else None, (), self._speech.speech_end, reason))
        self._speech.reset()
        self._finishing = False

    async def events(self) -> AsyncIterator[ListenerEvent]:
        while True:
            event = await self._events.get()
            if event is None:
                return
            yield event

    def reset(self) -> None:
        self._speech.reset()

    def end_input(self) -> bool:
        if self._closed or self._question is None or not self._speech.had_speech or self._finishing:
            return False
        self._finish(TurnEndReason.END_OF_INPUT)
        return True

    @property
    def paused(self) -> bool:
        return self._speech.paused

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._events.put_nowait(None)

    def _emit(self, event: ListenerEvent) -> None:
        if not self._closed:
            self._events.put_nowait(event)


class ScriptedEngine:
    """One script shared by the calls opened on it, in order (most tests open one call)."""

    def __init__(
        self, readings: Iterable[Reading | str] = (), *, voice_rate: int = 16000, seconds_per_char: float = 0.002
    ) -> None:
        self.name = "scripted"
        self.voice = ToneVoice(voice_rate, seconds_per_char)
        self.script: deque[Reading] = deque(r if isinstance(r, Reading) else Reading(r) for r in readings)
        self.listeners: list[ScriptedListener] = []

    def open_listener(self, sample_rate: int, turn: TurnSettings) -> ScriptedListener:
        listener = ScriptedListener(sample_rate, turn, self.script)
        self.listeners.append(listener)
        return listener

    async def aclose(self) -> None:
        """Nothing loaded."""
