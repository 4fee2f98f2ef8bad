"""Notices when nobody has touched the kiosk for a while, so the next visitor finds a clean screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
}
WARN_SECONDS = 15
"""How long before the wipe the visitor is asked whether they are still there."""


class IdleWatch(QObject):
    """Emits `warning(seconds_left)` shortly before, and `idle` once after, `seconds` with no input event and
    no `poke()` (conversation activity); `resumed` when someone acts after a warning."""

    idle = Signal()
    warning = Signal(int)
    resumed = Signal()

    def __init__(self, seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._expire)
        self._warn = QTimer(self, singleShot=True)
        self._warn.timeout.connect(lambda: self._warned(True))
        self._warning = False
        self.set_seconds(seconds)

    @property
    def warning_shown(self) -> bool:
        return self._warning

    def set_seconds(self, seconds: int) -> None:
        self._timer.setInterval(seconds * 1000)
        self._lead = min(WARN_SECONDS, seconds // 2)
        self._warn.setInterval((seconds - self._lead) * 1000)

    def poke(self) -> None:
        """Restart the countdown: someone is using the kiosk."""
        self._timer.start()
        self._warn.start()
        if self._warning:
            self._warned(False)

    def stop(self) -> None:
        self._timer.stop()
        self._warn.stop()
        self._warning = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self.poke()
        return False

    def _warned(self, shown: bool) -> None:
        self._warning = shown
        if shown:
            self.warning.emit(self._lead)
        else:
            self.resumed.emit()

    def _expire(self) -> None:
        self.stop()
        self.idle.emit()
