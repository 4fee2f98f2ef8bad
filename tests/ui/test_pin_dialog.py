"""The staff PIN guards leaving kiosk mode."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.pin_dialog import PinDialog, PinMode
from ui.strings import Strings


def test_wrong_pin_stays_open_right_pin_accepts(qtbot: QtBot) -> None:
    dialog = PinDialog(Strings(), "2468")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.edit.setText("1111")
    dialog.check()
    assert dialog.isVisible() and dialog.error.text() == "Wrong PIN" and dialog.edit.text() == ""
    dialog.edit.setText("2468")
    with qtbot.waitSignal(dialog.accepted):
        dialog.check()


def test_the_keypad_types_the_pin(qtbot: QtBot) -> None:
    dialog = PinDialog(Strings(), "2468")
    qtbot.addWidget(dialog)
    dialog.open()
    for key in "2469":
        qtbot.mouseClick(dialog.pad.keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.pad.keys["⌫"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.pad.keys["8"], Qt.MouseButton.LeftButton)
    assert dialog.edit.text() == "2468"
    assert dialog.pad.keys["5"].height() >= 36 and dialog.ok.height() >= 48, "touch-size keys"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def test_a_new_pin_is_asked_twice(qtbot: QtBot) -> None:
    dialog = PinDialog(Strings(), mode=PinMode.CHOOSE)
    qtbot.addWidget(dialog)
    dialog.open()
    chosen: list[str] = []
    dialog.chosen.connect(chosen.append)
    for attempt in ("12", "1357", "1358", "1357", "1357"):
        qtbot.keyClicks(dialog.edit, attempt)
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert chosen == ["1357"], "a short PIN and a mismatch were refused"
