"""The welcome screen: the language choice, what the kiosk does, the consent line, and one big Start button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ui.strings import Lang, Strings

COMPACT_HEIGHT = 560
"""Below this the logo folds away, so Start stays on screen on an 800x480 touch screen."""


class WelcomePanel(QWidget):
    """Shown before each visitor; the consent line is read before the microphone opens."""

    start_clicked = Signal()
    language_chosen = Signal(str)

    def __init__(self, strings: Strings, policy_values: dict[str, str], icon: QIcon, parent: QWidget | None = None):
        super().__init__(parent)
        self._strings = strings
        self._values = policy_values
        self.setObjectName("welcomePanel")
        self.logo = QLabel()
        self.logo.setPixmap(icon.pixmap(96, 96))
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.title.setObjectName("welcomeTitle")
        self.body = QLabel()
        self.body.setObjectName("welcomeBody")
        self.consent = QLabel()
        self.consent.setObjectName("consentLine")
        self.start = QPushButton()
        self.start.setObjectName("startButton")
        self.start.clicked.connect(self.start_clicked)
        self.languages = QButtonGroup(self)
        self.language_buttons: dict[Lang, QPushButton] = {}
        choice = QHBoxLayout()
        choice.addStretch(1)
        for lang in (Lang.EN, Lang.HI):
            button = QPushButton()
            button.setObjectName("languageButton")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, code=lang.value: self.language_chosen.emit(code))
            self.languages.addButton(button)
            self.language_buttons[lang] = button
            choice.addWidget(button)
        choice.addStretch(1)
        column = QWidget()
        column.setObjectName("welcomeColumn")
        column.setMaximumWidth(1200)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(14)
        inner.addStretch(1)
        for label in (self.logo, self.title, self.body, self.consent):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            inner.addWidget(label)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("welcomeScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder.setObjectName("welcomePanel")
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 14, 32, 16)
        layout.setSpacing(12)
        layout.addLayout(choice)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.start, 0, Qt.AlignmentFlag.AlignHCenter)
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.logo.setVisible(event.size().height() >= COMPACT_HEIGHT)
        super().resizeEvent(event)

    def retranslate(self) -> None:
        s = self._strings
        self.title.setText(s("app.tagline"))
        self.body.setText(s("welcome.body", **self._values))
        self.consent.setText(s("welcome.consent"))
        self.start.setText(s("button.start"))
        for lang, button in self.language_buttons.items():
            button.setText(s(f"lang.{lang.value}"))
            button.setChecked(lang is s.lang)
