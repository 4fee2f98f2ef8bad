"""Every store test runs on a real SQLite file and a real PostgreSQL server (a fresh database each)."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from core.records import RecordStore

ROOT = Path(__file__).resolve().parents[2]
START_POSTGRES = ROOT / "scripts" / "start-postgres"


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """$QUICKRUPEE_TEST_PG_URL, else the cluster scripts/start-postgres starts; fails loudly under CI."""
    url = os.environ.get("QUICKRUPEE_TEST_PG_URL")
    if not url:
        try:
            done = subprocess.run([str(START_POSTGRES)], capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            done = subprocess.CompletedProcess([], 1, "", str(exc))
        if done.returncode != 0:
            why = f"PostgreSQL could not be started: {done.stderr.strip()[-400:]}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(why)
            pytest.skip(why)
        url = done.stdout.strip().splitlines()[-1]
    return url


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    server = make_url(pg_server_url).set(drivername="postgresql")
    name = f"qr_{uuid.uuid4().hex[:12]}"
    admin = server.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def spool_dir(tmp_path: Path) -> Path:
    return tmp_path / "spool"


@pytest.fixture
def store(db_url: str, spool_dir: Path) -> Iterator[RecordStore]:
    opened = RecordStore.open(db_url, spool_dir=spool_dir)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def _no_store_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own store settings must not leak into the tests."""
    for name in ("QUICKRUPEE_DB_URL", "QUICKRUPEE_RETENTION_DAYS", "QUICKRUPEE_KEEP_TRANSCRIPTS"):
        monkeypatch.delenv(name, raising=False)
