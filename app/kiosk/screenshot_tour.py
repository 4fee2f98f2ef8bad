"""Drives the real kiosk through a WAV-file conversation and saves the welcome, mid-call and outcome screens.

Used by scripts/screenshots under Xvfb; the mid-call shot is taken the moment a partial transcript is on
screen (before the final text replaces it), with the diagram lit on the question being answered.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from app.kiosk.calls import CallEvent
from app.kiosk.main import Kiosk, build, parse
from core.dialogue.table import State
from core.events import CallFinished, PartialTranscript

SETTLE_SECONDS = 0.8
"""Long enough for the diagram's glide to finish before a shot."""


class Tour:
    """Watches the call's events and grabs the window at the three moments worth showing."""

    def __init__(self, kiosk: Kiosk, out: Path, size: str) -> None:
        self.kiosk = kiosk
        self.out = out
        self.size = size
        self.done = asyncio.Event()
        self._mid_taken = False
        self._finishing: asyncio.Future[None] | None = None
        controller = kiosk.controller
        self._forward = controller._on_event
        controller._on_event = self._on_event  # type: ignore[method-assign]

    def shot(self, name: str) -> Path:
        self.kiosk.app.processEvents()  # lay out what the last event added before grabbing
        path = self.out / f"{name}-{self.size}.png"
        if not self.kiosk.window.grab().save(str(path)):
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
            self.shot("conversation")
        if isinstance(event, CallFinished):
            self._finishing = asyncio.ensure_future(self._finish())

    async def _finish(self) -> None:
        await asyncio.sleep(SETTLE_SECONDS)
        while self.kiosk.window.diagram.animating:
            await asyncio.sleep(0.05)
        self.shot("outcome")
        self.done.set()


async def tour(kiosk: Kiosk, out: Path, size: str) -> bool:
    runner = Tour(kiosk, out, size)
    kiosk.controller.load_engine_in_background()
    await asyncio.gather(kiosk.controller.ready(), kiosk.records.open_in_background())
    await asyncio.sleep(SETTLE_SECONDS)
    runner.shot("welcome")
    await kiosk.controller.start_call()
    await asyncio.wait_for(runner.done.wait(), timeout=180)
    if kiosk.controller.finishing is not None:
        await kiosk.controller.finishing
    return runner._mid_taken


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.kiosk.screenshot_tour")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", required=True, help="label for the file names, e.g. 1024x768")
    parser.add_argument("--input-wav", nargs="+", required=True)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    kiosk = build(parse(["--kiosk", "--input-wav", *args.input_wav]), time.perf_counter())
    with kiosk.loop:
        mid_taken = kiosk.loop.run_until_complete(tour(kiosk, args.out, args.size))
    if not mid_taken:
        print("error: no partial transcript was shown during the salary answer", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
