"""Load benchmark: N simulated Twilio calls at once against one bridge process on loopback.

Starts `python -m app --bridge` (offline engine unless QUICKRUPEE_ENGINE says otherwise) and a fake
Twilio REST API for the hang-ups, then runs N callers from bench/call_sim.py, their starts spread over
a ramp. Each caller speaks three answers in real time. Prints JSON: p50/p95 turn latency (end of the
caller's speech to the first non-silent bot audio, as the caller hears it), completed calls, outcomes,
and the bridge process's CPU and peak RSS.

    python -m bench.bridge_load --calls 20
    python -m bench.bridge_load --find-max 20 30 40      # stops at the first N whose p95 >= 1.5 s
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bench.call_sim import Say, TwilioCaller, synthesize
from core.audio import AudioFrame

REPO = Path(__file__).resolve().parents[1]
AUTH_TOKEN = "load-auth-token"
ACCOUNT_SID = "AC" + "9" * 32
OPS_TOKEN = "load-ops-token"
TARGET_P95_S = 1.5
SCRIPTS = (
    ("Yes I am salaried.", "Forty thousand rupees.", "Mumbai."),
    ("Yes.", "Sixty thousand.", "I live in Bangalore."),
    ("Yes I am.", "Thirty five thousand rupees.", "Delhi."),
)
"""Callers cycle through these; each answers all three questions (the costliest path)."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ProcessStats:
    """CPU seconds and peak resident memory of one process, from /proc (Linux)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._ticks = os.sysconf("SC_CLK_TCK")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self._ticks

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0


async def _fake_twilio(port: int) -> uvicorn.Server:
    """Answers the REST hang-up like Twilio (200); the load test only needs it to exist."""
    app = FastAPI()

    @app.post("/2010-04-01/Accounts/{account}/Calls/{call_sid}.json")
    async def update(account: str, call_sid: str, request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"sid": call_sid, "account_sid": account, "status": "completed"})

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    server.task = asyncio.create_task(server.serve())  # type: ignore[attr-defined]
    while not server.started:
        await asyncio.sleep(0.02)
    return server


async def _start_bridge(port: int, twilio_port: int, workdir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{twilio_port}",
        "BRIDGE_API_TOKEN": OPS_TOKEN,
        "QUICKRUPEE_DB_URL": f"sqlite:///{workdir / 'records.db'}",
    }
    log = (workdir / "bridge.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--bridge", "--port", str(port), "--log-level", "WARNING"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    async with httpx.AsyncClient(timeout=2) as http:
        for _ in range(1200):
            if process.poll() is not None:
                raise RuntimeError(f"bridge exited: see {workdir / 'bridge.log'}")
            try:
                if (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return process
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("bridge did not become ready")


async def run_load(calls: int, ramp_s: float, voices: dict[str, AudioFrame]) -> dict[str, Any]:
    """One run: a fresh bridge process, `calls` callers started over `ramp_s`, one JSON result."""
    port, twilio_port = _free_port(), _free_port()
    with tempfile.TemporaryDirectory(prefix="bridge-load-") as tmp:
        twilio = await _fake_twilio(twilio_port)
        process = await _start_bridge(port, twilio_port, Path(tmp))
        stats = ProcessStats(process.pid)
        base = f"http://127.0.0.1:{port}"
        try:
            rng = random.Random(calls)
            cpu_before, wall_before = stats.cpu_seconds(), time.monotonic()
            own_before = sum(os.times()[:2])

            async def one(index: int) -> Any:
                await asyncio.sleep(rng.uniform(0, ramp_s))
                script = [Say(voices[text]) for text in SCRIPTS[index % len(SCRIPTS)]]
                return await TwilioCaller(base, AUTH_TOKEN, timeout_s=180).run(script)

            results = await asyncio.gather(*(one(i) for i in range(calls)))
            cpu_s, wall_s = stats.cpu_seconds() - cpu_before, time.monotonic() - wall_before
            peak_rss_mb = stats.peak_rss_mb()
            own_cpu_s = sum(os.times()[:2]) - own_before
            async with httpx.AsyncClient(timeout=10, headers={"Authorization": f"Bearer {OPS_TOKEN}"}) as http:
                records = [(await http.get(f"{base}/api/calls/{r.call_sid}")).json() for r in results]
                metrics = (await http.get(f"{base}/metrics")).text
        finally:
            process.terminate()
            process.wait(30)
            twilio.should_exit = True
    latencies = [latency for result in results for latency in result.latencies_s]
    by_turn = [[r.latencies_s[i] for r in results if len(r.latencies_s) > i] for i in range(3)]
    outcomes = Counter(record.get("outcome") or "missing" for record in records)
    completed = sum(
        1 for result, record in zip(results, records, strict=True)
        if result.ended_by == "server" and result.close_code == 1000 and record.get("outcome") == "eligible"
    )  # fmt: skip
    return {
        "calls": calls,
        "ramp_s": ramp_s,
        "completed": completed,
        "outcomes": dict(outcomes),
        "turns": len(latencies),
        "turn_latency_s": {
            "p50": round(float(np.percentile(latencies, 50)), 3) if latencies else None,
            "p95": round(float(np.percentile(latencies, 95)), 3) if latencies else None,
            "max": round(max(latencies), 3) if latencies else None,
        },
        "turn_latency_p95_by_answer_s": [_p95(turn) for turn in by_turn],
        "bridge_side_share_under_1_5s": _share_under(metrics, 1.5),
        "barge_in_clears": sum(result.clears for result in results),
        "bridge_cpu_percent_of_one_core": round(100 * cpu_s / wall_s, 1),
        "bridge_peak_rss_mb": round(peak_rss_mb, 1),
        "callers_cpu_percent_of_one_core": round(100 * own_cpu_s / wall_s, 1),
        "machine_load_average_1m": os.getloadavg()[0],
        "late_frames": _metric(metrics, 'bridge_late_frames_total{provider="twilio"}'),
        "errors": sum(result.error is not None for result in results),
        "not_completed": [
            {
                "outcome": record.get("outcome"),
                "ended_by": result.ended_by,
                "heard": [t["caller"] for t in record.get("turns", [])],
            }
            for result, record in zip(results, records, strict=True)
            if record.get("outcome") != "eligible" or result.ended_by != "server"
        ],
        "wall_s": round(wall_s, 1),
    }


def _p95(values: list[float]) -> float | None:
    return round(float(np.percentile(values, 95)), 3) if values else None


def _share_under(metrics: str, seconds: float) -> float | None:
    """Share of turns the bridge itself measured (speech end to first audio sent) under `seconds`."""
    total = _metric(metrics, "bridge_turn_latency_seconds_count")
    under = _metric(metrics, f'bridge_turn_latency_seconds_bucket{{le="{seconds}"}}')
    return round(under / total, 3) if total else None


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    voices = await asyncio.to_thread(synthesize, sorted({text for script in SCRIPTS for text in script}))
    runs = []
    for calls in args.find_max or [args.calls]:
        result = await run_load(calls, args.ramp_s if args.ramp_s is not None else calls / 4, voices)
        result["holds_target"] = bool(
            result["completed"] == calls and (result["turn_latency_s"]["p95"] or 99) < TARGET_P95_S
        )
        runs.append(result)
        print(json.dumps(result), file=sys.stderr, flush=True)
        if not result["holds_target"]:
            break
    return runs


def _loop_factory() -> Any:
    """uvloop for the callers too, so the load generator steals as little CPU as it can."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="N concurrent simulated calls against one bridge process.")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--ramp-s", type=float, help="spread call starts over this many seconds (default N/4)")
    parser.add_argument("--find-max", type=int, nargs="+", metavar="N", help="run these N in order until one fails")
    args = parser.parse_args(argv)
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runs = runner.run(main_async(args))
    held = [run["calls"] for run in runs if run["holds_target"]]
    print(json.dumps({"runs": runs, "largest_n_holding_p95_under_1_5s": max(held) if held else None}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
