"""Renovation project reads: a project, its plan, timeline, acceptance rounds and certificates."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from app.store.models import (
    Acceptance,
    Certificate,
    ProjectEvent,
    RenovationItem,
    RenovationProject,
)
from app.store.read.live import get_live, live, live_rows

COMPLETED = "completed"


def get_project(session: Any, project_id: str) -> RenovationProject | None:
    return get_live(session, RenovationProject, project_id)


def kinds_of_household(session: Any, household_id: str) -> list[tuple[str, str | None]]:
    """``(kind, person_id)`` of a household's live projects."""
    query = select(RenovationProject.kind, RenovationProject.person_id).where(
        RenovationProject.household_id == household_id, live(RenovationProject)
    )
    return list(session.exec(query).all())


def items(session: Any, project_id: str) -> list[RenovationItem]:
    """A project's live plan lines, in plan order."""
    where = RenovationItem.project_id == project_id
    return live_rows(session, RenovationItem, where, order_by=(RenovationItem.position,))


def all_items(session: Any) -> list[RenovationItem]:
    """Every live plan line of every project (the ledgers)."""
    return live_rows(session, RenovationItem)


def events(session: Any, project_id: str) -> list[ProjectEvent]:
    """A project's live timeline, oldest step first."""
    where = ProjectEvent.project_id == project_id
    return live_rows(session, ProjectEvent, where, order_by=(ProjectEvent.at, ProjectEvent.id))


def acceptances(session: Any, project_id: str) -> list[Acceptance]:
    """A project's live acceptance rounds, first round first."""
    where = Acceptance.project_id == project_id
    return live_rows(session, Acceptance, where, order_by=(Acceptance.round,))


def get_acceptance(session: Any, acceptance_id: str) -> Acceptance | None:
    return get_live(session, Acceptance, acceptance_id)


def latest_finished_acceptances(session: Any) -> dict[str, Acceptance]:
    """Project id -> its latest completed acceptance round (an earlier one may have failed)."""
    latest: dict[str, Acceptance] = {}
    for acc in live_rows(session, Acceptance, Acceptance.status == COMPLETED):
        if acc.project_id not in latest or acc.round > latest[acc.project_id].round:
            latest[acc.project_id] = acc
    return latest


def certificate_by_serial(session: Any, serial: str) -> Certificate | None:
    found = live_rows(session, Certificate, Certificate.serial == serial)
    return found[0] if found else None


def certificate_of_acceptance(session: Any, acceptance_id: str) -> Certificate | None:
    found = live_rows(session, Certificate, Certificate.acceptance_id == acceptance_id)
    return found[0] if found else None


def certificates_of_project(session: Any, project_id: str) -> list[Certificate]:
    """A project's live certificates, in the order they were issued."""
    where = Certificate.project_id == project_id
    return live_rows(session, Certificate, where, order_by=(Certificate.issued_at,))
