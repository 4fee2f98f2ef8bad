"""Fail-over: a listener that continues the call on the offline engine when OpenAI stays unavailable.

It keeps the audio of the unfinished turn, so the offline recogniser hears the answer the caller was
giving when OpenAI went away: the caller notices a short pause, nothing more. It announces the switch
with an `EngineSwitched` event (the session adds `note` to CallRecord.notes and tells the front end).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

from core.audio import AudioFrame
from core.speech.engine import (
    EngineSwitched,
    Expectation,
    FinalText,
    Listener,
    ListenerEvent,
    SpeechStarted,
    SpeechStopped,
)
from core.speech.openai_realtime.errors import RealtimeUnavailable
from core.understanding.types import Question

log = logging.getLogger("quickrupee.openai")
MAX_REPLAY_S = 30.0


class FailoverListener:
    """Forwards to the primary listener; on RealtimeUnavailable, replays the turn into the fallback."""

    def __init__(
        self, primary: Listener, open_fallback: Callable[[], Listener], *, primary_name: str, fallback_name: str
    ) -> None:
        self.sample_rate = primary.sample_rate
        self._active: Listener | None = primary
        self._primary = primary
        self._open_fallback = open_fallback
        self._fallback: Listener | None = None
        self.primary_name, self.fallback_name = primary_name, fallback_name
        self.engine = primary_name
        self._question: Question | None = None
        self._expected: Expectation | None = None
        self._turn_audio: deque[tuple[float, AudioFrame]] = deque()
        self._pushed = 0.0
        self._offset = 0.0

    def set_question(self, question: Question | None, expected: Expectation | None) -> None:
        self._question, self._expected = question, expected
        if self._active is not None:
            self._active.set_question(question, expected)

    async def push(self, frame: AudioFrame) -> None:
        self._turn_audio.append((self._pushed, frame))
        self._pushed += frame.duration
        while self._turn_audio[0][0] < self._pushed - MAX_REPLAY_S:
            self._turn_audio.popleft()
        if self._active is not None:
            await self._active.push(frame)

    async def events(self) -> AsyncIterator[ListenerEvent]:
        try:
            async for event in self._primary.events():
                self._track(event)
                yield event
            return
        except RealtimeUnavailable as exc:
            note = f"speech engine fail-over: {self.primary_name} -> {self.fallback_name} ({exc})"
            log.warning("%s", note)
        fallback = await self._switch()
        yield EngineSwitched(self.fallback_name, note)
        async for event in fallback.events():
            shifted = _shift(event, self._offset)
            self._track(shifted)
            yield shifted

    def reset(self) -> None:
        self._turn_audio.clear()
        if self._active is not None:
            self._active.reset()

    def end_input(self) -> bool:
        return self._active.end_input() if self._active is not None else False

    @property
    def paused(self) -> bool:
        return self._active.paused if self._active is not None else True  # switching: pace in real time

    async def aclose(self) -> None:
        await self._primary.aclose()
        if self._fallback is not None:
            await self._fallback.aclose()

    def _track(self, event: ListenerEvent) -> None:
        """After a final transcript, only audio after its speech can belong to the next turn."""
        if isinstance(event, FinalText):
            while self._turn_audio and self._turn_audio[0][0] + self._turn_audio[0][1].duration <= event.speech_end:
                self._turn_audio.popleft()

    async def _switch(self) -> Listener:
        """Open the fallback and feed it the unfinished turn, then every frame pushed meanwhile."""
        self._active = None
        await self._primary.aclose()
        fallback = self._fallback = self._open_fallback()
        fallback.set_question(self._question, self._expected)
        self._offset = self._turn_audio[0][0] if self._turn_audio else self._pushed
        last = -1.0
        while pending := [(at, frame) for at, frame in self._turn_audio if at > last]:
            for at, frame in pending:
                await fallback.push(frame)
                last = at
        self._active = fallback
        self.engine = self.fallback_name
        return fallback


def _shift(event: ListenerEvent, offset: float) -> ListenerEvent:
    """Fallback times count from its first replayed frame; the session counts from the call's start."""
    match event:
        case SpeechStarted(at):
            return SpeechStarted(at + offset)
        case SpeechStopped(at):
            return SpeechStopped(at + offset)
        case FinalText(speech_end=speech_end):
            return replace(event, speech_end=speech_end + offset)
    return event
