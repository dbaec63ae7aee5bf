"""Audit log, change history and conflicts: who did what, every applied change, edits that lost.

Conflicts carry no region of their own; each is shown only if the record it concerns
is one the viewer may see (``access.visible``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func
from sqlmodel import select

from server import accounts, device_audit
from server.api.deps import SessionDep
from server.console.access import Page, visible
from server.console.guard import require
from server.console.web import render
from server.models import AuditLog, DeviceAudit, Record, ServerConflict

router = APIRouter()
PAGE_SIZE = 50


def _before(rows: list[Any], limit: int) -> int | None:
    """The id to continue from when a page came back full (newest first, keyset paging)."""
    return rows[-1].id if len(rows) == limit else None


@router.get("/audit", include_in_schema=False)
def audit_log(
    request: Request,
    db: SessionDep,
    user: str = "",
    device: str = "",
    record: str = "",
    action: str = "",
    before: int = 0,
    source: str = "",
    broken: str = "",
) -> Response:
    """Account and administrative acts (``server.accounts.audit_log``): who did what to whom; with
    ``source=device`` the laptops' own audit events (``server.device_audit``), by device."""
    require(request, db, Page.AUDIT)
    if source == "device":
        return _device_audit(request, db, user, device, record, action, before, broken)
    filters = {"user": user, "device": device, "record": record, "action": action}
    rows = accounts.audit_log(
        session=db,
        actor=user or None,
        device_id=device or None,
        row_id=record or None,
        action=action or None,
        before_id=before or None,
        limit=PAGE_SIZE,
    )
    if user:  # done by the user, or to the user
        done_to = accounts.audit_log(session=db, target=user, before_id=before or None, limit=PAGE_SIZE)
        rows = sorted({r.id: r for r in [*rows, *done_to]}.values(), key=lambda r: -(r.id or 0))[:PAGE_SIZE]
    actions = [a for (a,) in db.execute(select(AuditLog.action).distinct().order_by(AuditLog.action))]
    more = _before(rows, PAGE_SIZE)
    context = {
        "rows": rows,
        "filters": filters,
        "actions": actions,
        "more_q": urlencode({**filters, "before": more}) if more else "",
    }
    return render(request, "audit.html", context)


def _device_audit(
    request: Request, db: Any, user: str, device: str, record: str, action: str, before: int, broken: str
) -> Response:
    """The laptops' audit events: logins, locks, full-record reads, unmasked ID numbers, exports, prints…"""
    filters = {"source": "device", "user": user, "device": device, "record": record, "action": action}
    if broken:
        filters["broken"] = "1"
    rows = device_audit.device_events(
        session=db,
        device_id=device or None,
        actor=user or None,
        action=action or None,
        broken_only=bool(broken),
        before_id=before or None,
        limit=PAGE_SIZE,
    )
    if record:
        rows = [r for r in rows if r.row_id == record]
    actions = [a for (a,) in db.execute(select(DeviceAudit.action).distinct().order_by(DeviceAudit.action))]
    more = _before(rows, PAGE_SIZE)
    context = {
        "rows": rows,
        "filters": filters,
        "actions": actions,
        "device_source": True,
        "more_q": urlencode({**filters, "before": more}) if more else "",
    }
    return render(request, "audit.html", context)


@router.get("/history", include_in_schema=False)
def history(
    request: Request,
    db: SessionDep,
    user: str = "",
    device: str = "",
    tbl: str = "",
    record: str = "",
    action: str = "",
    before: int = 0,
) -> Response:
    """Every applied change (``ChangeHistory``) in the viewer's regions, or one record's field history."""
    signed = require(request, db, Page.HISTORY)
    filters = {"user": user, "device": device, "tbl": tbl, "record": record, "action": action}
    rows = accounts.change_log(
        session=db,
        regions=signed.user.regions,
        username=user or None,
        device_id=device or None,
        tbl=tbl or None,
        row_id=record or None,
        action=action or None,
        before_id=before or None,
        limit=PAGE_SIZE,
    )
    more = _before(rows, PAGE_SIZE)
    context = {
        "rows": rows,
        "filters": filters,
        "more_q": urlencode({**filters, "before": more}) if more else "",
    }
    return render(request, "history.html", context)


@router.get("/conflicts", include_in_schema=False)
def conflicts(
    request: Request, db: SessionDep, tbl: str = "", record: str = "", user: str = "", page: int = 0
) -> Response:
    signed = require(request, db, Page.CONFLICTS)
    where: list[Any] = [*visible(db, signed.user)]
    if tbl:
        where.append(ServerConflict.tbl == tbl)
    if record:
        where.append(ServerConflict.row_id == record)
    if user:
        where.append(ServerConflict.pushed_by == user)
    joined = select(ServerConflict, Record.region_code).join(
        Record,
        (Record.tbl == ServerConflict.tbl) & (Record.row_id == ServerConflict.row_id),  # type: ignore[arg-type]
    )
    total = int(
        db.execute(
            select(func.count())
            .select_from(ServerConflict)
            .join(
                Record,
                (Record.tbl == ServerConflict.tbl) & (Record.row_id == ServerConflict.row_id),  # type: ignore[arg-type]
            )
            .where(*where)
        ).scalar_one()
    )
    page = max(0, page)
    rows = db.execute(
        joined.where(*where).order_by(ServerConflict.id.desc()).offset(page * PAGE_SIZE).limit(PAGE_SIZE)  # type: ignore[union-attr]
    ).all()
    base = {"tbl": tbl, "record": record, "user": user}
    context = {
        "rows": rows,
        "total": total,
        "filters": base,
        "page": page,
        "page_count": (total + PAGE_SIZE - 1) // PAGE_SIZE,
        "prev_q": urlencode({**base, "page": page - 1}),
        "next_q": urlencode({**base, "page": page + 1}),
    }
    return render(request, "conflicts.html", context)
