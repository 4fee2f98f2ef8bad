"""Saving, reading, listing, stats and purging, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from core.record import CallRecord, TurnRecord
from core.records import RecordStore, Saved, StoreError
from core.records.demo import simulated_calls
from core.records.location import resolve_url


def _record(started: datetime | None = None, **fields: object) -> CallRecord:
    record = CallRecord(channel="twilio", engine="offline", policy_version="2026.11.1", **fields)  # type: ignore[arg-type]
    if started:
        record.started_at = started.isoformat()
    record.turns = [
        TurnRecord(state="ASK_EMPLOYMENT", bot="First, are you a salaried employee?", caller="haan ji",
                   state_after="ASK_SALARY", intent="answer", parsed={"employment": "salaried"},
                   confidence=0.9, asr_confidence=0.8, latency_ms=612.5, barge_in=True),
        TurnRecord(state="ASK_SALARY", bot="Is your monthly salary at least...", caller="50 thousand",
                   state_after="ASK_CITY", intent="answer",
                   parsed={"monthly_salary": 50000, "meets_minimum": True}, latency_ms=480.0),
    ]  # fmt: skip
    return record


def _without_flag(data: dict) -> dict:
    assert data.pop("transcript_dropped") is False
    return data


def test_a_saved_call_reads_back_exactly_as_recorded(store: RecordStore) -> None:
    for record in simulated_calls(25, seed=3):
        assert store.save(record) is Saved.DATABASE
        assert _without_flag(store.get(record.call_id)) == record.to_json()
    assert store.get("no-such-call") is None


def test_saving_a_call_again_replaces_it(store: RecordStore) -> None:
    record = _record()
    store.save(record)
    record.outcome = "eligible"
    record.turns = record.turns[:1]
    store.save(record.to_json())  # the spool's form is accepted too
    assert _without_flag(store.get(record.call_id)) == record.to_json()
    assert len(store.list()) == 1


def test_list_is_newest_first_and_filters(store: RecordStore) -> None:
    now = datetime.now(UTC)
    old, middle, new = (
        _record(now - timedelta(days=d), outcome=o) for d, o in ((9, "eligible"), (3, None), (1, "eligible"))
    )
    for record in (middle, old, new):
        store.save(record)
    assert [c["call_id"] for c in store.list()] == [new.call_id, middle.call_id, old.call_id]
    assert [c["call_id"] for c in store.list(limit=1)] == [new.call_id]
    assert [c["call_id"] for c in store.list(since=(now - timedelta(days=5)).date())] == [new.call_id, middle.call_id]
    assert [c["call_id"] for c in store.list(outcome="eligible")] == [new.call_id, old.call_id]
    assert "turns" not in store.list()[0]


def test_stats_match_a_count_by_hand(store: RecordStore) -> None:
    records = simulated_calls(120, seed=11)
    for record in records:
        store.save(record)
    stats = store.stats()
    outcomes = Counter(r.outcome for r in records)
    assert stats["calls"] == 120
    assert stats["by_outcome"] == {k: outcomes[k] for k in ("eligible", "not_eligible", "incomplete")}
    assert stats["eligibility_rate"] == round(outcomes["eligible"] / (120 - outcomes["incomplete"]), 4)
    assert stats["rejection_reasons"] == dict(Counter(x for r in records for x in r.reasons))
    funnel = stats["funnel"]
    assert funnel["started"] == 120 and funnel["eligible"] == outcomes["eligible"]
    assert funnel["employment_answered"] == sum(r.answers["employment"] is not None for r in records)
    assert funnel["city_answered"] == sum(r.answers["city"] is not None for r in records)
    assert funnel["employment_answered"] >= funnel["salary_answered"] >= funnel["city_answered"] >= funnel["eligible"]
    assert sum(stats["drop_off"].values()) == outcomes["incomplete"]
    latencies = sorted(t.latency_ms for r in records for t in r.turns if t.latency_ms is not None)
    middle = len(latencies) // 2
    expected = latencies[middle] if len(latencies) % 2 else (latencies[middle - 1] + latencies[middle]) / 2
    assert stats["median_turn_latency_ms"] == pytest.approx(expected, abs=0.051)
    assert sum(day["calls"] for day in stats["by_day"]) == 120
    assert sum(stats["by_channel"].values()) == 120
    recent = store.stats(since=datetime.now(UTC) - timedelta(days=2))
    assert recent["calls"] == sum(
        datetime.fromisoformat(r.started_at) >= datetime.now(UTC) - timedelta(days=2) for r in records
    )


def test_drop_off_names_the_question_the_caller_left_on(store: RecordStore) -> None:
    record = _record(
        outcome="incomplete", path=["INIT", "GREETING", "ASK_EMPLOYMENT", "ASK_SALARY", "INCOMPLETE", "END"]
    )
    store.save(record)
    assert store.stats()["drop_off"] == {"employment": 0, "salary": 1, "city": 0}


def test_purge_deletes_old_calls_and_keeps_recent_ones(store: RecordStore) -> None:
    now = datetime.now(UTC)
    old, recent = _record(now - timedelta(days=40)), _record(now - timedelta(days=2))
    store.save(old)
    store.save(recent)
    assert store.purge(30) == 1
    assert store.get(old.call_id) is None
    assert store.get(recent.call_id) is not None


def test_purge_can_drop_transcripts_but_keep_outcomes(store: RecordStore) -> None:
    old = _record(datetime.now(UTC) - timedelta(days=40), outcome="eligible", notes=["engine fail-over"])
    store.save(old)
    assert store.purge(30, transcripts_only=True) == 1
    kept = store.get(old.call_id)
    assert kept["outcome"] == "eligible" and kept["transcript_dropped"] is True
    assert kept["notes"] == ["engine fail-over"]
    assert [t["bot"] for t in kept["turns"]] == [None, None] and [t["caller"] for t in kept["turns"]] == [None, None]
    assert [t["latency_ms"] for t in kept["turns"]] == [612.5, 480.0]
    assert store.purge(30, transcripts_only=True) == 0


def test_without_transcripts_only_outcomes_and_metrics_are_stored(db_url: str, spool_dir: Path) -> None:
    with RecordStore.open(db_url, spool_dir=spool_dir, keep_transcripts=False) as store:
        record = _record(outcome="eligible")
        store.save(record)
        kept = store.get(record.call_id)
    assert kept["transcript_dropped"] is True
    assert {t["bot"] for t in kept["turns"]} == {None} and {t["caller"] for t in kept["turns"]} == {None}
    assert kept["turns"][0]["parsed"] == {"employment": "salaried"} and kept["outcome"] == "eligible"


def test_a_note_added_after_the_call_keeps_its_transcript_dropped(store: RecordStore) -> None:
    """The bridge notes a status callback on a stored call without re-saving it: a dropped transcript stays dropped."""
    record = _record(datetime.now(UTC) - timedelta(days=40))
    store.save(record)
    store.purge(30, transcripts_only=True)
    assert store.add_note(record.call_id, "twilio status: completed") is True
    again = store.get(record.call_id)
    assert again["transcript_dropped"] is True and again["notes"] == ["twilio status: completed"]
    assert {t["caller"] for t in again["turns"]} == {None}
    assert store.add_note("no-such-call", "x") is False


def test_retention_setting_purges_on_open(db_url: str, spool_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _record(datetime.now(UTC) - timedelta(days=10))
    with RecordStore.open(db_url, spool_dir=spool_dir) as store:
        store.save(old)
    monkeypatch.setenv("QUICKRUPEE_RETENTION_DAYS", "7")
    with RecordStore.open(db_url, spool_dir=spool_dir) as store:
        assert store.retention_days == 7
        assert store.get(old.call_id) is None


def test_purge_without_a_period_says_what_to_set(store: RecordStore) -> None:
    with pytest.raises(StoreError, match="QUICKRUPEE_RETENTION_DAYS"):
        store.purge()


async def test_save_async_leaves_the_event_loop_free_while_the_database_is_busy(
    store: RecordStore, db_url: str
) -> None:
    """Another writer holds the tables for 0.6 s; the loop keeps ticking and the save lands after."""
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        engine = create_engine(resolve_url(db_url))
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.execute(text("LOCK TABLE calls IN EXCLUSIVE MODE"))
            locked.set()
            release.wait(5)
            time.sleep(0.6)
        engine.dispose()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(5)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    record = _record()
    release.set()
    started = time.monotonic()
    assert await store.save_async(record) is Saved.DATABASE
    waited = time.monotonic() - started
    ticker.cancel()
    holder.join()
    assert waited >= 0.5  # the save really waited for the lock...
    assert ticks >= 25  # ...and the loop ran all along
    assert store.get(record.call_id) is not None


def test_ping_and_url_hide_the_password(tmp_path: Path) -> None:
    with RecordStore.open(f"sqlite:///{tmp_path / 'r.db'}", spool_dir=tmp_path) as store:
        assert store.ping()
    with RecordStore.open("postgresql://bot:s3cret@127.0.0.1:9/none", spool_dir=tmp_path, timeout_s=1) as down:
        assert not down.ping()
        assert "s3cret" not in down.url


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"channel": ""}, "lacks channel"),
        ({"engine": "e" * 65}, r"too long: engine \(65 > 64\)"),
        ({"started_at": "yesterday"}, "bad time"),
    ],
)
def test_a_malformed_record_is_refused_with_the_field_named(
    store: RecordStore, change: dict[str, str], message: str
) -> None:
    with pytest.raises(StoreError, match=message):
        store.save(_record().to_json() | change)
    assert store.spooled == 0 and store.list() == []


def test_stats_by_day_include_quiet_days(store: RecordStore) -> None:
    now = datetime.now(UTC)
    store.save(_record(now - timedelta(days=3), outcome="eligible"))
    store.save(_record(now, outcome="incomplete"))
    days = store.stats()["by_day"]
    assert [d["day"] for d in days] == [(now - timedelta(days=n)).date().isoformat() for n in (3, 2, 1, 0)]
    assert [d["calls"] for d in days] == [1, 0, 0, 1] and days[1]["median_turn_latency_ms"] is None


def test_stats_count_days_in_the_given_zone(store: RecordStore) -> None:
    """20:00 UTC on the 10th is 01:30 IST on the 11th: an Indian lender's day, not London's."""
    evening = datetime(2026, 11, 10, 20, 0, tzinfo=UTC)
    store.save(_record(evening, outcome="eligible"))
    assert [d["day"] for d in store.stats()["by_day"]] == ["2026-11-10"]
    ist = store.stats(tz=ZoneInfo("Asia/Kolkata"))
    assert [d["day"] for d in ist["by_day"]] == ["2026-11-11"] and ist["timezone"] == "Asia/Kolkata"
