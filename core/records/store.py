"""RecordStore: the one API every front end (kiosk, bridge, simulator, CLI) saves and reads calls with."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Text, and_, cast, create_engine, delete, event, insert, or_, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError, ProgrammingError

from core.record import CallRecord, utc_now
from core.records import codec
from core.records.errors import RecordExists, RecordRejected, StoreError, StoreUnavailable
from core.records.location import data_dir, prepare_sqlite_file, resolve_url, safe
from core.records.migrate import migrate
from core.records.schema import calls, instances, turns
from core.records.spool import Spool, spool_path
from core.records.stats import summarise

log = logging.getLogger("quickrupee.records")

ENV_RETENTION = "QUICKRUPEE_RETENTION_DAYS"
ENV_KEEP_TRANSCRIPTS = "QUICKRUPEE_KEEP_TRANSCRIPTS"
RETRY_AFTER_S = 5.0
"""After the database failed, spool straight away for this long instead of waiting on it per call."""
INTERRUPTED = "interrupted"
"""Outcome of a call whose instance died mid-call: what was said is kept, no decision is made."""

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
        self._file = _sqlite_path(engine)
        self._file_id = _file_id(self._file) if self._file else None
        self.refused = 0
        """Saves refused because a closed record for that call id is stored (replays, reused ids)."""

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
        """Store one call; durable when this returns. Blocking.

        An open record (no `ended_at`: a checkpoint) replaces the earlier save of the same call; a
        closed record is stored once and never replaced: a second save of a call id whose closed
        record is stored raises RecordExists (logged, counted in `refused`). RecordRejected for a
        record no database would take; anything else that stops the write (database down, locked,
        newer schema) sends the record to the spool instead.
        """
        return self._save(codec.as_json(record), new=False)

    def begin(self, record: CallRecord | Mapping[str, Any], *, owner: str | None = None) -> Saved:
        """The first save of a new call: RecordExists if any record (open or closed) has its id.

        This is what refuses a replayed call: the id is claimed atomically by the primary key, so two
        instances answering the same call cannot both run it. While the database is down the claim
        is spooled (and refused on replay if a closed record got there first).
        """
        return self._save(codec.as_json(record) | {"owner": owner}, new=True)

    def checkpoint(
        self,
        record: CallRecord | Mapping[str, Any],
        *,
        owner: str | None = None,
        resume: Mapping[str, Any] | None = None,
    ) -> Saved:
        """The live call's record after a turn (must still be open): replaces its earlier checkpoint.

        `owner` is the instance running the call (its heartbeat keeps the record from being closed as
        interrupted); `resume` is what another instance needs to continue the call (see docs/records.md).
        """
        data = codec.as_json(record) | {"owner": owner, "resume": dict(resume) if resume else None}
        if data.get("ended_at"):
            raise RecordRejected(f"call record {str(data.get('call_id'))[:64]}: a checkpoint must be open")
        return self._save(data, new=False)

    def _save(self, data: dict[str, Any], *, new: bool) -> Saved:
        _check(data)
        if time.monotonic() >= self._down_until:
            try:
                self._ensure_ready()
                self._write(data, new=new)
            except RecordExists as exc:
                self.refused += 1
                log.warning("record not replaced: %s", exc)
                raise
            except RecordRejected:
                raise
            except StoreError as exc:
                self._down_until = time.monotonic() + RETRY_AFTER_S
                log.warning("records database unavailable, spooling call %s: %s", data["call_id"], exc)
            else:
                self.flush_spool()
                return Saved.DATABASE
        try:
            self._spool.append(data)
        except OSError as exc:  # a full or read-only disk: the caller must keep the record itself
            raise StoreUnavailable(
                f"call record {str(data['call_id'])[:64]}: neither the database nor the spool can take it "
                f"({exc.strerror or exc})"
            ) from None
        return Saved.SPOOLED

    async def save_async(self, record: CallRecord | Mapping[str, Any]) -> Saved:
        """save() on a store thread, so the event loop (and the audio on it) never waits for disk."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, self.save, record)

    async def checkpoint_async(
        self,
        record: CallRecord | Mapping[str, Any],
        *,
        owner: str | None = None,
        resume: Mapping[str, Any] | None = None,
    ) -> Saved:
        """checkpoint() on a store thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: self.checkpoint(record, owner=owner, resume=resume))

    async def begin_async(self, record: CallRecord | Mapping[str, Any], *, owner: str | None = None) -> Saved:
        """begin() on a store thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, lambda: self.begin(record, owner=owner))

    def exists(self, call_id: str) -> bool:
        """Whether any record (open or closed) has this id; StoreUnavailable while the database is down."""
        with self._reading() as connection:
            return connection.scalar(select(calls.c.call_id).where(calls.c.call_id == call_id)) is not None

    def set_contact(self, call_id: str, contact: Mapping[str, Any]) -> bool:
        """Add a lead's contact details to a closed record whose `contact` is still empty; True if done.

        The one change a closed record takes (the kiosk asks for details after the decision is spoken).
        False when there is no such closed record or it already has contact details.
        """
        if not isinstance(contact, Mapping) or not contact:
            raise RecordRejected("contact details must be a non-empty object")
        empty = or_(calls.c.contact.is_(None), cast(calls.c.contact, Text) == "null")
        query = (
            update(calls)
            .where(calls.c.call_id == call_id, calls.c.ended_at.is_not(None), empty)
            .values(contact=dict(contact))
        )
        with self._writing() as connection:
            return bool(connection.execute(query).rowcount)

    def add_note(self, call_id: str, note: str) -> bool:
        """Append an audit note (a status callback after the call) to a stored record; True if it exists."""
        with self._writing() as connection:
            query = select(calls.c.notes).where(calls.c.call_id == call_id)
            if connection.dialect.name == "postgresql":
                query = query.with_for_update()
            notes = connection.scalar(query)
            if notes is None:
                return False
            connection.execute(update(calls).where(calls.c.call_id == call_id).values(notes=[*notes, note]))
            return True

    def heartbeat(self, instance_id: str, *, host: str, pid: int, started_at: datetime) -> None:
        """Say this instance is alive (a real write, so it also proves the database is writable)."""
        now = utc_now()
        with self._writing() as connection:
            done = connection.execute(
                update(instances).where(instances.c.instance_id == instance_id).values(heartbeat_at=now)
            ).rowcount
            if not done:
                connection.execute(
                    insert(instances),
                    {"instance_id": instance_id, "host": host[:255], "pid": pid, "started_at": started_at,
                     "heartbeat_at": now},
                )  # fmt: skip

    def open_calls(self) -> JsonList:
        """Records still open (live calls, or orphans of a dead instance): id, owner, saved_at, resume."""
        query = select(calls.c.call_id, calls.c.owner, calls.c.saved_at, calls.c.resume).where(
            calls.c.ended_at.is_(None)
        )
        with self._reading() as connection:
            return [
                {"call_id": row.call_id, "owner": row.owner, "saved_at": row.saved_at.isoformat(), "resume": row.resume}
                for row in connection.execute(query)
            ]

    def close_orphans(self, stale_after_s: float, *, keep_owner: str | None = None) -> list[str]:
        """Close as `interrupted` the open records nobody runs any more; returns their ids.

        Orphaned: not touched for `stale_after_s` and its owner (if any) has not beaten its heartbeat
        for as long. Their answers and turns stay as last checkpointed; a note says why they ended.
        """
        cutoff = utc_now() - timedelta(seconds=stale_after_s)
        alive = select(instances.c.instance_id).where(instances.c.heartbeat_at >= cutoff)
        orphaned = and_(
            calls.c.ended_at.is_(None),
            calls.c.saved_at < cutoff,
            or_(calls.c.owner.is_(None), calls.c.owner.not_in(alive)),
        )
        if keep_owner is not None:
            orphaned = and_(orphaned, or_(calls.c.owner.is_(None), calls.c.owner != keep_owner))
        closed = []
        with self._writing() as connection:
            rows = connection.execute(select(calls.c.call_id, calls.c.owner, calls.c.notes).where(orphaned)).all()
            for row in rows:
                note = f"ended: {INTERRUPTED} (instance {row.owner or 'unknown'} stopped mid-call)"
                done = connection.execute(
                    update(calls)
                    .where(calls.c.call_id == row.call_id, calls.c.ended_at.is_(None))
                    .values(ended_at=utc_now(), outcome=INTERRUPTED, notes=[*(row.notes or []), note], resume=None)
                ).rowcount
                if done:
                    closed.append(row.call_id)
        if closed:
            log.warning("closed %d call records left open by a stopped instance as %s", len(closed), INTERRUPTED)
        return closed

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
        self._check_file()
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

    def _check_file(self) -> None:
        """A SQLite file deleted or replaced under us: never keep writing into the unlinked one.

        Missing: unavailable (saves spool) until a file is back at the path. Replaced (restored from a
        backup): drop the old connections and use the new file once it has been checked and migrated.
        """
        if self._file is None:
            return
        current = _file_id(self._file)
        if current == self._file_id:
            if current is None:
                raise StoreUnavailable(f"records database file {self._file} is missing")
            if not os.access(self._file, os.W_OK):  # open handles could still write; we must not
                raise StoreUnavailable(f"records database file {self._file} is read-only")
            return
        with self._ready_lock:
            self._engine.dispose()
            self._ready = False
            self._file_id = current
        if current is None:
            log.error("records database file %s was deleted: spooling until it is restored", self._file)
            raise StoreUnavailable(f"records database file {self._file} is missing")
        log.warning("records database file %s was replaced: using the new file", self._file)

    def _replay(self, data: Mapping[str, Any]) -> None:
        _check(data)
        try:
            self._write(data, new=False)
        except RecordExists:
            if not self._same_closed(data):
                self.refused += 1
                raise
            # already written by an earlier flush that stopped part-way: nothing to do

    def _same_closed(self, data: Mapping[str, Any]) -> bool:
        with self._reading() as connection:
            row = connection.execute(
                select(calls.c.started_at, calls.c.ended_at).where(calls.c.call_id == str(data["call_id"]))
            ).first()
        ended = data.get("ended_at")
        return (
            row is not None and ended is not None and row.ended_at == codec.parse_time(ended)
            and row.started_at == codec.parse_time(data["started_at"])
        )  # fmt: skip

    def _write(self, data: Mapping[str, Any], *, new: bool) -> None:
        """Insert the record, replacing only an open record of the same call (never a closed one)."""
        call_id = str(data["call_id"])
        keep = self.keep_transcripts and not data.get("transcript_dropped")  # once dropped, stays dropped
        call = codec.call_row(data, keep_transcript=keep)
        rows = codec.turn_rows(data, keep_transcript=keep)
        open_row = and_(calls.c.call_id == call_id, calls.c.ended_at.is_(None))
        for attempt in range(3):  # two processes saving the same call at once: the loser retries
            try:
                with self._writing() as connection:
                    if not new:
                        connection.execute(
                            delete(turns).where(turns.c.call_id.in_(select(calls.c.call_id).where(open_row)))
                        )
                        connection.execute(delete(calls).where(open_row))
                    connection.execute(insert(calls), call)
                    if rows:
                        connection.execute(insert(turns), rows)
                return
            except IntegrityError as exc:
                if new or self._closed(call_id):
                    what = "a record" if new else "a closed record"
                    raise RecordExists(f"call record {call_id[:64]}: {what} with this id is already stored") from None
                if attempt == 2:
                    raise RecordRejected(f"call record {call_id}: {_first_line(exc)}") from None
            except DataError as exc:  # this content (a NUL in JSON, an out-of-range number), not the database
                raise RecordRejected(f"call record {call_id}: {_first_line(exc)}") from None
            except DBAPIError as exc:  # e.g. tables dropped under us: keep the call in the spool
                raise StoreError(_why(self._engine.url, exc)) from None

    def _schema_lost(self) -> None:
        self._ready = False

    def _closed(self, call_id: str) -> bool:
        with self._reading() as connection:
            ended = connection.execute(select(calls.c.ended_at).where(calls.c.call_id == call_id)).first()
        return ended is not None and ended[0] is not None

    def _reading(self) -> _Transaction:
        self._ensure_ready()
        return _Transaction(self._engine, self._schema_lost)

    def _writing(self) -> _Transaction:
        self._ensure_ready()
        return _Transaction(self._engine, self._schema_lost)


class _Transaction:
    """engine.begin() that turns a database that cannot take the work (down, read-only, tables gone) into
    StoreUnavailable with a readable reason; IntegrityError and DataError (this record) pass through."""

    def __init__(self, engine: Engine, schema_lost: Callable[[], None]) -> None:
        self._engine = engine
        self._schema_lost = schema_lost
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
        error = exc_info[1]
        if isinstance(error, DBAPIError) and not isinstance(error, IntegrityError | DataError):
            if isinstance(error, ProgrammingError):  # tables dropped or the database replaced: migrate again
                self._schema_lost()
            raise StoreUnavailable(_why(self._engine.url, error)) from None


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


def _sqlite_path(engine: Engine) -> Path | None:
    if engine.url.get_backend_name() != "sqlite" or not engine.url.database:
        return None
    return Path(engine.url.database)


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


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
