"""Staff PIN on a big keypad: checks the PIN before the staff page, or asks for a new one twice."""

from __future__ import annotations

import hmac
from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.keypad import DigitPad, touch_button
from ui.strings import Strings

MAX_PIN = 8
MIN_PIN = 4


class PinMode(Enum):
    CHECK = "check"
    CHOOSE = "choose"


class PinDialog(QDialog):
    """CHECK accepts only the expected PIN (a wrong one says so and stays open); CHOOSE emits `chosen`
    after the same new PIN was entered twice."""

    chosen = Signal(str)

    def __init__(
        self,
        strings: Strings,
        expected_pin: str = "",
        parent: QWidget | None = None,
        *,
        mode: PinMode = PinMode.CHECK,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self._strings = strings
        self._expected = expected_pin
        self._mode = mode
        self._first = ""
        self.setObjectName("pinDialog")
        self.setWindowTitle(strings("pin.title"))
        self.setModal(True)
        title = QLabel(strings("pin.title"))
        title.setObjectName("dialogTitle")
        self.note = QLabel(note)
        self.note.setObjectName("dialogNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self.prompt = QLabel(strings("pin.prompt" if mode is PinMode.CHECK else "pin.new"))
        self.prompt.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setObjectName("pinField")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaxLength(MAX_PIN)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.returnPressed.connect(self.check)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.pad = DigitPad()
        self.pad.digit.connect(self._type)
        self.pad.erase.connect(self.edit.backspace)
        self.ok = touch_button(strings("button.ok"), "primaryButton")
        self.ok.clicked.connect(self.check)
        self.cancel = touch_button(strings("button.cancel" if mode is PinMode.CHECK else "button.later"))
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        for widget in (title, self.note, self.prompt, self.edit, self.error):
            layout.addWidget(widget)
        layout.addWidget(self.pad, 1)
        layout.addLayout(buttons)
        self.edit.setFocus()

    def _type(self, digit: str) -> None:
        self.edit.insert(digit)

    def check(self) -> None:
        entered = self.edit.text()
        if self._mode is PinMode.CHECK:
            if hmac.compare_digest(entered.encode(), self._expected.encode()):
                self.accept()
                return
            self.error.setText(self._strings("pin.wrong"))
        elif not (entered.isdigit() and MIN_PIN <= len(entered) <= MAX_PIN):
            self.error.setText(self._strings("pin.short"))
        elif not self._first:
            self._first = entered
            self.prompt.setText(self._strings("pin.again"))
            self.error.clear()
        elif entered == self._first:
            self.chosen.emit(entered)
            self.accept()
            return
        else:
            self._first = ""
            self.prompt.setText(self._strings("pin.new"))
            self.error.setText(self._strings("pin.mismatch"))
        self.edit.clear()
