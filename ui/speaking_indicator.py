"""Animated bars shown while a prompt is actually playing, so the visitor knows to wait or to interrupt."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BARS = 5
FRAME_MS = 40


class SpeakingIndicator(QWidget):
    """Still and grey when the bot is quiet; moving bars while it speaks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._speaking = False
        self._phase = 0.0
        self._timer = QTimer(self, interval=FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Bot speaking indicator")

    @property
    def speaking(self) -> bool:
        return self._speaking

    def set_speaking(self, speaking: bool) -> None:
        self._speaking = speaking
        if speaking:
            self._timer.start()
        else:
            self._timer.stop()
            self._phase = 0.0
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(64, 30)

    def _tick(self) -> None:
        self._phase += FRAME_MS / 1000.0
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#0B4FD6") if self._speaking else QColor("#B6C0CE"))
        gap = 4.0
        width = (self.width() - gap * (BARS - 1)) / BARS
        for index in range(BARS):
            scale = 0.3 + 0.7 * abs(math.sin(self._phase * 6.0 + index * 0.9)) if self._speaking else 0.25
            height = self.height() * scale
            rect = QRectF(index * (width + gap), (self.height() - height) / 2, width, height)
            painter.drawRoundedRect(rect, width / 2, width / 2)
        painter.end()
