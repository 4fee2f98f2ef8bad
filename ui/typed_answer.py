"""Typed answers for a visitor who cannot or will not speak; they go through the same understanding."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from ui.strings import Strings

MAX_ANSWER_CHARS = 200


class _AnswerEdit(QLineEdit):
    """Enter sends the answer and goes no further (it must never reach a window shortcut); Escape clears."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class TypedAnswerBox(QWidget):
    """A line edit and a Send button; emits the trimmed text, never an empty answer."""

    submitted = Signal(str)

    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self.edit = _AnswerEdit()
        self.edit.setObjectName("typedAnswer")
        self.edit.setMaxLength(MAX_ANSWER_CHARS)
        self.edit.setClearButtonEnabled(True)
        self.send = QPushButton()
        self.send.setObjectName("sendButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.send)
        self.edit.returnPressed.connect(self._submit)
        self.send.clicked.connect(self._submit)
        self.retranslate()

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self._strings("typed.placeholder"))
        self.send.setText(self._strings("button.send"))

    def _submit(self) -> None:
        text = self.edit.text().strip()
        if not text:
            return
        self.edit.clear()
        self.submitted.emit(text)
