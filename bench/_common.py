"""Helpers every benchmark shares: percentiles, peak memory, cold-start timing, targets next to results."""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"  # gitignored scratch space for benchmark inputs and outputs


def percentiles(values: Sequence[float]) -> dict[str, float | None]:
    """p50 and p95 rounded to a millisecond-friendly 1 decimal; None when there is nothing to measure."""
    if not values:
        return {"p50": None, "p95": None}
    p50, p95 = np.percentile(np.asarray(values, dtype=np.float64), [50, 95])
    return {"p50": round(float(p50), 1), "p95": round(float(p95), 1)}


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB (Linux reports KiB); RUSAGE_CHILDREN gives the largest finished child."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def cold_start_seconds(argv: Sequence[str], runs: int = 3) -> dict[str, float | list[float]]:
    """Median wall time of fresh `python <argv>` processes after one untimed run warms caches."""
    command = [sys.executable, *argv]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, check=True, capture_output=True)
        times.append(round(time.perf_counter() - start, 3))
    return {"median": statistics.median(times), "runs": times}


def against(value: float | None, target: float) -> dict[str, float | bool | None]:
    """A measurement with its target (an upper bound) and whether it is met."""
    return {"value": value, "target": target, "ok": value is not None and value < target}
