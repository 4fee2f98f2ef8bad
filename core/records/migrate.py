"""Bring the schema to this app's head on start; refuse a database migrated by a newer app."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from core.records.errors import SchemaTooNew

MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK_KEY = 0x51525643  # one advisory lock so bridge instances starting together migrate one at a time


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this app knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(connection: Connection) -> str | None:
    """The schema revision the database is at (None when it has never been migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> str:
    """Upgrade to head in one transaction; raise SchemaTooNew if the database is ahead of this app."""
    config = _config()
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        else:  # SQLite: take the write lock before reading the revision, so two processes cannot both create
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        current = current_revision(connection)
        if current is not None and current not in known:
            raise SchemaTooNew(
                f"the records database is at schema {current}, newer than this app knows "
                f"(up to {head_revision()}); upgrade the app, or point it at another database"
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head_revision()
