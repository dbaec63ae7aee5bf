"""台账 (ledgers): a profile's households, persons, visits, projects or needs as one Excel sheet.

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

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text
from sqlmodel import select

from app.domain.enums import (
    CheckResult,
    DisabilityCategory,
    DisabilityLevel,
    EconomicStatus,
    Gender,
    HouseGrade,
    HousingType,
    LabelledEnum,
    PersonStatus,
    ProjectKind,
    ProjectStatus,
    VisitStatus,
)
from app.domain.ids import mask_cert_number, mask_id_number
from app.domain.localtime import CHINA_TIME, parse_stamp
from app.domain.regions import RegionLevel, UnknownRegion, default_catalog
from app.domain.renovation import totals
from app.forms.alerts import SEVERITIES
from app.forms.definition import get_form
from app.services.alerts import AlertService
from app.services.projects import item_from_row
from app.store import audit
from app.store.models import Acceptance, RenovationItem, User
from app.store.read import projects
from app.store.read.households import live_ids_sql
from app.store.read.live import live_sql
from app.store.read.persons import registered_sql
from app.store.read.visits import completed_forms_sql, latest_visit_sql
from app.store.store import Store

LEDGER_TBL = "ledger"  # AuditEvent.tbl of ledger exports
PROGRESS_EVERY = 500

Progress = Callable[[int, int], None]


class LedgerKind(LabelledEnum):
    """Which ledger; the value is the ``--kind`` name, the label the sheet's Chinese title."""

    HOUSEHOLDS = "households", "家庭户台账"
    PERSONS = "persons", "残疾人台账"
    VISITS = "visits", "入户访视台账"
    PROJECTS = "projects", "改造项目台账"
    NEEDS = "needs", "需求台账"


class UnknownLedgerKind(ValueError):
    """A ``--kind`` that is not one of ``LedgerKind``."""


def ledger_kind(value: LedgerKind | str) -> LedgerKind:
    """The kind named by ``value``; ``UnknownLedgerKind`` (in Chinese, listing the kinds) if none."""
    try:
        return LedgerKind(value)
    except ValueError:
        known = "、".join(f"{k.value}（{k.label}）" for k in LedgerKind)
        raise UnknownLedgerKind(f"未知的台账类型“{value}”，可选：{known}") from None


@dataclass(frozen=True, slots=True)
class Column:
    """One column: Chinese header, how to get its value from a source row, how to show it.

    ``kind`` is ``text``, ``date`` (a real Excel date), ``money`` (yuan, two decimals) or ``int``.
    """

    header: str
    value: Callable[[Any], Any]
    kind: str = "text"


@dataclass(frozen=True)
class Ledger:
    """A ledger's columns and row values, in filing order, before it becomes a sheet (序号 is added then)."""

    kind: LedgerKind
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]

    @classmethod
    def of(cls, kind: LedgerKind, columns: Sequence[Column], sources: Iterable[Any]) -> Ledger:
        """Evaluate ``columns`` over ``sources`` (already in filing order)."""
        cols = tuple(columns)
        return cls(kind, cols, [tuple(c.value(src) for c in cols) for src in sources])


# --- small shared helpers ---------------------------------------------------------------

_NUMBERS = re.compile(r"(\d+)")


@lru_cache(maxsize=8192)
def region_names(code: str) -> tuple[str, str, str]:
    """County, township and village names of a 12-digit code; an unknown code stays visible as itself."""
    try:
        path = default_catalog().path(code)
    except UnknownRegion:
        return "", "", code
    names = {r.level: r.name for r in path}
    return (
        names.get(RegionLevel.COUNTY, ""),
        names.get(RegionLevel.TOWNSHIP, ""),
        names.get(RegionLevel.VILLAGE, ""),
    )


# Every source row has a ``region_code``; the ledger shows names, county to village.
REGION_COLUMNS = (
    Column("县（市、区）", lambda r: region_names(r.region_code)[0]),
    Column("乡镇（街道）", lambda r: region_names(r.region_code)[1]),
    Column("村（社区）", lambda r: region_names(r.region_code)[2]),
)


def filing_key(address: str) -> tuple[Any, ...]:
    """Address sort key with numbers compared as numbers: 3幢 before 12幢."""
    # split() with a group alternates text and digits, so equal positions always hold equal types.
    return tuple(int(p) if i % 2 else p for i, p in enumerate(_NUMBERS.split(address or "")))


def _label(enum: type[LabelledEnum], value: str | None) -> str:
    """The Chinese label of a stored code; an unknown code is shown as it is, empty stays empty."""
    if not value:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return value


def china_time(stamp: str | None) -> datetime | None:
    """A stored UTC stamp (``2026-11-25T14:49:36.123Z``) as naive China time; None if empty or bad."""
    moment = parse_stamp(stamp)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TIME).replace(tzinfo=None)


def china_date(stamp: str | None) -> date | None:
    """The China-time calendar day of a stored UTC stamp."""
    moment = china_time(stamp)
    return moment.date() if moment else None


def _plain_date(value: str | None) -> date | None:
    """A stored calendar date (``2026-06-01``, no time zone); None if empty or bad."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _yes(flag: object) -> str:
    return "是" if flag else "否"


def _query(store: Store, sql: str) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


# --- the ledgers ------------------------------------------------------------------------


def _last_visit(key: str, alias: str) -> str:
    """SQL for ``last_visit``: the latest *completed* visit (a draft is not yet a visit made)."""
    return f"{latest_visit_sql(key, alias)} AS last_visit"


def _households(store: Store) -> Ledger:
    rows = _query(
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
        Column("家庭经济状况", lambda r: _label(EconomicStatus, r.economic_status)),
        Column("住房类型", lambda r: _label(HousingType, r.housing_type)),
        Column("危房等级", lambda r: _label(HouseGrade, r.house_grade)),
        Column("在册残疾人数", lambda r: r.persons, "int"),
        Column("最近访视日期", lambda r: china_date(r.last_visit), "date"),
    )
    return Ledger.of(LedgerKind.HOUSEHOLDS, columns, rows)


def _persons(store: Store) -> Ledger:
    rows = _query(
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
        Column("性别", lambda r: _label(Gender, r.gender)),
        Column("身份证号", lambda r: mask_id_number(r.id_number or "")),
        Column("残疾人证号", lambda r: mask_cert_number(r.cert_number) if r.cert_number else ""),
        Column("残疾类别", lambda r: _label(DisabilityCategory, r.category)),
        Column("残疾等级", lambda r: _label(DisabilityLevel, r.level)),
        Column("人员状态", lambda r: _label(PersonStatus, r.status)),
        Column("与户主关系", lambda r: r.relation),
        Column("家庭经济状况", lambda r: _label(EconomicStatus, r.economic_status)),
        Column("困难残疾人生活补贴", lambda r: _yes(r.has_living_subsidy)),
        Column("重度残疾人护理补贴", lambda r: _yes(r.has_care_subsidy)),
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
    rows = _query(
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
    for visit_id, form_id, version in _query(store, completed_forms_sql()):
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
        Column("访视状态", lambda r: _label(VisitStatus, r.status)),
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
    rows = _query(
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
        Column("项目类型", lambda r: _label(ProjectKind, r.kind)),
        Column("项目名称", lambda r: r.title),
        Column("项目状态", lambda r: _label(ProjectStatus, r.status)),
        Column("施工单位", lambda r: r.contractor),
        Column("预算（元）", lambda r: Decimal(str(r.budget or 0)), "money"),
        Column("计划金额（元）", lambda r: facts.get(r.id, none).planned, "money"),
        Column("结算金额（元）", lambda r: facts.get(r.id, none).settled, "money"),
        Column("申请日期", lambda r: china_date(r.created_at), "date"),
        Column("完成期限", lambda r: _plain_date(r.due_date), "date"),
        Column("验收日期", lambda r: _plain_date(a.accepted_on) if (a := accepted(r)) else None, "date"),
        Column("验收结论", lambda r: _label(CheckResult, a.conclusion) if (a := accepted(r)) else ""),
        Column("验收单编号", lambda r: a.certificate_serial if (a := accepted(r)) else ""),
    )
    return Ledger.of(LedgerKind.PROJECTS, columns, rows)


SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低"}


def _needs(store: Store) -> Ledger:
    # AlertService reads registered persons without looking at their household's tombstone.
    live = {r.id for r in _query(store, live_ids_sql())}
    alerts = [a for a in AlertService(store).over_registry() if a.household_id in live]
    alerts.sort(
        key=lambda a: (a.region_code, filing_key(a.address), a.name, SEVERITIES.index(a.alert.severity))
    )
    columns = (
        *REGION_COLUMNS,
        Column("家庭住址", lambda a: a.address),
        Column("姓名", lambda a: a.name),
        Column("预警事项", lambda a: a.alert.title),
        Column("紧急程度", lambda a: SEVERITY_LABELS.get(a.alert.severity, a.alert.severity)),
        Column("说明", lambda a: a.alert.message),
    )
    return Ledger.of(LedgerKind.NEEDS, columns, alerts)


_BUILDERS: dict[LedgerKind, Callable[[Store], Ledger]] = {
    LedgerKind.HOUSEHOLDS: _households,
    LedgerKind.PERSONS: _persons,
    LedgerKind.VISITS: _visits,
    LedgerKind.PROJECTS: _projects,
    LedgerKind.NEEDS: _needs,
}


def build_ledger(store: Store, kind: LedgerKind | str) -> Ledger:
    """The rows of one ledger, in filing order; ``UnknownLedgerKind`` for a bad ``kind``."""
    return _BUILDERS[ledger_kind(kind)](store)


# --- the workbook -----------------------------------------------------------------------

_FORMATS = {"date": "yyyy-mm-dd", "money": "#,##0.00", "int": "0"}
_TITLE_FONT = Font(bold=True, size=16)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_FIXED_WIDTHS = {"date": 12.0, "money": 13.0}
HEADER_ROW = 3  # title, export time, then the column headers


def _display_width(value: object) -> int:
    """Columns a value takes in Excel: a Chinese character counts two."""
    s = str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> list[float]:
    widths = []
    for i, col in enumerate(columns):
        if col.kind in _FIXED_WIDTHS:
            widths.append(max(_FIXED_WIDTHS[col.kind], _display_width(col.header) + 2.0))
            continue
        longest = max((_display_width(r[i]) for r in rows if r[i] not in (None, "")), default=0)
        widths.append(float(min(max(longest, _display_width(col.header), 4) + 2, 60)))
    return widths


def _cell(ws: WriteOnlyWorksheet, value: Any, number_format: str | None = None) -> Any:
    """A value ready for ``append``: text kept as text (never a formula), dates and amounts formatted."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            # An address typed as "=..." must stay text, not become a formula in the clerk's Excel.
            cell = WriteOnlyCell(ws, value)
            cell.data_type = "s"
            return cell
        return value
    if number_format and value is not None:
        cell = WriteOnlyCell(ws, value)
        cell.number_format = number_format
        return cell
    return value


def _styled(ws: WriteOnlyWorksheet, value: str, font: Font, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.font = font
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def write_ledger(
    ledger: Ledger,
    out_path: Path | str,
    *,
    exported_at: datetime | None = None,
    progress: Progress | None = None,
) -> int:
    """Write ``ledger`` as one sheet to ``out_path``; returns the number of data rows.

    The workbook goes to a temporary file next to ``out_path`` that is renamed over
    it at the end, so an error (or a killed process) never leaves a half-written file
    under the target name. ``progress`` gets ``(rows written, total)``.
    """
    out_path = Path(out_path)
    exported_at = exported_at or datetime.now(CHINA_TIME).replace(tzinfo=None)
    columns = (Column("序号", lambda n: n, "int"), *ledger.columns)
    total = len(ledger.rows)
    title = ledger.kind.label
    wb = Workbook(write_only=True)
    wb.properties.title = title
    wb.properties.creator = "HomeVisit"
    ws = wb.create_sheet(title)
    last = get_column_letter(len(columns))
    for i, width in enumerate(_widths(columns, [(n, *r) for n, r in enumerate(ledger.rows, 1)]), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(total, 1)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.append([_styled(ws, title, _TITLE_FONT, alignment=_CENTRE)])
    ws.row_dimensions[1].height = 28
    ws.append([f"导出时间：{exported_at:%Y-%m-%d %H:%M}（北京时间）　共 {total} 条"])
    ws.append(
        [
            _styled(ws, c.header, _HEADER_FONT, fill=_HEADER_FILL, border=_HEADER_BORDER, alignment=_CENTRE)
            for c in columns
        ]
    )
    formats = [_FORMATS.get(c.kind) for c in ledger.columns]
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    try:
        for n, row in enumerate(ledger.rows, 1):
            ws.append([n, *(_cell(ws, v, f) for v, f in zip(row, formats, strict=True))])
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(n, total)
        wb.save(tmp)
        os.replace(tmp, out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(total, total)
    return total


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
