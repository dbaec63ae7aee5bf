"""The shapes that travel between the app and the server (SYNC.md, version 1).

Both sides import these models, so a field renamed on one side is renamed on
the other. Values of synced fields are plain JSON; clocks are HLC texts
(``app.contract.hlc``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-HomeVisit-Protocol"
# Sent by the laptop with each push and pull (optional; older clients send neither): how many of
# its changes the server has not acknowledged, and how many pulled rows it holds in quarantine.
# The server keeps the last values per device for the console (``Device.pending_changes``).
PENDING_HEADER = "X-HomeVisit-Pending"
QUARANTINED_HEADER = "X-HomeVisit-Quarantined"
MAX_REPORTED_COUNT = 100_000_000
API_PREFIX = "/api/v1"
MAX_BATCH = 1000  # changes in one push; the client sends 500
MAX_PULL_LIMIT = 2000

# Error codes (the ``code`` of ``ErrorBody`` and of a rejected change).
OUT_OF_SCOPE = "out_of_scope"
INVALID = "invalid"
FORBIDDEN = "forbidden"
CLOCK_SKEW = "clock_skew"
PROTOCOL_MISSING = "protocol_missing"
PROTOCOL_MISMATCH = "protocol_mismatch"
TOKEN_INVALID = "token_invalid"
TOKEN_EXPIRED = "token_expired"
TOKEN_REVOKED = "token_revoked"
# The device itself was revoked (lost or stolen): the laptop wipes its data (app.contract.errors.DeviceRevoked).
DEVICE_REVOKED = "device_revoked"
TOO_MANY_ATTEMPTS = "too_many_attempts"
SERVER_BUSY = "server_busy"
LOGIN_FAILED = "login_failed"
TOO_LARGE = "too_large"
NOT_FOUND = "not_found"
RANGE_MISMATCH = "range_mismatch"
HASH_MISMATCH = "hash_mismatch"


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(_Wire):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)
    device_name: str = Field(default="", max_length=200)
    # The device's own id (the one in its clock values); the server registers it.
    device_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_]+$")


class UserInfo(_Wire):
    username: str
    display_name: str = ""
    role: str
    regions: list[str]


class DirectoryEntry(_Wire):
    """A colleague as a laptop may show them: login, display name, role, whether active, their devices.

    No password hash, phone number or regions: only what a screen needs to say who did something.
    """

    username: str
    display_name: str = ""
    role: str
    active: bool = True
    # The ids of the devices this account last logged in on: a field clock's device names who wrote it.
    devices: list[str] = Field(default_factory=list)


class UserDirectory(_Wire):
    """``GET /users/directory``: the users whose regions overlap the caller's (``scopes_overlap``).

    ``version`` is also the answer's ``ETag``; sent back as ``If-None-Match`` it gets a 304 while
    nothing changed, so a sync re-fetches the list only when it did.
    """

    version: str
    users: list[DirectoryEntry]


class LoginResponse(_Wire):
    token: str
    user: UserInfo
    device_id: str
    regions: list[str]
    expires_at: str
    server_time: int  # milliseconds since the epoch
    # The federation's longest idle time before a laptop locks (None: an older server; the laptop's default).
    max_idle_minutes: int | None = None
    # The password was set by an administrator (a reset): the laptop asks for a new one at
    # once and sends it with ``POST /auth/password`` before anything else.
    must_change_password: bool = False


class PasswordChangeRequest(_Wire):
    """The signed-in user's own new password; ``password`` is the current one."""

    password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class Change(_Wire):
    """One changed field, as the client's change log holds it."""

    tbl: str = Field(max_length=64)
    row_id: str = Field(min_length=1, max_length=100)
    field: str = Field(min_length=1, max_length=300)
    value: Any = None
    hlc: str = Field(max_length=100)
    base_hlc: str | None = Field(default=None, max_length=100)


class PushRequest(_Wire):
    batch_id: str = Field(min_length=8, max_length=64)
    changes: list[Change] = Field(max_length=MAX_BATCH)


class Rejected(_Wire):
    """A change the server refused. ``code`` is the kind (``invalid``, ``forbidden``,
    ``out_of_scope``); ``reason`` the exact rule (``app.contract.values`` codes such as
    ``not_finite`` or ``bad_region_code``); ``message`` says it in Chinese."""

    index: int
    code: str
    message: str
    reason: str = ""


class ConflictInfo(_Wire):
    """A concurrent edit the server settled: the winner is current, the loser kept here."""

    tbl: str
    row_id: str
    field: str
    winner_value: Any = None
    winner_hlc: str
    loser_value: Any = None
    loser_hlc: str
    # Which side lost: ``pushed`` (this change) or ``stored`` (the value the server had).
    loser: Literal["pushed", "stored"]


class PushResponse(_Wire):
    batch_id: str
    applied: int
    rejected: list[Rejected] = []
    conflicts: list[ConflictInfo] = []
    server_time: int


class PulledRow(_Wire):
    tbl: str
    row_id: str
    seq: int
    # field name -> [value, hlc]
    fields: dict[str, tuple[Any, str]]


class PullResponse(_Wire):
    rows: list[PulledRow]
    next: int
    more: bool
    server_time: int


class QuarantinedRowInfo(_Wire):
    """A pulled row the laptop could not store and kept aside (app/sync/quarantine.py)."""

    tbl: str = Field(max_length=64)
    row_id: str = Field(max_length=100)
    seq: int = Field(ge=0, le=2**63 - 1)
    error: str = Field(default="", max_length=500)


class QuarantineReport(_Wire):
    rows: list[QuarantinedRowInfo] = Field(max_length=MAX_BATCH)


class HistoryEntry(_Wire):
    """One applied change as the server recorded it: who (token), which device (token), when."""

    id: int
    at: float
    username: str
    device_id: str
    tbl: str
    row_id: str
    field: str
    action: str
    old_value: Any = None
    old_hlc: str | None = None
    new_value: Any = None
    new_hlc: str


class HistoryPage(_Wire):
    entries: list[HistoryEntry]
    # Pass as ``before`` for the next (older) page; null when there is none.
    next_before: int | None = None


class AuditEntry(_Wire):
    """An account or administrative act (server audit log)."""

    id: int
    at: float
    actor: str
    device_id: str
    action: str
    target: str
    tbl: str
    row_id: str
    detail: dict[str, Any]


class AuditPage(_Wire):
    entries: list[AuditEntry]
    next_before: int | None = None


MAX_AUDIT_BATCH = 2000  # laptop audit events in one upload (a bulk load audits every row it creates)


class DeviceAuditEvent(_Wire):
    """One laptop audit event with its seal (``app.contract.audit_chain``); ``seq`` is its id on that device.

    Who uploaded it and from which device come from the token, never from here; ``actor`` is the
    user the laptop says acted (several users may share one laptop)."""

    seq: int = Field(ge=1, le=2**63 - 1)
    at: str = Field(max_length=40)
    actor: str = Field(max_length=100)
    action: str = Field(min_length=1, max_length=40)
    tbl: str = Field(default="", max_length=64)
    row_id: str = Field(default="", max_length=100)
    detail: str = Field(default="", max_length=20000)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")


class AuditUpload(_Wire):
    """``POST /sync/audit``: sealed events in ``seq`` order; a repeated event (same device and seq) is ignored."""

    events: list[DeviceAuditEvent] = Field(max_length=MAX_AUDIT_BATCH)


class AuditUploadResponse(_Wire):
    stored: int  # events new to the server
    duplicates: int  # events it already held (a retry)
    chain_ok: bool  # every new event links to the one before it, and no held event was changed
    broken_seqs: list[int] = []  # the events whose seal does not match
    head_seq: int  # the highest seq the server holds for this device


class DeviceAuditEntry(_Wire):
    """A laptop audit event as the server stored it (``GET /audit/device``)."""

    id: int
    device_id: str
    seq: int
    username: str  # the token's user who uploaded it
    received_at: float
    at: str
    actor: str
    action: str
    tbl: str
    row_id: str
    detail: str
    chain_ok: bool


class DeviceAuditPage(_Wire):
    entries: list[DeviceAuditEntry]
    next_before: int | None = None


class ErrorDetail(_Wire):
    code: str
    message: str
    server_time: int | None = None


class ErrorBody(_Wire):
    error: ErrorDetail


class RevokeRequest(_Wire):
    username: str
    device_id: str | None = None


class AttachmentStatus(_Wire):
    sha256: str
    received: int
    complete: bool


class FormInfo(_Wire):
    id: str
    version: int
    definition: dict[str, Any]


class FormsResponse(_Wire):
    forms: list[FormInfo]


class CertificateCheck(_Wire):
    """The answer to a printed certificate's check: ``genuine``, ``unknown`` or ``tampered``."""

    serial: str
    status: Literal["genuine", "unknown", "tampered"]
    message: str
    issued_at: str = ""
    conclusion: str = ""
    accepted_on: str = ""


class HealthResponse(_Wire):
    status: str
    protocol: int
    database: str
    server_time: int
