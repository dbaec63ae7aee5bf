"""Need alerts (需求预警) over the registry: facts from SQL, rules from resources/alerts.json.

A person's alert context is their registry facts (level, category, age,
subsidies, household economy, whether a renovation project exists) plus the
latest answers of each form from their completed visits (a half-filled draft
never erases what a completed visit found; issue 15 finding 4). Facts are read in a few set queries, so
the whole registry can be evaluated in a worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select

from app.domain.needs import OPEN_STATUSES as OPEN_NEED_STATUSES
from app.forms.alerts import (
    SETTLED_PROJECTS,
    SEVERITIES,
    Alert,
    AlertRule,
    load_alert_rules,
    person_alerts,
    registry_facts,
)
from app.forms.definition import load_all_forms
from app.store import audit
from app.store.models import HandledAlert
from app.store.read.live import live_sql
from app.store.read.persons import registered_sql
from app.store.read.visits import latest_answers_sql
from app.store.row_ids import utc_now
from app.store.store import Store

_SETTLED = ", ".join(f"'{s}'" for s in SETTLED_PROJECTS)
_CHUNK = 500  # SQLite's bound-parameter limit is far above this; keeps IN lists short


@dataclass(frozen=True)
class PersonAlert:
    """One alert for one person, with what a list needs to show and open the household."""

    person_id: str
    household_id: str
    name: str
    region_code: str
    address: str
    alert: Alert


MAX_NOTE = 500


class AlertNoteMissing(ValueError):
    """标记已处理 without a note, or with one too long."""


@dataclass(frozen=True)
class AlertFilters:
    """Narrowing of the registry-wide list; empty = any."""

    region_prefix: str = ""
    severity: str = ""
    rule_id: str = ""


class AlertService:
    """Evaluates the alert rules for one person or over the registry."""

    def __init__(self, store: Store, rules: list[AlertRule] | None = None, today: date | None = None) -> None:
        self.store = store
        self.forms = load_all_forms()
        self.rules = rules if rules is not None else load_alert_rules(forms=self.forms)
        self.today = today or date.today()

    def rule_titles(self) -> list[tuple[str, str]]:
        """(rule id, Chinese title) of every rule, for a filter box."""
        return [(r.id, r.title) for r in self.rules]

    # -- facts ------------------------------------------------------------------------

    def _person_rows(self, where: str, params: dict[str, Any]) -> list[Any]:
        sql = f"""
            SELECT p.id, p.household_id, p.name, p.id_number, p.gender, p.category, p.level,
                   p.has_care_subsidy, p.has_living_subsidy, p.region_code, h.address, h.economic_status,
                   coalesce(h.house_grade, '')
            FROM person p JOIN household h ON h.id = p.household_id
            WHERE {registered_sql("p")} AND {where}
            ORDER BY p.region_code, h.address, p.name
        """
        with self.store.engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())

    def _projects(self, household_ids: Sequence[str]) -> dict[str, list[tuple[str, str | None]]]:
        out: dict[str, list[tuple[str, str | None]]] = {}
        with self.store.engine.connect() as conn:
            for chunk in _chunks(household_ids):
                marks = ",".join(f":h{i}" for i in range(len(chunk)))
                rows = conn.execute(
                    text(
                        f"SELECT household_id, kind, person_id FROM renovationproject"
                        f" WHERE {live_sql()} AND household_id IN ({marks}) AND status NOT IN ({_SETTLED})"
                    ),
                    {f"h{i}": v for i, v in enumerate(chunk)},
                )
                for household_id, kind, person_id in rows:
                    out.setdefault(household_id, []).append((kind, person_id))
        return out

    def _latest_answers(self, person_ids: Sequence[str]) -> dict[str, dict[str, dict[str, Any]]]:
        """person id → form id → answers of the latest response (by visit start)."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        with self.store.engine.connect() as conn:
            for chunk in _chunks(person_ids):
                marks = ",".join(f":p{i}" for i in range(len(chunk)))
                rows = conn.execute(
                    text(latest_answers_sql(marks)),
                    {f"p{i}": v for i, v in enumerate(chunk)},
                )
                for person_id, form_id, answers in rows:
                    value = json.loads(answers) if isinstance(answers, str) else answers
                    out.setdefault(person_id, {})[form_id] = value or {}
        return out

    def _overdue_needs(self, person_ids: Sequence[str]) -> dict[str, int]:
        """person id → open need items past their due date (``app.domain.needs``)."""
        out: dict[str, int] = {}
        statuses = ",".join(f"'{s.value}'" for s in OPEN_NEED_STATUSES)
        with self.store.engine.connect() as conn:
            for chunk in _chunks(person_ids):
                marks = ",".join(f":p{i}" for i in range(len(chunk)))
                rows = conn.execute(
                    text(
                        f"SELECT person_id, count(*) FROM needitem WHERE {live_sql()} AND person_id IN ({marks})"
                        f" AND status IN ({statuses}) AND due_on != '' AND due_on < :today GROUP BY person_id"
                    ),
                    {"today": self.today.isoformat(), **{f"p{i}": v for i, v in enumerate(chunk)}},
                )
                out.update({pid: n for pid, n in rows})
        return out

    def _evaluate(self, rows: list[Any]) -> list[PersonAlert]:
        projects = self._projects(sorted({r[1] for r in rows}))
        answers = self._latest_answers([r[0] for r in rows])
        overdue = self._overdue_needs([r[0] for r in rows])
        out: list[PersonAlert] = []
        for row in rows:
            (
                pid,
                hid,
                name,
                id_number,
                gender,
                category,
                level,
                care,
                living,
                region,
                address,
                economy,
                grade,
            ) = row
            person = {
                "id": pid,
                "name": name,
                "id_number": id_number,
                "gender": gender,
                "category": category,
                "level": level,
                "has_care_subsidy": care,
                "has_living_subsidy": living,
                "region_code": region,
            }
            household = {"address": address, "economic_status": economy}
            facts = registry_facts(person, household, projects.get(hid, []), overdue.get(pid, 0), self.today)
            for alert in person_alerts(facts, answers.get(pid, {}), grade, self.rules, self.forms):
                out.append(PersonAlert(pid, hid, name, region, address, alert))
        return out

    # -- public -----------------------------------------------------------------------

    def for_person(self, person_id: str) -> list[Alert]:
        """Alerts that fire for one person, most severe first."""
        rows = self._person_rows("p.id = :pid", {"pid": person_id})
        return [pa.alert for pa in self._evaluate(rows)]

    def over_registry(
        self, filters: AlertFilters | None = None, *, include_handled: bool = False
    ) -> list[PersonAlert]:
        """Every alert of every registered person in the region, most severe first.

        Alerts marked handled (``mark_handled``) are left out unless ``include_handled``.
        """
        filters = filters or AlertFilters()
        rows = self._person_rows(
            "substr(p.region_code, 1, :plen) = :prefix",
            {"prefix": filters.region_prefix, "plen": len(filters.region_prefix)},
        )
        alerts = self._evaluate(rows)
        if filters.severity:
            alerts = [a for a in alerts if a.alert.severity == filters.severity]
        if filters.rule_id:
            alerts = [a for a in alerts if a.alert.rule_id == filters.rule_id]
        if not include_handled:
            marks = self.handled({a.person_id for a in alerts})
            alerts = [a for a in alerts if (a.person_id, a.alert.rule_id) not in marks]
        return sorted(alerts, key=lambda a: SEVERITIES.index(a.alert.severity))

    # -- handled alerts ------------------------------------------------------------------

    def mark_handled(self, actor: str, person_id: str, rule_id: str, note: str) -> HandledAlert:
        """Record that ``person_id``'s alert ``rule_id`` was dealt with, and how (``note``), audited."""
        note = note.strip()
        if not note:
            raise AlertNoteMissing("请写明处理情况（如：已协助申请护理补贴）")
        if len(note) > MAX_NOTE:
            raise AlertNoteMissing(f"处理说明最多 {MAX_NOTE} 字，现在是 {len(note)} 字")
        if rule_id not in {r.id for r in self.rules}:
            raise AlertNoteMissing(f"没有这条预警规则：{rule_id}")
        mark = HandledAlert(
            person_id=person_id, rule_id=rule_id, note=note, handled_by=actor, handled_at=utc_now()
        )
        with self.store.session() as s:
            s.add(mark)
            audit.record(s, actor, "alert_handled", "person", person_id, detail=rule_id)
            s.commit()
            s.refresh(mark)
        return mark

    def handled(self, person_ids: Iterable[str]) -> dict[tuple[str, str], HandledAlert]:
        """(person id, rule id) → the latest mark, for the given persons."""
        ids = list(person_ids)
        out: dict[tuple[str, str], HandledAlert] = {}
        with self.store.session() as s:
            for chunk in _chunks(ids):
                rows = s.exec(
                    select(HandledAlert)
                    .where(col(HandledAlert.person_id).in_(list(chunk)))
                    .order_by(col(HandledAlert.handled_at))
                )
                for row in rows:
                    out[(row.person_id, row.rule_id)] = row
        return out

    def for_person_with_marks(self, person_id: str) -> tuple[list[Alert], dict[str, HandledAlert]]:
        """A person's alerts and, by rule id, those marked handled (the household page's box)."""
        marks = {rule: m for (_, rule), m in self.handled([person_id]).items()}
        return self.for_person(person_id), marks

    def persons_with_alerts(self, person_ids: Iterable[str]) -> set[str]:
        """The ids among ``person_ids`` that have at least one alert."""
        ids = list(person_ids)
        out: set[str] = set()
        for chunk in _chunks(ids):
            marks = ",".join(f":p{i}" for i in range(len(chunk)))
            rows = self._person_rows(f"p.id IN ({marks})", {f"p{i}": v for i, v in enumerate(chunk)})
            out.update(a.person_id for a in self._evaluate(rows))
        return out


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]
