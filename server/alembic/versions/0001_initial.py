"""Initial server schema: users, tokens, devices, records, seq counter, push batches, conflicts, attachments.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String, nullable=False, server_default=""),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("regions", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("password_hash", sa.String, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_users_username", "users", ["username"], unique=True)
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("device_id", sa.String, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.Column("revoked_at", sa.Float, nullable=True),
    )
    op.create_index("ix_tokens_token_hash", "tokens", ["token_hash"], unique=True)
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "devices",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("first_seen", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
    )
    op.create_index("ix_devices_user_id", "devices", ["user_id"])
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tbl", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(100), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.UniqueConstraint("tbl", "row_id", name="uq_records_tbl_row"),
    )
    op.create_index("ix_records_seq", "records", ["seq"], unique=True)
    op.create_index("ix_records_region_code", "records", ["region_code"])
    op.create_table(
        "seq_counter",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO seq_counter (id, value) VALUES (1, 0)")
    op.create_table(
        "push_batches",
        sa.Column("batch_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("response", sa.JSON, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_push_batches_user_id", "push_batches", ["user_id"])
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tbl", sa.String, nullable=False),
        sa.Column("row_id", sa.String, nullable=False),
        sa.Column("field", sa.String, nullable=False),
        sa.Column("winner_value", sa.JSON, nullable=True),
        sa.Column("winner_hlc", sa.String, nullable=False),
        sa.Column("loser_value", sa.JSON, nullable=True),
        sa.Column("loser_hlc", sa.String, nullable=False),
        sa.Column("pushed_by", sa.String, nullable=False),
        sa.Column("batch_id", sa.String, nullable=False),
        sa.Column("detected_at", sa.Float, nullable=False),
    )
    op.create_index("ix_conflicts_row_id", "conflicts", ["row_id"])
    op.create_table(
        "attachments",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("total", sa.BigInteger, nullable=False),
        sa.Column("received", sa.BigInteger, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("uploaded_by", sa.String, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "attachments",
        "conflicts",
        "push_batches",
        "seq_counter",
        "records",
        "devices",
        "tokens",
        "users",
    ):
        op.drop_table(table)
