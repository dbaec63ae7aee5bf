"""The dashboard's figures, counted in SQL over the generic record store (``server.models.Record``).

A synced row is one ``records`` row whose ``fields`` JSON holds ``{field: [value, hlc]}``;
a field's value is read with SQLAlchemy's JSON path (``JSON_EXTRACT`` on SQLite,
``#>>`` on PostgreSQL), so the same statements run on both. Each figure is a
``Selection`` (a table and its conditions): the count on the dashboard and the list
behind it are made from the same one, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, select
from sqlmodel import Session

from app.domain.enums import PersonStatus, ProjectKind, ProjectStatus, VisitStatus
from app.domain.localtime import CHINA_TIME, local_day_start_utc
from app.domain.regions import UnknownRegion, covers, default_catalog
from server.console.access import in_region, visible
from server.models import AuthToken, Device, Record, ServerUser

_F = Record.__table__.c.fields  # type: ignore[attr-defined]


def text(name: str) -> ColumnElement[Any]:
    """The current value of field ``name`` as text (JSON arrays as their JSON text)."""
    return _F[(name, 0)].as_string()


def flag(name: str) -> ColumnElement[Any]:
    return _F[(name, 0)].as_boolean()


def number(name: str) -> ColumnElement[Any]:
    return _F[(name, 0)].as_float()


@dataclass(frozen=True)
class Period:
    """Calendar days in Beijing time, both ends included; stored stamps are compared in UTC text."""

    start: date
    end: date

    @classmethod
    def this_year(cls, today: date) -> Period:
        return cls(date(today.year, 1, 1), today)

    @property
    def utc_from(self) -> str:
        return local_day_start_utc(self.start, CHINA_TIME)

    @property
    def utc_until(self) -> str:
        return local_day_start_utc(self.end + timedelta(days=1), CHINA_TIME)

    def holds(self, name: str) -> list[ColumnElement[bool]]:
        return [text(name) >= self.utc_from, text(name) < self.utc_until]


@dataclass(frozen=True)
class Selection:
    """The rows behind one figure: a table and conditions on its records."""

    tbl: str
    where: tuple[ColumnElement[bool], ...] = field(default=())

    def conditions(self, db: Session, user: ServerUser, region: str) -> list[ColumnElement[bool]]:
        return [
            Record.tbl == self.tbl,
            Record.deleted == False,  # noqa: E712
            *visible(db, user),
            *in_region(region),
            *self.where,
        ]  # type: ignore[list-item]


# --- the selections -----------------------------------------------------------

REGISTERED = Selection("person", (text("status") == PersonStatus.REGISTERED.value,))

NEEDS: dict[str, tuple[str, ColumnElement[bool]]] = {
    # key: (label, condition on a completed needs-assessment response)
    "rehab": (
        "康复服务",
        and_(text("answers.rehab_needed").is_not(None), text("answers.rehab_needed") != "[]"),
    ),
    "care": ("托养照护", and_(text("answers.care_needed").is_not(None), text("answers.care_needed") != "[]")),
    "employment": (
        "就业帮扶",
        and_(text("answers.employment_help").is_not(None), text("answers.employment_help") != "[]"),
    ),
    "accessibility": ("家庭无障碍改造", flag("answers.accessibility_needed") == True),  # noqa: E712
}


def visits(period: Period) -> Selection:
    return Selection("visit", (text("status") == VisitStatus.COMPLETED.value, *period.holds("started_at")))


def responses(form_id: str, period: Period, *extra: ColumnElement[bool]) -> Selection:
    completed = (text("form_id") == form_id, text("status") == "completed", *period.holds("completed_at"))
    return Selection("formresponse", (*completed, *extra))


def need(key: str, period: Period) -> Selection:
    return responses("needs_assessment", period, NEEDS[key][1])


def device_need(period: Period) -> Selection:
    return responses("assistive_devices", period, flag("answers.has_need") == True)  # noqa: E712


def projects(kind: str = "", status: str = "") -> Selection:
    where = [text("kind") == kind] if kind else []
    where += [text("status") == status] if status else []
    return Selection("renovationproject", tuple(where))


# --- the figures ----------------------------------------------------------------


@dataclass
class Area:
    """One line of the coverage table: a township or village and its counts."""

    code: str
    name: str
    registered: int = 0
    visited: int = 0
    visits: int = 0

    @property
    def coverage(self) -> float:
        return self.visited / self.registered if self.registered else 0.0


def child_length(region: str) -> int:
    """The code length of the areas a region's coverage is broken into."""
    n = len(region)
    return 12 if n >= 9 else 9 if n >= 6 else 6


def _name(code: str) -> str:
    try:
        return default_catalog().name(code)
    except UnknownRegion:
        return code


def coverage(db: Session, user: ServerUser, region: str, period: Period) -> list[Area]:
    """Registered persons and persons visited in the period, per area one level below ``region``."""
    width = child_length(region)
    area = func.substr(Record.region_code, 1, width)
    rows: dict[str, Area] = {}
    registered = select(area, func.count()).where(*REGISTERED.conditions(db, user, region)).group_by(area)
    for code, n in db.execute(registered):
        rows.setdefault(code, Area(code, _name(code))).registered = n
    person = text("person_id")
    visited = (
        select(area, func.count(distinct(person)), func.count())
        .where(*visits(period).conditions(db, user, region))
        .group_by(area)
    )
    for code, persons, n in db.execute(visited):
        line = rows.setdefault(code, Area(code, _name(code)))
        line.visited, line.visits = persons, n
    return sorted(rows.values(), key=lambda a: a.code)


@dataclass
class NeedCount:
    key: str
    label: str
    count: int


def needs(db: Session, user: ServerUser, region: str, period: Period) -> tuple[int, list[NeedCount]]:
    """Completed needs assessments in the period, and how many of them ask for each kind of help."""
    base = responses("needs_assessment", period)
    columns = [func.count()] + [func.sum(case((cond, 1), else_=0)) for _, cond in NEEDS.values()]
    row = db.execute(select(*columns).where(*base.conditions(db, user, region))).one()
    counts = [
        NeedCount(key, label, int(n or 0))
        for (key, (label, _)), n in zip(NEEDS.items(), row[1:], strict=True)
    ]
    return int(row[0]), counts


def device_needs(db: Session, user: ServerUser, region: str, period: Period) -> int:
    """Assistive-device surveys in the period that record a need."""
    return int(
        db.execute(select(func.count()).where(*device_need(period).conditions(db, user, region))).scalar_one()
    )


@dataclass
class ProjectCount:
    kind: str
    status: str
    count: int
    budget: float


def project_counts(db: Session, user: ServerUser, region: str) -> list[ProjectCount]:
    """Renovation projects as they stand, by kind and status, with their budgets."""
    kind, status = text("kind"), text("status")
    query = (
        select(kind, status, func.count(), func.coalesce(func.sum(number("budget")), 0.0))
        .where(*projects().conditions(db, user, region))
        .group_by(kind, status)
    )
    order = {k.value: i for i, k in enumerate(ProjectKind)} | {
        s.value: i for i, s in enumerate(ProjectStatus)
    }
    found = [ProjectCount(k or "", s or "", int(n), float(b or 0)) for k, s, n, b in db.execute(query)]
    return sorted(found, key=lambda p: (order.get(p.kind, 99), order.get(p.status, 99)))


@dataclass
class DeviceCount:
    registered: int
    synced: int
    revoked: int


def laptops(db: Session, user: ServerUser, region: str, period: Period) -> DeviceCount:
    """Laptops of the accounts working inside ``region``: all, seen in the period, and revoked.

    Accounts and devices are few (hundreds), so they are counted here rather than in SQL.
    A device is revoked when it has logins and none of them is still live.
    """
    scope = [region] if region else user.regions
    ids = {
        u.id for u in db.scalars(select(ServerUser)) if u.regions and all(covers(scope, r) for r in u.regions)
    }  # type: ignore[call-overload]
    found = [d for d in db.scalars(select(Device)) if d.user_id in ids]  # type: ignore[call-overload]
    live: dict[str, bool] = {}
    for device_id, revoked_at in db.execute(select(AuthToken.device_id, AuthToken.revoked_at)):
        live[device_id] = live.get(device_id, False) or revoked_at is None
    start, end = _epoch(period.utc_from), _epoch(period.utc_until)
    return DeviceCount(
        registered=len(found),
        synced=sum(1 for d in found if start <= d.last_seen < end),
        revoked=sum(1 for d in found if d.id in live and not live[d.id]),
    )


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
