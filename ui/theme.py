"""The kiosk's look: one stylesheet and one icon from resources/, applied application-wide."""

from __future__ import annotations

import re

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from core.resources import resource_path

STYLESHEET = resource_path("styles", "kiosk.qss")
ICON = resource_path("icons", "quickrupee.svg")


def app_icon() -> QIcon:
    return QIcon(str(ICON))


def type_scale(screen_height: int) -> float:
    """Larger type on larger kiosk screens: 1.0 at 768 px high, up to 1.4 at 1080 px and above."""
    return max(1.0, min(1.4, screen_height / 768))


def apply_theme(app: QApplication, scale: float = 1.0) -> None:
    """Stylesheet (font sizes times `scale`) and window icon for every window the app opens."""
    qss = STYLESHEET.read_text(encoding="utf-8")
    qss = re.sub(r"font-size: (\d+)px", lambda m: f"font-size: {round(int(m[1]) * scale)}px", qss)
    app.setStyleSheet(qss)
    app.setWindowIcon(app_icon())
