"""G.711 µ-law and PCM16 payloads <-> frames for the phone edges (the core's one µ-law codec)."""

from __future__ import annotations

import numpy as np

from core.audio import AudioFrame, ulaw_decode, ulaw_encode


def ulaw_to_frame(data: bytes, sample_rate: int = 8000) -> AudioFrame:
    return ulaw_decode(data, sample_rate)


def pcm16_to_frame(data: bytes, sample_rate: int) -> AudioFrame:
    usable = len(data) - len(data) % 2
    return AudioFrame(np.frombuffer(data[:usable], dtype="<i2").astype(np.int16), sample_rate)


def frame_to_ulaw(frame: AudioFrame) -> bytes:
    return ulaw_encode(frame.samples)


def frame_to_pcm16(frame: AudioFrame) -> bytes:
    return frame.samples.astype("<i2").tobytes()
