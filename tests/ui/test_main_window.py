"""The window: Space/Enter start and stop, welcome clears everything, kiosk mode needs the PIN to leave."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from core.dialogue.table import State, Trigger, follow
from core.record import CallRecord
from ui.main_window import MainWindow
from ui.pin_dialog import PinDialog
from ui.status_pill import Status
from ui.strings import Lang, Strings
from ui.theme import apply_theme, type_scale


def _window(qtbot: QtBot, values: dict[str, str], size: tuple[int, int] = (1024, 768)) -> MainWindow:
    window = MainWindow(Strings(), values)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    return window


def test_space_and_enter_start_and_stop(qtbot: QtBot, values: dict[str, str], themed: QApplication) -> None:
    window = _window(qtbot, values)
    with qtbot.waitSignal(window.start_requested):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    window.set_running(True)
    assert window.start_stop.text() == "Stop"
    with qtbot.waitSignal(window.stop_requested):
        qtbot.keyClick(window, Qt.Key.Key_Return)


def test_space_inside_the_answer_box_is_typing(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    window.show_conversation()
    window.set_typing_enabled(True)
    starts: list[bool] = []
    window.start_requested.connect(lambda: starts.append(True))
    window.typed.edit.setFocus()
    qtbot.keyClicks(window.typed.edit, "forty thousand")
    assert window.typed.edit.text() == "forty thousand" and starts == []


def test_welcome_clears_the_previous_visitor(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    window.show_conversation()
    window.transcript.add_bot("Are you salaried?")
    window.transcript.show_final("yes")
    window.diagram.advance((follow(State.INIT, Trigger.START),))
    window.typed.edit.setText("half typed")
    window.show_error("boom")
    window.show_welcome()
    assert window.on_welcome
    assert window.transcript.entries() == [] and window.diagram.taken_edges == ()
    assert window.typed.edit.text() == "" and window.error_text == ""
    assert window.status.status is Status.READY and window.outcome.isHidden()


def test_outcome_advances_the_diagram_to_the_end(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    window.show_conversation()
    window.diagram.advance((follow(State.INIT, Trigger.START), follow(State.GREETING, Trigger.GREETED)))
    record = CallRecord(channel="kiosk", engine="text", policy_version="t")
    record.path = ["INIT", "GREETING", "ASK_EMPLOYMENT", "INCOMPLETE", "END"]
    record.outcome = "incomplete"
    window.show_outcome(record, None)
    assert window.diagram.current_state is State.END
    assert window.diagram.taken_edges[-2].trigger is Trigger.HUNG_UP
    assert window.status.status is Status.FINISHED and not window.running


def test_kiosk_mode_is_full_screen_and_exit_needs_the_pin(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    window.set_kiosk(True, "1357")
    assert window.isFullScreen()
    assert window.geometry().contains(window.screen().geometry())
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    window.close()
    assert window.isVisible(), "kiosk must not close without the PIN"
    window.exit_button.click()
    dialog = window.findChild(PinDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.edit.setText("0000")
    dialog.check()
    assert window.isVisible()
    dialog.edit.setText("1357")
    dialog.check()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_settings_are_staff_only_in_kiosk_mode(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    opened: list[bool] = []
    window.settings_requested.connect(lambda: opened.append(True))
    window.settings_button.click()
    assert opened == [True]
    window.set_kiosk(True, "1357")
    window.settings_button.click()
    assert opened == [True]
    dialog = window.findChild(PinDialog)
    dialog.edit.setText("1357")
    dialog.check()
    assert opened == [True, True]


def test_normal_mode_is_a_resizable_window(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    assert not window.isFullScreen()
    assert not window.windowFlags() & Qt.WindowType.FramelessWindowHint
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: window.width() == 1400)


def test_language_switch_retranslates_the_window(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    english = window.welcome.start.text()
    window.set_language(Lang.HI)
    assert window.welcome.start.text() != english
    assert window.status.text() == Strings(Lang.HI)("status.ready")


def test_no_text_is_clipped_at_kiosk_resolutions(qtbot: QtBot, values: dict[str, str], qapp: QApplication) -> None:
    """Every visible label gets at least the height its text needs at 1024x768 and 1920x1080 (larger type)."""
    for size in ((1024, 768), (1920, 1080)):
        apply_theme(qapp, type_scale(size[1]))
        window = _window(qtbot, values, size)
        for page in ("welcome", "conversation"):
            if page == "conversation":
                window.show_conversation()
                window.transcript.add_bot("Is your monthly salary at least twenty-five thousand rupees?")
                record = CallRecord(channel="kiosk", engine="text", policy_version="t")
                record.outcome, record.reasons = "not_eligible", ["salary_below_minimum", "city_not_serviceable"]
                window.show_outcome(record, 15)
            qtbot.wait(50)
            for label in window.findChildren(QLabel):
                if not label.isVisible() or not label.text():
                    continue
                needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
                assert label.height() >= needed - 2, (size, page, label.objectName(), label.text()[:40])
                if not label.wordWrap():
                    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text()) - 2, label.text()


def test_analytics_opens_the_records_view_behind_the_pin(qtbot: QtBot, values: dict[str, str], tmp_path: Path) -> None:
    from core.records import RecordStore
    from ui.analytics_view import AnalyticsView

    window = _window(qtbot, values)
    assert window.analytics_button.isVisible()
    window.analytics_button.click()
    assert "no records store" in window.error_text
    store = RecordStore.open(str(tmp_path / "records.sqlite3"), spool_dir=tmp_path)
    window.analytics_factory = lambda: AnalyticsView(store)
    window.set_kiosk(True, "1357")
    window.analytics_button.click()
    assert window.findChild(AnalyticsView) is None, "kiosk mode asks for the PIN first"
    pin = window.findChild(PinDialog)
    pin.edit.setText("1357")
    pin.check()
    view = window.findChild(AnalyticsView)
    assert view is not None
    qtbot.waitUntil(view.isVisible)
    store.close()


def test_about_dialog_from_the_header(qtbot: QtBot, values: dict[str, str]) -> None:
    from ui.about_dialog import AboutDialog

    window = _window(qtbot, values)
    window.about_button.click()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()


def test_hindi_toggle_appears_when_the_core_offers_hindi(qtbot: QtBot, values: dict[str, str]) -> None:
    assert not _window(qtbot, values).language_button.isVisible()
    window = MainWindow(Strings(), values, hindi_available=True)
    qtbot.addWidget(window)
    window.show()
    assert window.language_button.isVisible() and window.language_button.text() == "हिन्दी"
    with qtbot.waitSignal(window.language_changed) as changed:
        window.language_button.click()
    assert changed.args == ["hi"]
    assert window.language_button.text() == "English"
    assert window.welcome.start.text() == Strings(Lang.HI)("button.start")
