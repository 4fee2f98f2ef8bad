"""`python -m app [--kiosk]`: the desktop kiosk on a qasync loop (Qt and asyncio on one thread)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli_errors import OneLineParser, UsageError
from app.kiosk.controller import KioskController, KioskOptions
from core.audio import AudioError, read_wav
from core.language import LANGUAGE_ENV, resolve_language
from core.policy import PolicyError, load_policy
from core.prompts import PromptBook, load_prompts
from core.record import CallRecord
from core.resources import resource_path
from core.speech.engine import SpeechEngine
from ui.settings_model import KioskSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from core.records import RecordStore
    from ui.main_window import MainWindow

HINDI_PROMPTS = "prompts.hi.json"
"""The language toggle appears once the core ships Hindi prompts under this name."""


def build_parser() -> OneLineParser:
    parser = OneLineParser(prog="python -m app", description="QuickRupee Voice kiosk.")
    parser.add_argument("--kiosk", action="store_true", help="full screen, no window chrome, PIN to exit")
    parser.add_argument(
        "--input-wav",
        nargs="+",
        type=Path,
        default=[],
        metavar="WAV",
        help="play these WAV files as the visitor's answers, one after each prompt",
    )
    parser.add_argument("--output-wav", type=Path, metavar="WAV", help="record what the app would have played")
    parser.add_argument(
        "--exit-when-done", action="store_true", help="quit after the outcome and print the call as `simulate --json`"
    )
    parser.add_argument("--engine", help="speech engine (offline, openai); default: from the settings")
    parser.add_argument(
        "--language", help="en or hi: prompts, voice and recogniser (default: $QUICKRUPEE_LANGUAGE or the settings)"
    )
    return parser


def engine_loader(prompts: PromptBook) -> Callable[[str, KioskSettings], SpeechEngine]:
    """Load the named engine with the kiosk's voice settings and warm the prompt cache (runs in a thread)."""

    def load(name: str, settings: KioskSettings) -> SpeechEngine:
        from core.speech.factory import create_engine
        from core.speech.settings import SpeechSettings

        speech = replace(
            SpeechSettings.from_env(),
            tts_length_scale=round(1.0 / settings.speaking_rate, 3),
            language=settings.language,
        )
        engine = create_engine(name, speech)
        book = prompts if prompts.code == settings.language else load_prompts(load_policy(), language=settings.language)
        engine.voice.warm(book.all_texts())
        return engine

    return load


class _Records:
    """The records store, opened once off the event loop; saves run on the store's own threads."""

    def __init__(self) -> None:
        self._store: RecordStore | None = None
        self._opening: asyncio.Future[RecordStore] | None = None

    def store(self) -> RecordStore:
        from core.records import RecordStore

        if self._store is None:
            self._store = RecordStore.open()
        return self._store

    def open_in_background(self) -> asyncio.Future[RecordStore]:
        """Start opening (and migrating) the store now, so the first save does not wait for it."""
        if self._opening is None:
            self._opening = asyncio.ensure_future(asyncio.to_thread(self.store))
        return self._opening

    async def save(self, record: CallRecord) -> None:
        from core.records import StoreError

        try:
            store = await self.open_in_background()
            await store.save_async(record)
        except StoreError as exc:
            print(f"warning: call {record.call_id} not stored: {exc}", file=sys.stderr)

    def analytics(self) -> QWidget:
        from ui.analytics_view import AnalyticsView

        return AnalyticsView(self.store())


@dataclass
class Kiosk:
    """A built kiosk: the Qt application on its qasync loop, the window and its controller."""

    app: QApplication
    loop: asyncio.AbstractEventLoop
    window: MainWindow
    controller: KioskController
    records: _Records
    started: float


def parse(argv: list[str]) -> tuple[KioskOptions, PromptBook]:
    """Options from the command line; raises UsageError with one line for a bad file or policy."""
    args = build_parser().parse_args(argv)
    try:
        for path in args.input_wav:
            read_wav(path)
        language = resolve_language(args.language) if args.language or os.environ.get(LANGUAGE_ENV) else None
        prompts = load_prompts(load_policy(), language=language or "en")
    except (AudioError, PolicyError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    if args.output_wav is not None and not args.output_wav.parent.is_dir():
        raise UsageError(f"cannot write {args.output_wav}: folder does not exist")
    options = KioskOptions(
        kiosk=args.kiosk,
        input_wavs=list(args.input_wav),
        output_wav=args.output_wav,
        exit_when_done=args.exit_when_done,
        engine=args.engine,
        language=language,
    )
    return options, prompts


def build(options: KioskOptions, prompts: PromptBook, started: float) -> Kiosk:
    """The application, the qasync loop, the window and the controller, wired and shown."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from core.understanding import understand
    from ui.main_window import MainWindow
    from ui.settings_model import default_store, load_settings
    from ui.strings import Strings, policy_values
    from ui.theme import apply_theme, type_scale

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)  # closing the window ends the call and stores it first (serve)
    apply_theme(app, type_scale(app.primaryScreen().geometry().height()) if options.kiosk else 1.0)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    policy = load_policy()
    store = default_store()
    settings, notes = load_settings(store)
    if options.language is not None:  # this run only: the saved choice stays the visitor's default
        settings = replace(settings, language=options.language)
    window = MainWindow(Strings(), policy_values(policy), hindi_available=resource_path(HINDI_PROMPTS).exists())
    records = _Records()
    window.analytics_factory = records.analytics

    def done(record: CallRecord) -> None:
        if options.exit_when_done:
            from app.simulate import result_json

            print(json.dumps(result_json(record), ensure_ascii=False), flush=True)
            app.quit()

    controller = KioskController(
        window,
        options,
        settings,
        store,
        policy,
        prompts,
        understand,
        engine_loader(prompts),
        save_record=records.save,
        on_done=done,
    )
    app.installEventFilter(controller.idle)
    for note in notes:
        window.show_error(note)
    if options.kiosk:
        window.set_kiosk(True, settings.exit_pin)
    else:
        window.resize(1280, 800)
        window.show()
    return Kiosk(app, loop, window, controller, records, started)


async def serve(kiosk: Kiosk) -> None:
    """Load the engine, start the WAV-file conversation if one was given, and run until the app quits."""
    closed = asyncio.Event()
    kiosk.app.aboutToQuit.connect(closed.set)
    kiosk.window.closing.connect(closed.set)
    kiosk.controller.load_engine_in_background()
    print(f"kiosk: window shown in {time.perf_counter() - kiosk.started:.2f} s", file=sys.stderr)
    kiosk.records.open_in_background()
    await kiosk.controller.ready()
    print(f"kiosk: ready in {time.perf_counter() - kiosk.started:.2f} s", file=sys.stderr)
    if kiosk.controller.options.input_wavs:
        await kiosk.controller.start_call()
    await closed.wait()
    await kiosk.controller.close()


def main(argv: list[str]) -> int:
    """Parse the options, build the window and run the loop until the window closes."""
    started = time.perf_counter()
    try:
        options, prompts = parse(argv)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    kiosk = build(options, prompts, started)
    with kiosk.loop:
        kiosk.loop.run_until_complete(serve(kiosk))
    return 0
