"""Household reads: the audited household record (members, visit history, responses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.store import audit
from app.store.models import FormResponse, Household, Person, Visit
from app.store.read import persons, visits
from app.store.read.live import get_live, live_sql
from app.store.read.persons import RecordNotFound


@dataclass
class HouseholdDetail:
    """A household with its members and visit history, for the household page."""

    household: Household
    members: list[Person]
    visits: list[Visit]
    responses: dict[str, list[FormResponse]] = field(default_factory=dict)


def live_ids_sql() -> str:
    """SQL for the ids of every live household."""
    return f"SELECT id FROM household WHERE {live_sql()}"


def read_household_record(session: Any, household_id: str, actor: str) -> HouseholdDetail:
    """A household's full record (members, visits, their responses), for ``actor``; audited and committed.

    Raises ``RecordNotFound`` for a household not here or deleted.
    """
    household = get_live(session, Household, household_id)
    if household is None:
        raise RecordNotFound(f"找不到家庭 {household_id}")
    history = visits.of_household(session, household_id)
    responses: dict[str, list[FormResponse]] = {}
    for r in visits.responses(session, [v.id for v in history]):
        responses.setdefault(r.visit_id, []).append(r)
    detail = HouseholdDetail(household, persons.members(session, household_id), history, responses)
    audit.record(session, actor, "read", "household", household_id)
    session.commit()
    return detail
