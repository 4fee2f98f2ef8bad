"""Staff PIN prompt that guards leaving kiosk mode and the staff-only screens."""

from __future__ import annotations

import hmac

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.strings import Strings


class PinDialog(QDialog):
    """Accepts only when the typed PIN matches; a wrong PIN says so and stays open."""

    def __init__(self, strings: Strings, expected_pin: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self._expected = expected_pin
        self.setObjectName("pinDialog")
        self.setWindowTitle(strings("pin.title"))
        self.setModal(True)
        prompt = QLabel(strings("pin.prompt"))
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaxLength(8)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (prompt, self.edit, self.error, buttons):
            layout.addWidget(widget)

    def check(self) -> None:
        if hmac.compare_digest(self.edit.text().encode(), self._expected.encode()):
            self.accept()
            return
        self.error.setText(self._strings("pin.wrong"))
        self.edit.clear()
