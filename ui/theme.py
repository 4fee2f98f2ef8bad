"""The kiosk's look: one stylesheet and one icon from resources/, applied application-wide."""

from __future__ import annotations

import re

from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from core.resources import resource_path

STYLESHEET = resource_path("styles", "kiosk.qss")
ICON = resource_path("icons", "quickrupee.svg")
FONTS = resource_path("fonts")


def app_icon() -> QIcon:
    return QIcon(str(ICON))


def type_scale(screen_height: int) -> float:
    """Type for the kiosk's screen: 0.8 on an 800x480 touch screen, 1.0 at 768 px high, up to 1.4 at 1080 px."""
    return max(0.8, min(1.4, screen_height / 768))


def load_fonts() -> list[str]:
    """Register the fonts shipped in resources/fonts (Noto Sans Devanagari in the installer), so Hindi text
    never shows as empty boxes on a kiosk without system fonts; returns the families added."""
    families: list[str] = []
    if FONTS.is_dir():
        for path in sorted(FONTS.glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families


def apply_theme(app: QApplication, scale: float = 1.0) -> None:
    """Stylesheet (font sizes times `scale`) and window icon for every window the app opens."""
    load_fonts()
    qss = STYLESHEET.read_text(encoding="utf-8")
    qss = re.sub(r"font-size: (\d+)px", lambda m: f"font-size: {round(int(m[1]) * scale)}px", qss)
    app.setStyleSheet(qss)
    app.setWindowIcon(app_icon())
