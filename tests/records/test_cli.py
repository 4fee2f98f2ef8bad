"""`python -m app records ...`: readable by default, --json for tools, one-line errors with non-zero exits."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from core.record import CallRecord
from core.records import RecordStore
from core.records.cli import main
from core.records.demo import simulated_calls
from core.records.location import resolve_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def saved(db_url: str, spool_dir: Path, monkeypatch: pytest.MonkeyPatch) -> list[CallRecord]:
    """Thirty simulated calls in the database $QUICKRUPEE_DB_URL points at."""
    monkeypatch.setenv("QUICKRUPEE_DB_URL", db_url)
    monkeypatch.setenv("XDG_DATA_HOME", str(spool_dir))
    records = simulated_calls(30, seed=21)
    with RecordStore.open(db_url, spool_dir=spool_dir) as store:
        for record in records:
            store.save(record)
    return records


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_newest_calls(saved: list[CallRecord], capsys: pytest.CaptureFixture[str]) -> None:
    newest = sorted(saved, key=lambda r: r.started_at)[-5:][::-1]
    code, out, _ = run(["list", "--limit", "5", "--json"], capsys)
    assert code == 0 and [c["call_id"] for c in json.loads(out)] == [r.call_id for r in newest]
    code, out, _ = run(["list", "--limit", "5"], capsys)
    assert code == 0 and "5 calls" in out and newest[0].call_id[:10] in out


def test_show_takes_a_short_id(saved: list[CallRecord], capsys: pytest.CaptureFixture[str]) -> None:
    record = saved[0]
    code, out, _ = run(["show", record.call_id[:8]], capsys)
    assert code == 0 and record.call_id in out and record.turns[0].bot[:30] in out
    code, out, _ = run(["show", record.call_id, "--json"], capsys)
    assert code == 0 and json.loads(out)["turns"] == record.to_json()["turns"]


def test_export_csv_and_json(saved: list[CallRecord], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(["export", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and {row["call_id"] for row in rows} == {r.call_id for r in saved}
    by_id = {row["call_id"]: row for row in rows}
    for record in saved:
        row = by_id[record.call_id]
        assert row["outcome"] == (record.outcome or "") and row["reasons"] == ";".join(record.reasons)
        assert row["turns"] == str(len(record.turns))
    since = datetime.now(UTC) - timedelta(days=4)
    target = tmp_path / "calls.json"
    code, _, err = run(["export", "--format", "json", "--since", since.date().isoformat(), "-o", str(target)], capsys)
    exported = json.loads(target.read_text())
    expected = {r.call_id for r in saved if datetime.fromisoformat(r.started_at) >= since.replace(hour=0, minute=0,
                second=0, microsecond=0)}  # fmt: skip
    assert code == 0 and {r["call_id"] for r in exported} == expected and f"wrote {len(expected)} calls" in err
    assert all(r["turns"] for r in exported)


def test_stats_readable_and_json(saved: list[CallRecord], capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, out, _ = run(["stats", "--json"], capsys)
    stats = json.loads(out)
    assert code == 0 and stats["calls"] == 30
    assert stats["by_outcome"]["eligible"] == sum(r.outcome == "eligible" for r in saved)
    code, out, _ = run(["stats"], capsys)
    assert code == 0
    for heading in ("eligibility rate", "funnel", "drop-off", "rejection reasons", "by day", "median turn latency"):
        assert heading in out


def test_times_and_days_in_a_chosen_zone(saved: list[CallRecord], capsys: pytest.CaptureFixture[str]) -> None:
    newest = max(saved, key=lambda r: r.started_at)
    local = datetime.fromisoformat(newest.started_at).astimezone(ZoneInfo("Asia/Kolkata"))
    code, out, _ = run(["list", "--limit", "1", "--tz", "Asia/Kolkata"], capsys)
    assert code == 0 and "started IST" in out and local.strftime("%Y-%m-%d %H:%M") in out
    code, out, _ = run(["stats", "--json", "--tz", "Asia/Kolkata", "--since", local.date().isoformat()], capsys)
    midnight = datetime.combine(local.date(), datetime.min.time(), ZoneInfo("Asia/Kolkata"))
    assert json.loads(out)["since"] == midnight.astimezone(UTC).isoformat()
    assert json.loads(out)["by_day"][-1]["day"] == local.date().isoformat()


def test_purge(saved: list[CallRecord], capsys: pytest.CaptureFixture[str]) -> None:
    old = sum(datetime.fromisoformat(r.started_at) < datetime.now(UTC) - timedelta(days=7) for r in saved)
    assert old > 0
    code, out, _ = run(["purge", "--older-than", "7", "--json"], capsys)
    assert code == 0 and json.loads(out)["purged"] == old
    code, out, _ = run(["list", "--json", "--limit", "100"], capsys)
    assert len(json.loads(out)) == 30 - old


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["list", "--since", "last tuesday"], 2, "not a date like 2026-11-01"),
        (["list", "--limit", "-3"], 2, "not a positive whole number"),
        (["export", "--format", "xml"], 2, "invalid choice: 'xml'"),
        (["stats", "--tz", "Mars/Olympus"], 2, "not a time zone like Asia/Kolkata"),
        (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
        (["show", "zzzzzzzz"], 1, "no call has an id starting 'zzzzzzzz'"),
        (["purge"], 1, "no retention period"),
        (["list", "--db", "mysql://root@localhost/x"], 1, "unsupported database 'mysql'"),
        (["list", "--db", "/nonexistent/records.db"], 1, "no records database at /nonexistent/records.db"),
        (["list", "--db", "{text_file}"], 1, "file is not a database"),
    ],
)
def test_bad_input_is_one_line_and_a_nonzero_exit(
    saved: list[CallRecord],
    argv: list[str],
    code: int,
    message: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database\n" * 100)
    argv = [arg.format(text_file=text_file) for arg in argv]
    with pytest.raises(SystemExit) if code == 2 else nullcontext() as raised:
        result = main(argv)
    out, err = capsys.readouterr()
    assert (raised.value.code if code == 2 else result) == code
    assert message in err and len(err.strip().splitlines()) == 1 and out == ""


def test_an_unreachable_database_is_one_line_from_the_real_entry_point(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "records", "list", "--db", "postgresql://bot:pw@127.0.0.1:9/calls"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)},
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("records: cannot use records database postgresql+psycopg://bot:***@127.0.0.1:9")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_newer_schema_is_one_line(saved: list[CallRecord], db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    code, out, err = run(["stats"], capsys)
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "schema 0099, newer than this app knows" in err
