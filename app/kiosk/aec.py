"""Acoustic echo cancellation with WebRTC's APM (livekit), fed the exact samples sent to the speaker.

Both directions go through in 10 ms frames: `far_end()` with what the speaker plays
(process_reverse_stream) and `near_end()` with what the microphone hears (process_stream). Called from
the audio callback: it only computes, it never waits.
"""

from __future__ import annotations

import numpy as np
from livekit import rtc

SUPPORTED_RATES = (48000, 32000, 16000)


class EchoCanceller:
    """One APM per audio stream; the echo path it learns belongs to that speaker and microphone."""

    def __init__(self, sample_rate: int, *, stream_delay_ms: int = 0) -> None:
        if sample_rate not in SUPPORTED_RATES:
            raise ValueError(f"echo cancellation needs one of {SUPPORTED_RATES} Hz, not {sample_rate}")
        self.sample_rate = sample_rate
        self.frame = sample_rate // 100
        self.stream_delay_ms = stream_delay_ms
        self._apm = rtc.AudioProcessingModule(echo_cancellation=True, noise_suppression=True, high_pass_filter=True)

    def far_end(self, samples: np.ndarray) -> None:
        """The samples just handed to the speaker (int16, a whole number of 10 ms frames)."""
        for start in range(0, len(samples) - self.frame + 1, self.frame):
            chunk = np.ascontiguousarray(samples[start : start + self.frame], dtype=np.int16)
            self._apm.process_reverse_stream(rtc.AudioFrame(chunk.tobytes(), self.sample_rate, 1, self.frame))

    def near_end(self, samples: np.ndarray) -> np.ndarray:
        """The microphone samples with the speaker's echo removed (int16, whole 10 ms frames)."""
        out = np.empty(len(samples) - len(samples) % self.frame, dtype=np.int16)
        for start in range(0, len(out), self.frame):
            chunk = np.ascontiguousarray(samples[start : start + self.frame], dtype=np.int16)
            frame = rtc.AudioFrame(chunk.tobytes(), self.sample_rate, 1, self.frame)
            self._apm.set_stream_delay_ms(self.stream_delay_ms)
            self._apm.process_stream(frame)
            out[start : start + self.frame] = np.frombuffer(frame.data, dtype=np.int16)
        return out
