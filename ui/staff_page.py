"""The staff page behind the PIN: alerts (records not saved, speech engine down), Analytics, Settings, Exit."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from ui.keypad import touch_button
from ui.strings import Strings


class StaffPage(QFrame):
    """A page of the kiosk window, never a visitor's: it closes on idle and on every reset."""

    analytics_clicked = Signal()
    settings_clicked = Signal()
    about_clicked = Signal()
    exit_clicked = Signal()
    close_clicked = Signal()

    def __init__(self, strings: Strings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strings = strings
        self._alerts: dict[str, str] = {}
        self.setObjectName("staffPage")
        self.title = QLabel()
        self.title.setObjectName("staffTitle")
        self.analytics_button = touch_button()
        self.settings_button = touch_button()
        self.about_button = touch_button()
        self.exit_button = touch_button(name="dangerButton")
        self.close_button = touch_button(name="primaryButton")
        self.alerts = QLabel()
        self.alerts.setObjectName("staffAlerts")
        self.alerts.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("staffHint")
        self.hint.setWordWrap(True)
        self.content = QStackedWidget()
        self.content.addWidget(self.hint)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.close_button)
        bar = QHBoxLayout()
        bar.setSpacing(10)
        for button in (self.analytics_button, self.settings_button, self.about_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.exit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.alerts)
        layout.addWidget(self.content, 1)
        self.analytics_button.clicked.connect(self.analytics_clicked)
        self.settings_button.clicked.connect(self.settings_clicked)
        self.about_button.clicked.connect(self.about_clicked)
        self.exit_button.clicked.connect(self.exit_clicked)
        self.close_button.clicked.connect(self.close_clicked)
        self.retranslate()

    @property
    def alert_texts(self) -> list[str]:
        return list(self._alerts.values())

    def set_alert(self, key: str, text: str | None) -> None:
        """Raise (text) or clear (None) one standing alert; it stays until its cause is gone."""
        if text:
            self._alerts[key] = text
        else:
            self._alerts.pop(key, None)
        self._show_alerts()

    def show_view(self, view: QWidget) -> None:
        """Put a staff view (Analytics) in the page body, replacing any earlier one; it scrolls on a screen
        smaller than it needs."""
        self.drop_view()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(view)
        self.content.addWidget(scroll)
        self.content.setCurrentWidget(scroll)

    def drop_view(self) -> None:
        """Remove the body's view, so nothing read from the records stays in memory or on screen."""
        while self.content.count() > 1:
            scroll = self.content.widget(1)
            assert isinstance(scroll, QScrollArea)
            self.content.removeWidget(scroll)
            shutdown = getattr(scroll.widget(), "shutdown", None)
            if callable(shutdown):
                shutdown()
            scroll.deleteLater()
        self.content.setCurrentWidget(self.hint)

    @property
    def view(self) -> QWidget | None:
        scroll = self.content.widget(1) if self.content.count() > 1 else None
        return scroll.widget() if isinstance(scroll, QScrollArea) else None

    def retranslate(self) -> None:
        s = self._strings
        self.title.setText(s("staff.title"))
        self.analytics_button.setText(s("button.analytics"))
        self.settings_button.setText(s("button.settings"))
        self.about_button.setText(s("button.about"))
        self.exit_button.setText(s("button.exit"))
        self.close_button.setText(s("button.close"))
        self.hint.setText(s("staff.pick"))
        self._show_alerts()

    def _show_alerts(self) -> None:
        self.alerts.setProperty("alert", bool(self._alerts))
        self.alerts.style().unpolish(self.alerts)
        self.alerts.style().polish(self.alerts)
        texts = self._alerts.values()
        self.alerts.setText("\n".join(f"⚠  {t}" for t in texts) if texts else self._strings("staff.no_alerts"))
