"""The kiosk's look: one stylesheet and one icon from resources/, applied application-wide."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from core.resources import resource_path

STYLESHEET = resource_path("styles", "kiosk.qss")
ICON = resource_path("icons", "quickrupee.svg")


def app_icon() -> QIcon:
    return QIcon(str(ICON))


def apply_theme(app: QApplication) -> None:
    """Stylesheet and window icon for every window the app opens."""
    app.setStyleSheet(STYLESHEET.read_text(encoding="utf-8"))
    app.setWindowIcon(app_icon())
