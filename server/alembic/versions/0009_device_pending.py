"""What each laptop last reported with its push or pull: pending changes, quarantined rows, and when.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("pending_changes", sa.Integer),
    ("quarantined_rows", sa.Integer),
    ("state_reported_at", sa.Float),
)


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        for name, _kind in reversed(_COLUMNS):
            batch.drop_column(name)
