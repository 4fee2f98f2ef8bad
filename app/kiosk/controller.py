"""Wiring: window actions start and steer calls; call events drive the window; kiosk resets keep it clean."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer

from app.kiosk.audio_port import AudioDeviceError, AudioPort, PlaybackDrained, PlaybackStarted
from app.kiosk.calls import LISTEN_RATE, DeviceProblem, MicLevel, SpokenCall, TypedCall
from app.kiosk.devices import SoundDeviceCatalog, SoundDevicePort
from app.kiosk.file_device import FileAudioPort
from app.kiosk.wording import for_the_kiosk
from core.events import (
    BotSaid,
    CallFinished,
    EngineChanged,
    ErrorKind,
    FinalTranscript,
    PartialTranscript,
    SessionError,
    SpeechStarted,
    StateChanged,
    StopPlayback,
    TurnEnded,
    TurnEndReason,
)
from core.policy import Policy
from core.prompts import PromptBook
from core.record import CallRecord
from core.screening import Screening, Understander
from core.speech.engine import SpeechEngine, TurnSettings
from ui.idle_watch import IdleWatch
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog
from ui.settings_model import Duplex, KioskSettings, save_settings
from ui.status_pill import Status
from ui.strings import Lang

EngineLoader = Callable[[str, KioskSettings], SpeechEngine]
RecordSink = Callable[[CallRecord], Awaitable[object]]

DEVICE_MESSAGES = {
    "no_microphone": "error.no_microphone",
    "sample_rate": "error.sample_rate",
    "output": "error.output",
    "device_lost": "error.device_lost",
}


@dataclass(frozen=True, slots=True)
class KioskOptions:
    """How this process was started (command line), as opposed to the persisted settings."""

    kiosk: bool = False
    input_wavs: list[Path] = field(default_factory=list)
    output_wav: Path | None = None
    exit_when_done: bool = False
    engine: str | None = None
    file_speed: float = 1.0
    language: str | None = None
    """--language / $QUICKRUPEE_LANGUAGE for this run; None keeps the visitor's saved choice."""


class KioskController(QObject):
    """Owns the engine, the current call and the reset timers; the window only shows and reports."""

    def __init__(
        self,
        window: MainWindow,
        options: KioskOptions,
        settings: KioskSettings,
        store: QSettings,
        policy: Policy,
        prompts: PromptBook,
        understand: Understander,
        load_engine: EngineLoader,
        save_record: RecordSink | None = None,
        on_done: Callable[[CallRecord], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.options = options
        self.settings = settings
        self._store = store
        self._screening = Screening(policy, prompts, understand, tailor=for_the_kiosk)
        self._load_engine = load_engine
        self._save_record = save_record
        self._on_done = on_done
        self._engine: asyncio.Future[SpeechEngine | None] | None = None
        self.engine_error: str | None = None
        self.call: SpokenCall | TypedCall | None = None
        self.last_record: CallRecord | None = None
        self.finishing: asyncio.Future[None] | None = None
        """Storing the last record and releasing its device; done before the app may quit."""
        self._tasks: set[asyncio.Future[object]] = set()
        self._speaking = False
        self.idle = IdleWatch(settings.idle_reset_s, self)
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._tick_countdown)
        self._seconds_left = 0
        window.start_requested.connect(lambda: self._spawn(self.start_call()))
        window.stop_requested.connect(lambda: self._spawn(self.stop_call()))
        window.typed_answer.connect(lambda text: self._spawn(self.type_answer(text)))
        window.settings_requested.connect(self.open_settings)
        self.idle.idle.connect(lambda: self._spawn(self.reset_to_welcome()))
        # kiosk issue 13: the staff page closes on idle too; warn before the wipe; hold it while a lead types
        window.staff_opened.connect(self.idle.poke)
        window.pin_changed.connect(lambda pin: self.apply_settings(replace(self.settings, exit_pin=pin)))
        window.visitor_busy.connect(self._hold_countdown)
        self.idle.warning.connect(window.show_idle_warning)
        self.idle.resumed.connect(window.hide_idle_warning)
        window.set_language(Lang(settings.language))
        window.set_exit_pin(settings.exit_pin)
        window.language_changed.connect(self._preload_language)

    # -- engine ------------------------------------------------------------------------------------------
    @property
    def engine_name(self) -> str:
        return self.options.engine or self.settings.engine

    def load_engine_in_background(self) -> asyncio.Future[SpeechEngine | None]:
        """Load (and warm) the speech engine off the event loop; the window stays usable meanwhile."""
        self._engine = asyncio.ensure_future(self._load())
        return self._engine

    async def ready(self) -> SpeechEngine | None:
        """Wait until the engine (and the understanding's gazetteer) is loaded, or failed to load."""
        return await self._engine if self._engine is not None else None

    async def _load(self) -> SpeechEngine | None:
        # the first understanding loads the city gazetteer (seconds): not on the loop
        await asyncio.to_thread(self._screening.warm)
        try:
            engine = await asyncio.to_thread(self._load_engine, self.engine_name, self.settings)
        except Exception as exc:  # any engine failure leaves the kiosk usable by typing
            self.engine_error = str(exc) or type(exc).__name__
            self.window.show_error(self.window.strings("error.engine", detail=self.engine_error))
            return None
        finally:
            _freeze_loaded_objects()
        self.engine_error = None
        return engine

    # -- calls -------------------------------------------------------------------------------------------
    async def start_call(self) -> None:
        """Start a call by voice when the engine and microphone allow it, else by typing (and say why)."""
        if self.call is not None and not self.call.finished:
            return
        self._countdown.stop()
        w = self.window
        w.show_conversation()
        w.clear_error()
        w.set_running(True)
        w.set_status(Status.THINKING)
        if self.options.kiosk:
            self.idle.poke()
        engine = await self.ready()
        call: SpokenCall | TypedCall | None = None
        note = ""
        if engine is None:
            w.show_error(w.strings("error.engine", detail=self.engine_error or "not loaded"))
            note = f"typed only: speech engine unavailable ({self.engine_error or 'not loaded'})"
        else:
            try:
                call = self._spoken_call(engine)
            except AudioDeviceError as exc:
                w.show_error(w.strings(DEVICE_MESSAGES.get(exc.kind, "error.no_microphone")))
                note = f"typed only: {exc}"
        if call is None:
            session = self._screening.open_typed_session(channel="kiosk", language=self._language())
            session.note(note)
            call = TypedCall(session, self._on_event)
        self.call = call
        w.set_typing_enabled(True)
        w.set_mic_active(call.spoken)
        await call.start()

    def _spoken_call(self, engine: SpeechEngine) -> SpokenCall:
        """A voice call on an opened device; raises AudioDeviceError when the device cannot be used."""
        port = self._make_port()
        port.open()
        if isinstance(port, SoundDevicePort) and port.output_problem:
            self.window.show_error(self.window.strings("error.output"))
        turn = TurnSettings(
            end_of_turn_silence=self.settings.end_of_turn_ms / 1000.0,
            half_duplex=self.settings.duplex == Duplex.HALF.value,
        )
        session = self._screening.open_session(
            engine, channel="kiosk", input_rate=LISTEN_RATE, output_rate=port.output_rate,
            language=self._language(), settings=turn,
        )  # fmt: skip
        return SpokenCall(session, port, self._on_event)

    def _make_port(self) -> AudioPort:
        if self.options.input_wavs:
            return FileAudioPort(self.options.input_wavs, self.options.output_wav, speed=self.options.file_speed)
        return SoundDevicePort(self.settings.input_device, self.settings.output_device)

    async def type_answer(self, text: str) -> None:
        if self.call is not None and not self.call.finished:
            if self.options.kiosk:
                self.idle.poke()
            await self.call.push_text(text)

    async def close(self) -> None:
        """The app is quitting: end a call in progress (incomplete) and store its record before exit."""
        call = self.call
        if call is not None and not call.finished:
            await call.stop()
            if self.last_record is not call.session.record and self._save_record is not None:
                await self._save_record(call.session.record)  # its CallFinished may never be relayed
        if self.finishing is not None:
            await self.finishing

    async def stop_call(self) -> None:
        """The visitor pressed Stop: the call ends incomplete and its outcome card shows."""
        if self.call is not None and not self.call.finished:
            await self.call.stop()

    # -- events ------------------------------------------------------------------------------------------
    def _on_event(self, event: object) -> None:
        """Every status change here follows something that really happened (audio played, speech heard)."""
        w = self.window
        if self.options.kiosk and not isinstance(event, MicLevel):
            self.idle.poke()
        awaiting = self.call is not None and self.call.session.awaiting_reply
        listening = Status.LISTENING if self.call is not None and self.call.spoken else Status.TYPING
        match event:
            case StateChanged(edges):
                w.diagram.advance(edges)
            case BotSaid(text, _, closing):
                w.transcript.add_bot(text)
                if self.call is not None and not self.call.spoken and not closing:
                    w.set_status(Status.TYPING)
            case PlaybackStarted():
                self._speaking = True
                w.set_speaking(True)
                w.set_status(Status.SPEAKING)
            case PlaybackDrained() | StopPlayback():
                self._speaking = False
                w.set_speaking(False)
                if awaiting:
                    w.set_status(listening)
            case SpeechStarted():
                if not self._speaking:
                    w.set_status(Status.LISTENING)
            case PartialTranscript(text):
                w.transcript.show_partial(text)
            case EngineChanged(name):
                w.set_engine(name)
            case FinalTranscript(text):
                if text:
                    w.transcript.show_final(text)
                else:
                    w.transcript.drop_partial()
                w.set_status(Status.THINKING)
            case TurnEnded(text, reason):
                if reason is TurnEndReason.TYPED:
                    w.transcript.show_final(text)
                w.set_status(Status.THINKING)
            case MicLevel(rms):
                w.set_mic_active(rms is not None)
                w.set_mic_level(rms or 0.0)
            case DeviceProblem(kind, _):
                w.show_error(w.strings(DEVICE_MESSAGES.get(kind, "error.device_lost")))
            case SessionError(kind, message):
                w.show_error(w.strings("error.engine", detail=message) if kind is ErrorKind.ENGINE else message)
            case CallFinished(record):
                self._finished(record)

    def _finished(self, record: CallRecord) -> None:
        self.last_record = record
        self._speaking = False
        countdown = self.settings.outcome_reset_s if self.options.kiosk else None
        self.window.show_outcome(record, countdown)
        if countdown is not None:
            self._seconds_left = countdown
            self._countdown.start()
        self.finishing = asyncio.ensure_future(self._after_call(record))

    async def _after_call(self, record: CallRecord) -> None:
        """Store the record, wait for the device to be released (output WAV written), then report."""
        if self._save_record is not None:
            await self._save_record(record)
        if self.call is not None:
            await self.call.wait_closed()
        if self._on_done is not None:
            self._on_done(record)

    # -- kiosk resets ------------------------------------------------------------------------------------
    def stop_timers(self) -> None:
        """The outcome countdown and the idle watch stop (the kiosk is shutting down)."""
        self._countdown.stop()
        self.idle.stop()

    def _tick_countdown(self) -> None:
        self._seconds_left -= 1
        if self._seconds_left <= 0:
            self._spawn(self.reset_to_welcome())
        else:
            self.window.outcome.set_countdown(self._seconds_left)

    def _hold_countdown(self) -> None:
        """The visitor is typing a number on the outcome screen: start its countdown again."""
        if self._countdown.isActive():
            self._seconds_left = self.settings.outcome_reset_s
            self.window.outcome.set_countdown(self._seconds_left)

    async def reset_to_welcome(self) -> None:
        """Privacy: end any call and clear everything the last visitor said from the screen."""
        self._countdown.stop()
        self.idle.stop()
        if self.call is not None and not self.call.finished:
            await self.call.stop()
        self.window.show_welcome()

    # -- settings ----------------------------------------------------------------------------------------
    def open_settings(self) -> SettingsDialog:
        voices = [self._engine.result().voice.name] if self._engine_ready() else []
        dialog = SettingsDialog(self.settings, SoundDeviceCatalog(), voices, self.window)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.chosen()))
        dialog.open()
        return dialog

    def _engine_ready(self) -> bool:
        return self._engine is not None and self._engine.done() and self._engine.result() is not None

    def apply_settings(self, settings: KioskSettings) -> None:
        """Persist and use new settings; a new engine or speaking rate reloads the engine in the background."""
        previous, self.settings = self.settings, settings
        save_settings(self._store, settings)
        self.window.set_language(Lang(settings.language))
        self.window.set_exit_pin(settings.exit_pin)
        self.idle.set_seconds(settings.idle_reset_s)
        reload = (previous.engine, previous.speaking_rate, previous.voice) != (
            settings.engine,
            settings.speaking_rate,
            settings.voice,
        )
        if reload and self._engine is not None:
            self.load_engine_in_background()

    def _language(self) -> str:
        """The language the visitor chose on the welcome screen (or --language / the settings)."""
        return self.window.strings.lang.value

    def _preload_language(self, language: str) -> None:
        """Load that language's recogniser, voice and context now, off the loop, not when Start is pressed."""
        engine = self._engine.result() if self._engine_ready() else None  # type: ignore[union-attr]
        for_language = getattr(engine, "for_language", None)
        if for_language is not None:
            self._spawn(asyncio.to_thread(for_language, language))
        self._spawn(asyncio.to_thread(self._screening.warm, language))

    def _spawn(self, coro: Awaitable[object]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _freeze_loaded_objects() -> None:
    """Models, the gazetteer and the prompt cache live for the whole process: move them out of the
    garbage collector's sight, so a full collection mid-conversation does not stall the window."""
    gc.collect()
    gc.freeze()
