"""G.711 μ-law <-> PCM16 for the phone edges (audioop, or audioop-lts where it left the stdlib)."""

from __future__ import annotations

import sys

import numpy as np

from core.audio import AudioFrame

if sys.version_info >= (3, 13):
    import audioop_lts as audioop  # type: ignore[import-not-found]
else:
    import audioop


def ulaw_to_frame(data: bytes, sample_rate: int = 8000) -> AudioFrame:
    return AudioFrame(np.frombuffer(audioop.ulaw2lin(data, 2), dtype="<i2").astype(np.int16), sample_rate)


def pcm16_to_frame(data: bytes, sample_rate: int) -> AudioFrame:
    usable = len(data) - len(data) % 2
    return AudioFrame(np.frombuffer(data[:usable], dtype="<i2").astype(np.int16), sample_rate)


def frame_to_ulaw(frame: AudioFrame) -> bytes:
    return audioop.lin2ulaw(frame.samples.astype("<i2").tobytes(), 2)


def frame_to_pcm16(frame: AudioFrame) -> bytes:
    return frame.samples.astype("<i2").tobytes()
