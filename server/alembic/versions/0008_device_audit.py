"""Laptop audit events uploaded at sync (``device_audit``), one per (device, seq), with their chain seal.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("received_at", sa.Float, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("tbl", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(100), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("chain_ok", sa.Boolean, nullable=False),
        sa.UniqueConstraint("device_id", "seq", name="uq_device_audit_event"),
    )
    for column in ("device_id", "username", "action"):
        op.create_index(f"ix_device_audit_{column}", "device_audit", [column])


def downgrade() -> None:
    op.drop_table("device_audit")
