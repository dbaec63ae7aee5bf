"""Change history keeps only its per-record index.

Every applied change writes a history row inside the push; the per-user and per-device
indexes made a first push's history cost half as much again (bench sync, 42,124 changes).
Filtering the log by user or device is an administrator's occasional query; it scans.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_change_history_username", "change_history")
    op.drop_index("ix_change_history_device_id", "change_history")


def downgrade() -> None:
    op.create_index("ix_change_history_device_id", "change_history", ["device_id"])
    op.create_index("ix_change_history_username", "change_history", ["username"])
