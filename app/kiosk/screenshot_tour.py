"""Drives the real kiosk through a WAV-file conversation and saves what visitors and staff see.

Used by scripts/screenshots under Xvfb: the welcome screen, the mid-call screen (taken the moment a partial
transcript is on screen, with the diagram lit on the question being answered), the outcome with a mobile
number being typed on the lead keypad, and the staff page (reached through the PIN keypad) with Analytics.
Shots grab the whole screen, so dialogs (the PIN pad) are in them as a visitor would see them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.kiosk.calls import CallEvent
from app.kiosk.main import Kiosk, build, parse
from core.dialogue.table import State
from core.events import CallFinished, PartialTranscript
from ui.pin_dialog import PinDialog
from ui.settings_model import DEFAULT_PIN
from ui.strings import Lang

SETTLE_SECONDS = 0.8
"""Long enough for the diagram's glide to finish before a shot."""
PAINT_SECONDS = 0.15
"""Enough for Qt to lay out and paint a new transcript line before the mid-call shot."""
LEAD_DIGITS = "98765432"
"""Part of a mobile number, as a visitor would be half-way through typing it."""


class Tour:
    """Watches the call's events and grabs the screen at the moments worth showing."""

    def __init__(self, kiosk: Kiosk, out: Path, size: str, prefix: str) -> None:
        self.kiosk = kiosk
        self.out = out
        self.size = size
        self.prefix = prefix
        self.done = asyncio.Event()
        self._mid_taken = False
        self._finishing: asyncio.Future[None] | None = None
        controller = kiosk.controller
        self._forward = controller._on_event
        controller._on_event = self._on_event  # type: ignore[method-assign]

    def shot(self, name: str, *, window_only: bool = False) -> Path:
        """Grab the screen (with any dialog) or just the window. Callers let the loop run first, so what the
        last event added is laid out: processing Qt events from inside an asyncio task re-enters qasync."""
        app = self.kiosk.app
        path = self.out / f"{self.prefix}{name}-{self.size}.png"
        picture = self.kiosk.window.grab() if window_only else app.primaryScreen().grabWindow(0)
        if not picture.save(str(path)):
            raise OSError(f"cannot write {path}")
        print(f"saved {path}", file=sys.stderr)
        return path

    def _on_event(self, event: CallEvent) -> None:
        self._forward(event)
        diagram = self.kiosk.window.diagram
        if isinstance(event, PartialTranscript) and not self._mid_taken and diagram.current_state is State.ASK_SALARY:
            self._mid_taken = True
            diagram._animation.stop()  # the state was reached seconds ago; show it fully lit
            diagram._progress = 1.0
            for _ in range(3):  # lay out the new line (and the scroll area around it) without running the loop
                self.kiosk.window.transcript.widget().layout().activate()
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            self.shot("conversation", window_only=True)
        if isinstance(event, CallFinished):
            self._finishing = asyncio.ensure_future(self._finish())

    async def _finish(self) -> None:
        await asyncio.sleep(SETTLE_SECONDS)
        while self.kiosk.window.diagram.animating:
            await asyncio.sleep(0.05)
        window = self.kiosk.window
        for digit in LEAD_DIGITS:
            QTest.mouseClick(window.lead.pad.keys[digit], Qt.MouseButton.LeftButton)
        await asyncio.sleep(PAINT_SECONDS)
        self.shot("outcome")
        self.done.set()

    async def staff(self, with_pin_shot: bool) -> None:
        """Through the discreet control and the PIN keypad to the staff page, then Analytics."""
        window = self.kiosk.window
        QTest.mouseClick(window.staff_button, Qt.MouseButton.LeftButton)
        pin = next(d for d in window.findChildren(PinDialog) if d.isVisible())
        for digit in DEFAULT_PIN[:2]:
            QTest.mouseClick(pin.pad.keys[digit], Qt.MouseButton.LeftButton)
        await asyncio.sleep(0.3)
        if with_pin_shot:
            self.shot("pin")
        await asyncio.sleep(PAINT_SECONDS)
        for digit in DEFAULT_PIN[2:]:
            QTest.mouseClick(pin.pad.keys[digit], Qt.MouseButton.LeftButton)
        QTest.mouseClick(pin.ok, Qt.MouseButton.LeftButton)
        for dialog in window.findChildren(PinDialog):  # the first-use "choose a new PIN" pad: later
            if dialog.isVisible():
                dialog.reject()
        QTest.mouseClick(window.staff.analytics_button, Qt.MouseButton.LeftButton)
        view = window.staff.view
        loaded = asyncio.Event()
        if view is not None and hasattr(view, "loaded"):
            view.loaded.connect(loaded.set)
            await asyncio.wait_for(loaded.wait(), timeout=20)
        await asyncio.sleep(SETTLE_SECONDS)
        self.shot("staff")


async def tour(kiosk: Kiosk, out: Path, size: str, prefix: str, language: str | None) -> bool:
    runner = Tour(kiosk, out, size, prefix)
    kiosk.controller.load_engine_in_background()
    await asyncio.gather(kiosk.controller.ready(), kiosk.records.open_in_background())
    window = kiosk.window
    if language:
        QTest.mouseClick(window.welcome.language_buttons[Lang(language)], Qt.MouseButton.LeftButton)
    await asyncio.sleep(SETTLE_SECONDS)
    runner.shot("welcome")
    QTest.mouseClick(window.welcome.start, Qt.MouseButton.LeftButton)
    await asyncio.wait_for(runner.done.wait(), timeout=180)
    if kiosk.controller.finishing is not None:
        await kiosk.controller.finishing
    await runner.staff(with_pin_shot=size == "800x480" and not prefix)
    return runner._mid_taken


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.kiosk.screenshot_tour")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", required=True, help="label for the file names, e.g. 1024x768")
    parser.add_argument("--input-wav", nargs="+", required=True)
    parser.add_argument("--language", choices=[lang.value for lang in Lang], help="the visitor presses this first")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    kiosk = build(parse(["--kiosk", "--input-wav", *args.input_wav]), time.perf_counter())
    prefix = f"{args.language}-" if args.language else ""
    with kiosk.loop:
        mid_taken = kiosk.loop.run_until_complete(tour(kiosk, args.out, args.size, prefix, args.language))
    if not mid_taken:
        print("error: no partial transcript was shown during the salary answer", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
