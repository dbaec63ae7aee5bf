"""Renovation projects (改造项目): create from a visit's need or by hand, plan items, move through the flow.

Every status change goes through ``check_transition`` and leaves a
``ProjectEvent`` (who, when, from, to, note) in the same transaction, so the
timeline on screen is the audit trail. Amounts are checked against the
per-household cap of the project kind: over the cap is refused unless the
caller explicitly allows it (a county may approve an exception), and the
warnings are returned for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app.domain.enums import ProjectKind, ProjectStatus
from app.domain.renovation import (
    InvalidTransition,
    ItemTotals,
    OverBudget,
    ProjectItem,
    check_budget,
    check_transition,
    load_catalog,
    money,
    next_statuses,
    to_decimal,
    totals,
)
from app.services.attachments import AttachmentService
from app.store.models import (
    AttachmentLink,
    Household,
    Person,
    ProjectEvent,
    RenovationItem,
    RenovationProject,
    Visit,
)
from app.store.read import attachments, projects, visits
from app.store.read.live import live_sql
from app.store.row_ids import utc_now
from app.store.store import Store
from app.store.unit_of_work import UnitOfWork

PROJECT_TBL = "renovationproject"
# Before-photos document the survey; once works start they would no longer show "before".
BEFORE_PHOTO_STATUSES = (
    ProjectStatus.APPLIED,
    ProjectStatus.ASSESSED,
    ProjectStatus.SURVEYED,
    ProjectStatus.PLANNED,
)
DONE_STATUSES = (ProjectStatus.ACCEPTED, ProjectStatus.ARCHIVED)
# The timeline's own notes, stored in Chinese like every core text; app/ui/service_text.py lists
# them, so the timeline shows an old note and a new one in the interface's language.
CREATED_NOTE = "新建项目"
FROM_VISIT_NOTE = "由访视登记的需求生成"


def default_title(head_name: str, kind: ProjectKind | str) -> str:
    """A project's title when none is given: "王芳户净居亮居" (stored in Chinese)."""
    return f"{head_name}{_TITLE_JOIN}{ProjectKind(kind).label}"


def default_title_head(title: str, kind: ProjectKind | str) -> str | None:
    """The head of household's name when ``title`` is the default title of ``kind``, else None
    (so a screen can word the default in its own language)."""
    head, joined, rest = title.rpartition(_TITLE_JOIN)
    try:
        return head if joined and head and rest == ProjectKind(kind).label else None
    except ValueError:  # a kind this version does not know
        return None


_TITLE_JOIN = "户"


def acceptance_note(round_no: int, conclusion: str) -> str:
    """The timeline note of a concluded acceptance round (service_text: "第%1轮验收：%2")."""
    return f"第{round_no}轮验收：{conclusion}"


# Which answers of the housing forms carry each kind's need (docs/forms.md, resources/forms): the
# yearly short check (housing_condition v3) has the flags, the 入户勘测 (housing_survey) and
# housing_condition v1/v2 the item codes.
NEED_KEYS: dict[ProjectKind, tuple[str, str | None]] = {
    ProjectKind.ACCESSIBILITY: ("accessibility_items", "accessibility_need"),
    ProjectKind.LIGHTING: ("lighting_items", "lighting_need"),
    ProjectKind.CLEAN_BRIGHT: ("clean_bright_items", "clean_bright_need"),
    ProjectKind.DANGEROUS_HOUSE: ("", "dangerous_house_need"),
}
HOUSING_FORM = "housing_condition"
SURVEY_FORM = "housing_survey"


class ProjectError(ValueError):
    """A project request a caseworker must correct (message in Chinese)."""


class ProjectNotFound(ProjectError):
    """A project id that is not (or no longer) in the local database."""


class NoRenovationNeed(ProjectError):
    """The visit recorded no need of the requested kind."""


class PhotoNotAllowed(ProjectError):
    """A before-photo offered after works have started."""


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One requested plan line: catalogue code, planned quantity, optional tender price."""

    code: str
    planned_qty: Decimal | int | float | str
    unit_price: Decimal | int | float | str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class RenovationNeed:
    """A need found in a visit's housing form: the kind and the catalogue items asked for."""

    kind: ProjectKind
    item_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProjectFilters:
    """List filters; ``overdue`` = due date passed while not yet accepted or archived."""

    kind: str = ""
    status: str = ""
    region_prefix: str = ""
    overdue: bool = False
    household_id: str = ""
    today: date | None = None


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One row of the project list."""

    id: str
    kind: str
    status: str
    title: str
    household_id: str
    head_name: str
    person_name: str
    address: str
    region_code: str
    contractor: str
    due_date: str
    planned_total: Decimal
    updated_at: str
    overdue: bool


@dataclass(frozen=True, slots=True)
class ItemLine:
    """A stored plan line with its row id (for editing actual quantities)."""

    id: str
    item: ProjectItem
    description: str = ""


@dataclass(slots=True)
class ProjectDetail:
    """Everything the project page shows."""

    project: RenovationProject
    household: Household
    person: Person | None
    items: list[ItemLine]
    totals: ItemTotals
    cap: Decimal | None
    warnings: list[str]
    events: list[ProjectEvent]
    photos_before: list[AttachmentLink] = field(default_factory=list)
    photos_after: list[AttachmentLink] = field(default_factory=list)

    @property
    def status(self) -> ProjectStatus:
        return ProjectStatus(self.project.status)

    @property
    def kind(self) -> ProjectKind:
        return ProjectKind(self.project.kind)

    @property
    def next_statuses(self) -> tuple[ProjectStatus, ...]:
        return next_statuses(self.status)


def _today(today: date | None) -> date:
    return today or date.today()


def _plan_items(kind: ProjectKind, lines: Iterable[PlanLine]) -> list[tuple[ProjectItem, str]]:
    catalog = load_catalog()
    out = []
    for line in lines:
        cat = catalog.item(line.code)
        if cat.kind is not kind:
            raise ProjectError(f"“{cat.name}”属于{cat.kind.label}项目，不能列入{kind.label}")
        out.append(
            (ProjectItem.from_catalog(cat, line.planned_qty, unit_price=line.unit_price), line.description)
        )
    return out


def item_from_row(row: RenovationItem) -> ProjectItem:
    """The domain view of a stored plan line (floats go through ``str``)."""
    return ProjectItem(
        code=row.catalog_code,
        name=row.description or row.catalog_code,
        unit=row.unit,
        unit_price=money(to_decimal(row.unit_price, "单价")),
        planned_qty=to_decimal(row.planned_qty, "计划数量"),
        actual_qty=None if row.actual_qty is None else to_decimal(row.actual_qty, "实际数量"),
    )


class ProjectService:
    """Use cases of renovation projects for one profile."""

    def __init__(self, store: Store, today: date | None = None) -> None:
        self.store = store
        self._today = today

    @property
    def today(self) -> date:
        return _today(self._today)

    # --- needs from visits ------------------------------------------------------------

    def needs_from_visit(self, visit_id: str) -> list[RenovationNeed]:
        """Renovation needs recorded in the visit's housing forms (latest response of each).

        The short check says which kinds are needed, the 入户勘测 which items; a kind found in
        either is a need, with the items the survey chose."""
        with self.store.session() as s:
            responses = [visits.latest_response(s, visit_id, f) for f in (HOUSING_FORM, SURVEY_FORM)]
        merged: dict[ProjectKind, list[str]] = {}
        for response in responses:
            for need in needs_from_answers(response.answers if response else {}):
                codes = merged.setdefault(need.kind, [])
                codes.extend(c for c in need.item_codes if c not in codes)
        return [RenovationNeed(kind, tuple(merged[kind])) for kind in NEED_KEYS if kind in merged]

    def create_from_visit(
        self, actor: str, visit_id: str, kind: ProjectKind | str, **kwargs: Any
    ) -> RenovationProject:
        """A project of ``kind`` for the visit's household and person, with the items the visit asked for."""
        kind = ProjectKind(kind)
        need = next((n for n in self.needs_from_visit(visit_id) if n.kind is kind), None)
        if need is None:
            raise NoRenovationNeed(f"该次访视未登记{kind.label}需求")
        with self.store.session() as s:
            visit = s.get(Visit, visit_id)
        if visit is None:
            raise ProjectError(f"找不到访视记录 {visit_id}")
        lines = kwargs.pop("lines", None) or [PlanLine(code, 1) for code in need.item_codes]
        return self.create_project(
            actor,
            household_id=visit.household_id,
            person_id=visit.person_id,
            kind=kind,
            lines=lines,
            source_visit_id=visit_id,
            **kwargs,
        )

    # --- create and edit --------------------------------------------------------------

    def create_project(
        self,
        actor: str,
        *,
        household_id: str,
        kind: ProjectKind | str,
        person_id: str | None = None,
        lines: Sequence[PlanLine] = (),
        title: str = "",
        contractor: str = "",
        budget: Decimal | int | float | str | None = None,
        due_date: date | str | None = None,
        note: str = "",
        source_visit_id: str | None = None,
        allow_over_cap: bool = False,
    ) -> RenovationProject:
        """Create a project in status 申请 with its plan and a first timeline event."""
        kind = ProjectKind(kind)
        planned = _plan_items(kind, lines)
        items = [p for p, _ in planned]
        budget_dec = totals(items).planned if budget is None else money(to_decimal(budget, "预算"))
        self._check_cap(kind, items, budget_dec, allow_over_cap)
        with self.store.unit_of_work(actor) as uow:
            household = uow.session.get(Household, household_id)
            if household is None:
                raise ProjectError(f"找不到家庭 {household_id}")
            if person_id:
                person = uow.session.get(Person, person_id)
                if person is None or person.household_id != household_id:
                    raise ProjectError("所选残疾人不属于该家庭")
            project = uow.add(
                RenovationProject(
                    household_id=household_id,
                    person_id=person_id or None,
                    kind=kind.value,
                    status=ProjectStatus.APPLIED.value,
                    title=title or default_title(household.head_name, kind),
                    contractor=contractor.strip(),
                    budget=float(budget_dec),
                    source_visit_id=source_visit_id,
                    due_date=due_date.isoformat() if isinstance(due_date, date) else (due_date or ""),
                    note=note,
                    region_code=household.region_code,
                )
            )
            self._add_items(uow, project, planned)
            uow.add(
                ProjectEvent(
                    project_id=project.id,
                    from_status="",
                    to_status=ProjectStatus.APPLIED.value,
                    actor=actor,
                    at=utc_now(),
                    note=note or (FROM_VISIT_NOTE if source_visit_id else CREATED_NOTE),
                    region_code=project.region_code,
                )
            )
            return project

    def _check_cap(
        self, kind: ProjectKind, items: list[ProjectItem], budget: Decimal, allow_over_cap: bool
    ) -> list[str]:
        cap = load_catalog().cap_for(kind)
        if cap is not None and budget > cap and not allow_over_cap:
            raise OverBudget(
                f"{kind.label}预算{budget}元超过每户上限{money(cap)}元，请调整方案或报县残联审批"
            )
        try:
            return check_budget(kind, items, strict=not allow_over_cap)
        except OverBudget as exc:
            raise OverBudget(f"{exc}，请调整方案或报县残联审批") from None

    @staticmethod
    def _add_items(
        uow: UnitOfWork, project: RenovationProject, planned: list[tuple[ProjectItem, str]]
    ) -> None:
        for position, (item, description) in enumerate(planned):
            uow.add(
                RenovationItem(
                    project_id=project.id,
                    catalog_code=item.code,
                    description=description or item.name,
                    unit=item.unit,
                    unit_price=float(item.unit_price),
                    planned_qty=float(item.planned_qty),
                    position=position,
                    region_code=project.region_code,
                )
            )

    def set_plan(
        self, actor: str, project_id: str, lines: Sequence[PlanLine], *, allow_over_cap: bool = False
    ) -> list[str]:
        """Replace the plan (only before works start); returns warnings. Old lines are tombstoned."""
        with self.store.unit_of_work(actor) as uow:
            project = self._get(uow.session, project_id)
            status = ProjectStatus(project.status)
            if status not in BEFORE_PHOTO_STATUSES:
                raise ProjectError(f"项目已进入“{status.label}”阶段，不能再修改改造方案")
            kind = ProjectKind(project.kind)
            planned = _plan_items(kind, lines)
            warnings = self._check_cap(
                kind, [p for p, _ in planned], money(to_decimal(project.budget)), allow_over_cap
            )
            for row in self._item_rows(uow.session, project_id):
                uow.delete(row)
            self._add_items(uow, project, planned)
            return warnings

    def update_project(
        self, actor: str, project_id: str, *, allow_over_cap: bool = False, **values: Any
    ) -> RenovationProject:
        """Change contractor, budget, due date, title or note; the budget is checked against the cap.

        ``allow_over_cap`` records that the user confirmed a budget above the per-household cap.
        """
        allowed = {"contractor", "budget", "due_date", "title", "note", "person_id"}
        unknown = set(values) - allowed
        if unknown:
            raise ProjectError(f"不能直接修改项目的{'、'.join(sorted(unknown))}")
        with self.store.unit_of_work(actor) as uow:
            project = self._get(uow.session, project_id)
            if "budget" in values:
                budget = money(to_decimal(values["budget"], "预算"))
                cap = load_catalog().cap_for(project.kind)
                if cap is not None and budget > cap and not allow_over_cap:
                    raise OverBudget(
                        f"{ProjectKind(project.kind).label}预算{budget}元超过每户上限{money(cap)}元，请调整方案或报县残联审批"
                    )
                values["budget"] = float(budget)
            if isinstance(values.get("due_date"), date):
                values["due_date"] = values["due_date"].isoformat()
            return uow.update(project, **values)

    def set_actual_qty(self, actor: str, item_id: str, qty: Decimal | int | float | str | None) -> None:
        """Record the quantity actually done for one plan line (``None`` clears it)."""
        value = None if qty in (None, "") else float(to_decimal(qty, "实际数量"))  # type: ignore[arg-type]
        with self.store.unit_of_work(actor) as uow:
            uow.update(uow.get(RenovationItem, item_id), actual_qty=value)

    # --- status flow ------------------------------------------------------------------

    def advance(
        self, actor: str, project_id: str, to_status: ProjectStatus | str, note: str = ""
    ) -> ProjectEvent:
        """Move the project one step along the flow; raises ``InvalidTransition`` for any other move."""
        with self.store.unit_of_work(actor) as uow:
            return transition(uow, self._get(uow.session, project_id), to_status, note)

    # --- photos -----------------------------------------------------------------------

    def add_before_photo(self, actor: str, project_id: str, source: Path | str | bytes) -> str:
        """Attach a survey photo (改造前); returns its SHA-256."""
        with self.store.session() as s:
            status = ProjectStatus(self._get(s, project_id).status)
        if status not in BEFORE_PHOTO_STATUSES:
            raise PhotoNotAllowed(f"项目已进入“{status.label}”阶段，改造前照片应在勘测时拍摄")
        return (
            AttachmentService(self.store)
            .add_photo(actor, PROJECT_TBL, project_id, "photo_before", source)
            .sha256
        )

    # --- reads ------------------------------------------------------------------------

    @staticmethod
    def _get(session: Any, project_id: str) -> RenovationProject:
        project = projects.get_project(session, project_id)
        if project is None:
            raise ProjectNotFound(f"找不到改造项目 {project_id}")
        return project

    @staticmethod
    def _item_rows(session: Any, project_id: str) -> list[RenovationItem]:
        return projects.items(session, project_id)

    def get(self, project_id: str) -> RenovationProject:
        with self.store.session() as s:
            return self._get(s, project_id)

    def detail(self, project_id: str) -> ProjectDetail:
        """The project with household, person, plan, totals, cap warnings, timeline and photos."""
        with self.store.session() as s:
            project = self._get(s, project_id)
            household = s.get(Household, project.household_id)
            person = s.get(Person, project.person_id) if project.person_id else None
            rows = self._item_rows(s, project_id)
            events = projects.events(s, project_id)
            rounds = projects.acceptances(s, project_id)
            before = attachments.links(s, [(PROJECT_TBL, project_id)], "photo_before")
            after = attachments.links(s, [("acceptance", a.id) for a in rounds], "photo_after")
        items = [ItemLine(r.id, item_from_row(r), r.description) for r in rows]
        plain = [i.item for i in items]
        kind = ProjectKind(project.kind)
        warnings = check_budget(kind, plain)
        cap = load_catalog().cap_for(kind)
        if cap is not None and Decimal(str(project.budget)) > cap:
            warnings.append(f"预算{money(Decimal(str(project.budget)))}元超过每户上限{money(cap)}元")
        assert household is not None
        return ProjectDetail(
            project, household, person, items, totals(plain), cap, warnings, events, before, after
        )

    def list_projects(
        self, filters: ProjectFilters | None = None, limit: int | None = 2000
    ) -> list[ProjectRow]:
        """Projects matching ``filters``, most recently changed first, in one SQL query."""
        f = filters or ProjectFilters()
        today = _today(f.today or self._today).isoformat()
        where = [live_sql("p")]
        params: dict[str, Any] = {
            "today": today,
            "done1": DONE_STATUSES[0].value,
            "done2": DONE_STATUSES[1].value,
        }
        if f.kind:
            where.append("p.kind = :kind")
            params["kind"] = str(f.kind)
        if f.status:
            where.append("p.status = :status")
            params["status"] = str(f.status)
        if f.region_prefix:
            where.append("p.region_code LIKE :region")
            params["region"] = f.region_prefix + "%"
        if f.household_id:
            where.append("p.household_id = :household")
            params["household"] = f.household_id
        overdue_sql = "(p.due_date != '' AND p.due_date < :today AND p.status NOT IN (:done1, :done2))"
        if f.overdue:
            where.append(overdue_sql)
        sql = f"""
            SELECT p.id, p.kind, p.status, p.title, p.household_id, h.head_name, COALESCE(pe.name, ''),
                   h.address, p.region_code, p.contractor, p.due_date,
                   COALESCE((SELECT SUM(ROUND(i.unit_price * i.planned_qty, 2)) FROM renovationitem i
                             WHERE i.project_id = p.id AND {live_sql("i")}), 0),
                   p.updated_at, {overdue_sql}
            FROM renovationproject p
            JOIN household h ON h.id = p.household_id
            LEFT JOIN person pe ON pe.id = p.person_id
            WHERE {" AND ".join(where)}
            ORDER BY p.updated_at DESC
        """
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self.store.engine.connect() as conn:
            rows = conn.execute(text(sql), params).all()
        return [
            ProjectRow(
                id=r[0],
                kind=r[1],
                status=r[2],
                title=r[3],
                household_id=r[4],
                head_name=r[5] or "",
                person_name=r[6],
                address=r[7] or "",
                region_code=r[8] or "",
                contractor=r[9] or "",
                due_date=r[10] or "",
                planned_total=money(Decimal(str(r[11]))),
                updated_at=r[12] or "",
                overdue=bool(r[13]),
            )  # fmt: skip
            for r in rows
        ]


def transition(
    uow: UnitOfWork, project: RenovationProject, to_status: ProjectStatus | str, note: str = ""
) -> ProjectEvent:
    """Inside ``uow``: check the move, set the status and record the timeline event."""
    old, new = ProjectStatus(project.status), ProjectStatus(to_status)
    check_transition(old, new, note)
    uow.update(project, status=new.value)
    return uow.add(
        ProjectEvent(
            project_id=project.id,
            from_status=old.value,
            to_status=new.value,
            actor=uow.actor,
            at=utc_now(),
            note=note.strip(),
            region_code=project.region_code,
        )
    )


def needs_from_answers(answers: dict[str, Any]) -> list[RenovationNeed]:
    """Needs in housing_condition answers: item codes per kind; 危房 from the calculated flag."""
    needs = []
    for kind, (items_key, flag_key) in NEED_KEYS.items():
        codes = tuple(answers.get(items_key) or ()) if items_key else ()
        flagged = bool(answers.get(flag_key)) if flag_key else False
        if codes or flagged:
            needs.append(RenovationNeed(kind, codes))
    return needs


__all__ = [
    "CREATED_NOTE",
    "FROM_VISIT_NOTE",
    "InvalidTransition",
    "ItemLine",
    "NoRenovationNeed",
    "OverBudget",
    "PhotoNotAllowed",
    "PlanLine",
    "ProjectDetail",
    "ProjectError",
    "ProjectFilters",
    "ProjectNotFound",
    "ProjectRow",
    "ProjectService",
    "RenovationNeed",
    "acceptance_note",
    "default_title",
    "default_title_head",
    "needs_from_answers",
    "transition",
]
