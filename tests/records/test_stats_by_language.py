"""Outcomes by language: stored Hindi and English calls are counted apart, in the API and in `records stats`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.simulate import run_text
from core.policy import load_policy
from core.prompts import load_prompts
from core.record import CallRecord
from core.records import RecordStore
from core.records.cli import main as records_main
from core.records.stats import summarise


def _calls() -> list[CallRecord]:
    """Real dialogue runs: 2 English (eligible, not), 3 Hindi (eligible, incomplete, not eligible)."""
    policy = load_policy()
    english, hindi = load_prompts(policy), load_prompts(policy, language="hi")
    return [
        run_text(["yes", "fifty thousand", "Delhi"], policy, english),
        run_text(["no"], policy, english),
        run_text(["haan", "pachaas hazaar", "Mumbai"], policy, hindi),
        run_text(["haan"], policy, hindi),
        run_text(["haan", "bees hazaar"], policy, hindi),
    ]


def test_the_call_language_follows_its_prompts() -> None:
    assert [call.language for call in _calls()] == ["en", "en", "hi", "hi", "hi"]


def test_stats_break_outcomes_down_by_language(store: RecordStore) -> None:
    for record in _calls():
        store.save(record)
    by_language = store.stats()["by_language"]
    assert by_language == {
        "en": {"calls": 2, "eligible": 1, "not_eligible": 1, "incomplete": 0, "eligibility_rate": 0.5},
        "hi": {"calls": 3, "eligible": 1, "not_eligible": 1, "incomplete": 1, "eligibility_rate": 0.5},
    }


def test_rows_without_a_language_count_as_english() -> None:
    from datetime import UTC, datetime

    row = {"started_at": datetime.now(UTC), "outcome": "eligible", "reasons": [], "channel": "kiosk",
           "answered_employment": True, "answered_salary": True, "answered_city": True, "dropped_at": None}  # fmt: skip
    assert summarise([row], [], since=None)["by_language"]["en"]["eligible"] == 1


def test_records_stats_prints_the_language_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'calls.sqlite3'}"
    store = RecordStore.open(db, spool_dir=tmp_path / "spool")
    for record in _calls():
        store.save(record)
    store.close()
    assert records_main(["stats", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["by_language"]["hi"]["calls"] == 3
    assert records_main(["stats", "--db", db]) == 0
    table = capsys.readouterr().out
    assert "by language" in table
    hindi_row = next(line for line in table.splitlines() if "Hindi" in line)
    assert [cell.strip() for cell in hindi_row.split("│")[1:-1]] == ["Hindi", "3", "1", "1", "1", "50.0%"]
