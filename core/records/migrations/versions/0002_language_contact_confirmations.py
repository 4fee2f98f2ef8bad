"""The call's language, the lead's contact details and the read-back confirmations."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=False, server_default="en"))
        batch.add_column(sa.Column("contact", sa.JSON))
        batch.add_column(sa.Column("confirmations", sa.JSON))
    op.create_index("ix_calls_language", "calls", ["language"])


def downgrade() -> None:
    op.drop_index("ix_calls_language", table_name="calls")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("confirmations")
        batch.drop_column("contact")
        batch.drop_column("language")
