"""年度动态更新台账: per person, the year's visit outcome and what changed on the register that year.

The national annual update (残疾人基本服务状况和需求信息数据动态更新) asks, for
every person on the register, whether they were visited, what the visit found
(见到本人 / 未见本人 / 拒访 / 死亡 / 迁出 / 失联 — ``visit_outcome`` of the
needs assessment, which on completing the visit also sets the person's status)
and which registry facts changed. The outcome is that of the person's latest
*completed* visit of the year (China-time calendar); the changed facts are the
person's and household's fields whose current value was set during the year
after the row was created (their field clocks, ``app.store.field_clocks``), so
a fix made in the registry counts as well as a status set by a visit.

Rows: every live person of a live household, the deceased and moved-out too
(they are what the update reports); masked numbers as in every ledger.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from app.contract.hlc import Timestamp
from app.contract.ledger.columns import (
    REGION_COLUMNS,
    Column,
    Ledger,
    LedgerKind,
    china_date,
    filing_key,
    label,
)
from app.contract.ledger.definitions import Scope
from app.domain.enums import DisabilityCategory, DisabilityLevel, PersonStatus
from app.domain.ids import mask_id_number
from app.domain.localtime import CHINA_TIME, local_day_start_utc
from app.forms.definition import FormNotFoundError, get_form
from app.store.read.live import live_sql
from app.store.store import Store

OUTCOME_FORM, OUTCOME_QUESTION = "needs_assessment", "visit_outcome"
NOT_VISITED = "本年未访视"
NO_OUTCOME = "未记录"
# Registry fields the update reports, in the order shown (others — search keys, stamps — are not facts).
PERSON_FIELDS = {
    "name": "姓名", "gender": "性别", "id_number": "身份证号", "cert_number": "残疾人证号",
    "category": "残疾类别", "level": "残疾等级", "status": "人员状态", "phone": "联系电话",
    "relation": "与户主关系", "has_living_subsidy": "困难残疾人生活补贴",
    "has_care_subsidy": "重度残疾人护理补贴", "household_id": "所属家庭",
}  # fmt: skip
HOUSEHOLD_FIELDS = {
    "region_code": "所属区划", "address": "家庭住址", "head_name": "户主姓名", "phone": "家庭电话",
    "economic_status": "家庭经济状况", "housing_type": "住房类型", "house_grade": "危房等级",
}  # fmt: skip
_CREATION_SLACK_MS = 1000  # a row's fields are stamped together when it is created


def _year_span(year: int) -> tuple[str, str, int, int]:
    """UTC stamps and epoch milliseconds of the China-time calendar year."""
    start = local_day_start_utc(date(year, 1, 1), CHINA_TIME)
    end = local_day_start_utc(date(year + 1, 1, 1), CHINA_TIME)

    def ms(stamp: str) -> int:
        return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)

    return start, end, ms(start), ms(end)


def _changed(
    store: Store, tbl: str, fields: dict[str, str], start_ms: int, end_ms: int
) -> dict[str, list[str]]:
    """row id → labels of ``fields`` whose current value was set in [start, end) after the row's creation."""
    out: dict[str, list[str]] = {}
    for row_id, raw in query(store, f"SELECT row_id, clocks FROM rowclock WHERE tbl = '{tbl}'"):
        clocks = json.loads(raw or "{}")
        millis = {f: Timestamp.decode(h).millis for f, h in clocks.items()}
        if not millis:
            continue
        created = min(millis.values())
        changed = [
            text
            for f, text in fields.items()
            if f in millis and start_ms <= millis[f] < end_ms and millis[f] > created + _CREATION_SLACK_MS
        ]
        if changed:
            out[row_id] = changed
    return out


def _outcome_label(form_id: str, version: int, value: object) -> str:
    try:
        q = get_form(form_id, version).questions.get(OUTCOME_QUESTION)
    except FormNotFoundError:
        q = None
    for c in (q.choices or ()) if q else ():
        if c.value == value:
            return c.label
    return str(value) if value else NO_OUTCOME


def _visits(store: Store, start: str, end: str) -> dict[str, dict[str, Any]]:
    """person id → count, latest day and latest outcome of the year's completed visits."""
    rows = query(
        store,
        f"""
        SELECT v.id, v.person_id, v.started_at, f.form_id, f.form_version, f.answers
        FROM visit v LEFT JOIN formresponse f
          ON f.visit_id = v.id AND f.form_id = '{OUTCOME_FORM}' AND {live_sql("f")}
        WHERE {live_sql("v")} AND v.status = 'completed' AND v.person_id IS NOT NULL
          AND v.started_at >= '{start}' AND v.started_at < '{end}'
        ORDER BY v.started_at
        """,
    )
    out: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for visit_id, person_id, started_at, form_id, version, answers in rows:
        facts = out.setdefault(person_id, {"count": 0, "last": None, "outcome": NO_OUTCOME})
        if visit_id not in seen:
            seen.add(visit_id)
            facts["count"] += 1
            facts["last"] = started_at
            facts["outcome"] = NO_OUTCOME
        if form_id:
            values = json.loads(answers) if isinstance(answers, str) else dict(answers or {})
            if values.get(OUTCOME_QUESTION):
                facts["outcome"] = _outcome_label(form_id, int(version), values[OUTCOME_QUESTION])
    return out


def query(store: Store, sql: str) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


def annual_update_ledger(store: Store, year: int | None = None, scope: Scope | None = None) -> Ledger:
    """The annual-update ledger of ``year`` (this China-time year by default) within ``scope``'s region."""
    scope = scope or Scope()
    year = year or datetime.now(CHINA_TIME).year
    start, end, start_ms, end_ms = _year_span(year)
    rows = query(
        store,
        f"""
        SELECT p.id, p.household_id, p.region_code, h.address, p.name, p.name_pinyin, p.id_number,
               p.category, p.level, p.status
        FROM person p JOIN household h ON h.id = p.household_id
        WHERE {live_sql("p")} AND {live_sql("h")}
        """,
    )
    rows = [r for r in rows if scope.has_region(r.region_code)]
    rows.sort(key=lambda r: (r.region_code, filing_key(r.address), r.name_pinyin, r.name))
    visits = _visits(store, start, end)
    person_changes = _changed(store, "person", PERSON_FIELDS, start_ms, end_ms)
    household_changes = _changed(store, "household", HOUSEHOLD_FIELDS, start_ms, end_ms)

    def visit(r: Any) -> dict[str, Any]:
        return visits.get(r.id, {"count": 0, "last": None, "outcome": NOT_VISITED})

    def changes(r: Any) -> str:
        return "、".join([*person_changes.get(r.id, ()), *household_changes.get(r.household_id, ())])

    columns = (
        *REGION_COLUMNS,
        Column("家庭住址", lambda r: r.address),
        Column("姓名", lambda r: r.name),
        Column("身份证号", lambda r: mask_id_number(r.id_number or "")),
        Column("残疾类别", lambda r: label(DisabilityCategory, r.category)),
        Column("残疾等级", lambda r: label(DisabilityLevel, r.level)),
        Column("本年访视次数", lambda r: visit(r)["count"], "int"),
        Column("最近访视日期", lambda r: china_date(visit(r)["last"]), "date"),
        Column("访视结果", lambda r: visit(r)["outcome"]),
        Column("人员状态", lambda r: label(PersonStatus, r.status)),
        Column("本年变更项目", changes),
    )
    return Ledger.of(LedgerKind.ANNUAL_UPDATE, columns, rows, scope=scope.text(LedgerKind.ANNUAL_UPDATE))


def build(store: Store, scope: Scope, unmask: bool) -> Ledger:
    """The ledger builder ``app.services.ledger`` registers (this year; ID numbers always masked)."""
    return annual_update_ledger(store, scope=scope)
