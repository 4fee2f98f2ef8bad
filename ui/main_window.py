"""The kiosk window: welcome screen, live conversation (transcript, diagram, meters) and outcome card."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.dialogue.table import Edge, Trigger
from core.record import CallRecord
from ui.level_meter import LevelMeter
from ui.outcome_card import OutcomeCard
from ui.pin_dialog import PinDialog
from ui.speaking_indicator import SpeakingIndicator
from ui.state_diagram import StateDiagram
from ui.status_pill import Status, StatusPill
from ui.strings import Lang, Strings
from ui.theme import app_icon
from ui.transcript_view import TranscriptView
from ui.typed_answer import TypedAnswerBox
from ui.welcome_panel import WelcomePanel

ANALYTICS_MODULE = "ui.analytics_view"
ABOUT_MODULE = "ui.about_dialog"


class MainWindow(QMainWindow):
    """A view: it shows what the controller tells it and reports what the visitor does, nothing more."""

    start_requested = Signal()
    stop_requested = Signal()
    closing = Signal()
    """The window was closed: the app should finish the call in progress, store it, and quit."""
    typed_answer = Signal(str)
    settings_requested = Signal()
    language_changed = Signal(str)

    def __init__(self, strings: Strings, policy_values: dict[str, str], *, hindi_available: bool = False):
        super().__init__()
        self.strings = strings
        self._kiosk = False
        self._exit_pin = ""
        self._running = False
        self._allow_close = True
        self._engine = ""
        self.analytics_factory: Callable[[], QWidget] | None = None
        """Builds the records team's analytics view (the app passes one bound to its records store)."""
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(1000, 700)
        self.welcome = WelcomePanel(strings, policy_values, app_icon())
        self.transcript = TranscriptView(strings)
        self.diagram = StateDiagram(strings)
        self.outcome = OutcomeCard(strings, policy_values)
        self.status = StatusPill(strings)
        self.meter = LevelMeter()
        self.speaking = SpeakingIndicator()
        self.typed = TypedAnswerBox(strings)
        self.error = QLabel()
        self.error.setObjectName("errorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        self.start_stop = QPushButton()
        self.start_stop.setObjectName("startStopButton")
        self.start_stop.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.settings_button = QPushButton()
        self.analytics_button = QPushButton()
        self.exit_button = QPushButton()
        self.language_button = QPushButton()
        self.about_button = QPushButton()
        for button in (
            self.settings_button,
            self.analytics_button,
            self.exit_button,
            self.language_button,
            self.about_button,
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.language_button.setVisible(hindi_available)
        self.analytics_button.setVisible(importlib.util.find_spec(ANALYTICS_MODULE) is not None)
        self.about_button.setVisible(importlib.util.find_spec(ABOUT_MODULE) is not None)
        self.exit_button.hide()
        self.pages = QStackedWidget()
        self.pages.setObjectName("centralPage")
        self._build()
        self._connect()
        self.retranslate()
        self.show_welcome()

    # -- construction ------------------------------------------------------------------------------------
    def _build(self) -> None:
        header = QFrame()
        header.setObjectName("header")
        title = QLabel()
        title.setObjectName("appTitle")
        self._title = title
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(40, 40))
        top = QHBoxLayout(header)
        top.setContentsMargins(18, 10, 18, 10)
        top.setSpacing(12)
        top.addWidget(logo)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.status)
        top.addStretch(1)
        for button in (
            self.language_button,
            self.about_button,
            self.analytics_button,
            self.settings_button,
            self.exit_button,
        ):
            top.addWidget(button)

        conversation = QWidget()
        conversation.setObjectName("conversationPage")
        left = QFrame()
        left.setObjectName("transcriptPanel")
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(14, 12, 14, 12)
        self._transcript_title = _panel_title()
        left_column.addWidget(self._transcript_title)
        left_column.addWidget(self.outcome)
        left_column.addWidget(self.transcript, 1)
        right = QFrame()
        right.setObjectName("diagramPanel")
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(14, 12, 14, 12)
        self._diagram_title = _panel_title()
        self._engine_label = QLabel()
        self._engine_label.setObjectName("meterLabel")
        title_row = QHBoxLayout()
        title_row.addWidget(self._diagram_title)
        title_row.addStretch(1)
        title_row.addWidget(self._engine_label)
        right_column.addLayout(title_row)
        right_column.addWidget(self.diagram, 1)
        meters = QHBoxLayout()
        self._mic_label = QLabel()
        self._mic_label.setObjectName("meterLabel")
        self._speaking_label = QLabel()
        self._speaking_label.setObjectName("meterLabel")
        meters.addWidget(self._mic_label)
        meters.addWidget(self.meter, 1)
        meters.addSpacing(12)
        meters.addWidget(self.speaking)
        meters.addWidget(self._speaking_label)
        right_column.addLayout(meters)
        body = QHBoxLayout(conversation)
        body.setContentsMargins(16, 16, 16, 16)
        body.setSpacing(16)
        body.addWidget(left, 11)
        body.addWidget(right, 9)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(conversation)
        self._conversation_page = conversation

        bottom = QFrame()
        bottom.setObjectName("bottomBar")
        self._bottom = bottom
        bar = QHBoxLayout(bottom)
        bar.setContentsMargins(16, 12, 16, 12)
        bar.setSpacing(14)
        bar.addWidget(self.typed, 1)
        bar.addWidget(self.start_stop)

        root = QWidget()
        column = QVBoxLayout(root)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(header)
        error_row = QHBoxLayout()
        error_row.setContentsMargins(16, 10, 16, 0)
        error_row.addWidget(self.error)
        column.addLayout(error_row)
        column.addWidget(self.pages, 1)
        column.addWidget(bottom)
        self.setCentralWidget(root)

    def _connect(self) -> None:
        self.welcome.start_clicked.connect(self.start_requested)
        self.start_stop.clicked.connect(self._toggle)
        self.typed.submitted.connect(self.typed_answer)
        self.settings_button.clicked.connect(self._open_settings)
        self.analytics_button.clicked.connect(self.open_analytics)
        self.about_button.clicked.connect(self.open_about)
        self.exit_button.clicked.connect(self.request_exit)
        self.language_button.clicked.connect(self._switch_language)

    # -- what the controller calls -----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    @property
    def on_welcome(self) -> bool:
        return self.pages.currentWidget() is self.welcome

    def show_welcome(self) -> None:
        """A clean screen for the next visitor: nothing of the previous conversation stays visible."""
        self.transcript.clear()
        self.diagram.reset()
        self.outcome.hide()
        self.outcome.set_countdown(None)
        self.typed.edit.clear()
        self.clear_error()
        self.set_running(False)
        self.set_typing_enabled(False)
        self.set_speaking(False)
        self.set_mic_active(False)
        self.set_status(Status.READY)
        self.pages.setCurrentWidget(self.welcome)
        self._bottom.hide()

    def show_conversation(self) -> None:
        self.transcript.clear()
        self.diagram.reset()
        self.outcome.hide()
        self.outcome.set_countdown(None)
        self.pages.setCurrentWidget(self._conversation_page)
        self._bottom.show()

    def set_status(self, status: Status) -> None:
        self.status.set_status(status)

    def set_engine(self, name: str) -> None:
        """Show which speech engine serves the call (it changes on an OpenAI fail-over)."""
        self._engine = name
        shown = self.strings(f"engine.{name}") if name in ("offline", "openai") else name
        self._engine_label.setText(self.strings("engine.label", name=shown) if name else "")

    def set_running(self, running: bool) -> None:
        self._running = running
        self.start_stop.setText(self.strings("button.stop" if running else "button.start"))
        self.start_stop.setProperty("running", running)
        self.start_stop.style().unpolish(self.start_stop)
        self.start_stop.style().polish(self.start_stop)

    def set_typing_enabled(self, enabled: bool) -> None:
        self.typed.setEnabled(enabled)

    def set_mic_active(self, active: bool) -> None:
        self.meter.set_active(active)
        self._mic_label.setText(self.strings("meter.mic" if active else "meter.off"))

    def set_mic_level(self, rms: float) -> None:
        self.meter.set_rms(rms)

    def set_speaking(self, speaking: bool) -> None:
        self.speaking.set_speaking(speaking)

    def show_outcome(self, record: CallRecord, countdown: int | None) -> None:
        self.diagram.advance(tuple(_closing_edges(record, self.diagram)))
        self.outcome.show_record(record)
        self.outcome.set_countdown(countdown)
        self.set_running(False)
        self.set_typing_enabled(False)
        self.set_speaking(False)
        self.set_mic_active(False)
        self.set_status(Status.FINISHED)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    @property
    def engine_text(self) -> str:
        return self._engine_label.text()

    @property
    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    # -- kiosk mode --------------------------------------------------------------------------------------
    def set_kiosk(self, kiosk: bool, exit_pin: str) -> None:
        """Full screen without chrome; leaving needs the staff PIN."""
        self._kiosk = kiosk
        self._exit_pin = exit_pin
        self._allow_close = not kiosk
        self.exit_button.setVisible(kiosk)
        if kiosk:
            self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint)
            self.setGeometry(self.screen().geometry())  # a kiosk X session often has no window manager
            self.showFullScreen()
        else:
            self.setWindowFlags(self.windowFlags() & ~Qt.WindowType.FramelessWindowHint)
            self.showNormal()

    def set_exit_pin(self, pin: str) -> None:
        self._exit_pin = pin

    def as_staff(self, action: Callable[[], None]) -> PinDialog | None:
        """Run a staff action: at once in a normal window, after the right PIN in kiosk mode."""
        if not self._kiosk:
            action()
            return None
        dialog = PinDialog(self.strings, self._exit_pin, self)
        dialog.accepted.connect(action)
        dialog.open()
        return dialog

    def request_exit(self) -> None:
        self.as_staff(self._exit_now)

    def _exit_now(self) -> None:
        self._allow_close = True
        self.close()

    def open_analytics(self) -> None:
        """The records engineer's analytics view, if installed; staff only in kiosk mode."""
        self.as_staff(self._show_analytics)

    def _show_analytics(self) -> None:
        try:
            if self.analytics_factory is None:
                raise RuntimeError("no records store is configured")
            view = self.analytics_factory()
        except Exception as exc:  # another team's widget or the store must not take the kiosk down
            self.show_error(f"Analytics could not be opened: {exc}")
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.strings("button.analytics"))
        QVBoxLayout(dialog).addWidget(view)
        dialog.resize(900, 640)
        dialog.open()

    def open_about(self) -> None:
        """Version and third-party licence notice (the packaging team's dialog), when installed."""
        importlib.import_module(ABOUT_MODULE).AboutDialog(self).open()

    # -- events ------------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space or Enter starts and stops (the answer box keeps them while it has the keyboard)."""
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self._toggle()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._allow_close:
            self.closing.emit()
            event.accept()
        else:
            event.ignore()

    def retranslate(self) -> None:
        s = self.strings
        self.setWindowTitle(s("app.title"))
        self._title.setText(s("app.title"))
        self._transcript_title.setText(s("panel.transcript"))
        self._diagram_title.setText(s("panel.diagram"))
        self._speaking_label.setText(s("meter.speaking"))
        self.set_engine(self._engine)
        self._mic_label.setText(s("meter.mic" if self.meter.active else "meter.off"))
        self.settings_button.setText(s("button.settings"))
        self.analytics_button.setText(s("button.analytics"))
        self.about_button.setText(s("button.about"))
        self.exit_button.setText(s("button.exit"))
        self.language_button.setText(s("lang.toggle"))
        for widget in (self.welcome, self.transcript, self.diagram, self.outcome, self.status, self.typed):
            widget.retranslate()
        self.set_running(self._running)

    def set_language(self, lang: Lang) -> None:
        self.strings.lang = lang
        self.retranslate()

    def _switch_language(self) -> None:
        lang = Lang.EN if self.strings.lang is Lang.HI else Lang.HI
        self.set_language(lang)
        self.language_changed.emit(lang.value)

    def _toggle(self) -> None:
        if self._running:
            self.stop_requested.emit()
        else:
            self.start_requested.emit()

    def _open_settings(self) -> None:
        self.as_staff(self.settings_requested.emit)


def _panel_title() -> QLabel:
    label = QLabel()
    label.setObjectName("panelTitle")
    return label


def _closing_edges(record: CallRecord, diagram: StateDiagram) -> list[Edge]:
    """The edges from the diagram's current state to the record's last state (a hang-up, the goodbye)."""
    path = record.path
    state = diagram.current_state
    if state.value not in path:
        return []
    start = len(path) - 1 - path[::-1].index(state.value)
    edges = []
    for target in path[start + 1 :]:
        options = [e for e in diagram.drawn_edges() if e.source is state and e.target.value == target]
        if not options:
            break
        edge = min(options, key=lambda e: e.trigger is not Trigger.HUNG_UP)
        edges.append(edge)
        state = edge.target
    return edges
