"""The bot's voice: Piper en_US-joe-medium, cached sentence by sentence.

Piper takes ~0.4-0.65 s to load, and a warm cache needs no synthesis at all, so the model loads in the
background on the voice's own worker thread; only a cache miss waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
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
        self._loaded: Future[Any] = executor.submit(_load, model, config)
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

    def wait_loaded(self) -> None:
        """Block until Piper is loaded (re-raises a load failure)."""
        self._loaded.result()

    def synthesize(self, sentence: str) -> AudioFrame:
        """Blocking: render one sentence with Piper (no cache)."""
        from piper import SynthesisConfig

        voice = self._loaded.result()
        config = SynthesisConfig(
            length_scale=self._settings.tts_length_scale,
            noise_scale=self._settings.tts_noise_scale,
            noise_w_scale=self._settings.tts_noise_w_scale,
        )
        chunks = [chunk.audio_int16_array for chunk in voice.synthesize(sentence, config)]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        return AudioFrame(np.ascontiguousarray(samples, dtype=np.int16), self.sample_rate)

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
                    self.cache.put(sentence, self._executor.submit(self.synthesize, sentence).result())
                    rendered += 1
        return rendered


def _load(model: Path, config: Path) -> Any:
    ensure_offline_env()
    from piper import PiperVoice

    return PiperVoice.load(model, config_path=config)


def _config_sample_rate(config: Path) -> int:
    import json

    return int(json.loads(config.read_text(encoding="utf-8"))["audio"]["sample_rate"])
