"""Report the frozen app's size, what dominates it, and the cold start of `--self-test`, as JSON.

usage: python bench/frozen_size.py [dist/quickrupee]
Exit 1 when the folder is over the size budget or the self-test fails (the build then fails too);
the cold start is reported against its budget but not enforced, since it depends on the machine's load.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZE_BUDGET_MB = 600
COLD_START_BUDGET_S = 5.0


def folder_mb(path: Path) -> float:
    """Bytes on disk of every regular file under `path` (symlinks counted once, as their targets)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def largest_parts(internal: Path, count: int = 15) -> dict[str, float]:
    """Size of each top-level entry under _internal/, largest first: where the megabytes are."""
    sizes = {}
    for entry in internal.iterdir():
        if entry.is_symlink():
            continue
        size = folder_mb(entry) if entry.is_dir() else entry.stat().st_size / 2**20
        sizes[entry.name] = round(size, 1)
    return dict(sorted(sizes.items(), key=lambda item: -item[1])[:count])


def self_test_seconds(binary: Path, runs: int = 3) -> tuple[list[float], list[float], dict[str, Any]]:
    """Wall time of `--self-test` in fresh processes, each with an empty user cache (as on first start).

    The page cache is warm (the build just wrote the files); the first run is reported on its own. CPU
    seconds (user + system) are reported too: on a shared, loaded machine wall time mostly measures the queue."""
    times: list[float] = []
    cpu: list[float] = []
    report: dict[str, Any] = {}
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="quickrupee-home-") as home:
            env = {key: value for key, value in os.environ.items() if key != "QUICKRUPEE_CACHE_DIR"}
            env.update(HOME=home, XDG_CACHE_HOME=f"{home}/.cache", XDG_CONFIG_HOME=f"{home}/.config")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(
                [str(binary), "--self-test"], capture_output=True, text=True, timeout=300, env=env, check=False
            )
            times.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-3:]
            raise SystemExit(f"self-test failed (exit {done.returncode}): {' | '.join(tail)}")
        report = json.loads(done.stdout)
    return times, cpu, report


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/quickrupee")
    binary = folder / "quickrupee"
    if not binary.is_file():
        print(f"error: no frozen app at {binary}; run scripts/build", file=sys.stderr)
        return 2
    size = folder_mb(folder)
    times, cpu, report = self_test_seconds(binary)
    median = statistics.median(times)
    result = {
        "folder_mb": round(size, 1),
        "size_budget_mb": SIZE_BUDGET_MB,
        "size_ok": size < SIZE_BUDGET_MB,
        "largest_mb": largest_parts(folder / "_internal"),
        "executable_mb": round(binary.stat().st_size / 2**20, 1),
        "self_test_first_run_s": round(times[0], 2),
        "self_test_wall_s": round(median, 2),
        "self_test_cpu_s": round(statistics.median(cpu), 2),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "cold_start_budget_s": COLD_START_BUDGET_S,
        "cold_start_ok": median < COLD_START_BUDGET_S,
        "self_test": report,
    }
    print(json.dumps(result, indent=2))
    if not result["size_ok"]:
        print(f"error: {folder} is {size:.0f} MB, over the {SIZE_BUDGET_MB} MB budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
