"""Person reads: who is registered (在册), lookups by ID number, and the audited full record."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import select

from app.domain.enums import PersonStatus
from app.store import audit
from app.store.models import Person
from app.store.read.live import get_live, live_rows, live_sql


class RecordNotFound(LookupError):
    """A row that is not here, or was deleted."""


def registered_sql(alias: str = "p") -> str:
    """SQL: the person row ``alias`` is on the register — not deleted, not moved out or deceased."""
    return f"{live_sql(alias)} AND {alias}.status = '{PersonStatus.REGISTERED.value}'"


def count_registered(conn: Any) -> int:
    """How many persons are on the register (``conn``: Connection or Session)."""
    return int(conn.execute(text(f"SELECT count(*) FROM person p WHERE {registered_sql('p')}")).scalar_one())


def by_id_number(session: Any, id_number: str) -> Person | None:
    """The first live person with this ID number (there may be two until a duplicate is merged)."""
    found = live_rows(session, Person, Person.id_number == id_number)
    return found[0] if found else None


def members(session: Any, household_id: str) -> list[Person]:
    """The live persons of a household, in the order they were registered."""
    return live_rows(session, Person, Person.household_id == household_id, order_by=(Person.created_at,))


def names(session: Any, person_ids: set[str]) -> dict[str, str]:
    """Names by id, tombstones included (a visit keeps showing whom it was about)."""
    if not person_ids:
        return {}
    return dict(session.exec(select(Person.id, Person.name).where(Person.id.in_(person_ids))).all())  # type: ignore[attr-defined]


def duplicate_id_numbers(conn: Any) -> list[tuple[str, str]]:
    """``(id_number, person_id)`` of live persons sharing an ID number, oldest registration first."""
    sql = f"""
        SELECT id_number, id FROM person
        WHERE {live_sql()} AND id_number != '' AND id_number IN (
            SELECT id_number FROM person WHERE {live_sql()} GROUP BY id_number HAVING count(*) > 1
        )
        ORDER BY id_number, created_at, id
    """
    return [(number, person_id) for number, person_id in conn.execute(text(sql))]


def read_person_record(session: Any, person_id: str, actor: str) -> Person:
    """A person's full record, for ``actor``; the read is audited (PIPL) and committed.

    ``session`` is a session of its own (the audit event is committed with it).
    Raises ``RecordNotFound`` for a person not here or deleted.
    """
    person = get_live(session, Person, person_id)
    if person is None:
        raise RecordNotFound(f"找不到人员 {person_id}")
    audit.record(session, actor, "read", "person", person_id)
    session.commit()
    return person


def reveal_id_number(session: Any, person_id: str, actor: str) -> str:
    """A person's unmasked ID number for ``actor``; the unmasking is audited (PIPL) and committed.

    Raises ``RecordNotFound`` for a person not here, deleted or outside the reader's regions.
    """
    person = get_live(session, Person, person_id)
    if person is None:
        raise RecordNotFound(f"找不到人员 {person_id}")
    audit.record(session, actor, "unmask", "person", person_id, "id_number")
    session.commit()
    return person.id_number
