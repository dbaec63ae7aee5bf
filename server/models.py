"""The server's tables (SQLModel), after FastAPI's full-stack template.

Synced rows are kept schema-agnostic in ``Record``: one row per (table, row id)
with the current value and clock of every field as JSON ``{field: [value, hlc]}``.
The server only reads what it must: ``region_code`` (scope), ``deleted`` and, for
certificate checks, the certificate's fields.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class UserBase(SQLModel):
    username: str = Field(index=True, unique=True, max_length=100)
    display_name: str = ""
    role: str = "worker"
    regions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True


class UserCreate(UserBase):
    password: str


class ServerUser(UserBase, table=True):
    """An account that may log in from the app (专职委员, 验收人员, 残联, 管理员)."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = ""
    created_at: float = 0.0


class AuthToken(SQLModel, table=True):
    """A login: only the SHA-256 of the token is stored, so a copied database opens no door."""

    __tablename__ = "tokens"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True)
    device_id: str = ""
    created_at: float = 0.0
    expires_at: float = 0.0
    revoked_at: float | None = None


class Device(SQLModel, table=True):
    """A laptop that has logged in; its id is the one in its clock values."""

    __tablename__ = "devices"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True)
    name: str = ""
    first_seen: float = 0.0
    last_seen: float = 0.0


class Record(SQLModel, table=True):
    """The current state of one synced row: every field's value and clock, and its pull ``seq``."""

    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("tbl", "row_id", name="uq_records_tbl_row"),)

    id: int | None = Field(default=None, primary_key=True)
    tbl: str = Field(max_length=64)
    row_id: str = Field(max_length=100)
    region_code: str = Field(default="", index=True, max_length=20)
    seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, index=True, unique=True))
    deleted: bool = False
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The record's row in the columnar pull layout, and what it was made from (see
    # ``app.contract.page.stored_fragment``): a cache, rebuilt whenever it does not match.
    wire_key: str | None = Field(default=None, max_length=40)
    wire: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class SeqCounter(SQLModel, table=True):
    """SQLite only (see ``server.seq``): the one row whose update hands out ``seq`` values in commit order."""

    __tablename__ = "seq_counter"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


class PushBatch(SQLModel, table=True):
    """A push already applied, with the answer given, so a retried batch gets the same answer."""

    __tablename__ = "push_batches"

    batch_id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(index=True)
    response: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: float = 0.0


class ServerConflict(SQLModel, table=True):
    """A concurrent edit that lost on the server, kept for review: nothing saved is lost."""

    __tablename__ = "conflicts"

    id: int | None = Field(default=None, primary_key=True)
    tbl: str
    row_id: str = Field(index=True)
    field: str
    winner_value: Any = Field(default=None, sa_column=Column(JSON))
    winner_hlc: str
    loser_value: Any = Field(default=None, sa_column=Column(JSON))
    loser_hlc: str
    pushed_by: str = ""
    batch_id: str = ""
    detected_at: float = 0.0


class AttachmentMeta(SQLModel, table=True):
    """An attachment's upload state; the bytes live in the attachment store."""

    __tablename__ = "attachments"

    sha256: str = Field(primary_key=True, max_length=64)
    total: int = 0
    received: int = 0
    complete: bool = False
    uploaded_by: str = ""
    created_at: float = 0.0
