"""Builds the real window and controller for flow tests, and runs coroutines on the qasync loop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field

from PySide6.QtCore import QSettings

from app.kiosk.controller import EngineLoader, KioskController, KioskOptions, RecordSink
from core.policy import Policy
from core.prompts import PromptBook
from core.record import CallRecord
from core.understanding import understand
from ui.main_window import MainWindow
from ui.settings_model import KioskSettings
from ui.status_pill import Status
from ui.strings import Strings, policy_values


def no_engine(name: str, settings: KioskSettings) -> object:
    from core.speech.engine import EngineUnavailable

    raise EngineUnavailable("speech models are not installed on this kiosk")


BUILT: list[Kiosk] = []
"""Kiosks built by the running test; `stop_built` ends their timers so none fires into a later test."""


def stop_built() -> None:
    """After a test: stop each kiosk's countdown and idle timers and close its window."""
    while BUILT:
        kiosk = BUILT.pop()
        kiosk.controller.stop_timers()
        kiosk.window.permit_close()
        kiosk.window.close()


@dataclass
class Kiosk:
    window: MainWindow
    controller: KioskController
    loop: asyncio.AbstractEventLoop
    statuses: list[Status] = field(default_factory=list)
    saved: list[CallRecord] = field(default_factory=list)

    def run(self, scenario: Coroutine[object, object, object]) -> None:
        """Run one whole scenario in a single pass of the loop, as the app does (qasync does not carry
        background tasks across separate run_until_complete calls)."""
        self.loop.run_until_complete(scenario)

    async def until(self, condition: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition not met in {timeout} s")
            await asyncio.sleep(0.02)


def build_kiosk(
    loop: asyncio.AbstractEventLoop,
    store: QSettings,
    policy: Policy,
    prompts: PromptBook,
    *,
    options: KioskOptions | None = None,
    settings: KioskSettings | None = None,
    load_engine: EngineLoader = no_engine,  # type: ignore[assignment]
    records: RecordSink | None = None,
    size: tuple[int, int] = (1024, 768),
) -> Kiosk:
    """The window and controller as the app wires them; `records` replaces the in-memory record list."""
    window = MainWindow(Strings(), policy_values(policy))
    window.resize(*size)
    window.show()
    saved: list[CallRecord] = []

    async def save(record: CallRecord) -> None:
        saved.append(record)
        if records is not None:
            await records(record)

    controller = KioskController(
        window,
        options or KioskOptions(),
        settings or KioskSettings(),
        store,
        policy,
        prompts,
        understand,
        load_engine,
        save_record=save,
    )
    kiosk = Kiosk(window, controller, loop, saved=saved)
    BUILT.append(kiosk)
    original = window.set_status

    def record_status(status: Status) -> None:
        kiosk.statuses.append(status)
        original(status)

    window.set_status = record_status  # type: ignore[method-assign]
    controller.load_engine_in_background()
    return kiosk
