"""Each ledger's columns, filing order and period, once for the laptop and the server.

A definition reads a *source row*: any object with the attributes listed below
(an SQL row on the laptop, a ``SimpleNamespace`` made from the server's records).
Both programs fetch their own rows and call ``build`` here, so a ledger has the
same headers, the same values and the same order wherever it is exported.

Source attributes (stored values: codes, UTC stamps, ISO dates):

- households: ``region_code address head_name phone economic_status housing_type
  house_grade last_visit persons``
- persons: ``region_code address name name_pinyin gender id_number cert_number
  category level status relation economic_status has_living_subsidy
  has_care_subsidy last_visit``
- visits: ``region_code address head_name person_name worker_name started_at
  ended_at status forms`` (the titles of its completed forms)
- projects: ``region_code address head_name person_name kind title status
  contractor budget created_at due_date planned settled accepted_on conclusion
  certificate_serial`` (the last three of the latest finished acceptance round)
- acceptances: ``region_code address head_name person_name kind title contractor
  created_at started finished round accepted_on team conclusion satisfaction
  rectification_deadline planned settled certificate_serial issued_at``
- needs: ``region_code address name name_pinyin id_number need_type detail referral_to
  status opened_on due_on closed_on closed_kind close_reason`` (need items, 需求事项)
- devices: one ``devices.DeviceLine`` per device (``devices.device_lines`` adds
  up the latest device-needs forms, on both sides)

ID and certificate numbers are masked unless ``unmask`` is given, which only a
role with ``app.contract.roles.may_unmask_id`` may ask for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.contract.certificate.records import split_team
from app.contract.ledger.columns import (
    REGION_COLUMNS,
    Column,
    Ledger,
    LedgerKind,
    china_date,
    china_time,
    filing_key,
    label,
    plain_date,
    yes,
)
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
from app.domain.regions import UnknownRegion, covers, default_catalog

Columns = Callable[[bool], tuple[Column, ...]]


def _id_number(unmask: bool) -> Callable[[Any], str]:
    if unmask:
        return lambda r: r.id_number or ""
    return lambda r: mask_id_number(r.id_number or "")


def _cert_number(unmask: bool) -> Callable[[Any], str]:
    if unmask:
        return lambda r: r.cert_number or ""
    return lambda r: mask_cert_number(r.cert_number) if r.cert_number else ""


def _households(unmask: bool) -> tuple[Column, ...]:
    return (
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


def _persons(unmask: bool) -> tuple[Column, ...]:
    return (
        *REGION_COLUMNS,
        Column("家庭住址", lambda r: r.address),
        Column("姓名", lambda r: r.name),
        Column("性别", lambda r: label(Gender, r.gender)),
        Column("身份证号", _id_number(unmask)),
        Column("残疾人证号", _cert_number(unmask)),
        Column("残疾类别", lambda r: label(DisabilityCategory, r.category)),
        Column("残疾等级", lambda r: label(DisabilityLevel, r.level)),
        Column("人员状态", lambda r: label(PersonStatus, r.status)),
        Column("与户主关系", lambda r: r.relation),
        Column("家庭经济状况", lambda r: label(EconomicStatus, r.economic_status)),
        Column("困难残疾人生活补贴", lambda r: yes(r.has_living_subsidy)),
        Column("重度残疾人护理补贴", lambda r: yes(r.has_care_subsidy)),
        Column("最近访视日期", lambda r: china_date(r.last_visit), "date"),
    )


def _time_span(started_at: str | None, ended_at: str | None) -> str:
    start, end = china_time(started_at), china_time(ended_at)
    if start is None:
        return ""
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"


def _visits(unmask: bool) -> tuple[Column, ...]:
    return (
        *REGION_COLUMNS,
        Column("访视日期", lambda r: china_date(r.started_at), "date"),
        Column("起止时间", lambda r: _time_span(r.started_at, r.ended_at)),
        Column("被访残疾人", lambda r: r.person_name),
        Column("户主姓名", lambda r: r.head_name),
        Column("家庭住址", lambda r: r.address),
        Column("访视人员", lambda r: r.worker_name),
        Column("访视状态", lambda r: label(VisitStatus, r.status)),
        Column("已完成表单数", lambda r: len(r.forms), "int"),
        Column("已完成表单", lambda r: "、".join(r.forms)),
    )


def _projects(unmask: bool) -> tuple[Column, ...]:
    return (
        *REGION_COLUMNS,
        Column("家庭住址", lambda r: r.address),
        Column("户主姓名", lambda r: r.head_name),
        Column("残疾人", lambda r: r.person_name),
        Column("项目类型", lambda r: label(ProjectKind, r.kind)),
        Column("项目名称", lambda r: r.title),
        Column("项目状态", lambda r: label(ProjectStatus, r.status)),
        Column("施工单位", lambda r: r.contractor),
        Column("预算（元）", lambda r: Decimal(str(r.budget or 0)), "money"),
        Column("计划金额（元）", lambda r: r.planned, "money"),
        Column("结算金额（元）", lambda r: r.settled, "money"),
        Column("申请日期", lambda r: china_date(r.created_at), "date"),
        Column("完成期限", lambda r: plain_date(r.due_date), "date"),
        Column("验收日期", lambda r: plain_date(r.accepted_on), "date"),
        Column("验收结论", lambda r: label(CheckResult, r.conclusion)),
        Column("验收单编号", lambda r: r.certificate_serial or ""),
    )


def _acceptances(unmask: bool) -> tuple[Column, ...]:
    return (
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
        Column("计划金额（元）", lambda r: r.planned, "money"),
        Column("结算金额（元）", lambda r: r.settled, "money"),
        Column("验收单编号", lambda r: r.certificate_serial),
        Column("出具日期", lambda r: china_date(r.issued_at), "date"),
    )


def _devices(unmask: bool, classes: dict[str, str] | None = None) -> tuple[Column, ...]:
    classes = classes or {}
    return (
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


def _needs(unmask: bool, today: date | None = None) -> tuple[Column, ...]:
    """Need items with their follow-up state; overdue as of ``today`` (China's today by default)."""
    today = today or china_today()
    return (
        *REGION_COLUMNS,
        Column("家庭住址", lambda r: r.address),
        Column("姓名", lambda r: r.name),
        Column("身份证号", _id_number(unmask)),
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


@dataclass(frozen=True)
class Definition:
    """One ledger: its columns, how its rows are filed, and which day a period picks rows by."""

    kind: LedgerKind
    columns: Callable[..., tuple[Column, ...]]
    order: Callable[[Any], Any] | None = None  # None: the builder's own order (devices: the catalogue's)
    day: Callable[[Any], date | None] | None = None  # None: a snapshot, the period does not apply
    period_label: str = ""  # what the period is of, for the screen and the console
    has_ids: bool = False  # shows ID or certificate numbers (masked unless ``unmask``)


DEFINITIONS: dict[LedgerKind, Definition] = {
    LedgerKind.HOUSEHOLDS: Definition(
        LedgerKind.HOUSEHOLDS,
        _households,
        lambda r: (r.region_code, filing_key(r.address), r.head_name),
    ),
    LedgerKind.PERSONS: Definition(
        LedgerKind.PERSONS,
        _persons,
        lambda r: (r.region_code, filing_key(r.address), r.name_pinyin or "", r.name),
        has_ids=True,
    ),
    LedgerKind.VISITS: Definition(
        LedgerKind.VISITS,
        _visits,
        lambda r: (r.region_code, filing_key(r.address), r.started_at or "", r.person_name),
        lambda r: china_date(r.started_at),
        "访视日期",
    ),
    LedgerKind.PROJECTS: Definition(
        LedgerKind.PROJECTS,
        _projects,
        lambda r: (r.region_code, filing_key(r.address), r.created_at or ""),
        lambda r: china_date(r.created_at),
        "申请日期",
    ),
    LedgerKind.ACCEPTANCES: Definition(
        LedgerKind.ACCEPTANCES,
        _acceptances,
        lambda r: (r.region_code, filing_key(r.address), r.accepted_on or "", r.round or 0),
        lambda r: plain_date(r.accepted_on),
        "验收日期",
    ),
    LedgerKind.NEEDS: Definition(
        LedgerKind.NEEDS,
        _needs,
        lambda r: (
            r.region_code,
            filing_key(r.address),
            r.name_pinyin or "",
            r.name,
            r.opened_on or "",
            r.need_type,
        ),
        lambda r: plain_date(r.opened_on),
        "登记日期",
        has_ids=True,
    ),
    LedgerKind.DEVICES: Definition(LedgerKind.DEVICES, _devices),
}


@dataclass(frozen=True, slots=True)
class Scope:
    """Which rows a ledger covers: a region prefix ("" = all the source holds) and a period (inclusive)."""

    region: str = ""
    start: date | None = None
    end: date | None = None

    def has_region(self, code: str | None) -> bool:
        if not self.region:
            return True
        try:
            return covers([self.region], code or "")
        except UnknownRegion:
            return False

    def has_day(self, day: date | None) -> bool:
        if self.start is None and self.end is None:
            return True
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def text(self, kind: LedgerKind) -> str:
        """The scope in words, for the line above the header: region names and the period."""
        parts = []
        if self.region:
            try:
                parts.append(default_catalog().full_name(self.region, with_province=False))
            except UnknownRegion:
                parts.append(self.region)
        definition = DEFINITIONS.get(kind)
        if definition is not None and definition.day is not None and (self.start or self.end):
            start = self.start.isoformat() if self.start else "…"
            end = self.end.isoformat() if self.end else "…"
            parts.append(f"{definition.period_label} {start} 至 {end}")
        return "　".join(parts)


def select(kind: LedgerKind, sources: Iterable[Any], scope: Scope) -> list[Any]:
    """The source rows inside ``scope`` (region by ``region_code``; period by the kind's day)."""
    definition = DEFINITIONS[kind]
    rows = [r for r in sources if scope.has_region(r.region_code)] if scope.region else list(sources)
    if definition.day is not None and (scope.start or scope.end):
        rows = [r for r in rows if scope.has_day(definition.day(r))]
    return rows


def build(
    kind: LedgerKind,
    sources: Iterable[Any],
    *,
    scope: Scope | None = None,
    unmask: bool = False,
    **extra: Any,
) -> Ledger:
    """The ``kind`` ledger of ``sources``: selected by ``scope``, filed in order, columns evaluated.

    ``extra`` goes to the kind's columns (devices: ``classes``, the catalogue's class names).
    """
    definition = DEFINITIONS[kind]
    scope = scope or Scope()
    rows = select(kind, sources, scope) if kind is not LedgerKind.DEVICES else list(sources)
    if definition.order is not None:
        rows.sort(key=definition.order)
    return Ledger.of(kind, definition.columns(unmask, **extra), rows, scope=scope.text(kind), unmasked=unmask)
