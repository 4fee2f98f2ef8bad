"""A spoken kiosk call on the scripted engine: the real window, controller, SpokenCall, file device and
Session, with scripted readings instead of Whisper, so the whole flow takes seconds (test_spoken.py
keeps the real-model call)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.kiosk.controller import KioskOptions
from core.audio import AudioFrame, concat, write_wav
from core.dialogue.table import State
from core.policy import Policy
from core.prompts import PromptBook
from tests.fakes.scripted_engine import ScriptedEngine, speech
from tests.ui.kiosk_harness import build_kiosk
from ui.settings_model import KioskSettings
from ui.status_pill import Status

RATE = 16000


def test_a_spoken_kiosk_call_on_the_scripted_engine(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook,
    tmp_path: Path,
) -> None:  # fmt: skip
    engine = ScriptedEngine(["yes, I am salaried", "forty thousand rupees", "Mumbai"], seconds_per_char=0.003)
    answers = []
    for index in range(3):
        path = tmp_path / f"answer{index}.wav"
        write_wav(path, concat([speech(0.6, RATE), AudioFrame.silence(1.0, RATE)]))
        answers.append(path)

    def load(name: str, settings: KioskSettings) -> ScriptedEngine:
        return engine

    options = KioskOptions(input_wavs=answers, file_speed=4.0)
    kiosk = build_kiosk(qloop, store, policy, prompts, options=options, load_engine=load)  # type: ignore[arg-type]
    window, controller = kiosk.window, kiosk.controller

    async def scenario() -> None:
        await controller.ready()
        await controller.start_call()
        await kiosk.until(lambda: controller.last_record is not None, 20)
        assert controller.call is not None
        await controller.call.wait_closed()

    kiosk.run(scenario())
    record = controller.last_record
    assert record is not None and record.outcome == "eligible", record.to_json()
    assert record.engine == "scripted" and record.channel == "kiosk"
    callers = [e for e in window.transcript.entries() if e.speaker == "caller"]
    assert [e.text for e in callers] == ["yes, I am salaried", "forty thousand rupees", "Mumbai"]
    assert window.diagram.current_state is State.ELIGIBLE  # the highlight rests on the outcome
    assert window.engine_text.endswith("scripted")
    statuses = kiosk.statuses
    assert statuses.index(Status.SPEAKING) < statuses.index(Status.LISTENING) < statuses.index(Status.FINISHED)
    assert kiosk.saved == [record]
