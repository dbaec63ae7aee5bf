"""Audit log and change history: who did what, every applied change (conflicts: ``conflict_pages``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import select

from server import accounts, device_audit
from server.api.deps import SessionDep
from server.console.access import Page
from server.console.guard import require
from server.console.web import render
from server.models import AuditLog, DeviceAudit

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
