"""Full and half duplex on the real offline engine, with a simulated room: the speaker's output echoes
into the microphone (through the real port callback and echo canceller), and a visitor may talk over it."""

from __future__ import annotations

import asyncio
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.kiosk import devices
from app.kiosk.calls import MicLevel
from app.kiosk.main import engine_loader
from core.audio import read_wav, resample
from core.events import SpeechStarted, StopPlayback
from core.policy import Policy
from core.prompts import PromptBook
from core.speech.engine import SpeechEngine
from tests.ui.fake_portaudio import FakeBackend
from tests.ui.kiosk_harness import Kiosk, build_kiosk
from ui.settings_model import Duplex, KioskSettings
from ui.status_pill import Status

pytestmark = pytest.mark.slow
RATE = 48000


@pytest.fixture(scope="module")
def engine(prompts: PromptBook) -> SpeechEngine:
    return engine_loader(prompts)("offline", KioskSettings())


def _visitor(tmp_path: Path, text: str, start_s: float) -> np.ndarray:
    """The visitor's voice at the microphone, starting `start_s` seconds into the call."""
    path = tmp_path / "visitor.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), text], check=True)
    voice = resample(read_wav(path), RATE).samples.astype(np.float64)
    return np.concatenate([np.zeros(int(start_s * RATE)), voice, np.zeros(RATE * 30)])


def _kiosk(
    qloop: asyncio.AbstractEventLoop,
    store: QSettings,
    policy: Policy,
    prompts: PromptBook,
    engine: SpeechEngine,
    monkeypatch: pytest.MonkeyPatch,
    backend: FakeBackend,
    duplex: Duplex,
) -> tuple[Kiosk, list[object]]:
    monkeypatch.setattr(devices, "SoundDeviceBackend", lambda: backend)
    settings = replace(KioskSettings(), duplex=duplex.value)
    kiosk = build_kiosk(qloop, store, policy, prompts, settings=settings, load_engine=lambda n, s: engine)
    seen: list[object] = []
    forward = kiosk.controller._on_event

    def spy(event: object) -> None:
        seen.append(event)
        forward(event)

    kiosk.controller._on_event = spy  # type: ignore[method-assign]
    return kiosk, seen


def test_echo_alone_never_interrupts_the_bot(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    store: QSettings,
    policy: Policy,
    prompts: PromptBook,
    engine: SpeechEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backend = FakeBackend(echo_gain=0.6)
    kiosk, seen = _kiosk(qloop, store, policy, prompts, engine, monkeypatch, backend, Duplex.FULL)

    async def scenario() -> None:
        await kiosk.controller.ready()
        await kiosk.controller.start_call()
        await kiosk.until(lambda: kiosk.window.status.status is Status.LISTENING, 30)
        await kiosk.controller.stop_call()

    kiosk.run(scenario())
    assert not any(isinstance(e, StopPlayback) for e in seen), "the bot's own voice cut the prompt off"
    assert not any(isinstance(e, SpeechStarted) for e in seen), "the echo was heard as speech"
    assert Status.SPEAKING in kiosk.statuses


def test_the_visitor_can_interrupt_in_full_duplex(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    store: QSettings,
    policy: Policy,
    prompts: PromptBook,
    engine: SpeechEngine,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    backend = FakeBackend(echo_gain=0.6, voice=_visitor(tmp_path, "no, I am not salaried", start_s=4.0))
    kiosk, seen = _kiosk(qloop, store, policy, prompts, engine, monkeypatch, backend, Duplex.FULL)

    async def scenario() -> None:
        await kiosk.controller.ready()
        await kiosk.controller.start_call()
        await kiosk.until(lambda: kiosk.controller.last_record is not None, 60)

    kiosk.run(scenario())
    record = kiosk.controller.last_record
    assert any(isinstance(e, StopPlayback) for e in seen), "the greeting was not cut off"
    assert record is not None and record.turns[0].barge_in
    assert record.outcome == "not_eligible", record.to_json()
    assert backend.stream is not None
    played = np.concatenate(backend.stream.played)
    cut_at = _first_pause(played, start=int(np.flatnonzero(played)[0]), pause_s=0.4) / RATE
    assert 4.0 < cut_at < 6.0, f"the greeting went on until {cut_at:.1f} s (the visitor spoke at 4 s)"


def _first_pause(samples: np.ndarray, start: int, pause_s: float) -> int:
    """Index where the first run of silence at least `pause_s` long begins (sentence gaps are shorter)."""
    quiet = np.flatnonzero(samples[start:] != 0)
    gaps = np.flatnonzero(np.diff(quiet) > pause_s * RATE)
    return start + int(quiet[gaps[0]]) if gaps.size else len(samples)


def test_half_duplex_closes_the_microphone_while_the_bot_speaks(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    store: QSettings,
    policy: Policy,
    prompts: PromptBook,
    engine: SpeechEngine,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    backend = FakeBackend(echo_gain=0.0, voice=_visitor(tmp_path, "no, I am not salaried", start_s=2.0))
    kiosk, seen = _kiosk(qloop, store, policy, prompts, engine, monkeypatch, backend, Duplex.HALF)
    during: list[bool] = []

    async def scenario() -> None:
        await kiosk.controller.ready()
        await kiosk.controller.start_call()
        await kiosk.until(lambda: kiosk.window.status.status is Status.SPEAKING, 10)
        await asyncio.sleep(3.0)  # the visitor talks over the greeting from 2 s on
        during.append(kiosk.window.meter.active)
        await kiosk.until(lambda: kiosk.window.status.status is Status.LISTENING, 30)
        await asyncio.sleep(0.3)
        during.append(kiosk.window.meter.active)
        await kiosk.controller.stop_call()

    kiosk.run(scenario())
    assert during == [False, True], "the meter shows the microphone closed while speaking, open after"
    assert not any(isinstance(e, StopPlayback | SpeechStarted) for e in seen), "nothing heard while speaking"
    assert any(isinstance(e, MicLevel) and e.rms is None for e in seen)
