"""The local database's tables (SQLModel).

Synced tables share ``SyncedRow``'s columns: a UUIDv7 ``id`` made on the device
that creates the row, ISO-8601 UTC ``created_at``/``updated_at`` texts, the
``deleted`` tombstone and the 12-digit ``region_code`` that decides who may
see the row (SYNC.md). Dates are ISO texts so that every value travels as
JSON unchanged. Columns marked *derived* are computed on this device and never
synced.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app.store.row_ids import new_id


class SyncedRow(SQLModel):
    """Columns every synced row has."""

    id: str = Field(default_factory=new_id, primary_key=True)
    region_code: str = Field(default="", index=True)
    created_at: str = ""
    updated_at: str = ""
    deleted: bool = False


class Household(SyncedRow, table=True):
    """户: one family at one address."""

    address: str = ""
    phone: str = ""
    economic_status: str = "general"
    head_name: str = ""
    house_grade: str | None = None
    housing_type: str = ""
    note: str = ""


class Person(SyncedRow, table=True):
    """人: a registered person with a disability (一人一档)."""

    household_id: str = Field(foreign_key="household.id", index=True)
    name: str
    id_number: str = Field(index=True)
    gender: str = ""
    birth_date: str = ""
    cert_number: str = ""
    category: str = ""
    level: str = ""
    status: str = "registered"
    phone: str = ""
    relation: str = ""
    has_living_subsidy: bool = False
    has_care_subsidy: bool = False
    # derived: search keys, recomputed whenever the name changes
    name_pinyin: str = ""
    name_initials: str = Field(default="", index=True)


class Visit(SyncedRow, table=True):
    """入户访视: one visit to a household, about one person."""

    __table_args__ = (Index("ix_visit_person_started", "person_id", "started_at"),)

    household_id: str = Field(foreign_key="household.id", index=True)
    person_id: str | None = Field(default=None, foreign_key="person.id")
    worker: str = ""
    started_at: str = ""
    ended_at: str = ""
    status: str = "draft"
    place: str = ""
    summary: str = ""
    reopen_reason: str = ""


class FormResponse(SyncedRow, table=True):
    """One filled-in form of a visit; ``answers`` merges per question on sync."""

    visit_id: str = Field(foreign_key="visit.id", index=True)
    form_id: str
    form_version: int
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = "draft"
    completed_at: str = ""


class Attachment(SyncedRow, table=True):
    """A file's metadata; ``id`` is its SHA-256 and the bytes live in the file store."""

    media_type: str = ""
    size: int = 0


class AttachmentLink(SyncedRow, table=True):
    """Ties an attachment to the row that uses it, in a role such as ``photo_before``."""

    owner_tbl: str
    owner_id: str = Field(index=True)
    role: str
    sha256: str
    position: int = 0


class RenovationProject(SyncedRow, table=True):
    """改造项目: one renovation for one household."""

    household_id: str = Field(foreign_key="household.id", index=True)
    person_id: str | None = Field(default=None, foreign_key="person.id")
    kind: str
    status: str = "applied"
    title: str = ""
    contractor: str = ""
    budget: float = 0.0
    source_visit_id: str | None = None
    due_date: str = ""
    note: str = ""


class RenovationItem(SyncedRow, table=True):
    """One line of a project's plan: a catalogue item with planned and actual quantities."""

    project_id: str = Field(foreign_key="renovationproject.id", index=True)
    catalog_code: str = ""
    description: str = ""
    unit: str = ""
    unit_price: float = 0.0
    planned_qty: float = 0.0
    actual_qty: float | None = None
    position: int = 0


class ProjectEvent(SyncedRow, table=True):
    """A step of a project's timeline: who moved it to which status, when, and why."""

    project_id: str = Field(foreign_key="renovationproject.id", index=True)
    from_status: str = ""
    to_status: str
    actor: str = ""
    at: str = ""
    note: str = ""


class Acceptance(SyncedRow, table=True):
    """验收: one acceptance round of a project; ``checks`` merges per check on sync."""

    project_id: str = Field(foreign_key="renovationproject.id", index=True)
    round: int = 1
    accepted_on: str = ""
    team: str = ""
    checks: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    conclusion: str = ""
    opinion: str = ""
    satisfaction: str = ""
    rectification_deadline: str = ""
    status: str = "draft"
    certificate_serial: str = ""


class Certificate(SyncedRow, table=True):
    """验收单: a printed acceptance certificate and the code that verifies it."""

    serial: str = Field(index=True, unique=True)
    acceptance_id: str = Field(foreign_key="acceptance.id")
    project_id: str = Field(foreign_key="renovationproject.id")
    verification_code: str = ""
    pdf_sha256: str = ""
    issued_at: str = ""


class NeedItem(SyncedRow, table=True):
    """需求事项: one need found on a visit, followed up until closed (``app.domain.needs``)."""

    household_id: str = Field(foreign_key="household.id", index=True)
    person_id: str | None = Field(default=None, foreign_key="person.id", index=True)
    source_visit_id: str | None = Field(default=None, foreign_key="visit.id")
    need_type: str
    detail: str = ""
    referral_to: str = ""
    status: str = "pending"
    opened_on: str = ""
    due_on: str = ""
    closed_on: str = ""
    closed_kind: str = ""
    closed_ref: str = ""
    close_reason: str = ""


class VisitReview(SyncedRow, table=True):
    """访视审核: a supervisor's 通过/退回 of a completed visit, made on the server's console.

    Read-only on the laptop (no caseworker may write it). The newest per visit is its
    state; ``visit_ended_at`` is the completion it judged, so a visit completed again
    after a return is resubmitted (``app.services.reviews``).
    """

    visit_id: str = Field(foreign_key="visit.id", index=True)
    decision: str = ""
    comment: str = ""
    reviewer: str = ""
    reviewed_at: str = ""
    visit_ended_at: str = ""


# --- local-only tables -------------------------------------------------------


class User(SQLModel, table=True):
    """A local account for offline login; copied from the server at first login."""

    id: str = Field(default_factory=new_id, primary_key=True)
    username: str = Field(index=True, unique=True)
    display_name: str = ""
    role: str = "worker"
    regions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    password_hash: str = ""
    failed_attempts: int = 0
    locked_until: float = 0.0
    active: bool = True


class DirectoryUser(SQLModel, table=True):
    """A colleague's display name from the server's user directory (``GET /users/directory``); local.

    Lets the laptop name users who never logged in on it (``app.services.user_names``). Kept when
    the server stops listing someone, so the visits they made keep their name.
    """

    username: str = Field(primary_key=True)
    display_name: str = ""
    role: str = ""
    active: bool = True


class DirectoryDevice(SQLModel, table=True):
    """Whose a device is, from the server's user directory; local. The device in a clock names who wrote it.

    Kept like ``DirectoryUser``; a device another account logs in on later moves to that account.
    """

    device_id: str = Field(primary_key=True)
    username: str = ""


class HandledAlert(SQLModel, table=True):
    """A need alert (需求预警) marked handled, with the caseworker's note; local to this laptop.

    No synced table fits (a project event needs a project, the audit log is local),
    so the mark stays on the device that made it, with an audit event beside it. The
    latest row of a (person, rule) pair is the one that counts.
    """

    id: str = Field(default_factory=new_id, primary_key=True)
    person_id: str = Field(index=True)
    rule_id: str
    note: str
    handled_by: str
    handled_at: str


class AuditEvent(SQLModel, table=True):
    """Who did what to which row, and when (PIPL: reads of full records and exports too)."""

    seq: int | None = Field(default=None, primary_key=True)
    at: str
    actor: str
    action: str
    tbl: str = ""
    row_id: str = ""
    detail: str = ""


class Change(SQLModel, table=True):
    """One changed field waiting to be pushed (SYNC.md's change log)."""

    __table_args__ = (Index("ix_change_field", "tbl", "row_id", "field"),)

    local_seq: int | None = Field(default=None, primary_key=True)
    tbl: str
    row_id: str
    field: str
    value: Any = Field(default=None, sa_column=Column(JSON))
    hlc: str
    base_hlc: str | None = None
    batch_id: str | None = Field(default=None, index=True)


class FieldClock(SQLModel, table=True):
    """The clock of each field's current value, one row per field (a view over ``RowClock``).

    Since schema v3 ``fieldclock`` is a view: reading it (``select(FieldClock)``,
    ``session.get``) gives one row per field as before, and its INSTEAD OF
    triggers turn inserts and deletes into edits of ``RowClock``. The ORM cannot
    update a view (SQLite reports no changed rows), so code that moves clocks
    uses ``app.store.field_clocks``.
    """

    __mapper_args__ = {"confirm_deleted_rows": False}  # a view: SQLite counts no deleted rows

    tbl: str = Field(primary_key=True)
    row_id: str = Field(primary_key=True)
    field: str = Field(primary_key=True)
    hlc: str


class RowClock(SQLModel, table=True):
    """The field clocks of one row as one JSON object ``{field: hlc}`` (schema v3).

    A first pull brings over a million field clocks; one row per field cost two
    B-tree entries each (table and primary-key index) and most of the pull's
    time. One row per synced row holds the same clocks in a tenth of the writes.
    """

    tbl: str = Field(primary_key=True)
    row_id: str = Field(primary_key=True)
    clocks: str = "{}"


class SyncState(SQLModel, table=True):
    """Key/value settings of sync and of this device (device id, cursor, clock offset…)."""

    key: str = Field(primary_key=True)
    value: str = ""


class Conflict(SQLModel, table=True):
    """A concurrent edit that lost the merge, kept for a person to review."""

    id: str = Field(default_factory=new_id, primary_key=True)
    tbl: str
    row_id: str
    field: str
    winner_value: Any = Field(default=None, sa_column=Column(JSON))
    winner_hlc: str
    loser_value: Any = Field(default=None, sa_column=Column(JSON))
    loser_hlc: str
    detected_at: str = ""
    resolved: bool = False
    resolution: str = ""


class RejectedChange(SQLModel, table=True):
    """A change the server refused; kept until fixed or discarded on purpose."""

    id: str = Field(default_factory=new_id, primary_key=True)
    tbl: str
    row_id: str
    field: str
    value: Any = Field(default=None, sa_column=Column(JSON))
    hlc: str
    base_hlc: str | None = None
    code: str = ""  # the kind: invalid, forbidden, out_of_scope
    reason: str = ""  # the exact rule (app.contract.values / the workflow's codes), for translation
    message: str = ""
    rejected_at: str = ""
