"""What every offline prompt voice shares: sentence-by-sentence speech from the on-disk cache, with
recorded sentences from a voice pack taking the place of synthesis where a lender supplied them.

A voice only says how to synthesise one sentence; this base class caches it, streams sentences while
later ones render on the voice's own thread, and asks the voice pack first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from concurrent.futures import ThreadPoolExecutor

from core.audio import AudioFrame, concat, resample
from core.speech.prompt_cache import PromptCache, sentences
from core.speech.voice_pack import VoicePack


class CachedPromptVoice:
    """PromptVoice (core/speech/engine.py) over a `synthesize(sentence)` the subclass provides."""

    name: str
    sample_rate: int
    cache: PromptCache

    def __init__(self, executor: ThreadPoolExecutor, sentence_gap: float, pack: VoicePack | None = None) -> None:
        self._executor = executor
        self._gap = AudioFrame.silence(sentence_gap, self.sample_rate)
        self.pack = pack

    def synthesize(self, sentence: str) -> AudioFrame:
        """Blocking, on the voice thread: render one sentence (no cache)."""
        raise NotImplementedError

    def synthesize_now(self, text: str) -> AudioFrame:
        """Blocking, from any thread: `text` in this voice, uncached (sample and test speech)."""
        return self._executor.submit(self.synthesize, text).result()

    def recorded(self, sentence: str) -> AudioFrame | None:
        """The voice pack's recording of `sentence` at this voice's rate, if the pack has one."""
        audio = self.pack.get(sentence) if self.pack is not None else None
        return None if audio is None else resample(audio, self.sample_rate)

    def render(self, sentence: str) -> AudioFrame:
        """Blocking: one sentence from the voice pack or the cache, or synthesised and cached."""
        audio = self.recorded(sentence) or self.cache.get(sentence)
        if audio is None:
            audio = self.synthesize(sentence)
            self.cache.put(sentence, audio)
        return audio

    async def speak(self, text: str) -> AsyncIterator[AudioFrame]:
        """One chunk per sentence; misses are synthesised on the voice thread while earlier ones play."""
        loop = asyncio.get_running_loop()
        for sentence in sentences(text):
            audio = self.recorded(sentence) or self.cache.get(sentence)
            if audio is None:
                audio = await loop.run_in_executor(self._executor, self.render, sentence)
            yield concat([audio, self._gap])

    def warm(self, texts: Iterable[str]) -> int:
        """Blocking: render every sentence of `texts` that is neither recorded nor cached; returns how many."""
        rendered = 0
        for text in texts:
            for sentence in sentences(text):
                if self.recorded(sentence) is None and self.cache.get(sentence) is None:
                    self.cache.put(sentence, self.synthesize_now(sentence))
                    rendered += 1
        return rendered
