"""The kiosk window: welcome screen, live conversation (transcript, diagram, meters), outcome card with lead
capture, and a staff page behind a PIN."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
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

from core.dialogue.table import TERMINAL_STATES, Edge, State, Trigger
from core.record import CallRecord
from ui.lead_capture import LeadCapture
from ui.level_meter import LevelMeter
from ui.outcome_card import OutcomeCard
from ui.pin_dialog import PinDialog, PinMode
from ui.settings_model import DEFAULT_PIN
from ui.speaking_indicator import SpeakingIndicator
from ui.staff_page import StaffPage
from ui.state_diagram import StateDiagram
from ui.status_pill import Status, StatusPill
from ui.strings import Lang, Strings
from ui.theme import app_icon
from ui.transcript_view import TranscriptView
from ui.typed_answer import TypedAnswerBox
from ui.welcome_panel import WelcomePanel

ABOUT_MODULE = "ui.about_dialog"
WIDE_ENOUGH = 900
TALL_ENOUGH = 600
"""Below either, the diagram folds away: the conversation and the controls always stay."""


class MainWindow(QMainWindow):
    """A view: it shows what the controller tells it and reports what the visitor and staff do."""

    start_requested = Signal()
    stop_requested = Signal()
    closing = Signal()
    """The window was closed: the app should finish the call in progress, store it, and quit."""
    typed_answer = Signal(str)
    settings_requested = Signal()
    language_changed = Signal(str)
    """The visitor chose a language on the welcome screen (it lasts until the next reset)."""
    staff_opened = Signal()
    pin_changed = Signal(str)
    lead_given = Signal(str, object)
    """(call_id, contact): the visitor left a number or skipped; store it with the record."""
    visitor_busy = Signal()
    """The visitor is using the outcome screen (the number pad): hold its reset countdown."""

    def __init__(self, strings: Strings, policy_values: dict[str, str]):
        super().__init__()
        self.strings = strings
        self._home_lang = strings.lang
        self._kiosk = False
        self._exit_pin = DEFAULT_PIN
        self._running = False
        self._allow_close = True
        self._engine = ""
        self._before_staff: QWidget | None = None
        self.analytics_factory: Callable[[], QWidget] | None = None
        """Builds the records team's analytics view (the app passes one bound to its records store)."""
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(320, 240)
        self.welcome = WelcomePanel(strings, policy_values, app_icon())
        self.transcript = TranscriptView(strings)
        self.diagram = StateDiagram(strings)
        self.outcome = OutcomeCard(strings, policy_values)
        self.lead = LeadCapture(strings)
        self.staff = StaffPage(strings)
        self.status = StatusPill(strings)
        self.meter = LevelMeter()
        self.speaking = SpeakingIndicator()
        self.typed = TypedAnswerBox(strings)
        self.error = _banner("errorBanner")
        self.idle_warning = _banner("idleWarning")
        self.start_stop = QPushButton()
        self.start_stop.setObjectName("startStopButton")
        self.staff_button = QPushButton("⋯")
        self.staff_button.setObjectName("staffButton")
        self.staff_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        self._title = QLabel()
        self._title.setObjectName("appTitle")
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(36, 36))
        top = QHBoxLayout(header)
        top.setContentsMargins(14, 6, 10, 6)
        top.setSpacing(10)
        top.addWidget(logo)
        top.addWidget(self._title)
        top.addStretch(1)
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(self.staff_button)

        conversation = QWidget()
        conversation.setObjectName("conversationPage")
        left = QFrame()
        left.setObjectName("transcriptPanel")
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(12, 10, 12, 10)
        self._transcript_title = _panel_title()
        left_column.addWidget(self._transcript_title)
        left_column.addWidget(self.outcome)
        left_column.addWidget(self.transcript, 1)
        diagram_panel = QFrame()
        diagram_panel.setObjectName("diagramPanel")
        right_column = QVBoxLayout(diagram_panel)
        right_column.setContentsMargins(12, 10, 12, 10)
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
        self._right = QStackedWidget()
        self._right.addWidget(diagram_panel)
        self._right.addWidget(self.lead)
        self._diagram_panel = diagram_panel
        body = QHBoxLayout()
        body.setContentsMargins(12, 10, 12, 10)
        body.setSpacing(12)
        body.addWidget(left, 11)
        body.addWidget(self._right, 9)
        page = QVBoxLayout(conversation)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        error_row = QHBoxLayout()
        error_row.setContentsMargins(12, 8, 12, 0)
        error_row.addWidget(self.error)
        page.addLayout(error_row)
        page.addLayout(body, 1)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(conversation)
        self.pages.addWidget(self.staff)
        self._conversation_page = conversation

        bottom = QFrame()
        bottom.setObjectName("bottomBar")
        self._bottom = bottom
        bar = QHBoxLayout(bottom)
        bar.setContentsMargins(12, 8, 12, 8)
        bar.setSpacing(12)
        bar.addWidget(self.typed, 1)
        bar.addWidget(self.start_stop)

        root = QWidget()
        column = QVBoxLayout(root)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(header)
        column.addWidget(self.idle_warning)
        column.addWidget(self.pages, 1)
        column.addWidget(bottom)
        self.setCentralWidget(root)

    def _connect(self) -> None:
        self.welcome.start_clicked.connect(self.start_requested)
        self.welcome.language_chosen.connect(self._choose_language)
        self.start_stop.clicked.connect(self._toggle)
        self.typed.submitted.connect(self.typed_answer)
        self.staff_button.clicked.connect(self.open_staff)
        self.staff.analytics_clicked.connect(self.open_analytics)
        self.staff.settings_clicked.connect(self.settings_requested)
        self.staff.about_clicked.connect(self.open_about)
        self.staff.exit_clicked.connect(self._exit_now)
        self.staff.close_clicked.connect(self.close_staff)
        self.lead.given.connect(self.lead_given)
        self.lead.touched.connect(self.visitor_busy)

    # -- what the controller calls -----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    @property
    def on_welcome(self) -> bool:
        return self.pages.currentWidget() is self.welcome

    @property
    def on_staff_page(self) -> bool:
        return self.pages.currentWidget() is self.staff

    def show_welcome(self) -> None:
        """A clean screen for the next visitor: nothing of the previous conversation (or of staff work)
        stays visible, and the kiosk's own language is back."""
        self.close_staff()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        self.transcript.clear()
        self.diagram.reset()
        self.outcome.hide()
        self.outcome.set_countdown(None)
        self.lead.clear()
        self._right.setCurrentWidget(self._diagram_panel)
        self.typed.edit.clear()
        self.clear_error()
        self.hide_idle_warning()
        self.set_running(False)
        self.set_typing_enabled(False)
        self.set_speaking(False)
        self.set_mic_active(False)
        self.set_status(Status.READY)
        if self.strings.lang is not self._home_lang:
            self.strings.lang = self._home_lang
            self.retranslate()
        self.pages.setCurrentWidget(self.welcome)
        self._bottom.hide()
        self.welcome.start.setFocus()

    def show_conversation(self) -> None:
        self.close_staff()
        self.transcript.clear()
        self.diagram.reset()
        self.outcome.hide()
        self.outcome.set_countdown(None)
        self.lead.clear()
        self._right.setCurrentWidget(self._diagram_panel)
        self.pages.setCurrentWidget(self._conversation_page)
        self._bottom.show()
        self._fit()

    def set_status(self, status: Status) -> None:
        self.status.set_status(status)

    def set_engine(self, name: str) -> None:
        """Show which speech engine serves the call (it changes on an OpenAI fail-over)."""
        self._engine = name
        shown = self.strings(f"engine.{name}") if name in ("offline", "openai") else name
        self._engine_label.setText(self.strings("engine.label", name=shown) if name else "")

    def set_running(self, running: bool) -> None:
        self._running = running
        again = not running and self.outcome.isVisibleTo(self)
        self.start_stop.setText(self.strings("button.stop" if running else "button.new" if again else "button.start"))
        self.start_stop.setProperty("running", running)
        self.start_stop.style().unpolish(self.start_stop)
        self.start_stop.style().polish(self.start_stop)

    def set_typing_enabled(self, enabled: bool) -> None:
        self.typed.setEnabled(enabled)
        if enabled:
            self.typed.edit.setFocus()
        elif self.pages.currentWidget() is self._conversation_page:
            self.start_stop.setFocus()

    def set_mic_active(self, active: bool) -> None:
        self.meter.set_active(active)
        self._mic_label.setText(self.strings("meter.mic" if active else "meter.off"))

    def set_mic_level(self, rms: float) -> None:
        self.meter.set_rms(rms)

    def set_speaking(self, speaking: bool) -> None:
        self.speaking.set_speaking(speaking)

    def show_outcome(self, record: CallRecord, countdown: int | None) -> None:
        self.diagram.advance(tuple(_closing_edges(record, self.diagram)))
        outcome_state = next((State(s) for s in reversed(record.path) if State(s) in TERMINAL_STATES), None)
        if outcome_state is not None:
            self.diagram.settle_on(outcome_state)
        self.outcome.show_record(record)
        self.outcome.set_countdown(countdown)
        if record.outcome == "eligible":
            self.lead.ask(record.call_id)
            self._right.setCurrentWidget(self.lead)
        self.set_running(False)
        self.set_typing_enabled(False)
        self.set_speaking(False)
        self.set_mic_active(False)
        self.set_status(Status.FINISHED)
        self._fit()
        if record.outcome == "eligible":
            self.lead.number.setFocus()

    def show_error(self, message: str) -> None:
        """A visitor-facing problem (shown on the conversation page, in the visitor's words)."""
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def set_staff_alert(self, key: str, text: str | None) -> None:
        """A standing problem for staff (records not saved, speech engine down): marked on the staff control
        until its cause is gone, and listed on the staff page."""
        self.staff.set_alert(key, text)
        alert = bool(self.staff.alert_texts)
        self.staff_button.setText("⚠" if alert else "⋯")
        self.staff_button.setProperty("alert", alert)
        self.staff_button.style().unpolish(self.staff_button)
        self.staff_button.style().polish(self.staff_button)

    def show_idle_warning(self, seconds: int) -> None:
        self.idle_warning.setText(self.strings("idle.warning", seconds=seconds))
        self.idle_warning.show()

    def hide_idle_warning(self) -> None:
        self.idle_warning.hide()

    @property
    def engine_text(self) -> str:
        return self._engine_label.text()

    @property
    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    # -- kiosk mode and the staff area -------------------------------------------------------------------
    def set_kiosk(self, kiosk: bool, exit_pin: str) -> None:
        """Full screen without chrome; leaving goes through the staff page."""
        self._kiosk = kiosk
        self._exit_pin = exit_pin
        self._allow_close = not kiosk
        if kiosk:
            self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint)
            self.setGeometry(self.screen().geometry())  # a kiosk X session often has no window manager
            self.showFullScreen()
        else:
            self.setWindowFlags(self.windowFlags() & ~Qt.WindowType.FramelessWindowHint)
            self.showNormal()

    def set_exit_pin(self, pin: str) -> None:
        self._exit_pin = pin

    def open_staff(self) -> PinDialog:
        """The discreet staff control: the PIN on a keypad, then the staff page."""
        dialog = PinDialog(self.strings, self._exit_pin, self)
        dialog.accepted.connect(self._enter_staff)
        dialog.open()
        return dialog

    def _enter_staff(self) -> None:
        if not self.on_staff_page:
            self._before_staff = self.pages.currentWidget()
        self.pages.setCurrentWidget(self.staff)
        self._bottom.hide()
        self.staff_opened.emit()
        if self._exit_pin == DEFAULT_PIN:
            self._ask_new_pin()

    def _ask_new_pin(self) -> PinDialog:
        """First use: the factory PIN is known to anyone who read the manual, so ask for a new one."""
        dialog = PinDialog(self.strings, parent=self, mode=PinMode.CHOOSE, note=self.strings("pin.default"))
        dialog.chosen.connect(self.pin_changed)
        dialog.open()
        return dialog

    def close_staff(self) -> None:
        """Back to the visitor's screen; the analytics view (earlier callers' data) is dropped."""
        self.staff.drop_view()
        if self.on_staff_page:
            back = self._before_staff or self.welcome
            self.pages.setCurrentWidget(back)
            self._bottom.setVisible(back is self._conversation_page)
        self._before_staff = None

    def permit_close(self) -> None:
        """The app is ending on purpose (staff Exit, a finished demo run): the kiosk window may close."""
        self._allow_close = True

    def _exit_now(self) -> None:
        self.permit_close()
        self.close()

    def open_analytics(self) -> None:
        """The records engineer's analytics view, in the staff page."""
        try:
            if self.analytics_factory is None:
                raise RuntimeError("no records store is configured")
            view = self.analytics_factory()
        except Exception as exc:  # another team's widget or the store must not take the kiosk down
            self.staff.set_alert("analytics", f"Analytics could not be opened: {exc}")
            return
        self.staff.set_alert("analytics", None)
        self.staff.show_view(view)

    def open_about(self) -> None:
        """Version and third-party licence notice (the packaging team's dialog)."""
        importlib.import_module(ABOUT_MODULE).AboutDialog(self).open()

    # -- events ------------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Typing anywhere on the conversation page goes into the answer box (never starts or stops a call)."""
        if self.typed.isEnabled() and event.text().isprintable() and event.text():
            self.typed.edit.setFocus()
            self.typed.edit.insert(event.text())
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Small screens keep the conversation and the controls; the diagram folds away. With the number pad
        up on a small screen, the outcome card takes the left column (the transcript is over by then)."""
        roomy = self.width() >= WIDE_ENOUGH and self.height() >= TALL_ENOUGH
        asking = self._right.currentWidget() is self.lead
        self._right.setVisible(roomy or asking)
        self.transcript.setVisible(roomy or not asking)

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
        self.staff_button.setAccessibleName(s("button.staff"))
        self.staff_button.setToolTip(s("button.staff"))
        for widget in (
            self.welcome, self.transcript, self.diagram, self.outcome, self.status, self.typed, self.lead, self.staff,
        ):  # fmt: skip
            widget.retranslate()
        self.set_running(self._running)

    def set_language(self, lang: Lang) -> None:
        """The kiosk's own language (settings): every reset comes back to it."""
        self._home_lang = lang
        self.strings.lang = lang
        self.retranslate()

    def _choose_language(self, code: str) -> None:
        self.strings.lang = Lang(code)
        self.retranslate()
        self.language_changed.emit(code)

    def _toggle(self) -> None:
        if self._running:
            self.stop_requested.emit()
        else:
            self.start_requested.emit()


def _panel_title() -> QLabel:
    label = QLabel()
    label.setObjectName("panelTitle")
    return label


def _banner(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
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
