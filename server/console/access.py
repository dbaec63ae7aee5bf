"""Who may open which console page, and which records a signed-in user sees.

Pages go by role; records by the API's own region rule: a console query filters
with ``sync_service.pullable`` (what the user's laptop could pull) and a region
the user picks must lie inside the user's regions by ``app.domain.regions.covers``.
So the console shows nobody a row the API would not give them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ColumnElement, Table
from sqlalchemy.sql.visitors import replacement_traverse
from sqlmodel import Session

from app.domain.enums import Role
from app.domain.regions import InvalidRegionCode, covers, normalise_prefix
from server.models import Record, ServerUser
from server.region_filter import within
from server.sync_service import pullable


class Page(StrEnum):
    """The console's areas; each has the roles that may open it."""

    DASHBOARD = "dashboard"
    PEOPLE = "people"
    REVIEW = "review"
    CONFLICTS = "conflicts"
    HISTORY = "history"
    AUDIT = "audit"
    LEDGERS = "ledgers"
    UPLOADS = "uploads"


_OFFICE = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})
_EVERYONE = frozenset(r.value for r in Role)

ROLES: dict[Page, frozenset[str]] = {
    # Workers and acceptors see their own area's figures, and nothing else.
    Page.DASHBOARD: _EVERYONE,
    # Accounts and devices are the administrator's, as on the API (POST /auth/revoke).
    Page.PEOPLE: frozenset({Role.ADMIN.value}),
    Page.REVIEW: _OFFICE,
    Page.CONFLICTS: _OFFICE,
    # Field history is region-scoped; the account audit log is not, so it is the administrator's
    # (as on the API: GET /history for supervisors, GET /audit for administrators).
    Page.HISTORY: _OFFICE,
    Page.AUDIT: frozenset({Role.ADMIN.value}),
    # Ledgers (台账) are what the federation files upward.
    Page.LEDGERS: _OFFICE,
    # Rosters and form versions: the federation's office (issue 18).
    Page.UPLOADS: _OFFICE,
}


def may_open(user: ServerUser, page: Page) -> bool:
    return user.active and user.role in ROLES[page]


def pages_for(user: ServerUser) -> list[Page]:
    """The pages to offer in the user's menu, in menu order."""
    return [page for page in Page if may_open(user, page)]


def visible(
    session: Session, user: ServerUser, table: Table | None = None, region: str = ""
) -> list[ColumnElement[bool]]:
    """Conditions for the rows ``user`` may see: the pull's own scope rule; with ``region`` (a code
    prefix), only that region's rows.

    A region inside the user's scope narrows the scope to it, so a query carries one range on
    the region code: with two, SQLite judged the range too selective and skip-scanned the
    counting index over a whole county (a county's few projects: 1 → 130 ms). On ``Record``
    as the pull writes them, or on another ``table`` that carries the same ``region_code``
    and ``seq`` columns (the dashboard's facts), the rule's columns swapped.
    """
    if region and covers(user.regions, region):
        conditions = pullable(session, user, 0, [region])
    else:  # outside the scope (``region_for`` refuses it first): both, which meet nowhere
        conditions = pullable(session, user, 0) + ([within(Record.region_code, region)] if region else [])
    if table is None:
        return conditions
    records = Record.__table__  # type: ignore[attr-defined]

    def swap(element: Any) -> Any:
        if isinstance(element, Column) and element.table is records:
            return table.c[element.name]
        return None

    return [replacement_traverse(c, {}, swap) for c in conditions]


class OutOfScope(ValueError):
    """A region the user asked for is not inside the user's regions."""


def region_for(user: ServerUser, asked: str | None) -> str:
    """The region prefix to show: the one asked for if the user covers it, else the user's own.

    Raises ``OutOfScope`` for a malformed code or one outside the user's regions. An empty
    answer means "all of the user's regions" (a user with several).
    """
    if not asked:
        return user.regions[0] if len(user.regions) == 1 else ""
    try:
        prefix = normalise_prefix(asked)
    except InvalidRegionCode as exc:
        raise OutOfScope(str(exc)) from exc
    if not covers(user.regions, prefix):
        raise OutOfScope(prefix)
    return prefix
