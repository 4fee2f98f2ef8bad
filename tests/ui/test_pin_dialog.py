"""The staff PIN guards leaving kiosk mode."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.pin_dialog import PinDialog
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
