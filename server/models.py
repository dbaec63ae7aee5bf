"""The server's tables (SQLModel), after FastAPI's full-stack template.

Synced rows are kept schema-agnostic in ``Record``: one row per (table, row id)
with the current value and clock of every field as JSON ``{field: [value, hlc]}``.
The server only reads what it must: ``region_code`` (scope), ``deleted`` and, for
certificate checks, the certificate's fields.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint
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
    # A revoked device (lost or stolen) logs in again only after an administrator enrols it anew.
    revoked_at: float | None = None
    # What the laptop last reported with a push or pull (``PENDING_HEADER``): its unacknowledged
    # changes and quarantined rows, and when; ``None`` until a client that reports them syncs.
    pending_changes: int | None = None
    quarantined_rows: int | None = None
    state_reported_at: float | None = None


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
    # A certificate's serial, normalised (``server.certificates.serial_key``), so a check finds it by index.
    lookup: str | None = Field(default=None, max_length=100, index=True)


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


class ChangeHistory(SQLModel, table=True):
    """One applied change, append-only: who (from the token), which device, when, old and new value.

    The clock's device is whatever the laptop wrote; ``device_id`` here is the device the
    token was issued to, so the federation can say who set a value even if a device lies.
    ``action`` is ``create`` (first field of a new row), ``update``, ``delete`` or ``restore``
    (the tombstone set or cleared).
    """

    __tablename__ = "change_history"
    # Few indexes on purpose: every applied change writes a row here, inside the push.
    __table_args__ = (Index("ix_change_history_record", "tbl", "row_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: float = 0.0
    user_id: int = 0
    username: str = Field(default="", max_length=100)
    device_id: str = Field(default="", max_length=64)
    batch_id: str = Field(default="", max_length=64)
    tbl: str = Field(max_length=64)
    row_id: str = Field(max_length=100)
    region_code: str = Field(default="", max_length=20)
    field: str = Field(max_length=300)
    action: str = Field(default="update", max_length=16)
    old_value: Any = Field(default=None, sa_column=Column(JSON))
    old_hlc: str | None = Field(default=None, max_length=100)
    new_value: Any = Field(default=None, sa_column=Column(JSON))
    new_hlc: str = Field(default="", max_length=100)


class AuditLog(SQLModel, table=True):
    """An account or administrative act (create, deactivate, reset password, set role/regions,
    revoke or enrol a device, reopen a settled project), append-only.

    ``actor`` is the user who did it (``cli`` for the server's command line); ``target`` the
    account or record it was done to.
    """

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: float = Field(default=0.0, index=True)
    actor: str = Field(default="", max_length=100, index=True)
    device_id: str = Field(default="", max_length=64, index=True)
    action: str = Field(max_length=40, index=True)
    target: str = Field(default="", max_length=200, index=True)
    tbl: str = Field(default="", max_length=64)
    row_id: str = Field(default="", max_length=100)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class DeviceAudit(SQLModel, table=True):
    """A laptop's audit event (login, lock, a full-record read, an export…), append-only, as uploaded at sync.

    ``device_id`` and ``username`` come from the uploading token; ``actor`` is the user the laptop
    says acted. ``hash`` is the laptop's seal of the event in its chain (``app.contract.audit_chain``);
    ``chain_ok`` is false when the server's recomputation did not match it (an event edited, removed
    or inserted on the laptop after it was sealed).
    """

    __tablename__ = "device_audit"
    __table_args__ = (UniqueConstraint("device_id", "seq", name="uq_device_audit_event"),)

    id: int | None = Field(default=None, primary_key=True)
    device_id: str = Field(max_length=64, index=True)
    seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    user_id: int = 0
    username: str = Field(default="", max_length=100, index=True)
    received_at: float = 0.0
    at: str = Field(default="", max_length=40)
    actor: str = Field(default="", max_length=100)
    action: str = Field(default="", max_length=40, index=True)
    tbl: str = Field(default="", max_length=64)
    row_id: str = Field(default="", max_length=100)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    hash: str = Field(default="", max_length=64)
    chain_ok: bool = True
