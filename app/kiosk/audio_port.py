"""What a call needs from an audio device (a sound card or WAV files), and what the device reports back.

A port's callbacks (or feeding task) put `PortEvent`s on a thread-safe queue; the call drains them on
the event loop with `poll()`. Nothing in a port touches Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core.audio import AudioFrame


class AudioDeviceError(Exception):
    """A device cannot be used; `kind` picks the window message ("no_microphone", "sample_rate", "output")."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class MicFrame:
    """Caller audio after echo cancellation, with its level for the meter."""

    frame: AudioFrame
    rms: float


@dataclass(frozen=True, slots=True)
class PlaybackStarted:
    """The first sample of this prompt reached the speaker."""

    prompt_id: int


@dataclass(frozen=True, slots=True)
class PlaybackDrained:
    """The last sample of this prompt has been played."""

    prompt_id: int


@dataclass(frozen=True, slots=True)
class DeviceLost:
    """The device stopped mid-call (unplugged, driver error); the call cannot go on by voice."""

    detail: str


PortEvent = MicFrame | PlaybackStarted | PlaybackDrained | DeviceLost


class AudioPort(Protocol):
    """A duplex audio device for one call."""

    input_rate: int
    output_rate: int

    def open(self) -> None:
        """Start capture and playback; raises AudioDeviceError with a message for the window."""
        ...

    def close(self) -> None: ...

    def play(self, chunk: AudioFrame, prompt_id: int, *, last: bool) -> None:
        """Queue prompt audio (at `output_rate`); `last` asks for a PlaybackDrained when it has played."""
        ...

    def flush(self) -> None:
        """Barge-in: stop the prompt now and drop what is queued."""
        ...

    def poll(self) -> list[PortEvent]:
        """Everything the device reported since the last poll, in order (never blocks)."""
        ...


def rms_of(samples: np.ndarray) -> float:
    """Root mean square of int16 samples, as a fraction of full scale."""
    data = np.asarray(samples, dtype=np.float32)
    if data.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(np.square(data / 32768.0))))
