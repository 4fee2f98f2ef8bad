"""A speech engine that neither hears nor speaks: a typed call is a `Session` like any other.

Prompts come out as their text (BotSaid) and one empty, last PromptAudio; replies come in by
`Session.push_text`. The front end says a prompt has "played" when it has shown it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable

from core.audio import AudioFrame
from core.speech.engine import Expectation, ListenerEvent, TurnSettings
from core.understanding.types import Question

RATE = 16000


class SilentVoice:
    """Speaks nothing: a typed call shows its prompts instead."""

    name = "text"
    sample_rate = RATE

    async def speak(self, text: str) -> AsyncIterator[AudioFrame]:
        return
        yield  # an async generator with no chunks

    def warm(self, texts: Iterable[str]) -> int:
        return 0


class DeafListener:
    """Hears nothing and never ends a turn on its own."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._closed = asyncio.Event()

    def set_question(self, question: Question | None, expected: Expectation | None) -> None:
        """Nothing to prepare: there is no recogniser."""

    async def push(self, frame: AudioFrame) -> None:
        """Audio is ignored."""

    async def events(self) -> AsyncIterator[ListenerEvent]:
        await self._closed.wait()
        return
        yield  # an async generator that ends when the listener closes

    def reset(self) -> None:
        """No turn is ever in progress."""

    def end_input(self) -> bool:
        return False

    @property
    def paused(self) -> bool:
        return False

    async def aclose(self) -> None:
        self._closed.set()


class TextEngine:
    """The text-only engine; stateless, so one instance serves every typed call."""

    name = "text"

    def __init__(self) -> None:
        self.voice = SilentVoice()

    def open_listener(self, sample_rate: int, turn: TurnSettings) -> DeafListener:
        return DeafListener(sample_rate)

    async def aclose(self) -> None:
        """Nothing loaded."""


TEXT_ENGINE = TextEngine()
