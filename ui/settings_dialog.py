"""Settings: audio devices (with a test tone and a live level), speech engine, voice, timing, kiosk options."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.keypad import TOUCH_HEIGHT
from ui.level_meter import LevelMeter
from ui.settings_model import ENGINES, Duplex, KioskSettings

ENGINE_NAMES = {"offline": "Offline (on this machine)", "openai": "OpenAI Realtime (online)"}
DUPLEX_NAMES = {
    Duplex.FULL.value: "Full duplex: echo cancelled, visitor may interrupt",
    Duplex.HALF.value: "Half duplex: microphone off while the bot speaks",
}
LEVEL_POLL_MS = 50


class DeviceError(Exception):
    """An audio device could not be used; the message is shown to staff as is."""


class DeviceCatalog(Protocol):
    """What the dialog needs from the audio layer (app.kiosk.devices implements it)."""

    def input_names(self) -> list[str]: ...
    def output_names(self) -> list[str]: ...
    def play_test_tone(self, output: str) -> None: ...
    def start_level(self, input_name: str) -> None: ...
    def level(self) -> float: ...
    def stop_level(self) -> None: ...


class SettingsDialog(QDialog):
    """Edits a copy of the settings; `chosen()` is valid only after the dialog was accepted."""

    def __init__(
        self, settings: KioskSettings, devices: DeviceCatalog, voices: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setModal(True)
        self._devices = devices
        self._original = settings
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.input = QComboBox()
        self.output = QComboBox()
        self.tone = QPushButton("Play test tone")
        self.listen = QPushButton("Test microphone")
        self.meter = LevelMeter()
        self.engine = QComboBox()
        self.voice = QComboBox()
        self.rate = QDoubleSpinBox(minimum=0.5, maximum=2.0, singleStep=0.1, decimals=1)
        self.end_of_turn = QSpinBox(minimum=300, maximum=3000, singleStep=100, suffix=" ms")
        self.duplex = QComboBox()
        self.idle_reset = QSpinBox(minimum=15, maximum=1800, suffix=" s")
        self.outcome_reset = QSpinBox(minimum=3, maximum=300, suffix=" s")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.language = QComboBox()
        self._level_timer = QTimer(self, interval=LEVEL_POLL_MS)
        self._level_timer.timeout.connect(lambda: self.meter.set_rms(self._devices.level()))
        self._build()
        self._fill(settings, voices)
        self._fit_screen()

    def _fit_screen(self) -> None:
        """As large as the form needs, never larger than the screen it opens on."""
        screen = (self.parentWidget() or self).screen().availableGeometry()
        hint = self.sizeHint()
        self.resize(min(max(hint.width(), 640), screen.width() - 16), min(hint.height() + 40, screen.height() - 16))

    def _build(self) -> None:
        audio = QGroupBox("Audio")
        form = QFormLayout(audio)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.listen)
        form.addRow("Microphone", row)
        form.addRow("Level", self.meter)
        row = QHBoxLayout()
        row.addWidget(self.output, 1)
        row.addWidget(self.tone)
        form.addRow("Speaker", row)
        form.addRow("Echo handling", self.duplex)
        speech = QGroupBox("Speech")
        form = QFormLayout(speech)
        form.addRow("Engine", self.engine)
        form.addRow("Voice", self.voice)
        form.addRow("Speaking rate", self.rate)
        form.addRow("End-of-turn silence", self.end_of_turn)
        kiosk = QGroupBox("Kiosk")
        form = QFormLayout(kiosk)
        form.addRow("Reset when idle after", self.idle_reset)
        form.addRow("Reset after the outcome", self.outcome_reset)
        form.addRow("Exit PIN (4-8 digits)", self.pin)
        form.addRow("Language", self.language)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setMinimumSize(96, TOUCH_HEIGHT)
        title = QLabel("Settings")  # a kiosk has no window manager to draw the title
        title.setObjectName("dialogTitle")
        form = QWidget()
        groups = QVBoxLayout(form)
        groups.setContentsMargins(0, 0, 0, 0)
        for group in (audio, speech, kiosk):
            groups.addWidget(group)
        scroll = QScrollArea()  # an 800x480 screen is shorter than the form: it scrolls, the buttons stay
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        for widget in (self.message, buttons):
            layout.addWidget(widget)
        self.tone.clicked.connect(self._play_tone)
        self.listen.clicked.connect(self._toggle_level)

    def _fill(self, settings: KioskSettings, voices: list[str]) -> None:
        self.input.addItem("System default", "")
        for name in self._devices.input_names():
            self.input.addItem(name, name)
        self.output.addItem("System default", "")
        for name in self._devices.output_names():
            self.output.addItem(name, name)
        if self.input.count() == 1:
            self.message.setText("No microphone was found on this machine. Visitors can still type.")
        for engine in ENGINES:
            self.engine.addItem(ENGINE_NAMES[engine], engine)
        self.voice.addItem("Engine default", "")
        for voice in voices:
            self.voice.addItem(voice, voice)
        for value, name in DUPLEX_NAMES.items():
            self.duplex.addItem(name, value)
        self.language.addItem("English", "en")
        self.language.addItem("हिन्दी (Hindi)", "hi")
        _select(self.input, settings.input_device, missing_label="(not connected)")
        _select(self.output, settings.output_device, missing_label="(not connected)")
        _select(self.engine, settings.engine)
        _select(self.voice, settings.voice, missing_label="(not installed)")
        _select(self.duplex, settings.duplex)
        _select(self.language, settings.language)
        self.rate.setValue(settings.speaking_rate)
        self.end_of_turn.setValue(settings.end_of_turn_ms)
        self.idle_reset.setValue(settings.idle_reset_s)
        self.outcome_reset.setValue(settings.outcome_reset_s)
        self.pin.setText(settings.exit_pin)

    def chosen(self) -> KioskSettings:
        return KioskSettings(
            input_device=self.input.currentData(),
            output_device=self.output.currentData(),
            engine=self.engine.currentData(),
            voice=self.voice.currentData(),
            speaking_rate=round(self.rate.value(), 1),
            end_of_turn_ms=self.end_of_turn.value(),
            duplex=self.duplex.currentData(),
            idle_reset_s=self.idle_reset.value(),
            outcome_reset_s=self.outcome_reset.value(),
            exit_pin=self.pin.text().strip(),
            language=self.language.currentData(),
        )

    def try_accept(self) -> None:
        """Close only on valid settings; otherwise say what is wrong, in the dialog."""
        problems = self.chosen().problems()
        if problems:
            self.message.setText("\n".join(problems.values()))
            return
        self.accept()

    def done(self, result: int) -> None:
        self._stop_level()
        super().done(result)

    def _play_tone(self) -> None:
        try:
            self._devices.play_test_tone(self.output.currentData())
        except DeviceError as exc:
            self.message.setText(str(exc))
        else:
            self.message.setText("Playing a test tone: you should hear a short beep.")

    def _toggle_level(self) -> None:
        if self._level_timer.isActive():
            self._stop_level()
            return
        try:
            self._devices.start_level(self.input.currentData())
        except DeviceError as exc:
            self.message.setText(str(exc))
            return
        self.meter.set_active(True)
        self.listen.setText("Stop test")
        self._level_timer.start()

    def _stop_level(self) -> None:
        if self._level_timer.isActive():
            self._level_timer.stop()
            self._devices.stop_level()
        self.meter.set_active(False)
        self.listen.setText("Test microphone")


def _select(combo: QComboBox, value: str, *, missing_label: str = "") -> None:
    """Select `value`; a remembered device that is gone stays listed, marked, so staff can see it."""
    index = combo.findData(value)
    if index < 0:
        combo.addItem(f"{value} {missing_label}".strip(), value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
