"""Calls and their turns: the first schema."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("call_id", sa.String(64), primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("engine", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("outcome", sa.String(32)),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("path", sa.JSON, nullable=False),
        sa.Column("notes", sa.JSON, nullable=False),
        sa.Column("answered_employment", sa.Boolean, nullable=False),
        sa.Column("answered_salary", sa.Boolean, nullable=False),
        sa.Column("answered_city", sa.Boolean, nullable=False),
        sa.Column("dropped_at", sa.String(32)),
        sa.Column("transcript_dropped", sa.Boolean, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_calls_started_at", "calls", ["started_at"])
    op.create_table(
        "turns",
        sa.Column("call_id", sa.String(64), sa.ForeignKey("calls.call_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("bot", sa.Text),
        sa.Column("caller", sa.Text),
        sa.Column("state_after", sa.String(32)),
        sa.Column("intent", sa.String(32)),
        sa.Column("parsed", sa.JSON),
        sa.Column("confidence", sa.Float),
        sa.Column("asr_confidence", sa.Float),
        sa.Column("latency_ms", sa.Float),
        sa.Column("barge_in", sa.Boolean, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("turns")
    op.drop_index("ix_calls_started_at", table_name="calls")
    op.drop_table("calls")
