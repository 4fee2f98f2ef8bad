"""Caller audio from the wire to session frames, decoded once at the wire's own rate.

Resampling to the recogniser's rate happens once, inside the engine's listener (a soxr stream with
state kept across frames), because only the engine knows what it needs. 8 kHz μ-law decoded to PCM
re-encodes to the same bytes (bar μ-law's two codes for zero), so an engine that wants `audio/pcmu`
(OpenAI Realtime) gets Twilio's audio untouched.
"""

from __future__ import annotations

from bridge.codec import pcm16_to_frame, ulaw_to_frame
from core.audio import AudioFrame

ULAW = "audio/x-mulaw"


class InboundAudio:
    """One call's decoder: μ-law or little-endian PCM16 payloads to int16 frames at `rate`."""

    def __init__(self, encoding: str, rate: int) -> None:
        self._ulaw = encoding == ULAW
        self.rate = rate

    def duration(self, payload: bytes) -> float:
        """Seconds of audio in a payload, known before decoding it."""
        return len(payload) / (self.rate * (1 if self._ulaw else 2))

    def frame(self, payload: bytes) -> AudioFrame:
        return ulaw_to_frame(payload, self.rate) if self._ulaw else pcm16_to_frame(payload, self.rate)
