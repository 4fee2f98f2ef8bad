"""The window: Space/Enter start and stop, welcome clears everything, kiosk mode needs the PIN to leave."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
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


def test_space_on_the_focused_start_button_starts(qtbot: QtBot, values: dict[str, str], themed: QApplication) -> None:
    window = _window(qtbot, values)
    qtbot.waitUntil(window.welcome.start.hasFocus)
    with qtbot.waitSignal(window.start_requested):
        qtbot.keyClick(window.welcome.start, Qt.Key.Key_Space)


def test_keys_during_a_call_type_and_never_stop_it(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    window.show_conversation()
    window.set_running(True)
    window.set_typing_enabled(True)
    stops: list[bool] = []
    window.stop_requested.connect(lambda: stops.append(True))
    window.start_stop.setFocus()
    qtbot.keyClicks(window, "forty thousand")
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.typed.edit.text() == "forty thousand" and stops == []


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


def test_outcome_rests_the_diagram_on_the_outcome(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    window.show_conversation()
    window.diagram.advance((follow(State.INIT, Trigger.START), follow(State.GREETING, Trigger.GREETED)))
    record = CallRecord(channel="kiosk", engine="text", policy_version="t")
    record.path = ["INIT", "GREETING", "ASK_EMPLOYMENT", "INCOMPLETE", "END"]
    record.outcome = "incomplete"
    window.show_outcome(record, None)
    assert window.diagram.current_state is State.INCOMPLETE and State.END in window.diagram.visited
    assert window.diagram.taken_edges[-2].trigger is Trigger.HUNG_UP
    assert window.status.status is Status.FINISHED and not window.running
    assert window.start_stop.text() == "Start again"


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


def _staff(qtbot: QtBot, window: MainWindow, pin: str) -> None:
    """Open the staff page as staff do: the discreet control, then the PIN on the keypad."""
    qtbot.mouseClick(window.staff_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in window.findChildren(PinDialog) if d.isVisible())
    for key in pin:
        qtbot.mouseClick(dialog.pad.keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    dialog.deleteLater()


def test_kiosk_mode_is_full_screen_and_exit_is_on_the_staff_page(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    window.set_kiosk(True, "1357")
    window.set_exit_pin("1357")
    assert window.isFullScreen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    window.close()
    assert window.isVisible(), "kiosk must not close without the PIN"
    _staff(qtbot, window, "0000")
    assert not window.on_staff_page, "a wrong PIN opens nothing"
    next(d for d in window.findChildren(PinDialog) if d.isVisible()).reject()
    _staff(qtbot, window, "1357")
    assert window.on_staff_page
    qtbot.mouseClick(window.staff.exit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_staff_page_has_settings_analytics_about_and_closes(
    qtbot: QtBot, values: dict[str, str], tmp_path: Path
) -> None:
    from core.records import RecordStore
    from ui.about_dialog import AboutDialog
    from ui.analytics_view import AnalyticsView

    window = _window(qtbot, values)
    window.set_exit_pin("1357")
    opened: list[bool] = []
    window.settings_requested.connect(lambda: opened.append(True))
    _staff(qtbot, window, "1357")
    assert window.on_staff_page and window._bottom.isHidden()
    qtbot.mouseClick(window.staff.settings_button, Qt.MouseButton.LeftButton)
    assert opened == [True]
    qtbot.mouseClick(window.staff.analytics_button, Qt.MouseButton.LeftButton)
    assert "no records store" in " ".join(window.staff.alert_texts)
    store = RecordStore.open(str(tmp_path / "records.sqlite3"), spool_dir=tmp_path)
    window.analytics_factory = lambda: AnalyticsView(store)
    qtbot.mouseClick(window.staff.analytics_button, Qt.MouseButton.LeftButton)
    view = window.staff.view
    assert isinstance(view, AnalyticsView)
    qtbot.waitUntil(view.isVisible)
    qtbot.mouseClick(window.staff.about_button, Qt.MouseButton.LeftButton)
    assert window.findChild(AboutDialog).isVisible()
    window.show_welcome()  # any reset
    assert window.on_welcome and window.staff.view is None
    assert not window.findChild(AboutDialog).isVisible(), "dialogs close on a reset too"
    store.close()


def test_first_use_of_the_factory_pin_asks_for_a_new_one(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    changed: list[str] = []
    window.pin_changed.connect(changed.append)
    _staff(qtbot, window, "2580")
    chooser = next(d for d in window.findChildren(PinDialog) if d.isVisible())
    assert "factory default" in chooser.note.text()
    for _ in range(2):
        for key in "4826":
            qtbot.mouseClick(chooser.pad.keys[key], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(chooser.ok, Qt.MouseButton.LeftButton)
    assert changed == ["4826"]


def test_a_store_alert_marks_the_staff_control_until_cleared(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    window.set_staff_alert("records", "Records are not being saved: disk full.")
    assert window.staff_button.property("alert") is True
    assert window.staff.alert_texts == ["Records are not being saved: disk full."]
    window.set_staff_alert("records", None)
    assert window.staff_button.property("alert") is False and window.staff.alert_texts == []


def test_the_visitor_chooses_hindi_and_a_reset_brings_english_back(qtbot: QtBot, values: dict[str, str]) -> None:
    window = _window(qtbot, values)
    hindi = window.welcome.language_buttons[Lang.HI]
    assert hindi.isVisible() and hindi.text() == "हिन्दी"
    with qtbot.waitSignal(window.language_changed) as changed:
        qtbot.mouseClick(hindi, Qt.MouseButton.LeftButton)
    assert changed.args == ["hi"] and window.strings.lang is Lang.HI
    assert window.welcome.start.text() == Strings(Lang.HI)("button.start")
    assert "दिल्ली" in window.welcome.body.text()
    window.show_welcome()
    assert window.strings.lang is Lang.EN and window.welcome.start.text() == "Start"


def _inside(widget: QWidget, window: MainWindow) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    return widget.isVisible() and window.rect().contains(top_left) and window.rect().contains(bottom_right)


def test_the_window_fits_an_800x480_touch_screen(qtbot: QtBot, values: dict[str, str], qapp: QApplication) -> None:
    apply_theme(qapp, type_scale(480))
    window = _window(qtbot, values, (800, 480))
    qtbot.waitUntil(lambda: window.width() == 800 and window.height() == 480)
    assert window.minimumWidth() <= 800 and window.minimumHeight() <= 480
    assert _inside(window.welcome.start, window) and _inside(window.staff_button, window)
    assert _inside(window.welcome.language_buttons[Lang.HI], window)
    window.show_conversation()
    window.set_running(True)
    window.set_typing_enabled(True)
    qtbot.wait(50)
    for widget in (window.typed.edit, window.typed.send, window.start_stop, window.staff_button, window.transcript):
        assert _inside(widget, window), widget.objectName()
    assert not window.diagram.isVisible(), "the diagram folds away on a small screen"
    record = CallRecord(channel="kiosk", engine="text", policy_version="t", outcome="eligible")
    record.path = ["INIT", "GREETING", "ASK_EMPLOYMENT", "ASK_SALARY", "ASK_CITY", "ELIGIBLE", "END"]
    window.show_outcome(record, 20)
    qtbot.wait(50)
    for widget in (
        window.lead.save_button,
        window.lead.skip_button,
        window.lead.pad.keys["0"],
        window.outcome.reference,
    ):
        assert _inside(widget, window), widget.objectName()
    keys = [key.geometry() for key in window.lead.pad.keys.values()]
    assert not any(a.intersects(b) for i, a in enumerate(keys) for b in keys[i + 1 :]), "keys overlap"
    assert min(key.height() for key in keys) >= 36
    apply_theme(qapp)
