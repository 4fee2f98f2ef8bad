"""A stand-in for PortAudio on this machine without a sound card: it calls the real port callback from a
thread every 10 ms, plays the speaker output back into the microphone through an echo path, and can be
'unplugged'. Everything the port does with the audio (queueing, echo cancellation, events) is real."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np

from app.kiosk.audio_port import AudioDeviceError


class FakeStream:
    def __init__(
        self, rate: int, callback: Any, *, echo_gain: float, voice: np.ndarray | None, speaker: bool = True
    ) -> None:
        self.speaker = speaker
        self.rate = rate
        self.frame = rate // 100
        self._callback = callback
        self._echo_gain = echo_gain
        self._voice = voice
        self._history: list[np.ndarray] = []
        self.played: list[np.ndarray] = []
        self.mic: list[np.ndarray] = []
        self.unplugged = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._position = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def close(self) -> None:
        """Closing an already-stopped stream is fine; the port closes after an unplug too."""

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set() and not self.unplugged.is_set():
            echo = self._history[-3] * self._echo_gain if len(self._history) >= 3 else np.zeros(self.frame)
            mic = echo.copy()
            if self._voice is not None:
                chunk = self._voice[self._position : self._position + self.frame]
                mic[: len(chunk)] += chunk
            self._position += self.frame
            indata = np.clip(mic, -32768, 32767).astype(np.int16).reshape(-1, 1)
            outdata = np.zeros((self.frame, 1), dtype=np.int16)
            self._callback(indata, outdata if self.speaker else None, self.frame, None, None)
            self._history.append(outdata[:, 0].astype(np.float64))
            self.played.append(outdata[:, 0].copy())
            self.mic.append(indata[:, 0].copy())
            next_at += 0.01
            time.sleep(max(0.0, next_at - time.monotonic()))


class FakeBackend:
    """Devices 0 (microphone) and 1 (speaker); `rates` are the sample rates they accept."""

    def __init__(
        self,
        rates: tuple[int, ...] = (48000, 16000),
        *,
        microphone: bool = True,
        speaker: bool = True,
        echo_gain: float = 0.5,
        voice: np.ndarray | None = None,
    ) -> None:
        self.rates = rates
        self.microphone = microphone
        self.speaker = speaker
        self.echo_gain = echo_gain
        self.voice = voice
        self.stream: FakeStream | None = None

    def device_index(self, name: str, kind: str) -> int:
        if kind == "input" and not self.microphone:
            raise AudioDeviceError("no_microphone", "no input device found")
        if kind == "output" and not self.speaker:
            raise AudioDeviceError("output", "no output device found")
        return 0 if kind == "input" else 1

    def supports(self, input_index: int, output_index: int | None, rate: int) -> bool:
        return rate in self.rates

    def open_stream(self, input_index: int, output_index: int | None, rate: int, callback: Any) -> FakeStream:
        self.stream = FakeStream(
            rate, callback, echo_gain=self.echo_gain, voice=self.voice, speaker=output_index is not None
        )
        self.stream.start()
        return self.stream
