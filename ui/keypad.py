"""A large on-screen digit pad for touch screens (staff PIN, a visitor's mobile number)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0")


TOUCH_HEIGHT = 48
"""The smallest button a finger hits reliably on a kiosk touch screen."""


def touch_button(text: str = "", name: str = "") -> QPushButton:
    """A dialog or page button sized for a finger, not a mouse pointer."""
    button = QPushButton(text)
    button.setMinimumSize(96, TOUCH_HEIGHT)
    if name:
        button.setObjectName(name)
    return button


class DigitPad(QWidget):
    """Twelve big keys in a phone layout; emits `digit` for 0-9 and `erase` for the back key."""

    digit = Signal(str)
    erase = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digitPad")
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for index, key in enumerate(KEYS):
            button = QPushButton(key)
            button.setObjectName("padKey")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard keeps typing into the field
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setMinimumSize(56, 36)
            if key == "⌫":
                button.setAccessibleName("Erase")
                button.clicked.connect(self.erase)
            else:
                button.clicked.connect(lambda _=False, k=key: self.digit.emit(k))
            grid.addWidget(button, index // 3, index % 3)
            self.keys[key] = button
