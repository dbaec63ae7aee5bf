"""Need items (需求台账) from opening to closing: a visit opens them, a project, a delivery or a
subsidy closes them, a caseworker follows them up by hand.

- ``open_from_visit(uow, visit)``: a completed visit opens one item per need its answers show
  (``resources/need_rules.json``); at most one open item per person + type + detail, and a
  re-completed visit opens nothing it opened before. Drafts open nothing. An assistive-device
  entry marked delivered closes the matching open device item (``closed_kind`` delivery).
- ``close_for_project(uow, project, on)``: an accepted renovation project closes the matching
  housing needs of its household (``closed_kind`` acceptance, ``closed_ref`` the project).
- ``close_for_subsidies(uow, person)``: a subsidy that started closes the social-security item
  it answers (``closed_kind`` subsidy).
- ``NeedService``: the household's items for a screen, and changes by hand (status, referral);
  closing by hand (已办结 / 无法办理) needs a reason.

Every write goes through the caller's unit of work (``app.store.writer``); the status moves
are ``app.domain.needs``'s, the same the server checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlmodel import select

from app.domain import needs as nd
from app.domain.localtime import china_today
from app.forms.definition import get_form
from app.forms.engine import FormSession
from app.paths import resources_dir
from app.store.models import FormResponse, Household, NeedItem, Person, RenovationProject, Visit
from app.store.read.live import live
from app.store.store import Store

RULES_FILE = "need_rules.json"


class NeedError(ValueError):
    """A need-item change that cannot be made; the message says why in Chinese."""


class NeedReasonRequired(NeedError):
    """Closing a need item by hand (已办结 / 无法办理) needs a reason."""


@dataclass(frozen=True)
class NeedRule:
    form: str
    question: str
    match: str  # yes | each_selected | not_selected | each_entry
    need_type: str
    repeat: str = ""
    exclude: tuple[str, ...] = ()
    value: str = ""
    detail: str = ""
    if_answers: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    if_person: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    closed_by_subsidy: str = ""
    delivered: str = ""
    delivered_on: str = ""


@dataclass(frozen=True)
class NeedRules:
    rules: tuple[NeedRule, ...]
    due_days: dict[str, int]

    def due_on(self, need_type: str, opened: date) -> str:
        days = self.due_days.get(need_type, self.due_days.get("default", nd.DEFAULT_DUE_DAYS))
        return (opened + timedelta(days=int(days))).isoformat()


def _conditions(raw: dict[str, list[Any]] | None) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    return tuple((k, tuple(v)) for k, v in (raw or {}).items())


@cache
def load_need_rules() -> NeedRules:
    """The shipped rules; an unknown need type is a packaging error and fails loudly."""
    data = json.loads((resources_dir() / RULES_FILE).read_text(encoding="utf-8"))
    rules = []
    for raw in data["rules"]:
        nd.NeedType(raw["need_type"])
        rules.append(
            NeedRule(
                form=raw["form"],
                question=raw["question"],
                match=raw["match"],
                need_type=raw["need_type"],
                repeat=raw.get("repeat", ""),
                exclude=tuple(raw.get("exclude", ())),
                value=raw.get("value", ""),
                detail=raw.get("detail", ""),
                if_answers=_conditions(raw.get("if_answers")),
                if_person=_conditions(raw.get("if_person")),
                closed_by_subsidy=raw.get("closed_by_subsidy", ""),
                delivered=raw.get("delivered", ""),
                delivered_on=raw.get("delivered_on", ""),
            )
        )
    return NeedRules(tuple(rules), {k: int(v) for k, v in data.get("due_days", {}).items()})


# --- what a visit's answers say -------------------------------------------------------


@dataclass(frozen=True)
class FoundNeed:
    need_type: str
    detail: str
    delivered_on: str | None = None  # a device entry already delivered: closes instead of opening


def _choice_label(session: FormSession, qid: str, value: object) -> str:
    q = session.definition.questions.get(qid)
    for choice in q.choices if q is not None else ():
        if choice.value == value:
            return choice.label
    return str(value)


def _relevant_value(session: FormSession, key: str) -> Any:
    return session.answers.get(key) if session.is_relevant(key) else None


def needs_in_response(
    session: FormSession, person_facts: dict[str, Any], rules: NeedRules | None = None
) -> list[FoundNeed]:
    """The needs one completed form shows, by the rules for its form (relevant answers only)."""
    rules = rules or load_need_rules()
    out: list[FoundNeed] = []
    for rule in rules.rules:
        if rule.form != session.definition.id:
            continue
        if any(person_facts.get(k) not in allowed for k, allowed in rule.if_person):
            continue
        if any(_relevant_value(session, k) not in allowed for k, allowed in rule.if_answers):
            continue
        if rule.match == "each_entry":
            for entry in session.entries(rule.repeat):
                value = _relevant_value(session, f"{rule.repeat}[{entry}].{rule.question}")
                if value in (None, ""):
                    continue
                detail = _choice_label(session, rule.question, value)
                delivered = rule.delivered and session.answers.get(f"{rule.repeat}[{entry}].{rule.delivered}")
                on = session.answers.get(f"{rule.repeat}[{entry}].{rule.delivered_on}") if delivered else None
                out.append(FoundNeed(rule.need_type, detail, str(on or "") if delivered else None))
            continue
        value = _relevant_value(session, rule.question)
        if rule.match == "yes":
            if value is True:
                out.append(FoundNeed(rule.need_type, rule.detail))
        elif rule.match == "each_selected":
            for code in value if isinstance(value, list) else ():
                if code not in rule.exclude:
                    out.append(FoundNeed(rule.need_type, _choice_label(session, rule.question, code)))
        elif rule.match == "not_selected":
            if not session.is_relevant(rule.question):
                continue
            if rule.value not in (value if isinstance(value, list) else ()):
                out.append(FoundNeed(rule.need_type, rule.detail))
    return out


# --- lifecycle inside a unit of work --------------------------------------------------


def _key(item: NeedItem) -> tuple[str, str, str]:
    return (item.person_id or "", item.need_type, item.detail)


def _items_of(uow: Any, household_id: str) -> list[NeedItem]:
    query = select(NeedItem).where(live(NeedItem), NeedItem.household_id == household_id)
    return list(uow.session.exec(query))


def _close(uow: Any, item: NeedItem, kind: nd.NeedClosedKind, ref: str, on: str, reason: str = "") -> None:
    uow.update(
        item,
        status=nd.NeedStatus.CLOSED.value,
        closed_on=on,
        closed_kind=kind.value,
        closed_ref=ref,
        close_reason=reason,
    )


def open_from_visit(uow: Any, visit: Visit, today: date | None = None) -> list[NeedItem]:
    """Inside ``uow``: open the needs a completed visit found; close delivered devices.

    Returns the items opened. A draft visit opens nothing.
    """
    if visit.status != "completed":
        return []
    today = today or china_today()
    rules = load_need_rules()
    household = uow.session.get(Household, visit.household_id)
    person = uow.session.get(Person, visit.person_id) if visit.person_id else None
    if household is None:
        return []
    facts: dict[str, Any] = {"economic_status": household.economic_status}
    if person is not None:
        facts.update(
            level=person.level,
            category=person.category,
            has_care_subsidy=bool(person.has_care_subsidy),
            has_living_subsidy=bool(person.has_living_subsidy),
        )
    found: list[FoundNeed] = []
    responses = uow.session.exec(
        select(FormResponse).where(live(FormResponse), FormResponse.visit_id == visit.id)
    )
    for response in responses:
        definition = get_form(response.form_id, response.form_version)
        session = FormSession(definition, response.answers, {"today": today.isoformat()})
        found.extend(needs_in_response(session, facts, rules))
    items = _items_of(uow, household.id)
    open_keys = {_key(i): i for i in items if nd.is_open(i.status)}
    from_this_visit = {_key(i) for i in items if i.source_visit_id == visit.id}
    person_id = visit.person_id or ""
    opened: list[NeedItem] = []
    for need in found:
        key = (person_id, need.need_type, need.detail)
        if need.delivered_on is not None:
            item = open_keys.pop(key, None)
            if item is not None:
                _close(
                    uow, item, nd.NeedClosedKind.DELIVERY, visit.id, need.delivered_on or today.isoformat()
                )
            continue
        if key in open_keys or key in from_this_visit:
            continue
        item = uow.add(
            NeedItem(
                household_id=household.id,
                person_id=visit.person_id,
                source_visit_id=visit.id,
                need_type=need.need_type,
                detail=need.detail,
                status=nd.NeedStatus.PENDING.value,
                opened_on=today.isoformat(),
                due_on=rules.due_on(need.need_type, today),
                region_code=household.region_code,
            )
        )
        open_keys[key] = item
        opened.append(item)
    return opened


def close_for_project(uow: Any, project: RenovationProject, on: str = "") -> list[NeedItem]:
    """Inside ``uow``: an accepted project closes its household's open needs of the matching type."""
    need_type = nd.PROJECT_KIND_NEED.get(project.kind)
    if need_type is None:
        return []
    closed = []
    for item in _items_of(uow, project.household_id):
        if item.need_type != need_type.value or not nd.is_open(item.status):
            continue
        if project.person_id and item.person_id not in (None, "", project.person_id):
            continue
        _close(uow, item, nd.NeedClosedKind.ACCEPTANCE, project.id, on or china_today().isoformat())
        closed.append(item)
    return closed


def close_for_subsidies(uow: Any, person: Person, on: str = "") -> list[NeedItem]:
    """Inside ``uow``: a subsidy the person now receives closes the need item it answers."""
    started = {
        r.detail
        for r in load_need_rules().rules
        if r.closed_by_subsidy and getattr(person, r.closed_by_subsidy)
    }
    if not started:
        return []
    closed = []
    for item in _items_of(uow, person.household_id):
        if (
            item.person_id == person.id
            and item.need_type == nd.NeedType.SOCIAL_SECURITY.value
            and item.detail in started
            and nd.is_open(item.status)
        ):
            _close(uow, item, nd.NeedClosedKind.SUBSIDY, person.id, on or china_today().isoformat())
            closed.append(item)
    return closed


# --- the screen's use cases ------------------------------------------------------------


@dataclass(frozen=True)
class NeedItemView:
    """One need item as a list shows it (labels Chinese; the UI translates them)."""

    id: str
    person_id: str | None
    person_name: str
    need_type: str
    type_label: str
    detail: str
    referral_to: str
    status: str
    status_label: str
    opened_on: str
    due_on: str
    overdue: bool
    closed_on: str
    closed_kind: str
    closed_kind_label: str
    close_reason: str
    next_statuses: tuple[str, ...]


def view_of(item: NeedItem, person_name: str, today: date) -> NeedItemView:
    return NeedItemView(
        id=item.id,
        person_id=item.person_id,
        person_name=person_name,
        need_type=item.need_type,
        type_label=nd.label(nd.NeedType, item.need_type),
        detail=item.detail,
        referral_to=item.referral_to,
        status=item.status,
        status_label=nd.label(nd.NeedStatus, item.status),
        opened_on=item.opened_on,
        due_on=item.due_on,
        overdue=nd.is_overdue(item.status, item.due_on, today),
        closed_on=item.closed_on,
        closed_kind=item.closed_kind,
        closed_kind_label=nd.label(nd.NeedClosedKind, item.closed_kind) if item.closed_kind else "",
        close_reason=item.close_reason,
        next_statuses=tuple(s.value for s in nd.next_statuses(item.status)),
    )


class NeedService:
    """The need items of a household, and the changes a caseworker makes by hand."""

    def __init__(self, store: Store, today: date | None = None) -> None:
        self.store = store
        self._today = today

    @property
    def today(self) -> date:
        return self._today or china_today()

    def for_household(self, household_id: str) -> list[NeedItemView]:
        """The household's need items: open ones first (overdue on top), then closed, newest first."""
        with self.store.session() as s:
            query = select(NeedItem).where(live(NeedItem), NeedItem.household_id == household_id)
            items = list(s.exec(query))
            names = {p.id: p.name for p in s.exec(select(Person).where(Person.household_id == household_id))}
        views = [view_of(i, names.get(i.person_id or "", ""), self.today) for i in items]
        views.sort(key=lambda v: (not nd.is_open(v.status), not v.overdue, v.due_on or "9999"))
        return views

    def get(self, item_id: str) -> NeedItemView:
        with self.store.session() as s:
            item = s.get(NeedItem, item_id)
            if item is None or item.deleted:
                raise NeedError("找不到这条需求事项，可能已被删除")
            person = s.get(Person, item.person_id) if item.person_id else None
            return view_of(item, person.name if person else "", self.today)

    def change(
        self,
        actor: str,
        item_id: str,
        *,
        status: str | None = None,
        referral_to: str | None = None,
        reason: str = "",
    ) -> NeedItemView:
        """Change status and/or referral; 已办结 / 无法办理 by hand need ``reason``."""
        reason = (reason or "").strip()
        with self.store.unit_of_work(actor) as uow:
            item = uow.session.get(NeedItem, item_id)
            if item is None or item.deleted:
                raise NeedError("找不到这条需求事项，可能已被删除")
            values: dict[str, Any] = {}
            if referral_to is not None:
                referral_to = referral_to.strip()
                if len(referral_to) > 200:
                    raise NeedError("转介去向（责任单位）最多 200 字")
                values["referral_to"] = referral_to
            if status is not None and status != item.status:
                try:
                    new = nd.NeedStatus(status)
                except ValueError:
                    raise NeedError(f"未知的需求状态“{status}”") from None
                if not nd.may_move(item.status, new):
                    raise NeedError(
                        f"需求事项不能从“{nd.label(nd.NeedStatus, item.status)}”改为“{new.label}”"
                        "（已办结或无法办理的需求只能由县区残联重新开启）"
                    )
                if new in nd.FINAL_STATUSES:
                    if not reason:
                        raise NeedReasonRequired(f"将需求标为“{new.label}”必须填写原因或办理结果")
                    if len(reason) > 1000:
                        raise NeedError("原因最多 1000 字")
                    values.update(
                        closed_on=self.today.isoformat(),
                        closed_kind=nd.NeedClosedKind.MANUAL.value,
                        closed_ref="",
                        close_reason=reason,
                    )
                values["status"] = new.value
            if values:
                uow.update(item, **values)
            person = uow.session.get(Person, item.person_id) if item.person_id else None
            return view_of(item, person.name if person else "", self.today)


# --- seeded profiles ---------------------------------------------------------------------


def seed_need_items(store: Store, *, seed: int = 0, actor: str = "seed") -> int:
    """Need items in every state for visited persons who have none yet (``homevisit seed``).

    The items come from ``app.domain.synthetic_needs``, linked to each person's latest completed
    visit, and are written by the bulk loader like the rest of the seed. Returns the count.
    """
    import random

    from sqlalchemy import text

    from app.domain.localtime import CHINA_TIME, local_day
    from app.domain.synthetic_needs import need_items
    from app.store.read.live import live_sql
    from app.store.read.visits import latest_visit_sql
    from app.store.writer import BulkLoad

    sql = f"""
        SELECT p.id, p.household_id, p.region_code, p.level, p.has_care_subsidy,
               {latest_visit_sql("person_id", "p")} AS last
        FROM person p
        WHERE {live_sql("p")} AND NOT EXISTS (SELECT 1 FROM needitem n WHERE n.person_id = p.id)
        ORDER BY p.id
    """
    with store.engine.connect() as conn:
        persons = [r for r in conn.execute(text(sql)) if r.last]
        visit_ids = dict(
            conn.execute(
                text(
                    f"SELECT v.person_id || '|' || v.started_at, v.id FROM visit v"
                    f" WHERE {live_sql('v')} AND v.status = 'completed' AND v.person_id IS NOT NULL"
                )
            ).all()
        )
    today = china_today()
    count = 0
    with BulkLoad(store.engine, store.clock, actor, reason="seed") as load:
        for p in persons:
            day = date.fromisoformat(local_day(p.last, CHINA_TIME))
            facts = {"level": p.level, "has_care_subsidy": bool(p.has_care_subsidy)}
            rng = random.Random(f"needs-{seed}-{p.id}")  # per person: a second run rolls the same
            for fields in need_items(rng, facts, day, today):
                load.add(
                    NeedItem(
                        household_id=p.household_id,
                        person_id=p.id,
                        source_visit_id=visit_ids.get(f"{p.id}|{p.last}"),
                        region_code=p.region_code,
                        **fields,
                    )
                )
                count += 1
            if len(load) >= 2000:
                load.flush()
    return count
