"""Audio as the core passes it around: int16 mono frames, stream resampling, WAV in and out.

Every edge converts to `AudioFrame` once (microphone, Twilio µ-law, WAV file) and the core never
guesses a sample rate again. Resampling uses soxr; a `StreamResampler` keeps filter state per stream,
so 20 ms frames resample without clicks at the frame joins.
"""

from __future__ import annotations

import io
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


def read_wav(path: str | Path) -> AudioFrame:
    """Read an audio file of any rate (WAV in PCM 8-32 bit, float, µ-law or A-law, or anything libsndfile
    reads); stereo is averaged to mono. Any failure is one AudioError line naming the file."""
    import soundfile  # only file readers pay for loading libsndfile (not the kiosk's cold start)

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AudioError(f"cannot read WAV {path}: {exc.strerror or exc}") from None
    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float64", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        detail = " ".join(str(getattr(exc, "error_string", "") or exc).split())
        raise AudioError(f"{path} is a broken WAV file or not audio ({detail})") from None
    if rate <= 0 or samples.shape[1] < 1:
        raise AudioError(f"{path} has an impossible format ({samples.shape[1]} channels at {rate} Hz)")
    return AudioFrame.from_float(samples.mean(axis=1), int(rate))


def ulaw_encode(samples: np.ndarray) -> bytes:
    """int16 samples to G.711 µ-law bytes (the one µ-law codec: phone edges, OpenAI `audio/pcmu`)."""
    return _ULAW_ENCODE[samples.astype(np.int32) + 32768].tobytes()


def ulaw_decode(data: bytes, sample_rate: int = 8000) -> AudioFrame:
    """G.711 µ-law bytes to an int16 frame; re-encoding gives back the same bytes (bar µ-law's two zeros)."""
    return AudioFrame(_ULAW_DECODE[np.frombuffer(data, dtype=np.uint8)], sample_rate)


def _ulaw_decode_table() -> np.ndarray:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    magnitude = (((codes & 0x0F) << 3) + 0x84) << ((codes >> 4) & 0x07)
    return np.where(codes & 0x80, 0x84 - magnitude, magnitude - 0x84).astype(np.int16)


def _ulaw_encode_table(decoded: np.ndarray) -> np.ndarray:
    """Every int16 value to its µ-law byte (G.711 segments), exact on the 256 decoded values."""
    value = np.arange(-32768, 32768, dtype=np.int32)
    sign = np.where(value < 0, 0x80, 0)
    magnitude = np.minimum(np.abs(value), 32635) + 0x84
    exponent = np.floor(np.log2(magnitude)).astype(np.int32) - 7
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    table = (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)
    table[table == 0x7F] = 0xFF  # 0x7F and 0xFF both decode to 0: one canonical byte for zero
    for code in range(256):
        if code != 0x7F:
            table[int(decoded[code]) + 32768] = code
    return table


_ULAW_DECODE = _ulaw_decode_table()
_ULAW_ENCODE = _ulaw_encode_table(_ULAW_DECODE)


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
