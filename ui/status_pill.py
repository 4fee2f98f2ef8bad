"""The one-word status at the top of the window; set only from what the app is really doing."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ui.strings import Strings


class Status(StrEnum):
    READY = "ready"
    LISTENING = "listening"
    THINKING = "thinking"
    SPEAKING = "speaking"
    TYPING = "typing"
    FINISHED = "finished"
    STOPPED = "stopped"


class StatusPill(QLabel):
    """A coloured pill; the stylesheet colours it by the `status` property."""

    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self._status = Status.READY
        self.setObjectName("statusPill")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_status(Status.READY)

    @property
    def status(self) -> Status:
        return self._status

    def set_status(self, status: Status) -> None:
        self._status = status
        self.setText(self._strings(f"status.{status.value}"))
        self.setProperty("status", status.value)
        self.style().unpolish(self)
        self.style().polish(self)

    def retranslate(self) -> None:
        self.set_status(self._status)
