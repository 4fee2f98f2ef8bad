"""The bot's voice: Piper en_US-joe-medium, cached sentence by sentence.

Piper takes ~0.4-0.65 s and ~150 MB to load, and a warm cache needs no synthesis at all, so the model
loads on the first cache miss, on the voice's own worker thread (all synthesis runs there).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from core.audio import AudioFrame, concat
from core.speech.models import ensure_offline_env
from core.speech.prompt_cache import PromptCache, sentences
from core.speech.settings import SpeechSettings


class PiperPromptVoice:
    """PromptVoice backed by Piper and the on-disk prompt cache."""

    def __init__(self, model: Path, config: Path, settings: SpeechSettings, executor: ThreadPoolExecutor) -> None:
        self.name = f"piper:{model.stem}"
        self.sample_rate = _config_sample_rate(config)
        self._settings = settings
        self._executor = executor
        self._files = (model, config)
        self._piper: Any = None
        self.cache = PromptCache(
            settings.prompt_cache_dir(),
            {
                "voice": model.name,
                "size": model.stat().st_size,
                "length_scale": settings.tts_length_scale,
                "noise_scale": settings.tts_noise_scale,
                "noise_w_scale": settings.tts_noise_w_scale,
            },
        )
        self._gap = AudioFrame.silence(settings.sentence_gap, self.sample_rate)

    def _model(self) -> Any:
        if self._piper is None:
            ensure_offline_env()
            from piper import PiperVoice

            model, config = self._files
            self._piper = PiperVoice.load(model, config_path=config)
        return self._piper

    def synthesize(self, sentence: str) -> AudioFrame:
        """Blocking, on the voice thread: render one sentence with Piper (no cache)."""
        from piper import SynthesisConfig

        voice = self._model()
        config = SynthesisConfig(
            length_scale=self._settings.tts_length_scale,
            noise_scale=self._settings.tts_noise_scale,
            noise_w_scale=self._settings.tts_noise_w_scale,
        )
        chunks = [chunk.audio_int16_array for chunk in voice.synthesize(sentence, config)]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        return AudioFrame(np.ascontiguousarray(samples, dtype=np.int16), self.sample_rate)

    def synthesize_now(self, text: str) -> AudioFrame:
        """Blocking, from any thread: `text` in this voice, uncached (sample and test speech)."""
        return self._executor.submit(self.synthesize, text).result()

    def render(self, sentence: str) -> AudioFrame:
        """Blocking: one sentence from the cache, or synthesised and cached."""
        audio = self.cache.get(sentence)
        if audio is None:
            audio = self.synthesize(sentence)
            self.cache.put(sentence, audio)
        return audio

    async def speak(self, text: str) -> AsyncIterator[AudioFrame]:
        """One chunk per sentence; misses are synthesised on the voice thread while earlier ones play."""
        loop = asyncio.get_running_loop()
        for sentence in sentences(text):
            audio = self.cache.get(sentence)
            if audio is None:
                audio = await loop.run_in_executor(self._executor, self.render, sentence)
            yield concat([audio, self._gap])

    def warm(self, texts: Iterable[str]) -> int:
        """Blocking: render every sentence of `texts` that is not cached yet; returns how many."""
        rendered = 0
        for text in texts:
            for sentence in sentences(text):
                if self.cache.get(sentence) is None:
                    self.cache.put(sentence, self.synthesize_now(sentence))
                    rendered += 1
        return rendered


def _config_sample_rate(config: Path) -> int:
    import json

    return int(json.loads(config.read_text(encoding="utf-8"))["audio"]["sample_rate"])
