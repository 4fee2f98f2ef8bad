"""Microphone level meter: a bar in dBFS with a falling peak mark, so a visitor can see they are heard."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DB = -60.0
PEAK_FALL_DB = 1.5


def rms_to_fraction(rms: float) -> float:
    """Map a linear RMS (0..1 full scale) onto 0..1 of the meter's -60..0 dBFS range."""
    if rms <= 0.0:
        return 0.0
    db = 20.0 * math.log10(min(rms, 1.0))
    return max(0.0, min(1.0, (db - FLOOR_DB) / -FLOOR_DB))


class LevelMeter(QWidget):
    """Fed from the UI thread with the latest RMS; never reads audio itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self._peak = 0.0
        self._active = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")

    @property
    def level(self) -> float:
        return self._level

    @property
    def active(self) -> bool:
        return self._active

    def set_active(self, active: bool) -> None:
        """Grey the meter out while the microphone is closed or gated."""
        self._active = active
        if not active:
            self._level = self._peak = 0.0
        self.update()

    def set_rms(self, rms: float) -> None:
        self._level = rms_to_fraction(rms) if self._active else 0.0
        fall = PEAK_FALL_DB / -FLOOR_DB
        self._peak = max(self._level, self._peak - fall)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240, 22)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        radius = track.height() / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#D5DCE6"))
        painter.drawRoundedRect(track, radius, radius)
        if self._active and self._level > 0:
            bar = QRectF(track)
            bar.setWidth(max(track.height(), track.width() * self._level))
            color = QColor("#0A7D32") if self._level < 0.85 else QColor("#C2410C")
            painter.setBrush(color)
            painter.drawRoundedRect(bar, radius, radius)
        if self._active and self._peak > 0:
            x = track.left() + track.width() * self._peak
            painter.setBrush(QColor("#14233B"))
            painter.drawRect(QRectF(x - 1.5, track.top(), 3, track.height()))
        painter.end()
