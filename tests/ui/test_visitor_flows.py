"""Issue 13 as a visitor and staff meet it, on the real window and controller, through real key presses and
clicks: Enter keeps the call going, lead capture into a real records store, the staff page closing on idle,
a store that cannot save, a broken policy at start-up, and the visitor's language reaching the call."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.kiosk.controller import KioskOptions
from app.kiosk.main import _Records
from core.dialogue.table import State
from core.policy import Policy
from core.prompts import PromptBook
from core.records import RecordStore
from tests.ui.kiosk_harness import Kiosk, build_kiosk
from ui.pin_dialog import PinDialog
from ui.strings import Lang


def _type(qtbot: QtBot, kiosk: Kiosk, text: str) -> None:
    """What a visitor does: type into the focused answer box and press Enter."""
    box = kiosk.window.typed.edit
    assert box.hasFocus() or not box.window().isActiveWindow(), "the answer box has the keyboard during a call"
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


async def _eligible_by_keyboard(qtbot: QtBot, kiosk: Kiosk) -> None:
    await kiosk.controller.start_call()
    for answer in ("yes I am salaried", "sixty thousand", "Mumbai"):
        _type(qtbot, kiosk, answer)
        await kiosk.until(lambda a=answer: any(e.text == a for e in kiosk.window.transcript.entries()), 2)
    await kiosk.until(lambda: kiosk.controller.finishing is not None and kiosk.controller.finishing.done(), 5)


def test_enter_in_the_answer_box_sends_and_the_call_goes_on(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts)
    window, controller = kiosk.window, kiosk.controller

    async def scenario() -> None:
        await controller.start_call()
        window.typed.edit.setFocus()
        qtbot.keyClicks(window.typed.edit, "yes I work in an office")
        qtbot.keyClick(window.typed.edit, Qt.Key.Key_Return)
        call = controller.call
        assert call is not None
        await kiosk.until(lambda: call.conversation.state is State.ASK_SALARY, 2)
        qtbot.keyClicks(window.typed.edit, "forty thousand")
        assert window.typed.edit.text() == "forty thousand", "Space typed a space"
        qtbot.keyClick(window.typed.edit, Qt.Key.Key_Enter)
        await kiosk.until(lambda: call.conversation.state is State.ASK_CITY, 2)

    kiosk.run(scenario())
    assert not controller.call.finished and window.running
    assert controller.last_record is None, "the call did not end"


def test_lead_capture_stores_a_valid_number_and_refuses_an_invalid_one(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    store: QSettings,
    policy: Policy,
    prompts: PromptBook,
    tmp_path: Path,
) -> None:
    records_store = RecordStore.open(f"sqlite:///{tmp_path}/records.sqlite3", spool_dir=tmp_path)
    records = _Records()
    records._store = records_store
    kiosk = build_kiosk(qloop, store, policy, prompts, records=records.save, options=KioskOptions(kiosk=True))
    window = kiosk.window
    window.lead_given.connect(lambda call_id, contact: asyncio.ensure_future(records.save_contact(call_id, contact)))
    pad = window.lead.pad

    async def scenario() -> None:
        await _eligible_by_keyboard(qtbot, kiosk)
        assert window.lead.isVisible() and window.outcome.title.text() == "You are eligible"
        for key in "12345":
            qtbot.mouseClick(pad.keys[key], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(window.lead.save_button, Qt.MouseButton.LeftButton)
        assert "not a valid Indian mobile number" in window.lead.error.text()
        for _ in range(5):
            qtbot.mouseClick(pad.keys["⌫"], Qt.MouseButton.LeftButton)
        for key in "9876543210":
            qtbot.mouseClick(pad.keys[key], Qt.MouseButton.LeftButton)
        assert "20 s" in window.outcome.countdown.text(), "the screen does not clear while the visitor types"
        qtbot.mouseClick(window.lead.save_button, Qt.MouseButton.LeftButton)
        record = kiosk.controller.last_record
        await kiosk.until(lambda: (records_store.get(record.call_id) or {}).get("contact") is not None, 5)

    kiosk.run(scenario())
    record = kiosk.controller.last_record
    stored = records_store.get(record.call_id)
    assert stored["outcome"] == "eligible"
    assert stored["contact"]["phone"] == "+919876543210" and stored["contact"]["consent"] is True
    reference = stored["contact"]["reference"]
    assert reference == record.call_id[:8] and reference in window.outcome.reference.text()
    assert "9876543210" in window.lead.done_text.text()
    records_store.close()


def test_skipping_the_number_is_recorded(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts)
    given: list[tuple[str, dict]] = []
    kiosk.window.lead_given.connect(lambda call_id, contact: given.append((call_id, contact)))

    async def scenario() -> None:
        await _eligible_by_keyboard(qtbot, kiosk)
        qtbot.mouseClick(kiosk.window.lead.skip_button, Qt.MouseButton.LeftButton)

    kiosk.run(scenario())
    assert [(c, d["skipped"], d["phone"]) for c, d in given] == [(kiosk.controller.last_record.call_id, True, None)]


def test_analytics_is_closed_by_the_idle_reset(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    store: QSettings,
    policy: Policy,
    prompts: PromptBook,
    tmp_path: Path,
) -> None:
    from ui.analytics_view import AnalyticsView

    records_store = RecordStore.open(f"sqlite:///{tmp_path}/records.sqlite3", spool_dir=tmp_path)
    kiosk = build_kiosk(qloop, store, policy, prompts, options=KioskOptions(kiosk=True))
    window = kiosk.window
    window.analytics_factory = lambda: AnalyticsView(records_store)
    window.set_exit_pin("1357")
    kiosk.controller.idle.set_seconds(2)  # the settings floor is 15 s; the mechanism is the same
    warnings: list[int] = []
    kiosk.controller.idle.warning.connect(warnings.append)

    async def scenario() -> None:
        qtbot.mouseClick(window.staff_button, Qt.MouseButton.LeftButton)
        pin = next(d for d in window.findChildren(PinDialog) if d.isVisible())
        for key in "1357":
            qtbot.mouseClick(pin.pad.keys[key], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(pin.ok, Qt.MouseButton.LeftButton)
        assert window.on_staff_page
        qtbot.mouseClick(window.staff.analytics_button, Qt.MouseButton.LeftButton)
        assert isinstance(window.staff.view, AnalyticsView)
        await kiosk.until(lambda: window.idle_warning.isVisible(), 2)
        await kiosk.until(lambda: window.on_welcome, 3)

    kiosk.run(scenario())
    assert warnings == [1], "a 'still there?' warning came before the wipe"
    assert window.staff.view is None and not window.idle_warning.isVisible()
    assert not any(d.isVisible() for d in window.findChildren(PinDialog))
    records_store.close()


def test_a_store_that_cannot_save_alerts_staff_and_the_visitor_still_gets_the_outcome(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    store: QSettings,
    policy: Policy,
    prompts: PromptBook,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the records folder should be")
    monkeypatch.setenv("QUICKRUPEE_DB_URL", str(blocker / "records.sqlite3"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    kiosk = build_kiosk(qloop, store, policy, prompts)
    window = kiosk.window
    records = _Records(lambda detail: window.set_staff_alert("records", detail))
    kiosk.controller._save_record = records.save

    async def scenario() -> None:
        await _eligible_by_keyboard(qtbot, kiosk)

    kiosk.run(scenario())
    assert window.outcome.title.text() == "You are eligible"
    assert window.staff_button.property("alert") is True
    assert "cannot create the records database file" in " ".join(window.staff.alert_texts)
    spooled = [json.loads(line) for p in (tmp_path / "data").rglob("*spool*") for line in p.read_text().splitlines()]
    assert [r["call_id"] for r in spooled] == [kiosk.controller.last_record.call_id]


def test_the_visitors_language_reaches_the_call(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    kiosk = build_kiosk(qloop, store, policy, prompts)
    window = kiosk.window
    qtbot.mouseClick(window.welcome.language_buttons[Lang.HI], Qt.MouseButton.LeftButton)

    async def scenario() -> None:
        qtbot.mouseClick(window.welcome.start, Qt.MouseButton.LeftButton)
        await kiosk.until(lambda: kiosk.controller.call is not None, 2)
        _type(qtbot, kiosk, "nahin")
        await kiosk.until(lambda: kiosk.controller.last_record is not None, 2)

    kiosk.run(scenario())
    assert kiosk.controller.last_record.language == "hi"
    assert window.outcome.title.text() == "अभी पात्र नहीं"
    assert window._transcript_title.text() == "बातचीत"


def test_a_broken_policy_shows_the_error_window(
    qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import core.policy
    from app.kiosk.main import main as kiosk_entry
    from ui.startup_error import StartupErrorWindow

    broken = tmp_path / "policy.json"
    broken.write_text('{"version": "x", "min_monthly_salary": "lots"')
    monkeypatch.setattr(core.policy, "DEFAULT_POLICY_PATH", broken)
    seen: list[str] = []

    def look_and_quit() -> None:
        window = next(w for w in qapp.topLevelWidgets() if isinstance(w, StartupErrorWindow) and w.isVisible())
        seen.append(window.problem.text() + " | " + window.remedy.text())
        qtbot.mouseClick(window.quit, Qt.MouseButton.LeftButton)
        qapp.quit()

    QTimer.singleShot(300, look_and_quit)
    assert kiosk_entry([]) == 2
    assert len(seen) == 1 and "policy" in seen[0] and str(broken) in seen[0]
    assert "Restore resources/policy.json" in seen[0]


def test_help_lists_every_kiosk_flag() -> None:
    from app.__main__ import USAGE
    from app.kiosk.main import build_parser

    flags = [flag for action in build_parser()._actions for flag in action.option_strings if flag.startswith("--")]
    assert "--language" in flags
    missing = [flag for flag in flags if flag not in USAGE and flag != "--help"]
    assert missing == []


def test_an_incomplete_kiosk_call_does_not_send_the_visitor_to_a_branch(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: QSettings, policy: Policy, prompts: PromptBook
) -> None:
    from app.kiosk.wording import for_the_kiosk

    kiosk = build_kiosk(qloop, store, policy, for_the_kiosk(prompts))

    async def scenario() -> None:
        await kiosk.controller.start_call()
        for _ in range(3):  # three unusable replies end the call incomplete
            _type(qtbot, kiosk, "purple elephants")
            await asyncio.sleep(0.05)
        await kiosk.until(lambda: kiosk.controller.last_record is not None, 2)

    kiosk.run(scenario())
    last = kiosk.window.transcript.entries()[-1].text
    assert "member of staff here" in last and "branch" not in last
    assert "ask a member of staff here" in kiosk.window.outcome.next_step.text()
    assert kiosk.window.start_stop.text() == "Start again"
