"""Two bridge processes saving to one database at once lose no record (and migrate it only once).

The bridge is being written in parallel, so writer.py stands in for it: a separate OS process that
opens the store and saves calls with `await store.save_async(...)` from its event loop, several at a time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select

from core.records.demo import simulated_calls
from core.records.location import resolve_url
from core.records.schema import calls, turns

WRITER = Path(__file__).with_name("writer.py")
PER_PROCESS = 250


def test_two_processes_saving_concurrently_lose_nothing(db_url: str, tmp_path: Path) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, str(WRITER), db_url, str(tmp_path / f"spool-{name}"), name, str(PER_PROCESS),
             "--parallel", "8"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("bridge-a", "bridge-b")
    ]  # fmt: skip
    outputs = [process.communicate(timeout=300) for process in processes]
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr[-2000:]
    reported = [line.split() for stdout, _ in outputs for line in stdout.splitlines()]
    assert len(reported) == 2 * PER_PROCESS
    assert {where for _, _, where in reported} == {"database"}  # nothing had to fall back to the spool

    engine = create_engine(resolve_url(db_url))
    with engine.connect() as connection:
        stored = set(connection.scalars(select(calls.c.call_id)))
        turn_count = connection.scalar(select(func.count()).select_from(turns))
    engine.dispose()
    assert stored == {call_id for _, call_id, _ in reported}
    templates = simulated_calls(50, seed=7)  # what writer.py saves: call N is template N % 50
    expected_turns = sum(len(templates[int(call_id.rsplit("-", 1)[1]) % 50].turns) for call_id in stored)
    assert turn_count == expected_turns > 2 * PER_PROCESS
