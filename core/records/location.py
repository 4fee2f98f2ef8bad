"""Where the records live: the configured URL, or a private SQLite file in the user's data dir."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from core.records.errors import BadDatabaseURL

ENV_URL = "QUICKRUPEE_DB_URL"
APP_NAME = "quickrupee-voice"
DEFAULT_FILE = "records.sqlite3"


def data_dir() -> Path:
    """The per-user data folder for the database file and the offline spool."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_url(url: str | None) -> URL:
    """The URL to use: explicit, else $QUICKRUPEE_DB_URL, else the default SQLite file; validated."""
    raw = (url or os.environ.get(ENV_URL) or "").strip()
    if not raw:
        return make_url(f"sqlite:///{data_dir() / DEFAULT_FILE}")
    if "://" not in raw:  # a bare path means a SQLite file
        return make_url(f"sqlite:///{Path(raw).expanduser().resolve()}")
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise BadDatabaseURL(f"database URL is not valid: {safe(raw)}") from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        if not parsed.host and not parsed.query.get("host"):
            raise BadDatabaseURL(f"PostgreSQL URL has no host: {safe(raw)}")
        if not parsed.database:
            raise BadDatabaseURL(f"PostgreSQL URL has no database name: {safe(raw)}")
        return parsed
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise BadDatabaseURL("SQLite URL must name a file, e.g. sqlite:////var/lib/quickrupee/records.db")
        return parsed.set(drivername="sqlite")
    raise BadDatabaseURL(
        f"unsupported database {backend!r} in {safe(raw)}: use sqlite:///PATH or postgresql://USER@HOST/DB"
    )


def safe(url: str | URL) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return (make_url(url) if isinstance(url, str) else url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def prepare_sqlite_file(path: Path) -> None:
    """Create the database file readable by its owner only (0600) before SQLite opens it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)  # the mode applies only when this creates it
    except OSError as exc:
        raise BadDatabaseURL(f"cannot create the records database file {path}: {exc.strerror or exc}") from None
    os.close(fd)
