"""台账 (ledgers): a profile's households, persons, visits, projects, needs, device procurement or acceptances.

A county federation receives these as spreadsheets. Each kind is read in a few
set queries into a ``Ledger`` (columns and rows, no Excel yet), so a test or a
UI preview can look at the rows; ``write_ledger`` turns it into an .xlsx with a
title, the export time, a bold frozen header with filters, real dates and
amounts, and column widths that fit the content. ``export_ledger`` does both
and audits the export (PIPL).

What a ledger shows and hides:
- Tombstoned rows (``deleted``) never appear, nor rows of a tombstoned household.
- ID and certificate numbers are masked (``app.domain.ids``); birth dates and
  visit summaries are left out, since they would undo the mask or carry health details.
- Stored times are UTC; a clerk's calendar is China time, so dates and times
  are shown in UTC+8 (a visit at 00:30 Beijing time belongs to that day).
- Rows are sorted as a clerk files them: region code (the statistical order of
  the catalogue), then address with house numbers in numeric order, then name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlmodel import select

from app.domain.enums import (
    CheckResult,
    DisabilityCategory,
    DisabilityLevel,
    EconomicStatus,
    Gender,
    HouseGrade,
    HousingType,
    PersonStatus,
    ProjectKind,
    ProjectStatus,
    VisitStatus,
)
from app.domain.ids import mask_cert_number, mask_id_number
from app.domain.localtime import china_today
from app.domain.needs import NeedClosedKind, NeedStatus, NeedType, is_overdue
from app.domain.renovation import totals
from app.forms.catalogs import load_catalog
from app.forms.definition import get_form
from app.services.acceptance import split_team
from app.services.ledger_columns import (
    REGION_COLUMNS,
    Column,
    Ledger,
    LedgerKind,
    Progress,
    UnknownLedgerKind,
    china_date,
    china_time,
    filing_key,
    label,
    ledger_kind,
    plain_date,
    query,
    region_names,
    yes,
)
from app.services.ledger_workbook import HEADER_ROW, write_ledger
from app.services.projects import item_from_row
from app.store import audit
from app.store.models import Acceptance, RenovationItem, User
from app.store.read import projects
from app.store.read.live import live_sql
from app.store.read.persons import registered_sql
from app.store.read.visits import completed_forms_sql, latest_visit_sql
from app.store.store import Store

LEDGER_TBL = "ledger"  # AuditEvent.tbl of ledger exports
DEVICE_FORM = "assistive_devices"  # the form whose repeat lists device needs

__all__ = [
    "HEADER_ROW",
    "Column",
    "Ledger",
    "LedgerKind",
    "UnknownLedgerKind",
    "build_ledger",
    "china_date",
    "china_time",
    "export_ledger",
    "filing_key",
    "ledger_kind",
    "region_names",
    "write_ledger",
]


# --- the ledgers ------------------------------------------------------------------------


def _last_visit(key: str, alias: str) -> str:
    """SQL for ``last_visit``: the latest *completed* visit (a draft is not yet a visit made)."""
    return f"{latest_visit_sql(key, alias)} AS last_visit"


def _households(store: Store) -> Ledger:
    rows = query(
        store,
        f"""
        SELECT h.region_code, h.address, h.head_name, h.phone, h.economic_status, h.housing_type,
               h.house_grade, {_last_visit("household_id", "h")},
               (SELECT count(*) FROM person p
                WHERE p.household_id = h.id AND {registered_sql("p")}) AS persons
        FROM household h WHERE {live_sql("h")}
        """,
    )
    rows.sort(key=lambda r: (r.region_code, filing_key(r.address), r.head_name))
    columns = (
        *REGION_COLUMNS,
        Column("家庭住址", lambda r: r.address),
        Column("户主姓名", lambda r: r.head_name),
        Column("联系电话", lambda r: r.phone),
        Column("家庭经济状况", lambda r: label(EconomicStatus, r.economic_status)),
        Column("住房类型", lambda r: label(HousingType, r.housing_type)),
        Column("危房等级", lambda r: label(HouseGrade, r.house_grade)),
        Column("在册残疾人数", lambda r: r.persons, "int"),
        Column("最近访视日期", lambda r: china_date(r.last_visit), "date"),
    )
    return Ledger.of(LedgerKind.HOUSEHOLDS, columns, rows)


def _persons(store: Store) -> Ledger:
    rows = query(
        store,
        f"""
        SELECT p.region_code, h.address, p.name, p.name_pinyin, p.gender, p.id_number, p.cert_number,
               p.category, p.level, p.status, p.relation, h.economic_status,
               p.has_living_subsidy, p.has_care_subsidy, {_last_visit("person_id", "p")}
        FROM person p JOIN household h ON h.id = p.household_id
        WHERE {live_sql("p")} AND {live_sql("h")}
        """,
    )
    rows.sort(key=lambda r: (r.region_code, filing_key(r.address), r.name_pinyin, r.name))
    columns = (
        *REGION_COLUMNS,
        Column("家庭住址", lambda r: r.address),
        Column("姓名", lambda r: r.name),
        Column("性别", lambda r: label(Gender, r.gender)),
        Column("身份证号", lambda r: mask_id_number(r.id_number or "")),
        Column("残疾人证号", lambda r: mask_cert_number(r.cert_number) if r.cert_number else ""),
        Column("残疾类别", lambda r: label(DisabilityCategory, r.category)),
        Column("残疾等级", lambda r: label(DisabilityLevel, r.level)),
        Column("人员状态", lambda r: label(PersonStatus, r.status)),
        Column("与户主关系", lambda r: r.relation),
        Column("家庭经济状况", lambda r: label(EconomicStatus, r.economic_status)),
        Column("困难残疾人生活补贴", lambda r: yes(r.has_living_subsidy)),
        Column("重度残疾人护理补贴", lambda r: yes(r.has_care_subsidy)),
        Column("最近访视日期", lambda r: china_date(r.last_visit), "date"),
    )
    return Ledger.of(LedgerKind.PERSONS, columns, rows)


@lru_cache(maxsize=64)
def _form_title(form_id: str, version: int) -> str:
    try:
        return get_form(form_id, version).title
    except ValueError:
        return form_id


def _time_span(started_at: str | None, ended_at: str | None) -> str:
    start, end = china_time(started_at), china_time(ended_at)
    if start is None:
        return ""
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"


def _visits(store: Store) -> Ledger:
    rows = query(
        store,
        f"""
        SELECT v.id, h.region_code, h.address, h.head_name, coalesce(p.name, '') AS person_name,
               v.worker, v.started_at, v.ended_at, v.status
        FROM visit v JOIN household h ON h.id = v.household_id
        LEFT JOIN person p ON p.id = v.person_id AND {live_sql("p")}
        WHERE {live_sql("v")} AND {live_sql("h")}
        """,
    )
    rows.sort(key=lambda r: (r.region_code, filing_key(r.address), r.started_at, r.person_name))
    forms: dict[str, list[str]] = {}
    for visit_id, form_id, version in query(store, completed_forms_sql()):
        forms.setdefault(visit_id, []).append(_form_title(form_id, version))
    with store.session() as s:
        names = {u.username: u.display_name for u in s.exec(select(User)) if u.display_name}
    columns = (
        *REGION_COLUMNS,
        Column("访视日期", lambda r: china_date(r.started_at), "date"),
        Column("起止时间", lambda r: _time_span(r.started_at, r.ended_at)),
        Column("被访残疾人", lambda r: r.person_name),
        Column("户主姓名", lambda r: r.head_name),
        Column("家庭住址", lambda r: r.address),
        Column("访视人员", lambda r: names.get(r.worker, r.worker)),
        Column("访视状态", lambda r: label(VisitStatus, r.status)),
        Column("已完成表单数", lambda r: len(forms.get(r.id, ())), "int"),
        Column("已完成表单", lambda r: "、".join(forms.get(r.id, ()))),
    )
    return Ledger.of(LedgerKind.VISITS, columns, rows)


@dataclass(frozen=True, slots=True)
class _ProjectFacts:
    """A project's amounts and its latest finished acceptance round."""

    planned: Decimal
    settled: Decimal | None
    acceptance: Acceptance | None


def _project_facts(store: Store) -> dict[str, _ProjectFacts]:
    with store.session() as s:
        items: dict[str, list[RenovationItem]] = {}
        for item in projects.all_items(s):
            items.setdefault(item.project_id, []).append(item)
        # The latest finished round is the project's result (an earlier one may have failed).
        latest = projects.latest_finished_acceptances(s)
    facts = {}
    for project_id in items.keys() | latest.keys():
        plan = [item_from_row(i) for i in items.get(project_id, [])]
        sums = totals(plan)
        settled = sums.actual if any(i.actual_qty is not None for i in plan) else None
        facts[project_id] = _ProjectFacts(sums.planned, settled, latest.get(project_id))
    return facts


def _projects(store: Store) -> Ledger:
    rows = query(
        store,
        f"""
        SELECT r.id, h.region_code, h.address, h.head_name, coalesce(p.name, '') AS person_name, r.kind,
               r.title, r.status, r.contractor, r.budget, r.created_at, r.due_date
        FROM renovationproject r JOIN household h ON h.id = r.household_id
        LEFT JOIN person p ON p.id = r.person_id AND {live_sql("p")}
        WHERE {live_sql("r")} AND {live_sql("h")}
        """,
    )
    rows.sort(key=lambda r: (r.region_code, filing_key(r.address), r.created_at))
    facts = _project_facts(store)
    none = _ProjectFacts(Decimal("0.00"), None, None)

    def accepted(r: Any) -> Acceptance | None:
        return facts.get(r.id, none).acceptance

    columns = (
        *REGION_COLUMNS,
        Column("家庭住址", lambda r: r.address),
        Column("户主姓名", lambda r: r.head_name),
        Column("残疾人", lambda r: r.person_name),
        Column("项目类型", lambda r: label(ProjectKind, r.kind)),
        Column("项目名称", lambda r: r.title),
        Column("项目状态", lambda r: label(ProjectStatus, r.status)),
        Column("施工单位", lambda r: r.contractor),
        Column("预算（元）", lambda r: Decimal(str(r.budget or 0)), "money"),
        Column("计划金额（元）", lambda r: facts.get(r.id, none).planned, "money"),
        Column("结算金额（元）", lambda r: facts.get(r.id, none).settled, "money"),
        Column("申请日期", lambda r: china_date(r.created_at), "date"),
        Column("完成期限", lambda r: plain_date(r.due_date), "date"),
        Column("验收日期", lambda r: plain_date(a.accepted_on) if (a := accepted(r)) else None, "date"),
        Column("验收结论", lambda r: label(CheckResult, a.conclusion) if (a := accepted(r)) else ""),
        Column("验收单编号", lambda r: a.certificate_serial if (a := accepted(r)) else ""),
    )
    return Ledger.of(LedgerKind.PROJECTS, columns, rows)


SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低"}


def _needs(store: Store) -> Ledger:
    """Need items (需求事项) with their follow-up state; overdue as of China's today."""
    today = china_today()
    rows = query(
        store,
        f"""
        SELECT n.region_code, h.address, coalesce(p.name, '') AS name, coalesce(p.name_pinyin, '') AS pinyin,
               coalesce(p.id_number, '') AS id_number, n.need_type, n.detail, n.referral_to, n.status,
               n.opened_on, n.due_on, n.closed_on, n.closed_kind, n.close_reason
        FROM needitem n JOIN household h ON h.id = n.household_id
        LEFT JOIN person p ON p.id = n.person_id AND {live_sql("p")}
        WHERE {live_sql("n")} AND {live_sql("h")}
        """,
    )
    rows.sort(
        key=lambda r: (r.region_code, filing_key(r.address), r.pinyin, r.name, r.opened_on, r.need_type)
    )
    columns = (
        *REGION_COLUMNS,
        Column("家庭住址", lambda r: r.address),
        Column("姓名", lambda r: r.name),
        Column("身份证号", lambda r: mask_id_number(r.id_number) if r.id_number else ""),
        Column("需求类型", lambda r: label(NeedType, r.need_type)),
        Column("需求内容", lambda r: r.detail),
        Column("转介去向（责任单位）", lambda r: r.referral_to),
        Column("跟进状态", lambda r: label(NeedStatus, r.status)),
        Column("登记日期", lambda r: plain_date(r.opened_on), "date"),
        Column("办理期限", lambda r: plain_date(r.due_on), "date"),
        Column("是否逾期", lambda r: yes(is_overdue(r.status, r.due_on, today))),
        Column("办结日期", lambda r: plain_date(r.closed_on), "date"),
        Column("办结方式", lambda r: label(NeedClosedKind, r.closed_kind)),
        Column("办结说明", lambda r: r.close_reason),
    )
    return Ledger.of(LedgerKind.NEEDS, columns, rows)


@dataclass
class _DeviceLine:
    """One device of the procurement list: the catalogue item and what the needs add up to."""

    code: str
    item: dict[str, Any]
    persons: set[str] = field(default_factory=set)
    quantity: int = 0
    assessment: int = 0
    replacement: int = 0

    @property
    def unit_price(self) -> Decimal | None:
        price = load_catalog("device_prices").lookup(self.code, "unit_price")
        return None if price is None else Decimal(str(price)).quantize(Decimal("0.01"))

    @property
    def amount(self) -> Decimal | None:
        price = self.unit_price
        return None if price is None else price * self.quantity


def _latest_device_answers(store: Store) -> list[dict[str, Any]]:
    """The answers of each person's latest completed device-needs form (an older one is superseded)."""
    rows = query(
        store,
        f"""
        SELECT f.answers, coalesce(v.person_id, v.id) AS who, v.started_at, f.completed_at
        FROM formresponse f JOIN visit v ON v.id = f.visit_id JOIN household h ON h.id = v.household_id
        LEFT JOIN person p ON p.id = v.person_id
        WHERE f.form_id = '{DEVICE_FORM}' AND f.status = 'completed' AND {live_sql("f")}
          AND {live_sql("v")} AND {live_sql("h")} AND (p.id IS NULL OR {live_sql("p")})
        """,
    )
    latest: dict[str, Any] = {}
    for r in rows:
        if r.who not in latest or (r.started_at, r.completed_at) > (
            latest[r.who].started_at,
            latest[r.who].completed_at,
        ):
            latest[r.who] = r
    out = []
    for who, r in latest.items():
        answers = json.loads(r.answers) if isinstance(r.answers, str) else dict(r.answers or {})
        out.append({**answers, "_who": who})
    return out


def _devices(store: Store) -> Ledger:
    catalog = load_catalog("devices")
    classes = {str(c["code"]): str(c["name"]) for c in load_catalog("devices.classes").items}
    order = {str(item["code"]): i for i, item in enumerate(catalog.items)}
    lines: dict[str, _DeviceLine] = {}
    for answers in _latest_device_answers(store):
        if answers.get("has_need") is False:
            continue
        entries = answers.get("devices") if isinstance(answers.get("devices"), list) else []
        for entry in entries:
            prefix = f"devices[{entry}]."

            def get(q: str, answers: dict[str, Any] = answers, prefix: str = prefix) -> Any:
                return answers.get(prefix + q)

            code = str(get("device") or "")
            if not code:
                continue
            line = lines.setdefault(code, _DeviceLine(code, catalog.by_key.get(code, {"name": code})))
            quantity = int(get("quantity") or 1)
            line.persons.add(answers["_who"])
            line.quantity += quantity
            line.assessment += quantity if get("assessment_needed") else 0
            line.replacement += quantity if get("replacement_overdue") else 0
    rows = sorted(lines.values(), key=lambda d: (order.get(d.code, len(order)), d.code))
    columns = (
        Column("辅具类别", lambda d: classes.get(str(d.item.get("iso_class", "")), "")),
        Column("器具编码", lambda d: d.code),
        Column("分类代码", lambda d: str(d.item.get("iso_code", ""))),
        Column("器具名称", lambda d: str(d.item.get("name", d.code))),
        Column("单位", lambda d: str(d.item.get("unit", ""))),
        Column("需求人数", lambda d: len(d.persons), "int"),
        Column("需求数量", lambda d: d.quantity, "int"),
        Column("其中需评估", lambda d: d.assessment, "int"),
        Column("其中到期更换", lambda d: d.replacement, "int"),
        Column("补贴标准（元）", lambda d: d.unit_price, "money"),
        Column("金额（元）", lambda d: d.amount, "money"),
    )
    return Ledger.of(LedgerKind.DEVICES, columns, rows)


def _acceptances(store: Store) -> Ledger:
    rows = query(
        store,
        f"""
        SELECT a.id, a.project_id, h.region_code, h.address, h.head_name, coalesce(p.name, '') AS person_name,
               r.kind, r.title, r.contractor, r.created_at, a.round, a.accepted_on, a.team, a.conclusion,
               a.satisfaction, a.rectification_deadline, a.certificate_serial,
               (SELECT min(e.at) FROM projectevent e WHERE e.project_id = r.id AND {live_sql("e")}
                AND e.to_status = 'construction') AS started,
               (SELECT max(e.at) FROM projectevent e WHERE e.project_id = r.id AND {live_sql("e")}
                AND e.to_status = 'awaiting_acceptance') AS finished,
               (SELECT c.issued_at FROM certificate c WHERE c.acceptance_id = a.id AND {live_sql("c")}
                ORDER BY c.issued_at DESC LIMIT 1) AS issued_at
        FROM acceptance a JOIN renovationproject r ON r.id = a.project_id
        JOIN household h ON h.id = r.household_id
        LEFT JOIN person p ON p.id = r.person_id AND {live_sql("p")}
        WHERE {live_sql("a")} AND a.status = 'completed' AND {live_sql("r")} AND {live_sql("h")}
        """,
    )
    rows.sort(key=lambda r: (r.region_code, filing_key(r.address), r.accepted_on, r.round))
    facts = _project_facts(store)
    none = _ProjectFacts(Decimal("0.00"), None, None)
    columns = (
        *REGION_COLUMNS,
        Column("家庭住址", lambda r: r.address),
        Column("户主姓名", lambda r: r.head_name),
        Column("残疾人", lambda r: r.person_name),
        Column("项目类型", lambda r: label(ProjectKind, r.kind)),
        Column("项目名称", lambda r: r.title),
        Column("施工单位", lambda r: r.contractor),
        Column("申请日期", lambda r: china_date(r.created_at), "date"),
        Column("开工日期", lambda r: china_date(r.started), "date"),
        Column("竣工日期", lambda r: china_date(r.finished), "date"),
        Column("验收轮次", lambda r: r.round, "int"),
        Column("验收日期", lambda r: plain_date(r.accepted_on), "date"),
        Column("验收组成员", lambda r: "、".join(split_team(r.team))),
        Column("验收结论", lambda r: label(CheckResult, r.conclusion)),
        Column("群众满意度", lambda r: r.satisfaction),
        Column("整改期限", lambda r: plain_date(r.rectification_deadline), "date"),
        Column("计划金额（元）", lambda r: facts.get(r.project_id, none).planned, "money"),
        Column("结算金额（元）", lambda r: facts.get(r.project_id, none).settled, "money"),
        Column("验收单编号", lambda r: r.certificate_serial),
        Column("出具日期", lambda r: china_date(r.issued_at), "date"),
    )
    return Ledger.of(LedgerKind.ACCEPTANCES, columns, rows)


_BUILDERS: dict[LedgerKind, Callable[[Store], Ledger]] = {
    LedgerKind.HOUSEHOLDS: _households,
    LedgerKind.PERSONS: _persons,
    LedgerKind.VISITS: _visits,
    LedgerKind.PROJECTS: _projects,
    LedgerKind.NEEDS: _needs,
    LedgerKind.DEVICES: _devices,
    LedgerKind.ACCEPTANCES: _acceptances,
}


def build_ledger(store: Store, kind: LedgerKind | str) -> Ledger:
    """The rows of one ledger, in filing order; ``UnknownLedgerKind`` for a bad ``kind``."""
    return _BUILDERS[ledger_kind(kind)](store)


def export_ledger(
    store: Store,
    kind: LedgerKind | str,
    out_path: Path | str,
    *,
    actor: str = "cli",
    progress: Progress | None = None,
    exported_at: datetime | None = None,
) -> int:
    """Build the ``kind`` ledger of ``store`` and write it to ``out_path``; returns the row count.

    Raises ``UnknownLedgerKind`` before reading anything, and ``OSError`` when the file
    cannot be written (nothing is left behind then). The export is audited.
    """
    ledger = build_ledger(store, kind)
    count = write_ledger(ledger, out_path, exported_at=exported_at, progress=progress)
    with store.session() as s:
        audit.record(
            s,
            actor,
            "export",
            LEDGER_TBL,
            ledger.kind.value,
            f"{ledger.kind.label} {count} 行 -> {Path(out_path).name}",
        )
        s.commit()
    return count
