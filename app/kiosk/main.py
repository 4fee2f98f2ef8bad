"""`python -m app [--kiosk]`: the desktop kiosk on a qasync loop (Qt and asyncio on one thread)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli_errors import OneLineParser, fail
from app.kiosk.controller import KioskController, KioskOptions
from core.audio import AudioError, read_wav
from core.policy import PolicyError, load_policy
from core.prompts import PromptBook, load_prompts
from core.record import CallRecord
from core.resources import resource_path
from core.speech.engine import SpeechEngine

if TYPE_CHECKING:
    from core.records import RecordStore
from ui.settings_model import KioskSettings

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
        "--exit-when-done",
        action="store_true",
        help="quit after the outcome and print the call as `simulate --json` does",
    )
    parser.add_argument("--engine", help="speech engine (offline, openai); default: from the settings")
    return parser


def engine_loader(prompts: PromptBook) -> Callable[[str, KioskSettings], SpeechEngine]:
    """Load the named engine with the kiosk's voice settings and warm the prompt cache (runs in a thread)."""

    def load(name: str, settings: KioskSettings) -> SpeechEngine:
        from core.speech.factory import create_engine
        from core.speech.settings import SpeechSettings

        speech = replace(SpeechSettings.from_env(), tts_length_scale=round(1.0 / settings.speaking_rate, 3))
        engine = create_engine(name, speech)
        engine.voice.warm(prompts.all_texts())
        return engine

    return load


class _Records:
    """Saves each finished call to the records store, opened on first use off the event loop."""

    def __init__(self) -> None:
        self._store: RecordStore | None = None

    async def save(self, record: CallRecord) -> None:
        from core.records import RecordStore, StoreError

        try:
            if self._store is None:
                self._store = await asyncio.to_thread(RecordStore.open)
            await self._store.save_async(record)
        except StoreError as exc:
            print(f"warning: call {record.call_id} not stored: {exc}", file=sys.stderr)


def main(argv: list[str]) -> int:
    """Parse the options, build the window and run the loop until the window closes."""
    started = time.perf_counter()
    args = build_parser().parse_args(argv)
    try:
        for path in args.input_wav:
            read_wav(path)
        policy = load_policy()
        prompts = load_prompts(policy)
    except (AudioError, PolicyError, ValueError) as exc:
        return fail(str(exc))
    if args.output_wav is not None and not args.output_wav.parent.is_dir():
        return fail(f"cannot write {args.output_wav}: folder does not exist")

    import qasync
    from PySide6.QtWidgets import QApplication

    from ui.qt_guard import guard_none_refcount

    guard_none_refcount()  # also when `ui` was imported as a namespace package (stale editable install)

    from core.understanding import understand
    from ui.main_window import MainWindow
    from ui.settings_model import default_store, load_settings
    from ui.strings import Strings, policy_values
    from ui.theme import apply_theme

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    store = default_store()
    settings, notes = load_settings(store)
    options = KioskOptions(
        kiosk=args.kiosk,
        input_wavs=list(args.input_wav),
        output_wav=args.output_wav,
        exit_when_done=args.exit_when_done,
        engine=args.engine,
    )
    window = MainWindow(Strings(), policy_values(policy), hindi_available=resource_path(HINDI_PROMPTS).exists())

    def done(record: CallRecord) -> None:
        if options.exit_when_done:
            from app.simulate import result_json

            print(json.dumps(result_json(record), ensure_ascii=False), flush=True)
            QApplication.instance().quit()  # type: ignore[union-attr]

    controller = KioskController(
        window,
        options,
        settings,
        store,
        policy,
        prompts,
        understand,
        engine_loader(prompts),
        save_record=_Records().save,
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
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)

    async def run() -> None:
        controller.load_engine_in_background()
        print(f"kiosk: window shown in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        await controller.ready()
        print(f"kiosk: ready in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        if options.input_wavs:
            await controller.start_call()
        await closed.wait()

    with loop:
        loop.run_until_complete(run())
    return 0
