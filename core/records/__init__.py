"""Call records: one store (SQLite by default, PostgreSQL by URL) used by every front end."""

from core.records.errors import (
    BadDatabaseURL,
    RecordExists,
    RecordRejected,
    SchemaTooNew,
    StoreError,
    StoreUnavailable,
)
from core.records.store import RecordStore, Saved

__all__ = [
    "BadDatabaseURL",
    "RecordExists",
    "RecordRejected",
    "RecordStore",
    "Saved",
    "SchemaTooNew",
    "StoreError",
    "StoreUnavailable",
]
