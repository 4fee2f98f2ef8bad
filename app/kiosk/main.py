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
from app.kiosk.wording import for_the_kiosk
from core.audio import AudioError, read_wav
from core.language import LANGUAGE_ENV, LANGUAGES
from core.policy import PolicyError, load_policy
from core.prompts import PromptBook, load_prompts
from core.record import CallRecord
from core.speech.engine import SpeechEngine
from ui.settings_model import KioskSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from core.records import RecordStore
    from ui.main_window import MainWindow
    from ui.strings import Strings



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
        "--language",
        choices=LANGUAGES,
        default=os.environ.get(LANGUAGE_ENV) or None,
        help=f"the kiosk's language (visitors may still choose); default: ${LANGUAGE_ENV}, else the settings",
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
        engine.voice.warm(for_the_kiosk(book).all_texts())  # the kiosk's own sentences are cached too
        return engine

    return load


StoreAlert = Callable[[str | None], None]
"""Raise (text) or clear (None) the staff alert that records are not being saved."""


class _Records:
    """The records store, opened once off the event loop; saves run on the store's own threads.

    A record that cannot reach the database goes to the local spool, and staff see an alert until saving
    works again; the visitor's outcome never depends on it.
    """

    def __init__(self, alert: StoreAlert | None = None) -> None:
        self._store: RecordStore | None = None
        self._opening: asyncio.Future[RecordStore] | None = None
        self._alert = alert or (lambda text: None)

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
        from core.records import Saved, StoreError

        try:
            store = await self.open_in_background()
            saved = await store.save_async(record)
        except StoreError as exc:
            self._problem(record.call_id, str(exc))
            await asyncio.to_thread(_spool_unopened, record)
            return
        if saved is Saved.SPOOLED:
            self._problem(record.call_id, f"the database at {store.url} is not answering; {store.spooled} waiting")
        else:
            self._alert(None)

    async def save_contact(self, call_id: str, contact: dict[str, object]) -> None:
        """A lead's number (or skip) for a call stored at its end; a store failure alerts staff."""
        from core.records import StoreError

        try:
            store = await self.open_in_background()
            added = await asyncio.to_thread(store.set_contact, call_id, contact)
        except StoreError as exc:
            self._problem(call_id, f"a visitor's contact was not stored: {exc}")
            return
        if not added:
            self._problem(call_id, "a visitor's contact was not stored: the call's record is not in the database")

    def _problem(self, call_id: str, detail: str) -> None:
        print(f"warning: call {call_id} not stored in the database: {detail}", file=sys.stderr)
        self._alert(detail)

    def analytics(self, strings: Strings) -> QWidget:
        from ui.analytics_view import AnalyticsView

        return AnalyticsView(self.store(), strings=strings)


def _spool_unopened(record: CallRecord) -> None:
    """The store could not even be opened (bad URL, unwritable folder): keep the record in the local spool
    under the configured URL's name, so the store writes it once it opens."""
    from core.records import codec
    from core.records.location import data_dir, resolve_url, safe
    from core.records.spool import Spool, spool_path

    try:
        key = safe(resolve_url(None))
    except Exception:  # the URL itself is what is broken
        key = "unopened"
    Spool(spool_path(data_dir(), key)).append(codec.as_json(record))


@dataclass
class Kiosk:
    """A built kiosk: the Qt application on its qasync loop, the window and its controller."""

    app: QApplication
    loop: asyncio.AbstractEventLoop
    window: MainWindow
    controller: KioskController
    records: _Records
    started: float


class StartupProblem(Exception):
    """The kiosk cannot start; `remedy` tells staff what to do (shown in a window, not only on stderr)."""

    def __init__(self, problem: str, remedy: str) -> None:
        super().__init__(problem)
        self.remedy = remedy


POLICY_REMEDY = (
    "Restore resources/policy.json (and prompts.json) from the installer or the last good copy, "
    "or ask whoever changed the policy to fix the field named above; then start the kiosk again."
)


@dataclass(frozen=True, slots=True)
class Startup:
    """What the command line and the resource files decided before any window exists."""

    options: KioskOptions
    prompts: PromptBook
    language: str | None = None
    """--language / $QUICKRUPEE_LANGUAGE; None keeps the language in the settings."""


GENERAL_REMEDY = (
    "Run `python -m app --self-test` on this machine to check the installation, and pass this message "
    "to whoever supports the kiosk; then start it again."
)


def parse(argv: list[str]) -> Startup:
    """Options from the command line; raises UsageError for a bad file or flag, StartupProblem for a bad
    policy or prompt file."""
    args = build_parser().parse_args(argv)
    try:
        for path in args.input_wav:
            read_wav(path)
    except AudioError as exc:
        raise UsageError(str(exc)) from exc
    if args.output_wav is not None and not args.output_wav.parent.is_dir():
        raise UsageError(f"cannot write {args.output_wav}: folder does not exist")
    try:
        prompts = load_prompts(load_policy())  # the controller adds the kiosk wording to every language
    except (PolicyError, ValueError, OSError, KeyError) as exc:
        raise StartupProblem(f"The eligibility policy or prompts could not be loaded: {exc}", POLICY_REMEDY) from exc
    options = KioskOptions(
        kiosk=args.kiosk,
        input_wavs=list(args.input_wav),
        output_wav=args.output_wav,
        exit_when_done=args.exit_when_done,
        engine=args.engine,
        language=args.language,
    )
    return Startup(options, prompts, args.language)


def application(kiosk: bool) -> QApplication:
    """The one QApplication, themed for the screen it runs on."""
    from PySide6.QtWidgets import QApplication

    from ui.theme import apply_theme, type_scale

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    apply_theme(app, type_scale(app.primaryScreen().geometry().height()) if kiosk else 1.0)
    return app


def build(startup: Startup, started: float) -> Kiosk:
    """The application, the qasync loop, the window and the controller, wired and shown."""
    import qasync

    from core.understanding import understand
    from ui.main_window import MainWindow
    from ui.settings_model import default_store, load_settings
    from ui.strings import Lang, Strings, policy_values

    options = startup.options
    app = application(options.kiosk)
    app.setQuitOnLastWindowClosed(False)  # closing the window ends the call and stores it first (serve)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    policy = load_policy()
    store = default_store()
    settings, notes = load_settings(store)
    window = MainWindow(Strings(), policy_values(policy))

    def records_alert(detail: str | None) -> None:
        window.set_staff_alert("records", detail and window.strings("alert.records", detail=detail))

    records = _Records(records_alert)
    window.analytics_factory = lambda: records.analytics(window.strings)

    def done(record: CallRecord) -> None:
        if options.exit_when_done:
            from app.simulate import result_json

            print(json.dumps(result_json(record), ensure_ascii=False), flush=True)
            window.permit_close()  # Qt 6 quits only if every window agrees to close; a kiosk window refuses
            app.quit()

    controller = KioskController(
        window,
        options,
        settings,
        store,
        policy,
        startup.prompts,
        understand,
        engine_loader(startup.prompts),
        save_record=records.save,
        on_done=done,
    )
    window.lead_given.connect(lambda call_id, contact: asyncio.ensure_future(records.save_contact(call_id, contact)))
    if startup.language:
        window.set_language(Lang(startup.language))
    app.installEventFilter(controller.idle)
    for index, note in enumerate(notes):
        window.set_staff_alert(f"setting{index}", note)
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
    error = kiosk.controller.engine_error
    kiosk.window.set_staff_alert("engine", error and kiosk.window.strings("alert.engine", detail=error))
    print(f"kiosk: ready in {time.perf_counter() - kiosk.started:.2f} s", file=sys.stderr)
    if kiosk.controller.options.input_wavs:
        await kiosk.controller.start_call()
    await closed.wait()
    await kiosk.controller.close()


def show_startup_problem(problem: StartupProblem) -> int:
    """A plain window saying what is wrong and what to do (a kiosk has no terminal to read); exit status 2."""
    from ui.startup_error import StartupErrorWindow

    app = application(kiosk=False)
    window = StartupErrorWindow(str(problem), problem.remedy)
    window.resize(900, 560)
    window.show()
    app.exec()
    return 2


def main(argv: list[str]) -> int:
    """Parse the options, build the window and run the loop until the window closes."""
    started = time.perf_counter()
    try:
        startup = parse(argv)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StartupProblem as exc:
        print(f"error: {exc} {exc.remedy}", file=sys.stderr)
        return 2 if "--exit-when-done" in argv else show_startup_problem(exc)
    try:
        kiosk = build(startup, started)
    except Exception as exc:  # anything that stops the window from opening is shown, not a black screen
        problem = StartupProblem(f"The kiosk could not start: {type(exc).__name__}: {exc}", GENERAL_REMEDY)
        print(f"error: {problem}", file=sys.stderr)
        return show_startup_problem(problem)
    with kiosk.loop:
        kiosk.loop.run_until_complete(serve(kiosk))
    return 0
