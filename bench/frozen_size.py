"""Report the frozen app's size, what dominates it, and the cold start of `--self-test`, as JSON."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

SIZE_BUDGET_MB = 600
COLD_START_BUDGET_S = 5.0


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def largest_parts(internal: Path, count: int = 12) -> dict[str, float]:
    """Size of each top-level entry under _internal/, largest first."""
    sizes = {}
    for entry in internal.iterdir():
        size = folder_mb(entry) if entry.is_dir() else entry.stat().st_size / 2**20
        sizes[entry.name] = round(size, 1)
    return dict(sorted(sizes.items(), key=lambda item: -item[1])[:count])


def self_test_seconds(binary: Path, runs: int = 3) -> tuple[float, dict[str, object]]:
    """Median wall time of `--self-test` in fresh processes (page cache warm after the first)."""
    times, report = [], {}
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([str(binary), "--self-test"], capture_output=True, text=True, timeout=120)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"self-test failed: {done.stderr.strip().splitlines()[-1:]}")
        report = json.loads(done.stdout)
    return statistics.median(times), report


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/quickrupee")
    binary = folder / "quickrupee"
    if not binary.is_file():
        print(f"error: no frozen app at {binary}; run scripts/build", file=sys.stderr)
        return 2
    size = folder_mb(folder)
    cold, report = self_test_seconds(binary)
    print(
        json.dumps(
            {
                "folder_mb": round(size, 1),
                "size_budget_mb": SIZE_BUDGET_MB,
                "size_ok": size < SIZE_BUDGET_MB,
                "largest_mb": largest_parts(folder / "_internal"),
                "self_test_wall_s": round(cold, 2),
                "cold_start_budget_s": COLD_START_BUDGET_S,
                "cold_start_ok": cold < COLD_START_BUDGET_S,
                "self_test": report,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
