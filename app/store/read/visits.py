"""Visit reads: a household's history, a worker's drafts, a visit's responses, and the latest visit.

"A person's latest visit" is written here once (``latest_visit_sql``): the
registry list, the to-do list and the ledgers show the latest *completed* one
(a draft is not yet a visit made). What earlier visits found (``latest_answers``,
which needs, alerts and form suggestions read) comes from completed responses
only, so a half-filled draft never erases a need a completed visit recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from app.store import audit
from app.store.models import FormResponse, Visit
from app.store.read.live import get_live, live, live_rows, live_sql

COMPLETED = "completed"


def _visit_of(key: str, alias: str, completed_only: bool) -> str:
    status = f" AND v.status = '{COMPLETED}'" if completed_only else ""
    return f"FROM visit v WHERE v.{key} = {alias}.id AND {live_sql('v')}{status}"


def latest_visit_sql(key: str = "person_id", alias: str = "p", *, completed_only: bool = True) -> str:
    """SQL (a scalar subquery) for the start time of the latest live visit of row ``alias``.

    ``key`` is the visit column pointing at that row (``person_id`` or ``household_id``);
    ``NULL`` when there is none.
    """
    return f"(SELECT max(v.started_at) {_visit_of(key, alias, completed_only)})"


def not_visited_since_sql(param: str, alias: str = "p", *, completed_only: bool = True) -> str:
    """SQL: the person ``alias`` has no live visit started at or after the bound ``:param``."""
    return (
        f"NOT EXISTS (SELECT 1 {_visit_of('person_id', alias, completed_only)} AND v.started_at >= :{param})"
    )


def get_visit(session: Any, visit_id: str) -> Visit | None:
    return get_live(session, Visit, visit_id)


def read_visit_record(session: Any, visit_id: str, actor: str) -> Visit | None:
    """A visit opened by ``actor`` (its window shows the person and every answer); the opening is audited
    and committed. ``None`` for a visit not here, deleted or outside the reader's regions."""
    visit = get_live(session, Visit, visit_id)
    if visit is not None:
        audit.record(session, actor, "read", "visit", visit_id)
        session.commit()
    return visit


def get_response(session: Any, response_id: str) -> FormResponse | None:
    return get_live(session, FormResponse, response_id)


def of_household(session: Any, household_id: str) -> list[Visit]:
    """A household's live visits, newest first."""
    return live_rows(session, Visit, Visit.household_id == household_id, order_by=(Visit.started_at.desc(),))  # type: ignore[attr-defined]


def drafts_of(session: Any, worker: str) -> list[Visit]:
    """A worker's live draft visits, newest first."""
    where = (Visit.worker == worker, Visit.status == "draft")
    return live_rows(session, Visit, *where, order_by=(Visit.started_at.desc(),))  # type: ignore[attr-defined]


def open_drafts_of_person(session: Any, person_id: str) -> list[Visit]:
    """A person's live draft visits (any worker's), newest first: at most one per form is offered."""
    where = (Visit.person_id == person_id, Visit.status == "draft")
    return live_rows(session, Visit, *where, order_by=(Visit.started_at.desc(),))  # type: ignore[attr-defined]


def count_drafts(conn: Any, worker: str) -> int:
    """How many live drafts the worker has (a cheap count)."""
    sql = f"SELECT count(*) FROM visit WHERE worker = :w AND status = 'draft' AND {live_sql()}"
    return int(conn.execute(text(sql), {"w": worker}).scalar_one())


def responses(session: Any, visit_ids: Iterable[str]) -> list[FormResponse]:
    """The live responses of these visits, in creation order (UUIDv7 ids)."""
    ids = list(visit_ids)
    if not ids:
        return []
    return live_rows(session, FormResponse, FormResponse.visit_id.in_(ids), order_by=(FormResponse.id,))  # type: ignore[attr-defined]


def latest_response(session: Any, visit_id: str, form_id: str) -> FormResponse | None:
    """The visit's live response of one form (the highest form version if there are several)."""
    found = live_rows(
        session,
        FormResponse,
        FormResponse.visit_id == visit_id,
        FormResponse.form_id == form_id,
        order_by=(FormResponse.form_version.desc(),),  # type: ignore[attr-defined]
    )
    return found[0] if found else None


def latest_answers(session: Any, person_id: str) -> dict[str, dict[str, Any]]:
    """Form id -> answers of the person's latest live *completed* response of each form."""
    rows = session.exec(
        select(FormResponse.form_id, FormResponse.answers)
        .join(Visit, Visit.id == FormResponse.visit_id)  # type: ignore[arg-type]
        .where(
            Visit.person_id == person_id,
            live(Visit),
            live(FormResponse),
            FormResponse.status == COMPLETED,
        )
        .order_by(Visit.started_at)  # type: ignore[arg-type]
    ).all()
    return {form_id: dict(answers or {}) for form_id, answers in rows}


def latest_answers_sql(marks: str) -> str:
    """SQL for ``(person_id, form_id, answers)`` of live completed responses of persons ``IN ({marks})``,
    oldest first (the last row of a form is the latest, as in ``latest_answers``)."""
    return (
        "SELECT v.person_id, r.form_id, r.answers FROM formresponse r JOIN visit v ON v.id = r.visit_id"
        f" WHERE {live_sql('v')} AND {live_sql('r')} AND r.status = '{COMPLETED}'"
        f" AND v.person_id IN ({marks}) ORDER BY v.started_at"
    )


def form_filled_since(session: Any, household_id: str, form_id: str, since: str) -> bool:
    """Whether a live completed response of ``form_id`` exists for a household visit started at or after
    ``since``."""
    found = session.exec(
        select(FormResponse.id)
        .join(Visit, Visit.id == FormResponse.visit_id)  # type: ignore[arg-type]
        .where(
            Visit.household_id == household_id,
            Visit.started_at >= since,
            FormResponse.form_id == form_id,
            FormResponse.status == COMPLETED,
            live(Visit),
            live(FormResponse),
        )
    ).first()
    return found is not None


def completed_forms_sql() -> str:
    """SQL for ``(visit_id, form_id, form_version)`` of every live completed response."""
    return (
        "SELECT visit_id, form_id, form_version FROM formresponse"
        f" WHERE {live_sql()} AND status = '{COMPLETED}' ORDER BY visit_id, form_id"
    )
