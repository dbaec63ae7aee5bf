"""The console's own server-side tables: browser sessions, account flags, dashboard facts, alerts, device lines.

Visit reviews are synced records (``visitreview``, see ``server.console.reviews``); the
server-only table they were kept in before is moved into ``records`` by Alembic revision
0007.

They are created with ``create_all`` when the console is installed (idempotent on
SQLite and PostgreSQL) instead of an Alembic revision, so the console adds no
migration head beside the API's; none of them is synced to laptops.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Engine, Index, text
from sqlmodel import Field, SQLModel


class ConsoleSession(SQLModel, table=True):
    """A signed-in browser: only the SHA-256 of the cookie is stored, with the session's CSRF token."""

    __tablename__ = "console_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(index=True)
    csrf: str = Field(max_length=64)
    created_at: float = 0.0
    expires_at: float = 0.0
    ended_at: float | None = None


class AccountFlag(SQLModel, table=True):
    """An account whose password was reset: the one-time password must be changed at the next sign-in."""

    __tablename__ = "console_account_flags"

    user_id: int = Field(primary_key=True)
    must_change: bool = True
    set_at: float = 0.0


class RecordFact(SQLModel, table=True):
    """The few values of one synced record that the dashboard counts by, in plain columns.

    Derived from ``records.fields`` by ``server.console.facts`` and kept up to date by the
    pull's ``seq`` cursor: reading a value out of the JSON of every row on every view cost
    12.9 s for a county of 50,000 persons on SQLite (bench console).
    """

    __tablename__ = "console_record_facts"
    # Covering indexes: each count reads one index range and never the table (SQLite and
    # PostgreSQL both answer from the index alone).
    __table_args__ = (
        Index(
            "ix_console_facts_counts",
            *(
                "tbl",
                "status",
                "region_code",
                "at",
                "deleted",
                "seq",
                "row_id",
                "person_id",
                "kind",
                "budget",
            ),
        ),
        Index(
            "ix_console_facts_forms",
            *("tbl", "form_id", "status", "region_code", "at", "deleted", "seq"),
            *("rehab", "care", "employment", "accessibility", "device_need"),
        ),
        Index("ix_console_facts_visits", "person_id", "tbl", "status", "at", "deleted"),
    )

    record_id: int = Field(primary_key=True)  # records.id
    tbl: str = Field(max_length=64)
    row_id: str = Field(max_length=100)
    region_code: str = Field(default="", max_length=20)
    seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    deleted: bool = False
    status: str = ""
    # A visit's and a need item's person; a person's and a project's household; a form response's visit.
    person_id: str = ""
    # A visit's start, a form response's completion (stored UTC text); a need item's due date;
    # a person's latest completed visit's start (``server.console.last_visits``).
    at: str = ""
    form_id: str = ""
    kind: str = ""  # a project's kind; a need item's type; a person's level; a household's economic status
    budget: float = 0.0
    # What a completed form response asks for (needs assessment; assistive-device survey).
    rehab: bool = False
    care: bool = False
    employment: bool = False
    accessibility: bool = False
    device_need: bool = False


class ConsoleAlert(SQLModel, table=True):
    """One need alert (``resources/alerts.json``) that fires for one registered person.

    Computed by ``server.console.alerts`` with the laptop's rules over the synced records and
    kept up to date with the facts; ``day`` is the China calendar day it was computed for
    (the rules read today's date). ``region_code`` and ``seq`` are the person's facts', written
    in the same transaction, so the pull's scope rule (``access.visible``) and a region range
    count these rows straight from one index, and a count equals the persons its list shows.
    """

    __tablename__ = "console_person_alerts"
    __table_args__ = (
        # By rule first: the card's count per rule reads each rule's region range in order, where
        # an index by region first sorted a county's 216,000 rows by rule (310 → 90 ms, SQLite).
        # It also serves a rule's list of persons.
        Index("ix_console_alerts_by_rule", "rule_id", "region_code", "seq", "person_id"),
    )

    person_id: str = Field(primary_key=True, max_length=100)  # the person's row id
    rule_id: str = Field(primary_key=True, max_length=64)
    region_code: str = Field(default="", max_length=20)
    seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    day: str = Field(default="", max_length=10)


class ConsoleDeviceLine(SQLModel, table=True):
    """A completed device-needs form and the devices it lists, as the procurement list counts them.

    Worked out by ``server.console.device_lines`` with ``app.contract.ledger.devices.device_lines``
    over the form alone, in the facts' transaction whenever the form or its visit is read again:
    adding up every form of a county on each view cost 0.9 s CPU for 50,000 persons (bench
    console). Each form has a head row (``code`` empty, nothing counted: it may still be a
    person's latest form and supersede an older one) and one row per device code it lists.
    ``region_code`` and ``seq`` are the form's facts', for the pull's scope rule (``access.visible``).
    """

    __tablename__ = "console_device_lines"
    __table_args__ = (
        # The heads of a region's forms in a period, ranked per person, from the index alone.
        Index(
            "ix_console_device_heads",
            *("code", "region_code", "completed", "seq", "who", "started", "record_id"),
        ),
    )

    record_id: int = Field(primary_key=True)  # records.id of the form response
    code: str = Field(primary_key=True, max_length=40)  # the device's catalogue code; "" for the head
    who: str = Field(default="", max_length=100)  # the visit's person (else the visit id): whose latest
    region_code: str = Field(default="", max_length=20)
    seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    started: str = ""  # the visit's start, then ``completed``: which form of a person is the latest
    completed: str = ""  # the form's completion (stored UTC text): the period it falls in
    quantity: int = 0
    delivered: int = 0  # of ``quantity``: marked delivered with a delivery date


class ConsoleState(SQLModel, table=True):
    """Small named values the console keeps, such as how far the facts have read (``facts_seq``)."""

    __tablename__ = "console_state"

    key: str = Field(primary_key=True, max_length=40)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


CONSOLE_TABLES = [ConsoleSession, AccountFlag, RecordFact, ConsoleAlert, ConsoleDeviceLine, ConsoleState]
# Indexes an earlier version made that none of these tables declares any more.
DROPPED_INDEXES = ("ix_console_alerts_counts", "ix_console_alerts_rule")


# pg_advisory_xact_lock key for the console's create_all ("HVCONSOL" as a 63-bit number).
CREATE_LOCK_KEY = 0x4856434F4E534F4C


def renew_statistics(engine: Engine, *models: type[SQLModel]) -> None:
    """Fresh planner statistics after a bulk write of these console tables.

    On PostgreSQL also a VACUUM, which marks the new pages all-visible: until then (or until
    autovacuum came by) each count of an index-only scan read every row from the table too,
    and a county of 10,000 persons' figures took 468 instead of 295 ms. VACUUM runs outside
    a transaction, so on a connection of its own.
    """
    names = ", ".join(m.__tablename__ for m in models)  # type: ignore[attr-defined]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"VACUUM (ANALYZE) {names}"))
        else:  # SQLite's ANALYZE takes one table at a time
            for model in models:
                conn.execute(text(f"ANALYZE {model.__tablename__}"))  # type: ignore[attr-defined]


def create_tables(engine: Engine) -> None:
    """Make the console's tables if they are missing (safe at every start).

    Every uvicorn worker runs this when it starts. On PostgreSQL two workers starting
    together on a fresh database would both see a table missing and both create it
    (``UniqueViolation`` on ``pg_type_typname_nsp_index``), so the check-and-create runs
    under a transaction-scoped advisory lock on one connection: the second worker waits,
    then finds the tables there. SQLite serialises writers itself.
    """
    tables = [t.__table__ for t in CONSOLE_TABLES]  # type: ignore[attr-defined]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CREATE_LOCK_KEY})
        SQLModel.metadata.create_all(conn, tables=tables)
        # create_all makes a missing table's indexes only; an older server's tables get the new ones here.
        for table in tables:
            for index in table.indexes:
                index.create(conn, checkfirst=True)
        for name in DROPPED_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
