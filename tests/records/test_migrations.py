"""The schema is migrated on start, a newer schema is refused, bad URLs are named, the file is private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from core.records import BadDatabaseURL, RecordStore, SchemaTooNew
from core.records.demo import simulated_calls
from core.records.location import resolve_url
from core.records.migrate import _config, head_revision


def _engine(url: str):
    return create_engine(resolve_url(url))


def test_opening_an_empty_database_migrates_it_to_head(db_url: str, spool_dir: Path) -> None:
    RecordStore.open(db_url, spool_dir=spool_dir).close()
    RecordStore.open(db_url, spool_dir=spool_dir).close()  # a second start is a no-op
    engine = _engine(db_url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
        assert {"calls", "turns", "alembic_version"} <= set(inspect(connection).get_table_names())
    engine.dispose()


def test_a_database_from_a_newer_app_is_refused_with_a_clear_message(db_url: str, spool_dir: Path) -> None:
    RecordStore.open(db_url, spool_dir=spool_dir).close()
    engine = _engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0042'"))
    engine.dispose()
    expected = rf"schema 0042, newer than this app knows \(up to {head_revision()}\); upgrade"
    with pytest.raises(SchemaTooNew, match=expected):
        RecordStore.open(db_url, spool_dir=spool_dir)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/calls", "unsupported database 'mysql'"),
        ("postgresql://", "PostgreSQL URL has no host"),
        ("postgresql://bot@db.internal", "PostgreSQL URL has no database name"),
        ("sqlite://", "SQLite URL must name a file"),
        ("not a url://", "database URL is not valid"),
    ],
)
def test_bad_urls_are_named(url: str, message: str, spool_dir: Path) -> None:
    with pytest.raises(BadDatabaseURL, match=message):
        RecordStore.open(url, spool_dir=spool_dir)


def test_url_comes_from_the_environment_and_a_bare_path_is_a_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUICKRUPEE_DB_URL", str(tmp_path / "kiosk.db"))
    with RecordStore.open(spool_dir=tmp_path) as store:
        assert store.url == f"sqlite:///{tmp_path / 'kiosk.db'}"
    assert (tmp_path / "kiosk.db").stat().st_size > 0


def test_the_default_is_a_sqlite_file_in_the_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with RecordStore.open() as store:
        assert store.url == f"sqlite:///{tmp_path / 'data' / 'quickrupee-voice' / 'records.sqlite3'}"
        assert store.ping()


def test_the_sqlite_file_and_its_journal_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private" / "records.db"
    with RecordStore.open(f"sqlite:///{path}", spool_dir=tmp_path / "spool") as store:
        store.save(simulated_calls(1)[0])
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
        assert modes == {"records.db": 0o600, "records.db-wal": 0o600, "records.db-shm": 0o600}
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        spools = list((tmp_path / "spool").glob("*")) if (tmp_path / "spool").exists() else []
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in spools)


def test_a_first_schema_database_upgrades_and_keeps_its_calls(db_url: str, spool_dir: Path) -> None:
    engine = _engine(db_url)
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0001")
        connection.execute(
            text(
                "INSERT INTO calls (call_id, channel, engine, policy_version, started_at, outcome, reasons, answers,"
                " path, notes, answered_employment, answered_salary, answered_city, transcript_dropped, saved_at)"
                " VALUES ('old', 'kiosk', 'text', '1', '2026-11-01 10:00:00', 'eligible', '[]', '{}', '[]', '[]',"
                " true, true, true, false, '2026-11-01 10:01:00')"
            )
        )
    engine.dispose()
    with RecordStore.open(db_url, spool_dir=spool_dir) as store:
        old = store.get("old")
        assert old is not None and old["outcome"] == "eligible"
        assert (old["language"], old["contact"], old["confirmations"]) == ("en", None, [])
        record = simulated_calls(1)[0]
        record.language = "hi"
        record.contact = {"mobile": "+919812345678"}
        record.confirmations = [{"slot": "monthly_salary", "heard": 40000, "answer": "yes"}]
        store.save(record)
        saved = store.get(record.call_id)
        assert saved is not None
        assert (saved["language"], saved["contact"], saved["confirmations"]) == (
            "hi", {"mobile": "+919812345678"}, [{"slot": "monthly_salary", "heard": 40000, "answer": "yes"}]
        )
