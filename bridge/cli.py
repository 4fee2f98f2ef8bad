"""`python -m app --bridge [--host H] [--port P]`: serve the bridge on uvicorn (uvloop where available).

SIGTERM drains instead of dropping calls: /readyz turns unready, new calls are refused, calls in
progress get the grace period to finish, then the rest are closed and recorded. A second signal
stops at once (calls still open are recorded as ended by `shutdown`) and still exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
from types import FrameType

import uvicorn
from pydantic import ValidationError

from bridge import logging as bridge_logging
from bridge.runtime import Runtime
from bridge.server import server_config
from bridge.settings import BridgeSettings

log = logging.getLogger("bridge.cli")


class DrainingServer(uvicorn.Server):
    """uvicorn, but the first SIGTERM/SIGINT drains calls before the server stops."""

    def __init__(self, config: uvicorn.Config, runtime: Runtime, grace_s: float) -> None:
        super().__init__(config)
        self._runtime = runtime
        self._grace_s = grace_s
        self._drain_requested = False
        self._stop_requested = False
        self._drain_task: asyncio.Task[None] | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._drain_requested:  # a second signal: stop now (not super(): uvicorn re-raises it, exit -15)
            self._stop_requested = True
            return
        self._drain_requested = True  # the event loop picks this up on its next tick

    async def on_tick(self, counter: int) -> bool:
        if self._stop_requested and not self.should_exit:
            log.info("second signal: stopping now")
            self._runtime.calls.end_all("shutdown")  # recorded as ended by shutdown, not as hang-ups
            self.should_exit = self.force_exit = True
        if self._drain_requested and self._drain_task is None:
            self._drain_task = asyncio.create_task(self._drain())
        return await super().on_tick(counter)

    async def _drain(self) -> None:
        runtime = self._runtime
        log.info("shutdown requested: draining calls", extra={"grace_s": self._grace_s, "calls": len(runtime.calls)})
        ended = await runtime.calls.drain(self._grace_s)
        log.info("drained; stopping", extra={"ended_by_shutdown": ended})
        self.should_exit = True


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app --bridge", description="Serve the telephony bridge.")
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1, or BRIDGE_HOST)")
    parser.add_argument("--port", type=int, help="port (default 8080, or BRIDGE_PORT)")
    parser.add_argument("--engine", help="speech engine (default: QUICKRUPEE_ENGINE or offline)")
    parser.add_argument("--language", help="en or hi: the calls' prompts, voice and recogniser (QUICKRUPEE_LANGUAGE)")
    parser.add_argument("--grace", type=float, dest="shutdown_grace_s", help="seconds calls may finish after SIGTERM")
    parser.add_argument("--log-level", dest="log_level", help="DEBUG, INFO (default), WARNING")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    overrides = {key: value for key, value in vars(args).items() if value is not None}
    try:
        settings = BridgeSettings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        print(f"error: bridge setting {'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
        return 2
    bridge_logging.configure(settings.log_level)
    from bridge.app import create_app

    app = create_app(settings)
    config = server_config(app, settings, loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio")
    server = DrainingServer(config, app.state.runtime, settings.shutdown_grace_s)
    server.run()
    return 0 if server.started else 1
