"""About dialog: the app version and the third-party licence notice the GPL and model licences require us to show."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from core.licenses import third_party_notice

APP_NAME = "QuickRupee Voice"
DISTRIBUTION = "quickrupee-voice"


def app_version() -> str:
    """The installed (or frozen, via its bundled metadata) package version; 'unknown' from a bare checkout."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


class AboutDialog(QDialog):
    """Name and version on top, the full notice below in a read-only, scrollable, copyable text view."""

    def __init__(self, parent: QWidget | None = None, notice: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.version_label = QLabel(f"<b>{APP_NAME}</b> {app_version()}")
        self.version_label.setObjectName("aboutVersion")
        intro = QLabel("This application includes the third-party software listed below, under these licences.")
        intro.setWordWrap(True)
        self.notice_view = QPlainTextEdit()
        self.notice_view.setObjectName("aboutNotice")
        self.notice_view.setReadOnly(True)
        self.notice_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.notice_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.notice_view.setPlainText(third_party_notice() if notice is None else notice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.version_label)
        layout.addWidget(intro)
        layout.addWidget(self.notice_view, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)
