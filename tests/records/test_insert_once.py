"""A stored record is never silently replaced; live calls are checkpointed and orphans closed as interrupted."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.record import CallRecord, TurnRecord
from core.records import RecordExists, RecordRejected, RecordStore, Saved
from core.records.demo import simulated_calls


def _open_call(call_id: str = "CA-open") -> CallRecord:
    record = CallRecord(channel="twilio", engine="offline", policy_version="2026.11.1", call_id=call_id)
    record.path = ["INIT", "GREETING", "ASK_EMPLOYMENT"]
    record.turns = [TurnRecord(state="ASK_EMPLOYMENT", bot="Are you salaried?")]
    return record


def _answer_first_question(record: CallRecord) -> None:
    record.turns[0].caller, record.turns[0].parsed = "yes", {"employment": "salaried"}
    record.turns[0].state_after = "ASK_SALARY"
    record.answers = {"employment": "salaried", "monthly_salary": None, "city": None}
    record.turns.append(TurnRecord(state="ASK_SALARY", bot="What is your salary?"))
    record.path.append("ASK_SALARY")


def test_a_closed_record_is_never_replaced(store: RecordStore) -> None:
    original = simulated_calls(1, seed=4)[0]
    assert original.ended_at is not None
    store.save(original)
    forged = CallRecord.__new__(CallRecord)
    for name in CallRecord.__slots__:
        setattr(forged, name, getattr(original, name))
    forged.outcome, forged.reasons, forged.answers = "eligible", [], {"employment": "salaried"}
    for attempt in (lambda: store.save(forged), lambda: store.begin(forged), lambda: store.save(forged.to_json())):
        with pytest.raises(RecordExists):
            attempt()
    with pytest.raises(RecordRejected):
        store.checkpoint(forged)  # a checkpoint is open by definition; a closed one is refused outright
    stored = store.get(original.call_id)
    assert stored is not None and stored["outcome"] == original.outcome and stored["answers"] == original.answers
    assert store.refused == 3


def test_a_live_call_is_checkpointed_after_each_turn_then_closed_once(store: RecordStore) -> None:
    record = _open_call()
    assert store.begin(record, owner="bridge-a") is Saved.DATABASE
    with pytest.raises(RecordExists):
        store.begin(_open_call(), owner="bridge-b")  # a second stream for the same call
    _answer_first_question(record)
    store.checkpoint(record, owner="bridge-a", resume={"state": "ASK_SALARY"})
    stored = store.get(record.call_id)
    assert stored["ended_at"] is None and stored["answers"]["employment"] == "salaried"
    assert [t["caller"] for t in stored["turns"]] == ["yes", None]
    assert store.open_calls() == [
        {"call_id": record.call_id, "owner": "bridge-a", "saved_at": store.open_calls()[0]["saved_at"],
         "resume": {"state": "ASK_SALARY"}}
    ]  # fmt: skip
    record.ended_at, record.outcome = datetime.now(UTC).isoformat(), "incomplete"
    store.save(record)
    assert store.open_calls() == []
    with pytest.raises(RecordExists):
        store.save(record)


def test_two_instances_claiming_one_call_at_once_one_wins(store: RecordStore) -> None:
    results: list[str] = []
    barrier = threading.Barrier(4)

    def claim(owner: str) -> None:
        barrier.wait()
        try:
            store.begin(_open_call("CA-race"), owner=owner)
            results.append("won")
        except RecordExists:
            results.append("refused")

    threads = [threading.Thread(target=claim, args=(f"i{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused", "refused", "refused", "won"]


def test_orphans_of_a_dead_instance_are_closed_as_interrupted_live_ones_kept(store: RecordStore) -> None:
    started = datetime.now(UTC)
    store.heartbeat("alive", host="h", pid=1, started_at=started)
    dead, live, ownerless = _open_call("CA-dead"), _open_call("CA-live"), _open_call("CA-none")
    _answer_first_question(dead)
    store.checkpoint(dead, owner="dead")
    store.checkpoint(live, owner="alive")
    store.checkpoint(ownerless)
    assert store.close_orphans(60.0) == []  # nothing is stale yet
    store.heartbeat("alive", host="h", pid=1, started_at=started)
    assert sorted(store.close_orphans(0.0, keep_owner="alive")) == ["CA-dead", "CA-none"]
    closed = store.get("CA-dead")
    assert closed["outcome"] == "interrupted" and closed["ended_at"] is not None
    assert closed["answers"]["employment"] == "salaried" and closed["turns"][0]["caller"] == "yes"
    assert closed["notes"] == ["ended: interrupted (instance dead stopped mid-call)"]
    assert store.get("CA-live")["ended_at"] is None
    with pytest.raises(RecordExists):
        store.save(dead)  # the dead instance's last word cannot reopen it


def test_contact_is_added_once_to_a_closed_record(store: RecordStore) -> None:
    record = simulated_calls(1, seed=5)[0]
    store.save(record)
    assert store.set_contact(record.call_id, {"name": "Asha", "phone": "+919800000000"}) is True
    assert store.set_contact(record.call_id, {"name": "Mallory", "phone": "+10000000000"}) is False
    assert store.get(record.call_id)["contact"] == {"name": "Asha", "phone": "+919800000000"}
    assert store.set_contact("no-such-call", {"phone": "1"}) is False
    open_call = _open_call()
    store.checkpoint(open_call)
    assert store.set_contact(open_call.call_id, {"phone": "1"}) is False  # only a closed record
    with pytest.raises(RecordRejected):
        store.set_contact(record.call_id, {})


def test_a_spooled_replay_of_a_stored_call_is_set_aside_and_a_repeat_flush_is_harmless(
    db_url: str, spool_dir: Path
) -> None:
    original, other = simulated_calls(2, seed=6)
    with RecordStore.open(db_url, spool_dir=spool_dir) as store:
        store.save(original)
        store._spool.append(original.to_json())  # a flush that stopped part-way writes this again
        store._spool.append(original.to_json() | {"outcome": "eligible", "started_at": other.started_at})
        store._spool.append(other.to_json())
        assert store.flush_spool() == 3
        assert store.get(original.call_id)["outcome"] == original.outcome
        assert store.get(other.call_id) is not None
        rejected = store._spool.path.with_suffix(".rejected").read_text().splitlines()
        assert len(rejected) == 1 and '"outcome":"eligible"' in rejected[0]


def test_a_sqlite_file_deleted_under_the_store_spools_until_it_is_restored(tmp_path: Path) -> None:
    db = tmp_path / "records.db"
    backup = tmp_path / "backup.db"
    first, second = simulated_calls(2, seed=9)
    with RecordStore.open(f"sqlite:///{db}", spool_dir=tmp_path / "spool") as store:
        store.save(first)
        store.heartbeat("i", host="h", pid=1, started_at=datetime.now(UTC))
        shutil.copy(db, backup)  # WAL mode: copy after a checkpointing read is fine for this test
        for name in ("records.db", "records.db-wal", "records.db-shm"):
            (tmp_path / name).unlink(missing_ok=True)
        assert store.ping() is False
        with pytest.raises(Exception, match="missing"):
            store.heartbeat("i", host="h", pid=1, started_at=datetime.now(UTC))
        store._down_until = 0
        assert store.save(second) is Saved.SPOOLED and store.spooled == 1
        assert not db.exists()  # nothing recreated an empty file behind the operator's back
        shutil.copy(backup, db)
        os.chmod(db, 0o600)
        assert store.flush_spool() == 1 and store.spooled == 0
        assert store.get(second.call_id) is not None
