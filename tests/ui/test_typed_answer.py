"""Typed answers: Enter or Send submits trimmed text; empty answers are never sent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.strings import Strings
from ui.typed_answer import TypedAnswerBox


def test_enter_submits_trimmed_text_and_clears(qtbot: QtBot) -> None:
    box = TypedAnswerBox(Strings())
    qtbot.addWidget(box)
    sent: list[str] = []
    box.submitted.connect(sent.append)
    qtbot.keyClicks(box.edit, "  forty thousand  ")
    qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    assert sent == ["forty thousand"]
    assert box.edit.text() == ""


def test_send_button_and_empty_answers(qtbot: QtBot) -> None:
    box = TypedAnswerBox(Strings())
    qtbot.addWidget(box)
    sent: list[str] = []
    box.submitted.connect(sent.append)
    qtbot.mouseClick(box.send, Qt.MouseButton.LeftButton)
    box.edit.setText("   ")
    qtbot.mouseClick(box.send, Qt.MouseButton.LeftButton)
    box.edit.setText("Mumbai")
    qtbot.mouseClick(box.send, Qt.MouseButton.LeftButton)
    assert sent == ["Mumbai"]
