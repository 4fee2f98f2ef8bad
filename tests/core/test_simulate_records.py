"""The simulator leaves an auditable record like every other channel, unless told not to."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.records import RecordStore

REPLIES = "yes\nforty thousand\nPune\n"


def simulate(*args: str, db_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUICKRUPEE_DB_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "app", "simulate", "--json", *args],
        input=REPLIES,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_simulated_call_is_saved_with_its_turns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    done = simulate(db_url=url)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    store = RecordStore.open(url)
    try:
        saved = store.get(result["call_id"])
    finally:
        store.close()
    assert saved is not None and saved["channel"] == "simulator"
    assert saved["outcome"] == result["outcome"] == "not_eligible"
    assert saved["reasons"] == ["city_not_serviceable"]
    assert [turn["caller"] for turn in saved["turns"]] == [turn["caller"] for turn in result["turns"]]


def test_no_record_saves_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    done = simulate("--no-record", db_url=url)
    assert done.returncode == 0, done.stderr
    store = RecordStore.open(url)
    try:
        assert store.list(limit=10) == []
    finally:
        store.close()


def test_a_broken_store_is_a_warning_not_a_lost_result(tmp_path: Path) -> None:
    done = simulate(db_url="mysql://nowhere/none")
    assert done.returncode == 0
    assert json.loads(done.stdout)["outcome"] == "not_eligible"
    assert done.stderr.count("warning: calls are not being recorded") == 1
    assert "Traceback" not in done.stderr
