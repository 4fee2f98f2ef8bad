"""A call reported saved survives kill -9 right after; a database that is down loses no call."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from core.records import RecordStore, Saved, StoreUnavailable
from core.records import store as store_module
from core.records.demo import simulated_calls
from core.records.location import resolve_url
from tests.records.tcp_proxy import TcpProxy

WRITER = Path(__file__).with_name("writer.py")


def _writer(url: str, spool_dir: Path, prefix: str, count: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), url, str(spool_dir), prefix, str(count), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _saved_then_kill(process: subprocess.Popen[str], wanted: int) -> list[tuple[str, str]]:
    """Read `wanted` 'saved' lines, then SIGKILL the writer at once (it is mid-way through the next save)."""
    saved = []
    assert process.stdout is not None
    for line in process.stdout:
        _, call_id, where = line.split()
        saved.append((call_id, where))
        if len(saved) == wanted:
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(30)
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""
    return saved


def test_calls_reported_saved_survive_kill_9(db_url: str, spool_dir: Path) -> None:
    saved = _saved_then_kill(_writer(db_url, spool_dir, "k9", 0, "--parallel", "4"), 40)
    assert {where for _, where in saved} == {"database"}
    with RecordStore.open(db_url, spool_dir=spool_dir) as store:
        missing = [call_id for call_id, _ in saved if store.get(call_id) is None]
        assert missing == []
        assert store.get(saved[0][0])["turns"]


@pytest.fixture
def pg_proxy(pg_url: str) -> Iterator[tuple[TcpProxy, str]]:
    """A PostgreSQL URL that goes through a proxy the test can take down."""
    url = make_url(pg_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.up()
    yield proxy, url.set(port=proxy.port).render_as_string(hide_password=False)
    proxy.down()


class SqliteOutage:
    """SQLite's 'down': another process holds the write lock (a backup, a stuck writer)."""

    def __init__(self, url: str) -> None:
        self._engine = create_engine(resolve_url(url))
        self._connection = None

    def down(self) -> None:
        self._connection = self._engine.connect()
        self._connection.exec_driver_sql("BEGIN EXCLUSIVE")

    def up(self) -> None:
        assert self._connection is not None
        self._connection.exec_driver_sql("ROLLBACK")
        self._connection.close()
        self._engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def outage(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[object, str]:
    """(switch with up()/down(), URL) for a database the test can make unreachable."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_proxy")
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    RecordStore.open(url, spool_dir=tmp_path).close()  # migrated before the outage, as in the field
    return SqliteOutage(url), url


def test_a_call_during_an_outage_is_spooled_and_written_when_the_database_returns(
    outage: tuple, spool_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch, url = outage
    records = simulated_calls(5, seed=5)
    monkeypatch.setattr(store_module, "RETRY_AFTER_S", 0.0)  # retry the database on every call
    with RecordStore.open(url, spool_dir=spool_dir, timeout_s=0.5) as store:
        switch.down()
        assert [store.save(r) for r in records[:3]] == [Saved.SPOOLED] * 3
        assert store.spooled == 3
        if isinstance(switch, TcpProxy):  # SQLite still reads while another process holds the write lock
            assert not store.ping()
            with pytest.raises(StoreUnavailable, match=r"cannot use records database .*127\.0\.0\.1"):
                store.list()
        switch.up()
        assert store.save(records[3]) is Saved.DATABASE  # the next call in also empties the spool
        assert store.spooled == 0
        for record in records[:4]:
            assert store.get(record.call_id)["outcome"] == record.outcome


def test_spooled_calls_survive_kill_9_and_a_later_start_writes_them(outage: tuple, spool_dir: Path) -> None:
    switch, url = outage
    switch.down()
    saved = _saved_then_kill(_writer(url, spool_dir, "sp", 0, "--timeout", "0.5"), 5)
    assert {where for _, where in saved} == {"spooled"}
    switch.up()
    with RecordStore.open(url, spool_dir=spool_dir) as store:
        assert store.spooled == 0
        assert [call_id for call_id, _ in saved if store.get(call_id) is None] == []


def test_a_store_opened_while_the_database_is_down_starts_and_catches_up(
    pg_proxy: tuple[TcpProxy, str], spool_dir: Path
) -> None:
    proxy, url = pg_proxy
    proxy.down()
    record = simulated_calls(1, seed=9)[0]
    with RecordStore.open(url, spool_dir=spool_dir, timeout_s=0.5) as store:
        assert store.save(record) is Saved.SPOOLED
        proxy.up()
        assert store.flush_spool() == 1  # migrates the fresh database first
        assert store.get(record.call_id)["call_id"] == record.call_id


def test_concurrent_savers_on_one_machine_share_the_spool_safely(outage: tuple, spool_dir: Path) -> None:
    switch, url = outage
    switch.down()
    with RecordStore.open(url, spool_dir=spool_dir, timeout_s=0.2) as store:
        records = simulated_calls(40, seed=2)
        threads = [threading.Thread(target=lambda r=r: store.save(r)) for r in records]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.spooled == 40
        switch.up()
        assert store.flush_spool() == 40
        assert sum(store.get(r.call_id) is not None for r in records) == 40


def test_a_spooled_record_the_database_refuses_is_set_aside_not_blocking_the_rest(db_url: str, spool_dir: Path) -> None:
    good = simulated_calls(2, seed=8)
    with RecordStore.open(db_url, spool_dir=spool_dir) as store:
        spool = store._spool
        spool.append(good[0].to_json())
        spool.append(good[0].to_json() | {"call_id": "broken", "channel": ""})
        spool.append(good[1].to_json())
        assert store.flush_spool() == 3
        assert store.spooled == 0
        assert [store.get(r.call_id) is not None for r in good] == [True, True]
        assert store.get("broken") is None
        assert '"call_id":"broken"' in spool.path.with_suffix(".rejected").read_text()


def test_a_nul_from_the_recogniser_does_not_lose_the_call(store: RecordStore) -> None:
    record = simulated_calls(1, seed=8)[0]
    record.turns[0].caller = "haan\x00 ji"
    assert store.save(record) is Saved.DATABASE
    assert store.get(record.call_id)["turns"][0]["caller"] == "haan ji"
