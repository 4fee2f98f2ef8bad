"""Open records (per-turn checkpoints of live calls) and the bridge instances that own them.

A call's record is written when the call starts and after every turn (`ended_at` still null), so a
crash loses at most the turn in flight. `owner` names the instance running the call and `resume`
holds what another instance needs to pick the call up; `instances` carries each instance's
heartbeat, so records whose owner stopped beating can be closed as `interrupted`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("owner", sa.String(64)))
        batch.add_column(sa.Column("resume", sa.JSON))
    op.create_index("ix_calls_open_owner", "calls", ["owner"], postgresql_where=sa.text("ended_at IS NULL"))
    op.create_table(
        "instances",
        sa.Column("instance_id", sa.String(64), primary_key=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("instances")
    op.drop_index("ix_calls_open_owner", table_name="calls")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("resume")
        batch.drop_column("owner")
