"""Whole flows on the real window and controller: typed answers, kiosk resets, settings persistence."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.kiosk.controller import KioskOptions
from core.dialogue.table import State
from core.policy import Policy
from core.prompts import PromptBook
from tests.ui.kiosk_harness import build_kiosk
from ui.settings_model import Duplex, KioskSettings, load_settings
from ui.status_pill import Status


def test_typed_conversation_when_no_engine_is_available(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts)
    window, controller = kiosk.window, kiosk.controller

    async def scenario() -> None:
        await controller.start_call()
        assert window.error_text == window.strings("error.engine")
        assert "speech models are not installed" in (controller.engine_error or "")
        assert window.typed.isEnabled() and not window.meter.active
        assert window.status.status is Status.TYPING
        for answer in ("yes, I am salaried", "sixty thousand", "Bangalore"):
            window.typed.edit.setText(answer)
            window.typed.send.click()
            await kiosk.until(lambda a=answer: any(e.text == a for e in window.transcript.entries()), 2)
        await kiosk.until(lambda: controller.last_record is not None and kiosk.saved != [], 2)

    kiosk.run(scenario())
    record = controller.last_record
    assert record is not None and record.outcome == "eligible"
    assert record.answers == {"employment": "salaried", "monthly_salary": 60000, "city": "Bangalore"}
    assert any("typed only" in note for note in record.notes)
    assert window.outcome.title.text() == "You are eligible"
    assert window.diagram.current_state is State.ELIGIBLE, "the highlight rests on the outcome"
    assert [e.speaker for e in window.transcript.entries()] == ["bot", "caller"] * 3 + ["bot"]
    assert window.status.status is Status.FINISHED and not window.typed.isEnabled()
    assert Status.SPEAKING not in kiosk.statuses, "nothing was played, so the status never claims speaking"
    assert kiosk.saved == [record]
    assert window.engine_text == "", "no engine served this typed-only call"


def test_engine_label_follows_a_fail_over(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    window = build_kiosk(qloop, store, policy, prompts).window
    window.set_engine("openai")
    assert window.engine_text == "Speech: OpenAI Realtime"
    window.set_engine("offline")
    assert window.engine_text == "Speech: offline"


def test_closing_the_window_mid_call_keeps_what_was_answered(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts)
    window, controller = kiosk.window, kiosk.controller

    async def scenario() -> None:
        await controller.start_call()
        window.typed.edit.setText("yes, I work at Infosys")
        window.typed.send.click()
        call = controller.call
        assert call is not None
        await kiosk.until(lambda: call.conversation.state is State.ASK_SALARY, 2)
        with qtbot.waitSignal(window.closing, timeout=1000):
            window.close()
        await controller.close()

    kiosk.run(scenario())
    assert kiosk.saved, "the call was stored before the app quit"
    record = kiosk.saved[-1]
    assert record.outcome == "incomplete"
    assert record.answers["employment"] == "salaried"


def test_stop_ends_the_call_incomplete(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts)

    async def scenario() -> None:
        await kiosk.controller.start_call()
        kiosk.window.start_stop.click()
        await kiosk.until(lambda: kiosk.controller.last_record is not None, 2)

    kiosk.run(scenario())
    assert kiosk.controller.last_record is not None and kiosk.controller.last_record.outcome == "incomplete"
    assert kiosk.window.outcome.title.text() == "We could not finish"


def test_kiosk_resets_to_welcome_after_the_outcome(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    settings = replace(KioskSettings(), outcome_reset_s=3)
    kiosk = build_kiosk(qloop, store, policy, prompts, options=KioskOptions(kiosk=True), settings=settings)
    window = kiosk.window

    async def scenario() -> None:
        await kiosk.controller.start_call()
        await kiosk.controller.type_answer("no, I run a shop")
        await kiosk.until(lambda: window.outcome.isVisible(), 2)
        assert "3 s" in window.outcome.countdown.text()
        await kiosk.until(lambda: "2 s" in window.outcome.countdown.text(), 2)
        await kiosk.until(lambda: window.on_welcome, 3)

    kiosk.run(scenario())
    assert window.transcript.entries() == [] and window.diagram.taken_edges == ()
    assert window.status.status is Status.READY


def test_kiosk_resets_an_abandoned_conversation(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts, options=KioskOptions(kiosk=True))
    kiosk.controller.idle.set_seconds(1)  # the settings floor is 15 s; the mechanism is the same

    async def scenario() -> None:
        await kiosk.controller.start_call()
        await kiosk.controller.type_answer("yes")
        assert len(kiosk.window.transcript.entries()) == 3
        await kiosk.until(lambda: kiosk.window.on_welcome, 3)

    kiosk.run(scenario())
    assert kiosk.controller.last_record is not None and kiosk.controller.last_record.outcome == "incomplete"
    assert kiosk.window.transcript.entries() == []


def test_normal_window_keeps_the_outcome(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts, settings=replace(KioskSettings(), outcome_reset_s=3))

    async def scenario() -> None:
        await kiosk.controller.start_call()
        await kiosk.controller.type_answer("no")
        await asyncio.sleep(3.5)

    kiosk.run(scenario())
    assert kiosk.window.outcome.isVisible() and not kiosk.window.on_welcome


def test_settings_changes_persist_and_apply(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts)
    kiosk.run(kiosk.controller.ready())
    dialog = kiosk.controller.open_settings()
    dialog.pin.setText("97531")
    dialog.duplex.setCurrentIndex(dialog.duplex.findData(Duplex.HALF.value))
    dialog.language.setCurrentIndex(dialog.language.findData("hi"))
    dialog.try_accept()
    assert kiosk.controller.settings.exit_pin == "97531"
    reloaded, notes = load_settings(QSettings(store.fileName(), QSettings.Format.IniFormat))
    assert notes == [] and reloaded == kiosk.controller.settings
    assert reloaded.duplex == Duplex.HALF.value
    assert kiosk.window.welcome.start.text() == "शुरू करें"
