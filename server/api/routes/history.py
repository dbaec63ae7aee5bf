"""History of applied changes and the audit log (read-only; both tables are append-only).

- ``GET /history/{tbl}/{row_id}``: every change of one record, for any user whose regions
  cover the record;
- ``GET /history``: applied changes filtered by user, device, record and action (supervisors
  and administrators, limited to their regions); ``format=csv`` exports the same rows;
- ``GET /audit``: account and administrative acts (administrators);
- ``GET /audit/device``: the laptops' own audit events (logins, locks, full-record reads, exports…),
  filtered by device, actor, uploader and action, or only those whose chain seal failed (administrators).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlmodel import select

from app.contract import protocol as p
from app.domain.enums import Role
from server import accounts, device_audit
from server.api.deps import AdminUser, CurrentUser, SessionDep
from server.errors import ApiError
from server.models import ChangeHistory, Record
from server.sync_service import in_scope

router = APIRouter(tags=["history"])

Text = Annotated[str | None, Query(max_length=100)]
Limit = Annotated[int, Query(ge=1, le=1000)]
Before = Annotated[int | None, Query(ge=1, le=2**63 - 1)]
_READERS = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})


def _entry(h: ChangeHistory) -> p.HistoryEntry:
    return p.HistoryEntry.model_validate(h, from_attributes=True)


@router.get("/history/{tbl}/{row_id}", response_model=p.HistoryPage)
def record_history(
    tbl: str,
    row_id: str,
    user: CurrentUser,
    session: SessionDep,
    limit: Limit = 500,
) -> p.HistoryPage:
    rec = session.exec(select(Record.region_code).where(Record.tbl == tbl, Record.row_id == row_id)).first()
    if rec is None:
        raise ApiError(404, p.NOT_FOUND, "服务器上没有这条记录")
    if not in_scope(user.regions, rec):
        raise ApiError(403, p.OUT_OF_SCOPE, "该记录不在您负责的地区范围内")
    entries = accounts.record_history(session=session, tbl=tbl, row_id=row_id, limit=limit)
    return p.HistoryPage(entries=[_entry(h) for h in entries])


@router.get("/history", response_model=p.HistoryPage)
def change_log(
    user: CurrentUser,
    session: SessionDep,
    username: Text = None,
    device_id: Text = None,
    tbl: Text = None,
    row_id: Text = None,
    action: Text = None,
    before: Before = None,
    limit: Limit = 200,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> p.HistoryPage | Response:
    if user.role not in _READERS:
        raise ApiError(403, p.FORBIDDEN, "只有乡镇/县区残联和管理员可以查看修改记录")
    entries = accounts.change_log(
        session=session,
        regions=user.regions,
        username=username,
        device_id=device_id,
        tbl=tbl,
        row_id=row_id,
        action=action,
        before_id=before,
        limit=limit,
    )
    if format == "csv":
        return _csv([_entry(h) for h in entries])
    next_before = entries[-1].id if len(entries) == limit else None
    return p.HistoryPage(entries=[_entry(h) for h in entries], next_before=next_before)


def _csv(entries: list[p.HistoryEntry]) -> Response:
    out = io.StringIO()
    columns = list(p.HistoryEntry.model_fields)
    writer = csv.writer(out)
    writer.writerow(columns)
    for e in entries:
        row = e.model_dump()
        writer.writerow(
            [
                json.dumps(row[c], ensure_ascii=False) if c in ("old_value", "new_value") else row[c]
                for c in columns
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM so Excel reads the Chinese as UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="history.csv"', "Cache-Control": "no-store"},
    )


@router.get("/audit", response_model=p.AuditPage)
def audit_log(
    _admin: AdminUser,
    session: SessionDep,
    actor: Text = None,
    device_id: Text = None,
    target: Text = None,
    tbl: Text = None,
    row_id: Text = None,
    action: Text = None,
    before: Before = None,
    limit: Limit = 200,
) -> p.AuditPage:
    entries = accounts.audit_log(
        session=session,
        actor=actor,
        device_id=device_id,
        target=target,
        tbl=tbl,
        row_id=row_id,
        action=action,
        before_id=before,
        limit=limit,
    )
    next_before = entries[-1].id if len(entries) == limit else None
    return p.AuditPage(
        entries=[p.AuditEntry.model_validate(e, from_attributes=True) for e in entries],
        next_before=next_before,
    )


@router.get("/audit/device", response_model=p.DeviceAuditPage)
def device_audit_log(
    _admin: AdminUser,
    session: SessionDep,
    device_id: Text = None,
    actor: Text = None,
    username: Text = None,
    action: Text = None,
    broken: bool = False,
    before: Before = None,
    limit: Limit = 200,
) -> p.DeviceAuditPage:
    entries = device_audit.device_events(
        session=session,
        device_id=device_id,
        actor=actor,
        username=username,
        action=action,
        broken_only=broken,
        before_id=before,
        limit=limit,
    )
    next_before = entries[-1].id if len(entries) == limit else None
    return p.DeviceAuditPage(
        entries=[p.DeviceAuditEntry.model_validate(e, from_attributes=True) for e in entries],
        next_before=next_before,
    )
