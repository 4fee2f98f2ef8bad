"""The desktop kiosk front end: PySide6 window, sound card or WAV-file audio, echo cancellation."""

from app.kiosk.main import main

__all__ = ["main"]
