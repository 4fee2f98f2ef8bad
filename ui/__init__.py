"""PySide6 widgets of the kiosk; importing the package first protects the process from a PySide6 bug."""

from ui.qt_guard import guard_none_refcount

NONE_GUARDED = guard_none_refcount()
