"""After an eligible outcome: ask, with a consent line, for a mobile number on a big keypad (or a skip)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from core.contact import BadPhoneNumber, indian_mobile, lead
from ui.keypad import DigitPad, touch_button
from ui.strings import Strings

MAX_DIGITS = 13  # 0 or 91 prefixes plus ten digits


class LeadCapture(QFrame):
    """Emits `given(call_id, contact)` once per call: the number (E.164) with consent, or a skip."""

    given = Signal(str, object)
    touched = Signal()
    """The visitor is using the pad: the outcome screen must not clear under their fingers."""

    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self._call_id = ""
        self.setObjectName("leadCapture")
        self.title = QLabel()
        self.title.setObjectName("leadTitle")
        self.title.setWordWrap(True)
        self.consent = QLabel()
        self.consent.setObjectName("leadConsent")
        self.consent.setWordWrap(True)
        self.number = QLineEdit()
        self.number.setObjectName("leadNumber")
        self.number.setMaxLength(MAX_DIGITS + 3)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.number.returnPressed.connect(self.save)
        self.number.textEdited.connect(lambda _: self._touched())
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.pad = DigitPad()
        self.pad.digit.connect(self._type)
        self.pad.erase.connect(self._erase)
        self.skip_button = touch_button()
        self.skip_button.clicked.connect(self.skip)
        self.save_button = touch_button(name="primaryButton")
        self.save_button.clicked.connect(self.save)
        self.done_text = QLabel()
        self.done_text.setObjectName("leadDone")
        self.done_text.setWordWrap(True)
        buttons = QVBoxLayout()  # beside the pad, not under it: an 800x480 screen has width to spare, not height
        buttons.setSpacing(8)
        self.save_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        buttons.addWidget(self.save_button, 1)
        buttons.addWidget(self.skip_button)
        keys = QHBoxLayout()
        keys.setSpacing(10)
        keys.addWidget(self.pad, 3)
        keys.addLayout(buttons, 1)
        self._form = QWidget()
        form = QVBoxLayout(self._form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(6)
        for widget in (self.title, self.consent, self.number, self.error):
            form.addWidget(widget)
        form.addLayout(keys, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 10)
        layout.addWidget(self._form, 1)
        layout.addWidget(self.done_text)
        self.retranslate()
        self.hide()

    def ask(self, call_id: str) -> None:
        """A new eligible visitor: empty field, no answer yet."""
        self._call_id = call_id
        self.number.clear()
        self.error.clear()
        self.done_text.clear()
        self.done_text.hide()
        self._form.show()
        self.show()
        self.number.setFocus()

    def clear(self) -> None:
        """Nothing of the visitor's number stays on screen."""
        self._call_id = ""
        self.number.clear()
        self.error.clear()
        self.hide()

    def save(self) -> None:
        try:
            phone = indian_mobile(self.number.text())
        except BadPhoneNumber:
            self.error.setText(self._strings("lead.invalid"))
            self.error.show()
            return
        self._finish(lead(self._call_id, phone), self._strings("lead.saved", phone=self.number.text().strip()))

    def skip(self) -> None:
        self._finish(lead(self._call_id, None), self._strings("lead.skipped"))

    def retranslate(self) -> None:
        s = self._strings
        self.title.setText(s("lead.title"))
        self.consent.setText(s("lead.consent"))
        self.number.setPlaceholderText(s("lead.placeholder"))
        self.skip_button.setText(s("button.skip"))
        self.save_button.setText(s("button.save"))

    def _finish(self, contact: dict[str, Any], message: str) -> None:
        if not self._call_id:
            return
        call_id, self._call_id = self._call_id, ""
        self.number.clear()
        self.error.clear()
        self._form.hide()
        self.done_text.setText(message)
        self.done_text.show()
        self.given.emit(call_id, contact)

    def _type(self, digit: str) -> None:
        if len(self.number.text()) < self.number.maxLength():
            self.number.insert(digit)
        self._touched()

    def _erase(self) -> None:
        self.number.backspace()
        self._touched()

    def _touched(self) -> None:
        self.error.clear()
        self.error.hide()
        self.touched.emit()
