"""台账 (ledgers): a profile's households, persons, visits, projects, needs, device procurement or acceptances.

A county federation receives these as spreadsheets. Each kind is read in a few
set queries into source rows, and ``app.contract.ledger`` (shared with the
server console) turns them into a ``Ledger`` (columns and rows, no Excel yet),
so a test or the ledger screen can look at the rows; ``write_ledger`` turns it
into an .xlsx with a title, the scope and export time, a bold frozen header
with filters, real dates and amounts, and column widths that fit the content.
``export_ledger`` does both and audits the export (PIPL).

What a ledger shows and hides:
- Tombstoned rows (``deleted``) never appear, nor rows of a tombstoned household.
- ID and certificate numbers are masked (``app.domain.ids``) unless the user's
  role may see them whole (``app.contract.roles.may_unmask_id``) and asks to;
  such an export is audited as one with unmasked data. Birth dates and visit
  summaries are left out, since they would undo the mask or carry health details.
- Stored times are UTC; a clerk's calendar is China time, so dates and times
  are shown in UTC+8 (a visit at 00:30 Beijing time belongs to that day).
- Rows are sorted as a clerk files them: region code (the statistical order of
  the catalogue), then address with house numbers in numeric order, then name.
- A ``Scope`` narrows a ledger to a region and, for visits, projects and
  acceptances, a period (the visit, application or acceptance day).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import text

from app.contract.ledger.columns import (
    Column,
    Ledger,
    LedgerCancelled,
    LedgerKind,
    Progress,
    UnknownLedgerKind,
    china_date,
    china_time,
    filing_key,
    ledger_kind,
    region_names,
)
from app.contract.ledger.definitions import Scope, build
from app.contract.ledger.devices import DEVICE_FORM, DeviceForm, device_lines
from app.contract.ledger.workbook import HEADER_ROW, write_ledger
from app.contract.roles import UNMASK_ID, may_unmask_id
from app.domain.renovation import totals
from app.forms.catalogs import load_catalog
from app.forms.definition import get_form
from app.services import ledger_annual
from app.services.projects import item_from_row
from app.services.user_names import UserNames
from app.store import audit
from app.store.models import Acceptance, RenovationItem
from app.store.read import projects
from app.store.read.live import live_sql
from app.store.read.persons import registered_sql
from app.store.read.visits import completed_forms_sql, latest_visit_sql
from app.store.store import Store

LEDGER_TBL = "ledger"  # AuditEvent.tbl of ledger exports
UNMASKED_NOTE = "未脱敏：含完整身份证号、残疾人证号"  # in the audit detail of an unmasked export

__all__ = [
    "HEADER_ROW",
    "Column",
    "Ledger",
    "LedgerCancelled",
    "LedgerKind",
    "Scope",
    "UnknownLedgerKind",
    "UnmaskRefused",
    "build_ledger",
    "china_date",
    "china_time",
    "export_ledger",
    "filing_key",
    "ledger_kind",
    "region_names",
    "write_ledger",
]


class UnmaskRefused(ValueError):
    """Whole ID numbers asked for by a role that may not see them."""


def query(store: Store, sql: str) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


def _with(row: Any, **extra: Any) -> SimpleNamespace:
    """A source row with the values the shared columns read beside the query's own."""
    return SimpleNamespace(**row._mapping, **extra)


# --- the ledgers ------------------------------------------------------------------------


def _last_visit(key: str, alias: str) -> str:
    """SQL for ``last_visit``: the latest *completed* visit (a draft is not yet a visit made)."""
    return f"{latest_visit_sql(key, alias)} AS last_visit"


def _households(store: Store, scope: Scope, unmask: bool) -> Ledger:
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
    return build(LedgerKind.HOUSEHOLDS, rows, scope=scope, unmask=unmask)


def _persons(store: Store, scope: Scope, unmask: bool) -> Ledger:
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
    return build(LedgerKind.PERSONS, rows, scope=scope, unmask=unmask)


@lru_cache(maxsize=64)
def _form_title(form_id: str, version: int) -> str:
    try:
        return get_form(form_id, version).title
    except ValueError:
        return form_id


def _visits(store: Store, scope: Scope, unmask: bool) -> Ledger:
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
    forms: dict[str, list[str]] = {}
    for visit_id, form_id, version in query(store, completed_forms_sql()):
        forms.setdefault(visit_id, []).append(_form_title(form_id, version))
    names = UserNames.load(store)
    sources = [_with(r, worker_name=names(r.worker), forms=tuple(forms.get(r.id, ()))) for r in rows]
    return build(LedgerKind.VISITS, sources, scope=scope, unmask=unmask)


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


def _projects(store: Store, scope: Scope, unmask: bool) -> Ledger:
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
    facts = _project_facts(store)
    none = _ProjectFacts(Decimal("0.00"), None, None)

    def source(r: Any) -> SimpleNamespace:
        f = facts.get(r.id, none)
        a = f.acceptance
        return _with(
            r,
            planned=f.planned,
            settled=f.settled,
            accepted_on=a.accepted_on if a else None,
            conclusion=a.conclusion if a else "",
            certificate_serial=a.certificate_serial if a else "",
        )

    return build(LedgerKind.PROJECTS, [source(r) for r in rows], scope=scope, unmask=unmask)


def _needs(store: Store, scope: Scope, unmask: bool) -> Ledger:
    """Need items (需求事项) with their follow-up state (``app.contract.ledger.definitions``)."""
    rows = query(
        store,
        f"""
        SELECT n.region_code, h.address, coalesce(p.name, '') AS name, coalesce(p.name_pinyin, '') AS name_pinyin,
               coalesce(p.id_number, '') AS id_number, n.need_type, n.detail, n.referral_to, n.status,
               n.opened_on, n.due_on, n.closed_on, n.closed_kind, n.close_reason
        FROM needitem n JOIN household h ON h.id = n.household_id
        LEFT JOIN person p ON p.id = n.person_id AND {live_sql("p")}
        WHERE {live_sql("n")} AND {live_sql("h")}
        """,
    )
    return build(LedgerKind.NEEDS, rows, scope=scope, unmask=unmask)


def _device_forms(store: Store, scope: Scope) -> list[DeviceForm]:
    """Every completed live device-needs form of a live household (and person) inside ``scope``."""
    rows = query(
        store,
        f"""
        SELECT f.answers, coalesce(v.person_id, v.id) AS who, v.started_at, f.completed_at, h.region_code
        FROM formresponse f JOIN visit v ON v.id = f.visit_id JOIN household h ON h.id = v.household_id
        LEFT JOIN person p ON p.id = v.person_id
        WHERE f.form_id = '{DEVICE_FORM}' AND f.status = 'completed' AND {live_sql("f")}
          AND {live_sql("v")} AND {live_sql("h")} AND (p.id IS NULL OR {live_sql("p")})
        """,
    )
    return [
        DeviceForm(
            r.who,
            r.started_at or "",
            r.completed_at or "",
            json.loads(r.answers) if isinstance(r.answers, str) else dict(r.answers or {}),
        )
        for r in rows
        if scope.has_region(r.region_code)
    ]


def _devices(store: Store, scope: Scope, unmask: bool) -> Ledger:
    items = load_catalog("devices").items
    prices = {str(p["code"]): p.get("unit_price") for p in load_catalog("device_prices").items}
    classes = {str(c["code"]): str(c["name"]) for c in load_catalog("devices.classes").items}
    rows = device_lines(_device_forms(store, scope), items, prices)
    return build(LedgerKind.DEVICES, rows, scope=scope, unmask=unmask, classes=classes)


def _acceptances(store: Store, scope: Scope, unmask: bool) -> Ledger:
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
    facts = _project_facts(store)
    none = _ProjectFacts(Decimal("0.00"), None, None)
    sources = [
        _with(r, planned=(f := facts.get(r.project_id, none)).planned, settled=f.settled) for r in rows
    ]
    return build(LedgerKind.ACCEPTANCES, sources, scope=scope, unmask=unmask)


_BUILDERS: dict[LedgerKind, Callable[[Store, Scope, bool], Ledger]] = {
    LedgerKind.HOUSEHOLDS: _households,
    LedgerKind.PERSONS: _persons,
    LedgerKind.VISITS: _visits,
    LedgerKind.PROJECTS: _projects,
    LedgerKind.NEEDS: _needs,
    LedgerKind.DEVICES: _devices,
    LedgerKind.ACCEPTANCES: _acceptances,
    LedgerKind.ANNUAL_UPDATE: ledger_annual.build,
}


def build_ledger(
    store: Store, kind: LedgerKind | str, *, scope: Scope | None = None, unmask: bool = False
) -> Ledger:
    """The rows of one ledger, in filing order; ``UnknownLedgerKind`` for a bad ``kind``.

    ``unmask`` shows ID numbers whole; only ``export_ledger`` checks the role, so a caller
    that shows the rows (the screen's preview) must ask ``may_unmask_id`` itself.
    """
    return _BUILDERS[ledger_kind(kind)](store, scope or Scope(), unmask)


def check_unmask(role: str | None, regions: list[str] | tuple[str, ...], scope: Scope) -> None:
    """``UnmaskRefused`` (in Chinese) unless ``role`` may see whole ID numbers for ``scope``'s region."""
    if not may_unmask_id(role or "", regions, scope.region):
        raise UnmaskRefused("当前角色无权导出完整身份证号，台账中的证件号将脱敏显示")


def export_ledger(
    store: Store,
    kind: LedgerKind | str,
    out_path: Path | str,
    *,
    actor: str = "cli",
    progress: Progress | None = None,
    exported_at: datetime | None = None,
    scope: Scope | None = None,
    unmask: bool = False,
    role: str | None = None,
    regions: list[str] | tuple[str, ...] = (),
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Build the ``kind`` ledger of ``store`` and write it to ``out_path``; returns the row count.

    Raises ``UnknownLedgerKind`` before reading anything, ``UnmaskRefused`` when ``unmask``
    is asked for by a ``role`` (with its ``regions``) that may not, ``LedgerCancelled`` when
    ``cancelled()`` turns true, and ``OSError`` when the file cannot be written (nothing is
    left behind then). The export is audited, an unmasked one saying so.
    """
    chosen = ledger_kind(kind)
    scope = scope or Scope()
    if unmask:
        check_unmask(role, regions, scope)
    ledger = build_ledger(store, chosen, scope=scope, unmask=unmask)
    count = write_ledger(ledger, out_path, exported_at=exported_at, progress=progress, cancelled=cancelled)
    detail = f"{ledger.kind.label} {count} 行 -> {Path(out_path).name}"
    if ledger.scope:
        detail += f"（{ledger.scope}）"
    if unmask:
        detail += f"；{UNMASKED_NOTE}（{UNMASK_ID}）"
    with store.session() as s:
        audit.record(s, actor, "export", LEDGER_TBL, ledger.kind.value, detail)
        s.commit()
    return count
