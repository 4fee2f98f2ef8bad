"""The tables as the store queries them (the migrations in migrations/versions create them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so store naive UTC there)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

calls = Table(
    "calls",
    metadata,
    Column("call_id", String(64), primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("engine", String(64), nullable=False),
    Column("policy_version", String(64), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime()),
    Column("outcome", String(32)),
    Column("reasons", JSON, nullable=False),
    Column("answers", JSON, nullable=False),
    Column("path", JSON, nullable=False),
    Column("notes", JSON, nullable=False),
    Column("answered_employment", Boolean, nullable=False),
    Column("answered_salary", Boolean, nullable=False),
    Column("answered_city", Boolean, nullable=False),
    Column("dropped_at", String(32)),
    Column("transcript_dropped", Boolean, nullable=False),
    Column("saved_at", UTCDateTime(), nullable=False),
    Column("language", String(16), nullable=False, server_default="en"),
    Column("contact", JSON(none_as_null=True)),  # no lead yet is SQL NULL
    Column("confirmations", JSON),
    Column("owner", String(64)),
    Column("resume", JSON),
)

turns = Table(
    "turns",
    metadata,
    Column("call_id", String(64), ForeignKey("calls.call_id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("state", String(32), nullable=False),
    Column("bot", Text),
    Column("caller", Text),
    Column("state_after", String(32)),
    Column("intent", String(32)),
    Column("parsed", JSON),
    Column("confidence", Float),
    Column("asr_confidence", Float),
    Column("latency_ms", Float),
    Column("barge_in", Boolean, nullable=False),
    Column("at", String(40), nullable=False),
)

instances = Table(
    "instances",
    metadata,
    Column("instance_id", String(64), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("heartbeat_at", UTCDateTime(), nullable=False),
)
"""Bridge instances and their last heartbeat: an open record whose owner stopped beating is orphaned."""
