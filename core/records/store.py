"""RecordStore: the one API every front end (kiosk, bridge, simulator, CLI) saves and reads calls with."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, String, cast, create_engine, delete, event, insert, or_, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError

from core.record import CallRecord, utc_now
from core.records import codec
from core.records.errors import RecordRejected, StoreError, StoreUnavailable
from core.records.location import data_dir, prepare_sqlite_file, resolve_url, safe
from core.records.migrate import migrate
from core.records.schema import calls, turns
from core.records.spool import Spool, spool_path
from core.records.stats import summarise

log = logging.getLogger("quickrupee.records")

ENV_RETENTION = "QUICKRUPEE_RETENTION_DAYS"
ENV_KEEP_TRANSCRIPTS = "QUICKRUPEE_KEEP_TRANSCRIPTS"
RETRY_AFTER_S = 5.0
"""After the database failed, spool straight away for this long instead of waiting on it per call."""

JsonDict = dict[str, Any]
JsonList = list[JsonDict]
When = str | date | datetime


class Saved(StrEnum):
    """Where a saved record went; both are durable when save() returns."""

    DATABASE = "database"
    SPOOLED = "spooled"
    """The database was unreachable: queued in the local spool, written when it returns."""


class RecordStore:
    """Calls and their turns in SQLite (default) or PostgreSQL; writes survive a crash and a DB outage."""

    def __init__(
        self,
        engine: Engine,
        spool: Spool,
        *,
        keep_transcripts: bool,
        retention_days: int | None,
    ) -> None:
        self._engine = engine
        self._spool = spool
        self.keep_transcripts = keep_transcripts
        self.retention_days = retention_days
        self._ready = False
        self._ready_lock = threading.Lock()
        self._down_until = 0.0
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="records")

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        keep_transcripts: bool | None = None,
        retention_days: int | None = None,
        spool_dir: Path | None = None,
        timeout_s: float = 5.0,
        create: bool = True,
    ) -> RecordStore:
        """Open (and migrate) the store at `url`, $QUICKRUPEE_DB_URL, or the default SQLite file.

        A database that is down does not stop the app: saves are spooled until it returns (see ping()).
        Raises BadDatabaseURL for a bad URL and SchemaTooNew for a database migrated by a newer app;
        with create=False (tools that only read), StoreError if a SQLite file does not exist yet.
        """
        resolved = resolve_url(url)
        engine = _engine(resolved, timeout_s, create=create)
        spool = Spool(spool_path(spool_dir or data_dir(), safe(resolved)))
        store = cls(
            engine,
            spool,
            keep_transcripts=_env_flag(ENV_KEEP_TRANSCRIPTS, True) if keep_transcripts is None else keep_transcripts,
            retention_days=_env_days(ENV_RETENTION) if retention_days is None else retention_days,
        )
        try:
            store._ensure_ready()
        except StoreUnavailable as exc:
            log.warning("records database unavailable, spooling calls locally: %s", exc)
            return store
        store.flush_spool()
        if store.retention_days is not None:
            store.purge()
        return store

    @property
    def url(self) -> str:
        """The database URL without its password."""
        return safe(self._engine.url)

    @property
    def spooled(self) -> int:
        """How many records wait in the local spool for the database."""
        return len(self._spool)

    def save(self, record: CallRecord | Mapping[str, Any]) -> Saved:
        """Store one call (replacing any earlier save of it); durable when this returns. Blocking.

        Raises RecordRejected for a record no database would take; anything else that stops the write
        (database down, locked, newer schema) sends the record to the spool instead.
        """
        data = codec.as_json(record)
        _check(data)
        if time.monotonic() >= self._down_until:
            try:
                self._ensure_ready()
                self._write(data)
            except RecordRejected:
                raise
            except StoreError as exc:
                self._down_until = time.monotonic() + RETRY_AFTER_S
                log.warning("records database unavailable, spooling call %s: %s", data["call_id"], exc)
            else:
                self.flush_spool()
                return Saved.DATABASE
        self._spool.append(data)
        return Saved.SPOOLED

    async def save_async(self, record: CallRecord | Mapping[str, Any]) -> Saved:
        """save() on a store thread, so the event loop (and the audio on it) never waits for disk."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, self.save, record)

    def flush_spool(self) -> int:
        """Write spooled records to the database; returns how many went (0 if it is still down)."""
        if not self._spool.pending():
            return 0
        try:
            self._ensure_ready()
            written = self._spool.drain(self._replay, set_aside=RecordRejected)
        except StoreError as exc:
            log.warning("records spool kept for later (%d waiting): %s", self.spooled, exc)
            return 0
        log.info("wrote %d spooled call records to the database", written)
        return written

    def set_contact(self, call_id: str, contact: Mapping[str, Any]) -> bool:
        """Add a lead's contact to a stored call, once: False if the call is unknown or already has one.

        The record is saved when the call ends; the visitor leaves a number (or skips) afterwards.
        """
        query = (
            update(calls)
            .where(calls.c.call_id == call_id)
            .where(or_(calls.c.contact.is_(None), cast(calls.c.contact, String) == "null"))  # SQL or JSON null
            .values(contact=dict(contact))
        )
        with self._writing() as connection:
            return connection.execute(query).rowcount == 1

    def get(self, call_id: str) -> JsonDict | None:
        """One call with every turn, in CallRecord.to_json() shape (plus transcript_dropped)."""
        with self._reading() as connection:
            call = connection.execute(select(calls).where(calls.c.call_id == call_id)).mappings().first()
            if call is None:
                return None
            rows = connection.execute(select(turns).where(turns.c.call_id == call_id).order_by(turns.c.idx)).mappings()
            return codec.record_json(call, list(rows))

    def ids_starting(self, prefix: str, limit: int = 2) -> list[str]:
        """Call ids that start with `prefix`, so people can type the short id a listing shows."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = select(calls.c.call_id).where(calls.c.call_id.like(f"{escaped}%", escape="\\")).limit(limit)
        with self._reading() as connection:
            return list(connection.scalars(query))

    def list(self, limit: int = 50, since: When | None = None, *, outcome: str | None = None) -> JsonList:
        """The most recent calls first, without their turns (get() has those)."""
        query = select(calls).order_by(calls.c.started_at.desc(), calls.c.call_id).limit(max(0, limit))
        if since is not None:
            query = query.where(calls.c.started_at >= codec.parse_time(since))
        if outcome is not None:
            query = query.where(calls.c.outcome == outcome)
        with self._reading() as connection:
            return [codec.record_json(call, None) for call in connection.execute(query).mappings()]

    def stats(self, since: When | None = None, *, tz: tzinfo = UTC) -> JsonDict:
        """Counts by outcome, eligibility rate, funnel, drop-off, reasons and turn latency, by day in `tz`."""
        start = codec.parse_time(since) if since is not None else None
        call_query = select(
            calls.c.started_at, calls.c.outcome, calls.c.reasons, calls.c.channel, calls.c.language, calls.c.dropped_at,
            calls.c.answered_employment, calls.c.answered_salary, calls.c.answered_city,
        )  # fmt: skip
        latency_query = (
            select(calls.c.started_at, turns.c.latency_ms)
            .join(turns, turns.c.call_id == calls.c.call_id)
            .where(turns.c.latency_ms.is_not(None))
        )
        if start is not None:
            call_query = call_query.where(calls.c.started_at >= start)
            latency_query = latency_query.where(calls.c.started_at >= start)
        with self._reading() as connection:
            rows = connection.execute(call_query).mappings().all()
            latencies = [(row[0], row[1]) for row in connection.execute(latency_query)]
        return summarise(rows, latencies, since=start, tz=tz)

    def purge(self, older_than_days: int | None = None, *, transcripts_only: bool = False) -> int:
        """Delete calls that started more than N days ago (default: the retention setting).

        With transcripts_only, keep the calls and their outcomes but blank every word said.
        Returns how many calls were affected.
        """
        days = self.retention_days if older_than_days is None else older_than_days
        if days is None:
            raise StoreError(f"no retention period: pass a number of days or set {ENV_RETENTION}")
        if days < 0:
            raise StoreError(f"retention must be 0 days or more, not {days}")
        cutoff = utc_now() - timedelta(days=days)
        old = select(calls.c.call_id).where(calls.c.started_at < cutoff)
        with self._writing() as connection:
            if transcripts_only:
                connection.execute(update(turns).where(turns.c.call_id.in_(old)).values(bot=None, caller=None))
                connection.execute(update(calls).where(calls.c.started_at < cutoff).values(contact=None))
                result = connection.execute(
                    update(calls)
                    .where(calls.c.started_at < cutoff, calls.c.transcript_dropped.is_(False))
                    .values(transcript_dropped=True)
                )
            else:
                connection.execute(delete(turns).where(turns.c.call_id.in_(old)))
                result = connection.execute(delete(calls).where(calls.c.started_at < cutoff))
        return result.rowcount

    def ping(self) -> bool:
        """Whether the database answers right now (and is migrated)."""
        try:
            self._ensure_ready()
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except (StoreError, DBAPIError):
            return False
        return True

    def close(self) -> None:
        """Finish pending async saves and release connections."""
        self._executor.shutdown(wait=True)
        self._engine.dispose()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        with self._ready_lock:
            if not self._ready:
                try:
                    migrate(self._engine)
                except (OperationalError, InterfaceError) as exc:
                    raise StoreUnavailable(_why(self._engine.url, exc)) from None
                except DBAPIError as exc:  # reachable but not usable: not a database, no permission
                    raise StoreError(_why(self._engine.url, exc)) from None
                self._ready = True

    def _replay(self, data: Mapping[str, Any]) -> None:
        _check(data)
        self._write(data)

    def _write(self, data: Mapping[str, Any]) -> None:
        call_id = str(data["call_id"])
        keep = self.keep_transcripts and not data.get("transcript_dropped")  # once dropped, stays dropped
        call = codec.call_row(data, keep_transcript=keep)
        rows = codec.turn_rows(data, keep_transcript=keep)
        for attempt in range(2):  # two processes saving the same call at once: the loser retries
            try:
                with self._writing() as connection:
                    connection.execute(delete(turns).where(turns.c.call_id == call_id))
                    connection.execute(delete(calls).where(calls.c.call_id == call_id))
                    connection.execute(insert(calls), call)
                    if rows:
                        connection.execute(insert(turns), rows)
                return
            except IntegrityError as exc:
                if attempt:
                    raise RecordRejected(f"call record {call_id}: {_first_line(exc)}") from None
            except DataError as exc:  # this content (a NUL in JSON, an out-of-range number), not the database
                raise RecordRejected(f"call record {call_id}: {_first_line(exc)}") from None
            except DBAPIError as exc:  # e.g. tables dropped under us: keep the call in the spool
                raise StoreError(_why(self._engine.url, exc)) from None

    def _reading(self) -> _Transaction:
        self._ensure_ready()
        return _Transaction(self._engine)

    def _writing(self) -> _Transaction:
        self._ensure_ready()
        return _Transaction(self._engine)


class _Transaction:
    """engine.begin() that turns connection failures into StoreUnavailable with a readable reason."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._context: Any = None

    def __enter__(self) -> Any:
        try:
            self._context = self._engine.begin()
            return self._context.__enter__()
        except (OperationalError, InterfaceError) as exc:
            raise StoreUnavailable(_why(self._engine.url, exc)) from None

    def __exit__(self, *exc_info: Any) -> None:
        try:
            self._context.__exit__(*exc_info)
        except (OperationalError, InterfaceError) as exc:
            raise StoreUnavailable(_why(self._engine.url, exc)) from None
        if isinstance(exc_info[1], OperationalError | InterfaceError):
            raise StoreUnavailable(_why(self._engine.url, exc_info[1])) from None


def _engine(url: URL, timeout_s: float, *, create: bool) -> Engine:
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        path = Path(url.database)
        if not create and not path.is_file():
            raise StoreError(f"no records database at {path}")
        prepare_sqlite_file(path)
        engine = create_engine(url, connect_args={"timeout": timeout_s})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": max(1, round(timeout_s))})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL so readers never block the writer; synchronous=FULL so a commit is on disk when it returns."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _why(url: URL, exc: DBAPIError) -> str:
    return f"cannot use records database {safe(url)}: {_first_line(exc)}"


def _first_line(exc: DBAPIError) -> str:
    return (str(exc.orig) if exc.orig else str(exc)).strip().splitlines()[0]


LIMITS = {"call_id": 64, "channel": 32, "engine": 64, "policy_version": 64, "outcome": 32}
"""Column widths; checked up front so a record fails the same way on SQLite (which ignores them) and PostgreSQL."""


def _check(data: Mapping[str, Any]) -> None:
    """Refuse a malformed record at once with its field named, rather than spool it forever."""
    missing = [key for key in ("call_id", "channel", "engine", "policy_version", "started_at") if not data.get(key)]
    if missing:
        raise RecordRejected(f"call record lacks {', '.join(missing)}")
    too_long = [f"{key} ({len(str(data[key]))} > {limit})" for key, limit in LIMITS.items()
                if data.get(key) and len(str(data[key])) > limit]  # fmt: skip
    if too_long:
        raise RecordRejected(f"call record {str(data['call_id'])[:64]}: too long: {', '.join(too_long)}")
    try:
        codec.parse_time(data["started_at"])
        if data.get("ended_at"):
            codec.parse_time(data["ended_at"])
    except (TypeError, ValueError) as exc:
        raise RecordRejected(f"call record {data['call_id']}: bad time: {exc}") from None


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise StoreError(f"{name} must be 1/0 (true/false), not {raw!r}")


def _env_days(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise StoreError(f"{name} must be a whole number of days, not {raw!r}")
    return int(raw)
