"""Recording conditions: the same spoken answer clean, in seeded background noise, or through a phone line."""

from __future__ import annotations

import subprocess
import warnings
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # audioop is deprecated, still the stdlib G.711
    import audioop

CONDITIONS = ("clean", "noisy", "phone")
SNR_DB = (15.0, 20.0)
SPEECH_DBFS = (-26.0, -16.0)  # callers speak at different levels
LEAD_S = (0.3, 0.7)
TAIL_S = 1.0  # enough silence after the answer for any end-of-speech detector
NOISY_RATE = 48000  # a kiosk microphone: 48 kHz stereo
PHONE_RATE = 8000


@dataclass(frozen=True, slots=True)
class Clip:
    """Audio as written to disk: float32 frames x channels at `rate`."""

    audio: np.ndarray
    rate: int


def rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


def place(speech: np.ndarray, rate: int, rng: np.random.Generator) -> np.ndarray:
    """Speech at a random level with a random lead-in pause and a fixed trailing pause."""
    level = 10 ** (rng.uniform(*SPEECH_DBFS) / 20) / max(rms(speech), 1e-9)
    lead = np.zeros(int(rng.uniform(*LEAD_S) * rate), np.float32)
    tail = np.zeros(int(TAIL_S * rate), np.float32)
    return np.concatenate([lead, speech * level, tail]).astype(np.float32)


def pink_noise(length: int, rng: np.random.Generator) -> np.ndarray:
    """Seeded 1/f noise: white noise shaped to 1/sqrt(f) amplitude."""
    spectrum = np.fft.rfft(rng.standard_normal(length))
    spectrum /= np.sqrt(np.maximum(np.arange(spectrum.size), 1))
    noise = np.fft.irfft(spectrum, length)
    return (noise / rms(noise)).astype(np.float32)


def babble_noise(length: int, rng: np.random.Generator, talkers: np.ndarray) -> np.ndarray:
    """Five overlapping reversed talkers: speech-shaped and speech-modulated, but no words to transcribe."""
    mix = np.zeros(length, np.float32)
    for _ in range(5):
        start = int(rng.integers(0, talkers.size - length))
        mix += talkers[start : start + length][::-1] * rng.uniform(0.5, 1.0)
    return mix / rms(mix)


def add_noise(audio: np.ndarray, speech_rms: float, rng: np.random.Generator, talkers: np.ndarray) -> np.ndarray:
    """Pink or babble noise under the whole clip at a seeded SNR against the speech level."""
    kind = rng.choice(["pink", "babble"])
    noise = pink_noise(audio.size, rng) if kind == "pink" else babble_noise(audio.size, rng, talkers)
    snr = rng.uniform(*SNR_DB)
    mixed = audio + noise * speech_rms / 10 ** (snr / 20)
    peak = float(np.max(np.abs(mixed)))
    return mixed / peak * 0.99 if peak > 0.99 else mixed


def band_pass(audio: np.ndarray, rate: int, low: int = 300, high: int = 3400) -> np.ndarray:
    """The telephone band, filtered by sox."""
    filtered = subprocess.run(
        f"sox -q -t raw -r {rate} -e floating-point -b 32 -c 1 - -t raw - sinc {low}-{high}".split(),
        input=audio.astype("<f4").tobytes(),
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(filtered, dtype="<f4")


def phone_line(audio: np.ndarray, rate: int) -> np.ndarray:
    """300-3400 Hz, 8 kHz, G.711 mu-law encode and decode: what a phone bridge hands the recogniser."""
    narrow = soxr.resample(band_pass(audio, rate), rate, PHONE_RATE)
    pcm = (np.clip(narrow, -1.0, 32767 / 32768) * 32768).astype("<i2").tobytes()
    decoded = audioop.ulaw2lin(audioop.lin2ulaw(pcm, 2), 2)
    return np.frombuffer(decoded, dtype="<i2").astype(np.float32) / 32768.0


def render(
    speech: np.ndarray, rate: int, condition: str, rng: np.random.Generator, talkers: Callable[[], np.ndarray]
) -> Clip:
    """One answer in one condition; `talkers` supplies babble source audio at `rate` when needed."""
    audio = place(speech, rate, rng)
    if condition == "clean":
        return Clip(audio[:, None], rate)
    if condition == "noisy":
        noisy = add_noise(audio, rms(audio[audio != 0]), rng, talkers())
        stereo = soxr.resample(noisy, rate, NOISY_RATE).astype(np.float32)
        return Clip(np.stack([stereo, stereo], axis=1), NOISY_RATE)
    if condition == "phone":
        return Clip(phone_line(audio, rate)[:, None], PHONE_RATE)
    raise ValueError(f"unknown condition {condition!r}; expected one of {CONDITIONS}")


def write_wav(path: Path, clip: Clip) -> None:
    """16-bit PCM WAV, the format every reader understands."""
    pcm = (np.clip(clip.audio, -1.0, 32767 / 32768) * 32768).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(pcm.shape[1])
        wav.setsampwidth(2)
        wav.setframerate(clip.rate)
        wav.writeframes(pcm.tobytes())
