"""Each record's columnar pull row, kept beside it (``app.contract.page.stored_fragment``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable and not back-filled: a record without a fragment is encoded when pulled,
    # and gets one the next time it is written.
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("wire_key", sa.String(40), nullable=True))
        batch.add_column(sa.Column("wire", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("wire")
        batch.drop_column("wire_key")
