"""Prompt audio for the phone, kept as 8 kHz μ-law: made once per sentence, then played with no work.

On the bridge every prompt leaves as μ-law anyway. Caching it in that form means a call never
resamples a prompt: the frames decode to exactly the samples that re-encode to the stored bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from core.audio import AudioFrame, concat, resample, ulaw_decode, ulaw_encode
from core.speech.engine import PromptVoice
from core.speech.prompt_cache import sentences

RATE = 8000


class MulawPromptVoice:
    """PromptVoice at 8 kHz over another voice; each sentence is stored as a `.ulaw` file."""

    sample_rate = RATE

    def __init__(self, inner: PromptVoice, directory: Path) -> None:
        self.name = f"{inner.name}+pcmu"
        self._inner = inner
        self.directory = directory
        self._memory: dict[str, AudioFrame] = {}
        self.rendered = 0

    def path(self, sentence: str) -> Path:
        digest = hashlib.sha256(f"{self._inner.name}\n{sentence}".encode()).hexdigest()[:32]
        return self.directory / f"{digest}.ulaw"

    async def speak(self, text: str) -> AsyncIterator[AudioFrame]:
        for sentence in sentences(text):
            yield self._cached(sentence) or await self._make(sentence)

    def warm(self, texts: Iterable[str]) -> int:
        """Blocking: make every missing sentence (call outside a running event loop)."""
        missing = [s for text in texts for s in sentences(text) if self._cached(s) is None]
        if missing:
            self._inner.warm(missing)
            asyncio.run(self._make_all(missing))
        return len(missing)

    async def _make_all(self, missing: list[str]) -> None:
        for sentence in missing:
            await self._make(sentence)

    def _cached(self, sentence: str) -> AudioFrame | None:
        audio = self._memory.get(sentence)
        if audio is None:
            try:
                audio = ulaw_decode(self.path(sentence).read_bytes(), RATE)
            except OSError:
                return None
            self._memory[sentence] = audio
        return audio

    async def _make(self, sentence: str) -> AudioFrame:
        """The inner voice's audio, resampled once (soxr HQ) and stored as μ-law."""
        chunks = [chunk async for chunk in self._inner.speak(sentence)]
        audio = concat([resample(chunk, RATE) for chunk in chunks], RATE)
        encoded = ulaw_encode(audio.samples)
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(encoded)
        os.replace(tmp, self.path(sentence))
        self.rendered += 1
        decoded = ulaw_decode(encoded, RATE)
        self._memory[sentence] = decoded
        return decoded
