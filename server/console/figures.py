"""The dashboard's figures, counted in SQL over the records' facts (``server.console.facts``).

Each figure is a ``Selection``, a table and conditions on ``RecordFact``: the count
on the dashboard and the list behind it are made from the same one, so the two
cannot disagree. The statements are plain SQL on plain columns and run the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, exists, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.domain.enums import (
    DisabilityLevel,
    EconomicStatus,
    PersonStatus,
    ProjectKind,
    ProjectStatus,
    VisitStatus,
)
from app.domain.localtime import CHINA_TIME, local_day_start_utc
from app.domain.needs import OPEN_STATUSES, NeedStatus, NeedType
from app.domain.regions import UnknownRegion, covers, default_catalog
from server.console import device_lines
from server.console.access import visible
from server.console.tables import ConsoleAlert, ConsoleDeviceLine, RecordFact
from server.core.config import RESOURCES_DIR
from server.models import Device, ServerUser

F = RecordFact
_FACTS = RecordFact.__table__  # type: ignore[attr-defined]
_ALERTS = ConsoleAlert.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Period:
    """Calendar days in Beijing time, both ends included; stored stamps are compared in UTC text."""

    start: date
    end: date

    @classmethod
    def this_year(cls) -> Period:
        today = datetime.now(CHINA_TIME).date()
        return cls(date(today.year, 1, 1), today)

    @property
    def utc_from(self) -> str:
        return local_day_start_utc(self.start, CHINA_TIME)

    @property
    def utc_until(self) -> str:
        return local_day_start_utc(self.end + timedelta(days=1), CHINA_TIME)

    def holds(self, column: Any) -> list[ColumnElement[bool]]:
        return [column >= self.utc_from, column < self.utc_until]


@dataclass(frozen=True)
class Selection:
    """The rows behind one figure: a table and conditions on its facts."""

    tbl: str
    where: tuple[ColumnElement[bool], ...] = field(default=())

    def conditions(self, db: Session, user: ServerUser, region: str) -> list[ColumnElement[bool]]:
        return [
            F.tbl == self.tbl,
            F.deleted == False,  # noqa: E712
            *visible(db, user, _FACTS, region),
            *self.where,
        ]  # type: ignore[list-item]


# --- the selections -----------------------------------------------------------

_REGISTERED = F.status == PersonStatus.REGISTERED.value
REGISTERED = Selection("person", (_REGISTERED,))  # type: ignore[arg-type]
NEEDS: dict[str, tuple[str, Any]] = {
    "rehab": ("康复服务", F.rehab),
    "care": ("托养照护", F.care),
    "employment": ("就业帮扶", F.employment),
    "accessibility": ("家庭无障碍改造", F.accessibility),
}


def _completed(period: Period, visit: Any = F) -> list[ColumnElement[bool]]:
    return [visit.status == VisitStatus.COMPLETED.value, *period.holds(visit.at)]


def visits(period: Period) -> Selection:
    """Completed visits that began in the period."""
    return Selection("visit", tuple(_completed(period)))


def visited(period: Period) -> Selection:
    """Registered persons with at least one completed visit in the period.

    A person's ``at`` is their latest completed visit (``server.console.last_visits``): inside
    the period, visited; before it or none, not; after it (a past period), their visits are
    looked up, for those few persons only.
    """
    visit = aliased(RecordFact)
    seen = exists().where(
        visit.person_id == F.row_id,
        visit.tbl == "visit",
        visit.deleted == False,  # noqa: E712
        *_completed(period, visit),
    )
    latest_in = and_(*period.holds(F.at))
    return Selection("person", (_REGISTERED, or_(latest_in, and_(F.at >= period.utc_until, seen))))  # type: ignore[arg-type]


def responses(form_id: str, period: Period, *extra: Any) -> Selection:
    return Selection(
        "formresponse", (F.form_id == form_id, F.status == "completed", *period.holds(F.at), *extra)
    )


def need(key: str, period: Period) -> Selection:
    return responses("needs_assessment", period, NEEDS[key][1] == True)  # noqa: E712


def device_need(period: Period) -> Selection:
    return responses("assistive_devices", period, F.device_need == True)  # noqa: E712


def _any_status(statuses: Any) -> ColumnElement[bool]:
    """Every status, named: with no condition on ``status`` (the counting index's second column)
    SQLite skip-scanned that index over the whole county for the region range, 150-200 ms for
    50,000 persons where a county's few projects take 1 ms. "" is a record saved without one."""
    return F.status.in_(["", *(s.value for s in statuses)])  # type: ignore[attr-defined]


def projects(kind: str = "", status: str = "") -> Selection:
    where = [F.kind == kind] if kind else []
    where += [F.status == status] if status else [_any_status(ProjectStatus)]
    return Selection("renovationproject", tuple(where))  # type: ignore[arg-type]


def need_items(kind: str = "", status: str = "", overdue_on: date | None = None) -> Selection:
    """Need items as they stand, of a type and/or status; ``overdue_on``: open and due before that day."""
    where: list[Any] = [F.kind == kind] if kind else []
    where += [F.status == status] if status else [_any_status(NeedStatus)]
    if overdue_on is not None:
        where += [F.status.in_([s.value for s in OPEN_STATUSES]), F.at != "", F.at < overdue_on.isoformat()]  # type: ignore[attr-defined]
    return Selection("needitem", tuple(where))


SEVERE_LEVELS = (DisabilityLevel.LEVEL_1.value, DisabilityLevel.LEVEL_2.value)
POOR = (EconomicStatus.DIBAO.value, EconomicStatus.DIBIAN.value, EconomicStatus.TEKUN.value)


def priority_unvisited(today: date, months: int) -> Selection:
    """Registered persons of level 1/2 or of a dibao/dibian/tekun household with no completed visit
    begun in the last ``months`` × 30 days (the alert rule ``priority_not_visited``'s persons and
    months, counted over visits instead of the needs form's collection date)."""
    household = aliased(RecordFact)
    # Not correlated: the poor households are read once (a correlated EXISTS on the household's
    # row id, which no index leads with, took 16 s for 5,500 persons on SQLite).
    poor = F.person_id.in_(  # type: ignore[attr-defined]
        select(household.row_id).where(
            household.tbl == "household",
            household.deleted == False,  # noqa: E712
            household.kind.in_(POOR),  # type: ignore[attr-defined]
        )
    )
    since = local_day_start_utc(today - timedelta(days=30 * months), CHINA_TIME)
    # The latest completed visit (a person's ``at``, "" for none) began before ``since``.
    unseen = F.at < since
    return Selection("person", (_REGISTERED, or_(F.kind.in_(SEVERE_LEVELS), poor), unseen))  # type: ignore[arg-type,attr-defined]


@lru_cache(maxsize=1)
def alert_parameters() -> dict[str, Any]:
    """The numbers a federation tunes in ``resources/alerts.json`` (such as ``visit_months_priority``)."""
    data = json.loads((RESOURCES_DIR / "alerts.json").read_text("utf-8"))
    return dict(data.get("parameters") or {})


def priority_months() -> int:
    months = alert_parameters().get("visit_months_priority", 6)
    return int(months) if isinstance(months, int | float) and not isinstance(months, bool) else 6


def alert_persons(rule_id: str = "") -> Selection:
    """Registered persons for whom the need alert ``rule_id`` fires (any alert when empty)."""
    fired = select(ConsoleAlert.person_id)
    if rule_id:
        fired = fired.where(ConsoleAlert.rule_id == rule_id)
    return Selection("person", (_REGISTERED, F.row_id.in_(fired)))  # type: ignore[arg-type,attr-defined]


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


def by_area(db: Session, user: ServerUser, region: str, selection: Selection) -> dict[str, int]:
    """The rows of ``selection`` per area one level down (``child_length``)."""
    area = func.substr(F.region_code, 1, child_length(region))
    query = select(area, func.count()).where(*selection.conditions(db, user, region)).group_by(area)
    return {code: int(n) for code, n in db.execute(query)}


def areas(registered: dict[str, int], visited: dict[str, int], visits: dict[str, int]) -> list[Area]:
    """The coverage table from its three counts per area (``by_area``)."""
    rows: dict[str, Area] = {}
    for name, counts in (("registered", registered), ("visited", visited), ("visits", visits)):
        for code, n in counts.items():
            setattr(rows.setdefault(code, Area(code, _name(code))), name, n)
    return sorted(rows.values(), key=lambda a: a.code)


@dataclass
class NeedCount:
    key: str
    label: str
    count: int


def needs(db: Session, user: ServerUser, region: str, period: Period) -> tuple[int, list[NeedCount]]:
    """Completed needs assessments in the period, and how many of them ask for each kind of help."""
    base = responses("needs_assessment", period)
    columns = [func.count()] + [func.count().filter(column == True) for _, column in NEEDS.values()]  # noqa: E712
    row = db.execute(select(*columns).where(*base.conditions(db, user, region))).one()
    counts = [
        NeedCount(key, label, int(n or 0))
        for (key, (label, _)), n in zip(NEEDS.items(), row[1:], strict=True)
    ]
    return int(row[0]), counts


def count(db: Session, user: ServerUser, region: str, selection: Selection) -> int:
    return int(db.execute(select(func.count()).where(*selection.conditions(db, user, region))).scalar_one())


def _alert_rows(db: Session, user: ServerUser, region: str) -> list[ColumnElement[bool]]:
    """The stored alerts of the persons ``REGISTERED`` shows ``user`` in ``region`` (their facts'
    region and seq are copied into each alert row with it, see ``ConsoleAlert``)."""
    return visible(db, user, _ALERTS, region)


def alert_counts(db: Session, user: ServerUser, region: str) -> dict[str, int]:
    """Rule id -> registered persons it fires for: the rows of ``alert_persons(rule_id)``."""
    query = (
        select(ConsoleAlert.rule_id, func.count())
        .where(*_alert_rows(db, user, region))
        .group_by(ConsoleAlert.rule_id)
    )
    return {rule: int(n) for rule, n in db.execute(query)}


@dataclass
class ProjectCount:
    kind: str
    status: str
    count: int
    budget: float


def project_counts(db: Session, user: ServerUser, region: str) -> list[ProjectCount]:
    """Renovation projects as they stand, by kind and status, with their budgets."""
    query = (
        select(F.kind, F.status, func.count(), func.coalesce(func.sum(F.budget), 0.0))
        .where(*projects().conditions(db, user, region))
        .group_by(F.kind, F.status)
    )
    order = {k.value: i for i, k in enumerate(ProjectKind)} | {
        s.value: i for i, s in enumerate(ProjectStatus)
    }
    found = [ProjectCount(k or "", s or "", int(n), float(b or 0)) for k, s, n, b in db.execute(query)]
    return sorted(found, key=lambda p: (order.get(p.kind, 99), order.get(p.status, 99)))


@dataclass
class NeedItemLine:
    """One need type's items by follow-up status, and how many open ones are overdue."""

    kind: str
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def need_item_counts(db: Session, user: ServerUser, region: str, today: date) -> list[NeedItemLine]:
    """Need items as they stand, per type (taxonomy order) and status; overdue as of ``today`` (China)."""
    late = func.count().filter(F.at != "", F.at < today.isoformat())
    query = (
        select(F.kind, F.status, func.count(), late)
        .where(*need_items().conditions(db, user, region))
        .group_by(F.kind, F.status)
    )
    lines: dict[str, NeedItemLine] = {}
    for kind, status, n, overdue in db.execute(query):
        line = lines.setdefault(kind or "", NeedItemLine(kind or ""))
        line.by_status[status or ""] = int(n)
        if status in OPEN_STATUSES:
            line.overdue += int(overdue or 0)
    order = {t.value: i for i, t in enumerate(NeedType)}
    return sorted(lines.values(), key=lambda line: (order.get(line.kind, 99), line.kind))


NEED_STATUSES = tuple(s.value for s in NeedStatus)


@dataclass
class DeviceCount:
    registered: int
    synced: int
    revoked: int


def laptops(db: Session, user: ServerUser, region: str, period: Period) -> DeviceCount:
    """Laptops of the accounts working inside ``region``: all, seen in the period, and revoked.

    Accounts and devices are few (hundreds), so they are counted here rather than in SQL.
    """
    scope = [region] if region else user.regions
    ids = {
        u.id for u in db.scalars(select(ServerUser)) if u.regions and all(covers(scope, r) for r in u.regions)
    }
    found = [d for d in db.scalars(select(Device)) if d.user_id in ids]
    start, end = _epoch(period.utc_from), _epoch(period.utc_until)
    return DeviceCount(
        registered=len(found),
        synced=sum(1 for d in found if start <= d.last_seen < end),
        revoked=sum(1 for d in found if d.revoked_at is not None),
    )


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


# --- assistive devices needed and delivered ------------------------------------------


@dataclass
class DeviceSupply:
    """One device class: persons needing, devices needed and delivered (the procurement list's rule)."""

    code: str
    name: str
    name_en: str
    persons: int = 0
    needed: int = 0
    delivered: int = 0

    @property
    def rate(self) -> float:
        return self.delivered / self.needed if self.needed else 0.0


_LINES = ConsoleDeviceLine.__table__  # type: ignore[attr-defined]
D = ConsoleDeviceLine


def _latest_device_lines(db: Session, user: ServerUser, region: str, period: Period) -> Any:
    """The device lines (``server.console.device_lines``) of each person's latest device-needs
    form completed in the period, with their device class as ``iso_class``.

    Latest as ``app.contract.ledger.devices.latest_forms`` orders a person's forms: by visit
    start, then completion (a tie, which it leaves to the reading order, goes to the newer row).
    """
    rank = func.row_number().over(
        partition_by=D.who,
        order_by=(D.started.desc(), D.completed.desc(), D.record_id.desc()),  # type: ignore[attr-defined]
    )
    heads = (
        select(D.record_id, rank.label("rank"))
        .where(
            D.code == device_lines.HEAD,
            *visible(db, user, _LINES, region),
            *period.holds(D.completed),
        )
        .subquery()
    )
    classes = {str(i["code"]): str(i.get("iso_class") or "") for i in device_lines.device_catalog()["items"]}
    iso_class = case(classes, value=D.code, else_="") if classes else literal("")
    return (
        select(D.record_id, D.quantity, D.delivered, iso_class.label("iso_class"))
        .join(heads, heads.c.record_id == D.record_id)
        .where(heads.c.rank == 1, D.code != device_lines.HEAD)
        .subquery()
    )


def device_supply(db: Session, user: ServerUser, region: str, period: Period) -> list[DeviceSupply]:
    """Devices needed and delivered per device class, over each person's latest form in the period.

    Each form's lines were added up by ``app.contract.ledger.devices.device_lines``, the
    procurement list's own rule, when the facts read it; here they are summed per class.
    """
    classes = {str(c["code"]): c for c in device_lines.device_catalog()["classes"]}
    order = {code: i for i, code in enumerate(classes)}
    lines = _latest_device_lines(db, user, region, period)
    query = select(
        lines.c.iso_class,
        func.count(distinct(lines.c.record_id)),
        func.sum(lines.c.quantity),
        func.sum(lines.c.delivered),
    ).group_by(lines.c.iso_class)
    out = []
    for code, persons, needed, delivered in db.execute(query):
        known = classes.get(code, {})
        name, name_en = str(known.get("name") or "未分类"), str(known.get("name_en") or "Unclassified")
        out.append(DeviceSupply(code, name, name_en, int(persons), int(needed or 0), int(delivered or 0)))
    return sorted(out, key=lambda s: (order.get(s.code, len(order)), s.code))


def device_forms(
    db: Session, user: ServerUser, region: str, period: Period, device_class: str, delivered: bool
) -> Selection:
    """The forms behind one line of ``device_supply``: needing, or with a delivery, in ``device_class``."""
    lines = _latest_device_lines(db, user, region, period)
    ids = select(lines.c.record_id).where(lines.c.iso_class == device_class)
    if delivered:
        ids = ids.where(lines.c.delivered != 0)
    return Selection("formresponse", (F.record_id.in_(ids),))  # type: ignore[attr-defined]
