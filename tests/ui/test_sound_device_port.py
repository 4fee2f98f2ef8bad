"""The sound-card port: rate choice, exact playback, echo cancelled in the callback, unplug detection."""

from __future__ import annotations

import time

import numpy as np
import pytest
import sounddevice as sd

from app.kiosk.audio_port import AudioDeviceError, DeviceLost, MicFrame, PlaybackDrained, PlaybackStarted, PortEvent
from app.kiosk.devices import STALL_SECONDS, SoundDeviceBackend, SoundDevicePort, beep
from core.audio import AudioFrame
from tests.ui.fake_portaudio import FakeBackend


def _collect(port: SoundDevicePort, seconds: float) -> list[PortEvent]:
    events: list[PortEvent] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        events.extend(port.poll())
        time.sleep(0.01)
    return events


def test_this_machine_has_no_microphone_and_says_so() -> None:
    assert sd.query_devices() is not None
    with pytest.raises(AudioDeviceError) as caught:
        SoundDevicePort().open()
    assert caught.value.kind == "no_microphone"


def test_named_device_that_is_gone() -> None:
    with pytest.raises(AudioDeviceError, match="'USB Mic' is not connected"):
        SoundDeviceBackend().device_index("USB Mic", "input")


def test_prefers_48k_falls_back_to_16k_and_names_a_refused_rate() -> None:
    for rates, expected in (((48000, 16000), 48000), ((16000,), 16000)):
        port = SoundDevicePort(backend=FakeBackend(rates))
        port.open()
        assert port.input_rate == port.output_rate == expected
        port.close()
    with pytest.raises(AudioDeviceError) as caught:
        SoundDevicePort(backend=FakeBackend((44100,))).open()
    assert caught.value.kind == "sample_rate"


def test_plays_the_exact_samples_then_reports_drained() -> None:
    backend = FakeBackend(echo_gain=0.0)
    port = SoundDevicePort(backend=backend)
    port.open()
    tone = np.random.default_rng(2).integers(1000, 2000, 48000 * 3 // 10).astype(np.int16)
    port.play(AudioFrame(tone, 48000), 7, last=False)
    port.play(AudioFrame(np.zeros(0, np.int16), 48000), 7, last=True)
    events = _collect(port, 0.6)
    port.close()
    kinds = [type(e) for e in events if not isinstance(e, MicFrame)]
    assert kinds == [PlaybackStarted, PlaybackDrained]
    assert backend.stream is not None
    played = np.concatenate(backend.stream.played)
    start = int(np.flatnonzero(played)[0])
    assert np.array_equal(played[start : start + len(tone)], tone)
    assert not played[start + len(tone) :].any()
    assert sum(isinstance(e, MicFrame) for e in events) > 30


def test_flush_stops_the_prompt_at_once() -> None:
    backend = FakeBackend(echo_gain=0.0)
    port = SoundDevicePort(backend=backend)
    port.open()
    for _ in range(20):
        port.play(AudioFrame(beep(48000, seconds=0.2), 48000), 1, last=False)
    time.sleep(0.15)
    port.flush()
    time.sleep(0.1)
    assert backend.stream is not None
    tail = np.concatenate(backend.stream.played[-5:])
    port.close()
    assert not tail.any(), "nothing may play after a barge-in flush"


def test_echo_is_cancelled_inside_the_callback() -> None:
    """The fake room plays the speaker back into the microphone; the port's frames carry little of it."""
    backend = FakeBackend(echo_gain=0.5)
    port = SoundDevicePort(backend=backend)
    port.open()
    rng = np.random.default_rng(5)
    prompt = (np.convolve(rng.standard_normal(48000 * 5), np.ones(6) / 6, mode="same") * 6000).astype(np.int16)
    port.play(AudioFrame(prompt, 48000), 1, last=True)
    events = _collect(port, 5.0)
    port.close()
    assert backend.stream is not None
    raw = np.concatenate(backend.stream.mic).astype(np.float64)
    cleaned = np.concatenate([e.frame.samples for e in events if isinstance(e, MicFrame)]).astype(np.float64)
    settled = slice(48000 * 2, min(len(raw), len(cleaned)) - 48000 // 2)
    reduction = 10 * np.log10(np.mean(cleaned[settled] ** 2) / np.mean(raw[settled] ** 2))
    assert reduction < -15.0, f"echo only {reduction:.1f} dB down"


def test_unplugged_device_is_reported_once() -> None:
    backend = FakeBackend()
    port = SoundDevicePort(backend=backend)
    port.open()
    time.sleep(0.1)
    assert backend.stream is not None
    backend.stream.unplugged.set()
    events = _collect(port, STALL_SECONDS + 0.5)
    port.close()
    lost = [e for e in events if isinstance(e, DeviceLost)]
    assert len(lost) == 1 and "stopped responding" in lost[0].detail


def test_without_a_speaker_it_still_listens_and_never_claims_to_play() -> None:
    port = SoundDevicePort(backend=FakeBackend(speaker=False))
    port.open()
    assert not port.has_output and "no output device" in (port.output_problem or "")
    port.play(AudioFrame(beep(48000), 48000), 3, last=False)
    port.play(AudioFrame(np.zeros(0, np.int16), 48000), 3, last=True)
    events = _collect(port, 0.3)
    port.close()
    assert [type(e) for e in events if not isinstance(e, MicFrame)] == [PlaybackDrained]
    assert any(isinstance(e, MicFrame) for e in events)
