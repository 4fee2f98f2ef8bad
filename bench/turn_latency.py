"""Turn latency of the offline speech path: corpus callers at real-time pace through one loaded engine.

Run: .venv/bin/python bench/turn_latency.py [--conversations N] [--condition clean|noisy|phone]
Prints one JSON object with p50/p95 turn latency (end of the caller's speech to the first sample of the
next prompt being ready, as the session records it), recogniser real-time factor, prompt cache hit rate,
CPU seconds per conversation, peak RSS and cold start to ready, each with its target. Models load once;
every conversation goes through `core.speech.simulated_call.simulate_call(..., realtime=True)`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.offline_env import enforce_offline_env  # noqa: E402

enforce_offline_env()  # before anything imports onnxruntime

from _common import against, cold_start_seconds, cpu_seconds, peak_rss_mb, percentiles  # noqa: E402

from core.policy import load_policy  # noqa: E402
from core.prompts import load_prompts  # noqa: E402
from core.speech.factory import create_engine  # noqa: E402

TARGETS = {"p50_ms": 400.0, "p95_ms": 700.0, "peak_rss_mb": 700.0, "cold_start_s": 3.0}
READY_PROBE = "--ready-probe"


@dataclass
class DecodeTimer:
    """Wraps the recogniser's transcribe to add up decode time against the audio it was given."""

    decode_s: float = 0.0
    audio_s: float = 0.0
    calls: int = 0
    per_call_ms: list[float] = field(default_factory=list)

    def install(self, recognizer: Any) -> None:
        original = recognizer.transcribe

        def timed(audio: Any, prompt: str | None = None) -> Any:
            started = time.perf_counter()
            try:
                return original(audio, prompt)
            finally:
                elapsed = time.perf_counter() - started
                self.decode_s += elapsed
                self.audio_s += len(audio) / 16000
                self.calls += 1
                self.per_call_ms.append(elapsed * 1000)

        recognizer.transcribe = timed


def ready_probe() -> int:
    """What a front end does before it can take a call: load the engine, warm Whisper, check the cache."""
    engine = create_engine("offline")
    policy = load_policy()
    rendered = engine.voice.warm(load_prompts(policy).all_texts())
    engine.asr_executor.submit(lambda: None).result()  # queued behind the Whisper warm-up
    print(json.dumps({"rendered_now": rendered}))
    return 0


async def run_calls(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Every conversation through one engine; latencies, CPU and accuracy per call."""
    from core.audio import read_wav
    from core.speech.simulated_call import simulate_call
    from core.understanding import understand

    policy = load_policy()
    prompts = load_prompts(policy)
    engine = create_engine("offline")
    engine.voice.warm(prompts.all_texts())  # production renders the prompt cache before taking calls
    engine.asr_executor.submit(lambda: None).result()
    cache = engine.voice.cache
    cache.hits = cache.misses = 0
    timer = DecodeTimer()
    timer.install(engine.recognizer)
    latencies: list[float] = []
    by_state: dict[str, list[float]] = {}
    cpu_per_call: list[float] = []
    results: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    for line in lines:
        replies = [read_wav(path) for path in line["audio"]]
        cpu_before = cpu_seconds()
        call = await simulate_call(engine, replies, policy, prompts, understand, realtime=True)
        cpu_per_call.append(cpu_seconds() - cpu_before)
        record = call.record.to_json()
        results[line["id"]] = record
        errors.extend(f"{line['id']}: {error}" for error in call.errors)
        for turn in record["turns"]:
            if turn.get("latency_ms") is not None:
                latencies.append(turn["latency_ms"])
                by_state.setdefault(turn["state"], []).append(turn["latency_ms"])
    await engine.aclose()
    lookups = cache.hits + cache.misses
    return {
        "latencies": latencies,
        "by_state": by_state,
        "cpu_per_call": cpu_per_call,
        "results": results,
        "errors": errors,
        "cache_hit_rate": round(cache.hits / lookups, 3) if lookups else None,
        "timer": timer,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/turn_latency.py", description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=12, help="corpus callers to run (default 12)")
    parser.add_argument("--condition", choices=("clean", "noisy", "phone"), default="phone")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes timed for cold start")
    parser.add_argument(READY_PROBE, action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ready_probe:
        return ready_probe()
    from tests.corpus_audio import scoring
    from tests.corpus_audio.make_corpus import ensure_corpus

    # Generate (or find) the corpus in another process: its own Piper must not count in our peak RSS.
    subprocess.run([sys.executable, "-m", "tests.corpus_audio.make_corpus"], cwd=ROOT, check=True, capture_output=True)
    corpus = ensure_corpus()
    lines = corpus.lines(args.condition)[: args.conversations]
    measured = asyncio.run(run_calls(lines))
    results = measured["results"]
    timer: DecodeTimer = measured["timer"]
    latency = percentiles(measured["latencies"])
    rss = peak_rss_mb()
    cold = cold_start_seconds([str(Path(__file__).resolve()), READY_PROBE], runs=args.cold_runs)
    self_test = cold_start_seconds(["-m", "app", "--self-test"], runs=1)  # also recognises and runs a call
    report = {
        "condition": args.condition,
        "conversations": len(lines),
        "turns_measured": len(measured["latencies"]),
        "turn_latency_ms": {
            "p50": against(latency["p50"], TARGETS["p50_ms"]),
            "p95": against(latency["p95"], TARGETS["p95_ms"]),
            "by_question": {state: percentiles(values) for state, values in sorted(measured["by_state"].items())},
        },
        "recogniser": {
            "decodes": timer.calls,
            "decode_ms": percentiles(timer.per_call_ms),
            "real_time_factor": round(timer.decode_s / timer.audio_s, 3) if timer.audio_s else None,
        },
        "prompt_cache_hit_rate": measured["cache_hit_rate"],
        "cpu_seconds_per_conversation": {
            "median": round(statistics.median(measured["cpu_per_call"]), 2) if lines else None,
            "max": round(max(measured["cpu_per_call"]), 2) if lines else None,
        },
        "peak_rss_mb": against(rss, TARGETS["peak_rss_mb"]),
        "cold_start_to_ready_s": {**against(float(cold["median"]), TARGETS["cold_start_s"]), "runs": cold["runs"]},
        "self_test_wall_s": self_test["median"],
        "accuracy": round(scoring.accuracy(lines, results), 3) if lines else None,
        "wrong": [line["id"] for line in lines if scoring.mismatches(line["expected"], results.get(line["id"]))],
        "session_errors": measured["errors"],
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
