"""Audio as the core passes it around: int16 mono frames, stream resampling, WAV in and out.

Every edge converts to `AudioFrame` once (microphone, Twilio µ-law, WAV file) and the core never
guesses a sample rate again. Resampling uses soxr; a `StreamResampler` keeps filter state per stream,
so 20 ms frames resample without clicks at the frame joins.
"""

from __future__ import annotations

import struct
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr


class AudioError(ValueError):
    """Audio that cannot be used (unreadable WAV, wrong format); the message is one line for the user."""


@dataclass(frozen=True, slots=True, eq=False)
class AudioFrame:
    """A run of mono int16 samples at a known rate; any length (a 20 ms frame or a whole prompt)."""

    samples: np.ndarray
    """1-D int16 array."""
    sample_rate: int

    def __post_init__(self) -> None:
        if self.samples.dtype != np.int16 or self.samples.ndim != 1:
            raise AudioError(f"AudioFrame needs 1-D int16 samples, got {self.samples.dtype} {self.samples.shape}")
        if self.sample_rate <= 0:
            raise AudioError(f"AudioFrame sample rate must be positive, got {self.sample_rate}")

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sample_rate

    def __len__(self) -> int:
        return len(self.samples)

    def to_float32(self) -> np.ndarray:
        """Samples scaled to [-1, 1) float32, as the models want them."""
        return self.samples.astype(np.float32) / 32768.0

    @classmethod
    def from_float(cls, samples: np.ndarray, sample_rate: int) -> AudioFrame:
        """Build a frame from float samples in [-1, 1]; values outside are clipped."""
        scaled = np.clip(np.asarray(samples, dtype=np.float32) * 32768.0, -32768, 32767)
        return cls(np.round(scaled).astype(np.int16), sample_rate)

    @classmethod
    def silence(cls, seconds: float, sample_rate: int) -> AudioFrame:
        return cls(np.zeros(round(seconds * sample_rate), dtype=np.int16), sample_rate)


def concat(frames: Sequence[AudioFrame], sample_rate: int | None = None) -> AudioFrame:
    """Join frames of one rate (the rate of the first, or `sample_rate` when there are none)."""
    if not frames:
        if sample_rate is None:
            raise AudioError("cannot join zero frames without a sample rate")
        return AudioFrame(np.zeros(0, dtype=np.int16), sample_rate)
    rate = frames[0].sample_rate
    if any(frame.sample_rate != rate for frame in frames):
        raise AudioError("cannot join frames of different sample rates")
    return AudioFrame(np.concatenate([frame.samples for frame in frames]), rate)


def split(frame: AudioFrame, seconds: float = 0.02) -> Iterator[AudioFrame]:
    """Cut audio into consecutive frames of `seconds` (the last may be shorter), as a live source sends."""
    size = max(1, round(seconds * frame.sample_rate))
    for start in range(0, len(frame.samples), size):
        yield AudioFrame(frame.samples[start : start + size], frame.sample_rate)


def resample(frame: AudioFrame, sample_rate: int) -> AudioFrame:
    """Resample a whole clip in one go (soxr high quality); a no-op at the same rate."""
    if frame.sample_rate == sample_rate:
        return frame
    out = soxr.resample(frame.samples, frame.sample_rate, sample_rate, quality="HQ")
    return AudioFrame(np.ascontiguousarray(out, dtype=np.int16), sample_rate)


class StreamResampler:
    """Resamples one stream frame by frame, keeping filter state between frames (one per stream)."""

    def __init__(self, in_rate: int, out_rate: int) -> None:
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._stream = (
            None if in_rate == out_rate else soxr.ResampleStream(in_rate, out_rate, 1, dtype="int16", quality="HQ")
        )

    def process(self, frame: AudioFrame, *, last: bool = False) -> AudioFrame:
        """The resampled frame; soxr's delay means the first frames come out a little short."""
        if frame.sample_rate != self.in_rate:
            raise AudioError(f"resampler expects {self.in_rate} Hz audio, got {frame.sample_rate} Hz")
        if self._stream is None:
            return frame
        out = self._stream.resample_chunk(frame.samples, last=last)
        return AudioFrame(np.ascontiguousarray(out, dtype=np.int16), self.out_rate)


_WAVE_PCM, _WAVE_FLOAT, _WAVE_ALAW, _WAVE_MULAW, _WAVE_EXTENSIBLE = 1, 3, 6, 7, 0xFFFE


def read_wav(path: str | Path) -> AudioFrame:
    """Read a WAV file of any rate (PCM 8/16/24/32-bit, float, µ-law or A-law; stereo is averaged to mono)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AudioError(f"cannot read WAV {path}: {exc.strerror or exc}") from None
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError(f"{path} is not a WAV file (no RIFF/WAVE header)")
    fmt: tuple[int, int, int, int] | None = None
    payload: bytes | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if chunk_id == b"fmt " and len(body) >= 16:
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == _WAVE_EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            payload = body
        pos += 8 + size + (size & 1)
    if fmt is None or payload is None:
        raise AudioError(f"{path} is a broken WAV file (missing fmt or data chunk)")
    tag, channels, rate, bits = fmt
    if channels < 1 or rate <= 0:
        raise AudioError(f"{path} has an impossible format ({channels} channels at {rate} Hz)")
    samples = _decode(payload, tag, bits, path)
    usable = len(samples) - len(samples) % channels
    mono = samples[:usable].reshape(-1, channels).mean(axis=1) if channels > 1 else samples
    return AudioFrame.from_float(mono, rate)


def _decode(payload: bytes, tag: int, bits: int, path: Path) -> np.ndarray:
    """Samples as float64 in [-1, 1] from one WAV data chunk."""
    if tag == _WAVE_PCM and bits == 8:
        return (np.frombuffer(payload, np.uint8).astype(np.float64) - 128.0) / 128.0
    if tag == _WAVE_PCM and bits == 16:
        return np.frombuffer(payload[: len(payload) // 2 * 2], "<i2") / 32768.0
    if tag == _WAVE_PCM and bits == 24:
        raw = np.frombuffer(payload[: len(payload) // 3 * 3], np.uint8).reshape(-1, 3).astype(np.int32)
        value = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        return np.where(value >= 1 << 23, value - (1 << 24), value) / float(1 << 23)
    if tag == _WAVE_PCM and bits == 32:
        return np.frombuffer(payload[: len(payload) // 4 * 4], "<i4") / float(1 << 31)
    if tag == _WAVE_FLOAT and bits in (32, 64):
        width = bits // 8
        return np.frombuffer(payload[: len(payload) // width * width], f"<f{width}").astype(np.float64)
    if tag == _WAVE_MULAW and bits == 8:
        return _mulaw_to_float(np.frombuffer(payload, np.uint8))
    if tag == _WAVE_ALAW and bits == 8:
        return _alaw_to_float(np.frombuffer(payload, np.uint8))
    raise AudioError(f"{path}: unsupported WAV encoding (format tag {tag}, {bits} bits)")


def _mulaw_to_float(codes: np.ndarray) -> np.ndarray:
    """G.711 µ-law bytes to float samples."""
    u = ~codes.astype(np.int32) & 0xFF
    magnitude = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
    return np.where(u & 0x80, 0x84 - magnitude, magnitude - 0x84) / 32768.0


def _alaw_to_float(codes: np.ndarray) -> np.ndarray:
    """G.711 A-law bytes to float samples."""
    a = codes.astype(np.int32) ^ 0x55
    exponent = (a & 0x70) >> 4
    mantissa = ((a & 0x0F) << 4) + 8
    magnitude = np.where(exponent == 0, mantissa, (mantissa + 0x100) << np.maximum(exponent - 1, 0))
    return np.where(a & 0x80, magnitude, -magnitude) / 32768.0


def write_wav(path: str | Path, frame: AudioFrame) -> None:
    """Write a mono 16-bit PCM WAV."""
    _write(path, frame.samples, 1, frame.sample_rate)


def write_stereo_wav(path: str | Path, left: AudioFrame, right: AudioFrame) -> None:
    """Write two mono tracks of one rate as a 16-bit stereo WAV; the shorter is padded with silence."""
    if left.sample_rate != right.sample_rate:
        raise AudioError("stereo tracks must share one sample rate")
    length = max(len(left), len(right))
    both = np.zeros((length, 2), dtype=np.int16)
    both[: len(left), 0] = left.samples
    both[: len(right), 1] = right.samples
    _write(path, both.reshape(-1), 2, left.sample_rate)


def _write(path: str | Path, interleaved: np.ndarray, channels: int, rate: int) -> None:
    try:
        with wave.open(str(path), "wb") as out:
            out.setnchannels(channels)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(interleaved.astype("<i2").tobytes())
    except OSError as exc:
        raise AudioError(f"cannot write WAV {path}: {exc.strerror or exc}") from None
