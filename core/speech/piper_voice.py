"""The bot's English voice: Piper en_US-joe-medium, cached sentence by sentence.

Piper takes ~0.4-0.65 s and ~150 MB to load, and a warm cache needs no synthesis at all, so the model
loads on the first cache miss, on the voice's own worker thread (all synthesis runs there).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from core.audio import AudioFrame
from core.speech.cached_voice import CachedPromptVoice
from core.speech.models import ensure_offline_env
from core.speech.prompt_cache import PromptCache
from core.speech.settings import SpeechSettings
from core.speech.voice_pack import VoicePack


class PiperPromptVoice(CachedPromptVoice):
    """PromptVoice backed by Piper and the on-disk prompt cache."""

    def __init__(
        self,
        model: Path,
        config: Path,
        settings: SpeechSettings,
        executor: ThreadPoolExecutor,
        pack: VoicePack | None = None,
    ) -> None:
        self.name = f"piper:{model.stem}"
        self.sample_rate = int(json.loads(config.read_text(encoding="utf-8"))["audio"]["sample_rate"])
        self._settings = settings
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
        super().__init__(executor, settings.sentence_gap, pack)

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
