"""The welcome screen: what the kiosk does, the consent line, and one big Start button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.strings import Strings


class WelcomePanel(QWidget):
    """Shown before each visitor; the consent line is read before the microphone opens."""

    start_clicked = Signal()

    def __init__(self, strings: Strings, policy_values: dict[str, str], icon: QIcon, parent: QWidget | None = None):
        super().__init__(parent)
        self._strings = strings
        self._values = policy_values
        self.setObjectName("welcomePanel")
        self.logo = QLabel()
        self.logo.setPixmap(icon.pixmap(112, 112))
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.title.setObjectName("welcomeTitle")
        self.body = QLabel()
        self.body.setObjectName("welcomeBody")
        self.consent = QLabel()
        self.consent.setObjectName("consentLine")
        self.start = QPushButton()
        self.start.setObjectName("startButton")
        self.start.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.start.clicked.connect(self.start_clicked)
        column = QWidget()
        column.setMaximumWidth(1200)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(18)
        for label in (self.logo, self.title, self.body, self.consent):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            inner.addWidget(label)
        inner.addSpacing(8)
        inner.addWidget(self.start, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self._strings("app.tagline"))
        self.body.setText(self._strings("welcome.body", **self._values))
        self.consent.setText(self._strings("welcome.consent"))
        self.start.setText(self._strings("button.start"))
