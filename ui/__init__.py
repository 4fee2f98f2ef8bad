"""PySide6 widgets of the kiosk: one widget per module, drawn from the core's data."""
