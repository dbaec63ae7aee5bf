"""Change history and audit log (append-only), and revoked devices.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("batch_id", sa.String(64), nullable=False),
        sa.Column("tbl", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(100), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("field", sa.String(300), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("old_value", sa.JSON, nullable=True),
        sa.Column("old_hlc", sa.String(100), nullable=True),
        sa.Column("new_value", sa.JSON, nullable=True),
        sa.Column("new_hlc", sa.String(100), nullable=False),
    )
    op.create_index("ix_change_history_record", "change_history", ["tbl", "row_id"])
    op.create_index("ix_change_history_username", "change_history", ["username"])
    op.create_index("ix_change_history_device_id", "change_history", ["device_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("tbl", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(100), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    for column in ("at", "actor", "device_id", "action", "target"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column])
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("revoked_at", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("revoked_at")
    op.drop_table("audit_log")
    op.drop_table("change_history")
