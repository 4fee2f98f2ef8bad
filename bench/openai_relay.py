"""Relay cost of the OpenAI engine on the phone path: CPU per call-minute, printed as JSON.

N concurrent calls each send 20 ms Twilio μ-law frames in real time, the way the bridge receives
them (base64 payload -> μ-law decode -> listener.push), through the OpenAI Realtime listener
(μ-law re-encoded byte-exact, base64, `input_audio_buffer.append`, WebSocket) to the fake Realtime
server in a separate process in relay-only mode (no VAD, no recognition). Only this process's CPU
is counted: that is the relay's cost.

    python -m bench.openai_relay [--calls 200] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bridge.codec import ulaw_to_frame
from core.audio import ulaw_encode
from core.speech.engine import TurnSettings
from core.speech.openai_realtime.keys import ApiKey
from core.speech.openai_realtime.listener import RealtimeListener
from core.speech.openai_realtime.settings import RealtimeSettings

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-bench-relay-only"
FRAME_S = 0.02
TARGET_CALLS_PER_CORE = 200


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _payloads(seconds: float) -> list[str]:
    """Twilio media payloads: a looping phone-band tone with noise, 160 μ-law bytes each, base64."""
    rng = np.random.default_rng(7)
    t = np.arange(int(seconds * 8000)) / 8000
    signal = 6000 * np.sin(2 * np.pi * 440 * t) * (np.sin(2 * np.pi * 0.5 * t) > 0) + rng.normal(0, 300, t.size)
    ulaw = ulaw_encode(np.clip(signal, -32768, 32767).astype(np.int16))
    return [base64.b64encode(ulaw[i : i + 160]).decode() for i in range(0, len(ulaw), 160)]


async def _run(url: str, calls: int, seconds: float) -> dict[str, object]:
    settings = RealtimeSettings(url=url, connect_timeout_s=20.0)
    listeners = [RealtimeListener(settings, ApiKey(KEY), 8000, TurnSettings()) for _ in range(calls)]
    events = [asyncio.ensure_future(_drain(listener)) for listener in listeners]
    payloads = _payloads(10.0)
    # Connect every call first (one silent frame each), so set-up is not in the measurement.
    for listener in listeners:
        await listener.push(ulaw_to_frame(b"\xff" * 160))
    deadline = time.monotonic() + 60
    while not all(listener.connected for listener in listeners):
        if time.monotonic() > deadline:
            raise SystemExit("not every call connected to the fake server within 60 s")
        await asyncio.sleep(0.05)
    ticks = int(seconds / FRAME_S)
    lags: list[float] = []
    cpu0, wall0 = _cpu_seconds(), time.monotonic()
    for tick in range(ticks):
        due = wall0 + tick * FRAME_S
        now = time.monotonic()
        if due > now:
            await asyncio.sleep(due - now)
        lags.append(max(0.0, time.monotonic() - due))
        payload = payloads[tick % len(payloads)]
        for listener in listeners:
            await listener.push(ulaw_to_frame(base64.b64decode(payload)))
    await asyncio.sleep(0.2)  # let the writers flush the last frames
    cpu, wall = _cpu_seconds() - cpu0, time.monotonic() - wall0
    failed = [event for event in events if event.done()]
    for listener in listeners:
        await listener.aclose()
    for event in events:
        event.cancel()
    call_seconds = calls * ticks * FRAME_S
    per_call_second = cpu / call_seconds
    return {
        "calls": calls,
        "audio_seconds_per_call": round(ticks * FRAME_S, 2),
        "frames_sent": calls * ticks,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 3),
        "cpu_ms_per_call_minute": round(per_call_second * 60_000, 1),
        "cpu_us_per_frame": round(cpu / (calls * ticks) * 1e6, 1),
        "calls_per_core": int(1 / per_call_second),
        "target_calls_per_core": TARGET_CALLS_PER_CORE,
        "meets_target": 1 / per_call_second >= TARGET_CALLS_PER_CORE,
        "tick_lag_ms": {"p50": round(float(np.percentile(lags, 50)) * 1000, 2),
                        "p99": round(float(np.percentile(lags, 99)) * 1000, 2),
                        "max": round(max(lags) * 1000, 2)},
        "listeners_failed": len(failed),
        "bytes_sent": calls * (ticks + 1) * 160,
        "path": "twilio base64 -> ulaw decode -> listener.push -> pcmu re-encode -> append -> websocket",
        "server": "tests.fakes.realtime_server --relay-only, separate process",
    }  # fmt: skip


async def _drain(listener: RealtimeListener) -> None:
    async for _event in listener.events():
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.openai_relay", description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    if args.calls < 1 or args.seconds <= 0:
        parser.error("--calls must be >= 1 and --seconds > 0")
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.realtime_server", "--port", "0", "--relay-only", "--key", KEY],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if "listening on" not in line:
            raise SystemExit(f"the fake server did not start: {line!r}")
        result = asyncio.run(_run(line.rsplit(" ", 1)[1].strip(), args.calls, args.seconds))
    finally:
        server.terminate()
        remaining, _ = server.communicate(timeout=30)
    received = json.loads(remaining.strip().splitlines()[-1])
    sent_bytes = int(result.pop("bytes_sent"))  # type: ignore[call-overload]
    result["server_received_bytes"] = received["audio_bytes"]
    result["all_audio_delivered"] = received["audio_bytes"] == sent_bytes
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
