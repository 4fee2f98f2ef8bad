"""The sound card through PortAudio (sounddevice): one duplex stream, echo cancelled, 10 ms callbacks.

The callback fills the speaker from a queue of prompt chunks, feeds those exact samples to the echo
canceller, cleans the microphone frame and puts it on a thread-safe queue. It never blocks and never
touches Qt; `poll()` drains the queue on the event loop and watches for a device that went silent.
"""

from __future__ import annotations

import queue
import time
from collections import deque
from typing import Any

import numpy as np
import sounddevice as sd

from app.kiosk.aec import EchoCanceller
from app.kiosk.audio_port import (
    AudioDeviceError,
    DeviceLost,
    MicFrame,
    PlaybackDrained,
    PlaybackStarted,
    PortEvent,
    rms_of,
)
from core.audio import AudioFrame
from ui.settings_dialog import DeviceError

RATES = (48000, 16000)
"""Preferred stream rates, best first; both are rates the echo canceller takes."""
STALL_SECONDS = 1.0
"""No callback for this long while open means the device is gone."""


class SoundDeviceBackend:
    """The few PortAudio calls the port makes, in one place (tests on this deviceless machine replace it)."""

    def device_index(self, name: str, kind: str) -> int:
        """Index of the named device (or the default) that can do `kind` ("input"/"output")."""
        channels = "max_input_channels" if kind == "input" else "max_output_channels"
        try:
            devices = list(sd.query_devices())
        except sd.PortAudioError as exc:
            raise AudioDeviceError(_kind(kind), f"cannot list audio devices: {exc}") from exc
        if name:
            for index, device in enumerate(devices):
                if device["name"] == name and device[channels] > 0:
                    return index
            raise AudioDeviceError(_kind(kind), f"the {kind} device '{name}' is not connected")
        try:
            return int(sd.query_devices(kind=kind)["index"])
        except (sd.PortAudioError, ValueError, KeyError) as exc:
            raise AudioDeviceError(_kind(kind), f"no {kind} device found") from exc

    def supports(self, input_index: int, output_index: int | None, rate: int) -> bool:
        try:
            sd.check_input_settings(device=input_index, samplerate=rate, channels=1, dtype="int16")
            if output_index is not None:
                sd.check_output_settings(device=output_index, samplerate=rate, channels=1, dtype="int16")
        except (sd.PortAudioError, ValueError):
            return False
        return True

    def open_stream(self, input_index: int, output_index: int | None, rate: int, callback: Any) -> Any:
        """A started stream calling `callback(indata, outdata, frames, time, status)` every 10 ms."""
        common = {"samplerate": rate, "blocksize": rate // 100, "channels": 1, "dtype": "int16"}
        if output_index is None:
            stream = sd.InputStream(device=input_index, callback=_input_only(callback), **common)
        else:
            stream = sd.Stream(device=(input_index, output_index), callback=callback, **common)
        stream.start()
        return stream


def _kind(kind: str) -> str:
    return "no_microphone" if kind == "input" else "output"


def _input_only(callback: Any) -> Any:
    def wrapped(indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        callback(indata, None, frames, time_info, status)

    return wrapped


class SoundDevicePort:
    """Microphone and speaker for one call; without a speaker it still listens (prompts shown as text)."""

    def __init__(self, input_name: str = "", output_name: str = "", backend: SoundDeviceBackend | None = None):
        self._backend = backend or SoundDeviceBackend()
        self._input_name = input_name
        self._output_name = output_name
        self._events: queue.SimpleQueue[PortEvent] = queue.SimpleQueue()
        self._chunks: deque[tuple[np.ndarray, int, bool, int]] = deque()
        self._current: tuple[np.ndarray, int, bool, int] | None = None
        self._offset = 0
        self._generation = 0
        self._started: set[int] = set()
        self._stream: Any = None
        self._aec: EchoCanceller | None = None
        self._last_callback = 0.0
        self._lost = False
        self.has_output = True
        self.input_rate = self.output_rate = RATES[0]
        self.output_problem: str | None = None

    # -- opening -----------------------------------------------------------------------------------------
    def open(self) -> None:
        input_index = self._backend.device_index(self._input_name, "input")
        try:
            output_index: int | None = self._backend.device_index(self._output_name, "output")
        except AudioDeviceError as exc:
            output_index, self.has_output, self.output_problem = None, False, str(exc)
        rate = next((r for r in RATES if self._backend.supports(input_index, output_index, r)), None)
        if rate is None:
            raise AudioDeviceError("sample_rate", f"the devices accept none of {', '.join(map(str, RATES))} Hz")
        self.input_rate = self.output_rate = rate
        self._aec = EchoCanceller(rate) if self.has_output else None
        self._last_callback = time.monotonic()
        try:
            self._stream = self._backend.open_stream(input_index, output_index, rate, self._callback)
        except (sd.PortAudioError, OSError, ValueError) as exc:
            raise AudioDeviceError("no_microphone", f"the microphone could not be opened: {exc}") from exc

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except (sd.PortAudioError, OSError):
                pass  # already gone (unplugged): nothing left to release

    # -- loop side ---------------------------------------------------------------------------------------
    def play(self, chunk: AudioFrame, prompt_id: int, *, last: bool) -> None:
        if not self.has_output:  # nothing is heard, so never report "started"; the prompt shows as text
            if last:
                self._events.put(PlaybackDrained(prompt_id))
            return
        self._chunks.append((chunk.samples, prompt_id, last, self._generation))

    def flush(self) -> None:
        self._generation += 1
        self._chunks.clear()

    def poll(self) -> list[PortEvent]:
        events: list[PortEvent] = []
        while True:
            try:
                events.append(self._events.get_nowait())
            except queue.Empty:
                break
        if self._stream is not None and not self._lost and time.monotonic() - self._last_callback > STALL_SECONDS:
            self._lost = True
            events.append(DeviceLost("the audio device stopped responding"))
        return events

    # -- audio thread ------------------------------------------------------------------------------------
    def _callback(self, indata: np.ndarray, outdata: np.ndarray | None, frames: int, time_info: Any, status: Any):
        """PortAudio's thread: fill the speaker, cancel its echo from the mic, queue the mic frame."""
        self._last_callback = time.monotonic()
        if outdata is not None:
            played = outdata[:, 0]
            self._fill(played)
            if self._aec is not None:
                self._aec.far_end(played)
        mic = indata[:, 0]
        clean = self._aec.near_end(mic) if self._aec is not None else mic.copy()
        self._events.put(MicFrame(AudioFrame(clean, self.input_rate), rms_of(clean)))

    def _fill(self, out: np.ndarray) -> None:
        written = 0
        while written < len(out):
            if self._current is None or self._current[3] != self._generation:
                self._current = self._next_chunk()
                self._offset = 0
                if self._current is None:
                    break
            samples, prompt_id, last, _ = self._current
            if prompt_id not in self._started and len(samples):
                self._started.add(prompt_id)
                self._events.put(PlaybackStarted(prompt_id))
            take = min(len(out) - written, len(samples) - self._offset)
            out[written : written + take] = samples[self._offset : self._offset + take]
            written += take
            self._offset += take
            if self._offset >= len(samples):
                if last:
                    self._events.put(PlaybackDrained(prompt_id))
                self._current = None
        out[written:] = 0

    def _next_chunk(self) -> tuple[np.ndarray, int, bool, int] | None:
        while self._chunks:
            try:
                chunk = self._chunks.popleft()
            except IndexError:
                return None
            if chunk[3] == self._generation:
                return chunk
        return None


class SoundDeviceCatalog:
    """Device names, a test tone and a live level for the settings dialog."""

    def __init__(self) -> None:
        self._levels: deque[float] = deque(maxlen=1)
        self._stream: Any = None

    def input_names(self) -> list[str]:
        return _names("max_input_channels")

    def output_names(self) -> list[str]:
        return _names("max_output_channels")

    def play_test_tone(self, output: str) -> None:
        try:
            index = SoundDeviceBackend().device_index(output, "output")
            sd.play(beep(48000), samplerate=48000, device=index)
        except (AudioDeviceError, sd.PortAudioError, ValueError) as exc:
            raise DeviceError(f"Cannot play the test tone: {exc}") from exc

    def start_level(self, input_name: str) -> None:
        def callback(indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
            self._levels.append(rms_of(indata[:, 0]))

        try:
            index = SoundDeviceBackend().device_index(input_name, "input")
            self._stream = sd.InputStream(device=index, channels=1, dtype="int16", callback=callback)
            self._stream.start()
        except (AudioDeviceError, sd.PortAudioError, ValueError) as exc:
            raise DeviceError(f"Cannot open the microphone: {exc}") from exc

    def level(self) -> float:
        return self._levels[-1] if self._levels else 0.0

    def stop_level(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.stop()
            stream.close()
        self._levels.clear()


def _names(channels: str) -> list[str]:
    try:
        return [device["name"] for device in sd.query_devices() if device[channels] > 0]
    except sd.PortAudioError:
        return []


def beep(rate: int, seconds: float = 0.6, hz: float = 880.0) -> np.ndarray:
    """A short sine beep with soft edges (no clicks), int16."""
    t = np.arange(int(rate * seconds)) / rate
    envelope = np.minimum(1.0, np.minimum(t, seconds - t) / 0.02)
    return (np.sin(2 * np.pi * hz * t) * envelope * 0.3 * 32767).astype(np.int16)
