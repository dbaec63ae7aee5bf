"""The server's source rows for the ledgers (台账): its records read into what ``app.contract.ledger`` files.

The laptop reads its tables with SQL (``app.services.ledger``); the server holds every
synced row as a ``Record`` with ``{field: [value, clock]}``, so here the records a user
may see (the pull's own scope rule, ``access.visible``) of the region asked for are
read once per table and joined in memory. The rules are the laptop's: tombstones and
rows of a tombstoned household are left out, a household counts its registered
persons, "last visit" is the latest completed one, a project's result is its latest
finished acceptance round.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, select

from app.contract.ledger.columns import Ledger, LedgerKind
from app.contract.ledger.definitions import Scope, build
from app.contract.ledger.devices import DEVICE_FORM, DeviceForm, device_lines
from app.domain.enums import PersonStatus
from app.domain.pinyin import name_keys
from app.domain.renovation import ProjectItem, money, to_decimal, totals
from server.console.access import visible
from server.console.forms_view import _definition
from server.core.config import RESOURCES_DIR
from server.models import Record, ServerUser

COMPLETED = "completed"
# The ledgers the console offers: every kind but the laptop's annual update (its changed
# fields come from the laptop's field clocks).
SERVER_KINDS = (
    LedgerKind.HOUSEHOLDS,
    LedgerKind.PERSONS,
    LedgerKind.VISITS,
    LedgerKind.PROJECTS,
    LedgerKind.NEEDS,
    LedgerKind.ACCEPTANCES,
    LedgerKind.DEVICES,
)
CATALOGS = RESOURCES_DIR / "catalogs"  # the catalogues the laptop ships (devices and their prices)

Rows = dict[str, dict[str, dict[str, Any]]]  # tbl -> row id -> field values


def _records(db: Session, user: ServerUser, region: str, tables: Iterable[str]) -> Rows:
    """The live rows of ``tables`` the user may see in ``region``, as plain field values."""
    out: Rows = {t: {} for t in tables}
    live = Record.deleted == False  # noqa: E712
    scope = visible(db, user, region=region)
    query = select(Record.tbl, Record.row_id, Record.fields).where(Record.tbl.in_(list(out)), live, *scope)  # type: ignore[attr-defined]
    for tbl, row_id, fields in db.exec(query):  # type: ignore[call-overload]
        values = {name: pair[0] if pair else None for name, pair in fields.items()}
        if values.get("deleted"):
            continue
        out[tbl][row_id] = values
    return out


def _latest_visits(rows: Rows, key: str) -> dict[str, str]:
    latest: dict[str, str] = {}
    for v in rows["visit"].values():
        target, started = v.get(key), v.get("started_at") or ""
        if target and v.get("status") == COMPLETED and started > latest.get(target, ""):
            latest[target] = started
    return latest


def _ns(values: dict[str, Any], **extra: Any) -> SimpleNamespace:
    return SimpleNamespace(**{**values, **extra})


def _households(db: Session, user: ServerUser, region: str, _forms: Path) -> list[Any]:
    rows = _records(db, user, region, ("household", "person", "visit"))
    registered: dict[str, int] = {}
    for p in rows["person"].values():
        if p.get("status") == PersonStatus.REGISTERED.value:
            registered[p.get("household_id") or ""] = registered.get(p.get("household_id") or "", 0) + 1
    last = _latest_visits(rows, "household_id")
    return [
        _ns(h, last_visit=last.get(hid), persons=registered.get(hid, 0))
        for hid, h in rows["household"].items()
    ]


def _persons(db: Session, user: ServerUser, region: str, _forms: Path) -> list[Any]:
    rows = _records(db, user, region, ("household", "person", "visit"))
    last = _latest_visits(rows, "person_id")
    out = []
    for pid, p in rows["person"].items():
        h = rows["household"].get(p.get("household_id") or "")
        if h is None:
            continue
        out.append(
            _ns(
                p,
                address=h.get("address"),
                economic_status=h.get("economic_status"),
                name_pinyin=name_keys(p.get("name") or "")[0],
                last_visit=last.get(pid),
            )
        )
    return out


@lru_cache(maxsize=64)
def _form_title(folder: Path, form_id: str, version: int) -> str:
    form = _definition(folder, form_id, version)
    return str(form.get("title") or form_id) if form else form_id


def _visits(db: Session, user: ServerUser, region: str, forms_dir: Path) -> list[Any]:
    rows = _records(db, user, region, ("household", "person", "visit", "formresponse"))
    forms: dict[str, list[tuple[str, str]]] = {}
    for f in rows["formresponse"].values():
        if f.get("status") == COMPLETED:
            title = _form_title(forms_dir, str(f.get("form_id") or ""), int(f.get("form_version") or 1))
            forms.setdefault(f.get("visit_id") or "", []).append((str(f.get("form_id") or ""), title))
    names = {u.username: u.display_name for u in db.exec(select(ServerUser)) if u.display_name}
    out = []
    for vid, v in rows["visit"].items():
        h = rows["household"].get(v.get("household_id") or "")
        if h is None:
            continue
        p = rows["person"].get(v.get("person_id") or "")
        out.append(
            _ns(
                v,
                region_code=h.get("region_code"),
                address=h.get("address"),
                head_name=h.get("head_name"),
                person_name=p.get("name") if p else "",
                worker_name=names.get(v.get("worker") or "", v.get("worker") or ""),
                forms=tuple(title for _, title in sorted(forms.get(vid, []))),
            )
        )
    return out


def _amounts(rows: Rows) -> dict[str, tuple[Decimal, Decimal | None]]:
    """Project id -> (planned, settled) from its plan lines, as ``app.domain.renovation.totals`` adds them."""
    plans: dict[str, list[ProjectItem]] = {}
    for i in rows["renovationitem"].values():
        plans.setdefault(i.get("project_id") or "", []).append(
            ProjectItem(
                code=i.get("catalog_code") or "",
                name=i.get("description") or i.get("catalog_code") or "",
                unit=i.get("unit") or "",
                unit_price=money(to_decimal(i.get("unit_price") or 0, "单价")),
                planned_qty=to_decimal(i.get("planned_qty") or 0, "计划数量"),
                actual_qty=None if i.get("actual_qty") is None else to_decimal(i["actual_qty"], "实际数量"),
            )
        )
    out = {}
    for project_id, plan in plans.items():
        sums = totals(plan)
        out[project_id] = (sums.planned, sums.actual if any(i.actual_qty is not None for i in plan) else None)
    return out


def _project_rows(db: Session, user: ServerUser, region: str) -> Rows:
    tables = (
        "household",
        "person",
        "renovationproject",
        "renovationitem",
        "acceptance",
        "projectevent",
        "certificate",
    )
    return _records(db, user, region, tables)


def _with_household(rows: Rows, r: dict[str, Any]) -> dict[str, Any] | None:
    h = rows["household"].get(r.get("household_id") or "")
    if h is None:
        return None
    p = rows["person"].get(r.get("person_id") or "")
    return {
        "region_code": h.get("region_code"),
        "address": h.get("address"),
        "head_name": h.get("head_name"),
        "person_name": p.get("name") if p else "",
    }


def _projects(db: Session, user: ServerUser, region: str, _forms: Path) -> list[Any]:
    rows = _project_rows(db, user, region)
    amounts = _amounts(rows)
    latest: dict[str, dict[str, Any]] = {}
    for a in rows["acceptance"].values():
        pid = a.get("project_id") or ""
        if a.get("status") == COMPLETED and (
            pid not in latest or (a.get("round") or 0) > (latest[pid].get("round") or 0)
        ):
            latest[pid] = a
    out = []
    for pid, r in rows["renovationproject"].items():
        place = _with_household(rows, r)
        if place is None:
            continue
        planned, settled = amounts.get(pid, (Decimal("0.00"), None))
        a = latest.get(pid)
        out.append(
            _ns(
                r,
                **place,
                planned=planned,
                settled=settled,
                accepted_on=a.get("accepted_on") if a else None,
                conclusion=a.get("conclusion") if a else "",
                certificate_serial=a.get("certificate_serial") if a else "",
            )
        )
    return out


def _acceptances(db: Session, user: ServerUser, region: str, _forms: Path) -> list[Any]:
    rows = _project_rows(db, user, region)
    amounts = _amounts(rows)
    started: dict[str, str] = {}
    finished: dict[str, str] = {}
    for e in rows["projectevent"].values():
        pid, at = e.get("project_id") or "", e.get("at") or ""
        if e.get("to_status") == "construction" and (pid not in started or at < started[pid]):
            started[pid] = at
        if e.get("to_status") == "awaiting_acceptance" and at > finished.get(pid, ""):
            finished[pid] = at
    issued: dict[str, str] = {}
    for c in rows["certificate"].values():
        aid, at = c.get("acceptance_id") or "", c.get("issued_at") or ""
        if at > issued.get(aid, ""):
            issued[aid] = at
    out = []
    for aid, a in rows["acceptance"].items():
        if a.get("status") != COMPLETED:
            continue
        pid = a.get("project_id") or ""
        r = rows["renovationproject"].get(pid)
        place = _with_household(rows, r) if r is not None else None
        if r is None or place is None:
            continue
        planned, settled = amounts.get(pid, (Decimal("0.00"), None))
        out.append(
            _ns(
                a,
                **place,
                kind=r.get("kind"),
                title=r.get("title"),
                contractor=r.get("contractor"),
                created_at=r.get("created_at"),
                started=started.get(pid),
                finished=finished.get(pid) or None,
                issued_at=issued.get(aid),
                planned=planned,
                settled=settled,
            )
        )
    return out


@lru_cache(maxsize=4)
def _catalog(name: str) -> dict[str, Any]:
    return json.loads((CATALOGS / f"{name}.json").read_text("utf-8"))


def _devices(db: Session, user: ServerUser, region: str, _forms: Path) -> list[Any]:
    rows = _records(db, user, region, ("household", "person", "visit", "formresponse"))
    forms = []
    for f in rows["formresponse"].values():
        if f.get("form_id") != DEVICE_FORM or f.get("status") != COMPLETED:
            continue
        visit_id = f.get("visit_id") or ""
        v = rows["visit"].get(visit_id)
        if v is None or v.get("household_id") not in rows["household"]:
            continue
        person = v.get("person_id")
        if person and person not in rows["person"]:
            continue
        answers = {k.removeprefix("answers."): val for k, val in f.items() if k.startswith("answers.")}
        forms.append(
            DeviceForm(person or visit_id, v.get("started_at") or "", f.get("completed_at") or "", answers)
        )
    devices = _catalog("devices")
    prices = {str(p["code"]): p.get("unit_price") for p in _catalog("device_prices")["items"]}
    return device_lines(forms, devices["items"], prices)


def _device_classes() -> dict[str, str]:
    return {str(c["code"]): str(c["name"]) for c in _catalog("devices")["classes"]}


def _needs(db: Session, user: ServerUser, region: str, _forms: Path) -> list[Any]:
    rows = _records(db, user, region, ("household", "person", "needitem"))
    out = []
    for n in rows["needitem"].values():
        h = rows["household"].get(n.get("household_id") or "")
        if h is None:
            continue
        p = rows["person"].get(n.get("person_id") or "") or {}
        name = p.get("name") or ""
        out.append(
            _ns(
                n,
                address=h.get("address"),
                name=name,
                name_pinyin=name_keys(name)[0] if name else "",
                id_number=p.get("id_number") or "",
            )
        )
    return out


_SOURCES: dict[LedgerKind, Callable[[Session, ServerUser, str, Path], list[Any]]] = {
    LedgerKind.HOUSEHOLDS: _households,
    LedgerKind.PERSONS: _persons,
    LedgerKind.VISITS: _visits,
    LedgerKind.PROJECTS: _projects,
    LedgerKind.NEEDS: _needs,
    LedgerKind.ACCEPTANCES: _acceptances,
    LedgerKind.DEVICES: _devices,
}


def server_ledger(
    db: Session, user: ServerUser, kind: LedgerKind, scope: Scope, *, unmask: bool, forms_dir: Path
) -> Ledger:
    """The ``kind`` ledger of the records ``user`` may see in ``scope`` (region already checked)."""
    sources = _SOURCES[kind](db, user, scope.region, forms_dir)
    extra = {"classes": _device_classes()} if kind is LedgerKind.DEVICES else {}
    return build(kind, sources, scope=scope, unmask=unmask, **extra)
