"""Audit log and conflicts: who did what in the console, and concurrent edits that lost on the server.

Conflicts carry no region of their own; each is shown only if the record it concerns
is one the viewer may see (``access.visible``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, or_
from sqlmodel import select

from server.api.deps import SessionDep
from server.console.access import Page, visible
from server.console.guard import require
from server.console.tables import ConsoleAudit
from server.console.web import render
from server.models import Record, ServerConflict

router = APIRouter()
PAGE_SIZE = 50


@router.get("/audit", include_in_schema=False)
def audit_log(
    request: Request,
    db: SessionDep,
    user: str = "",
    device: str = "",
    record: str = "",
    action: str = "",
    page: int = 0,
) -> Response:
    require(request, db, Page.AUDIT)
    where: list[Any] = []
    if user:
        where.append(or_(ConsoleAudit.actor == user, ConsoleAudit.target_user == user))
    if device:
        where.append(ConsoleAudit.device_id == device)
    if record:
        where.append(ConsoleAudit.record.contains(record))  # type: ignore[attr-defined]
    if action:
        where.append(ConsoleAudit.action == action)
    total = int(db.execute(select(func.count()).select_from(ConsoleAudit).where(*where)).scalar_one())
    page = max(0, page)
    rows = db.exec(  # type: ignore[call-overload]
        select(ConsoleAudit)
        .where(*where)
        .order_by(ConsoleAudit.id.desc())
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)  # type: ignore[union-attr]
    ).all()
    actions = [a for (a,) in db.execute(select(ConsoleAudit.action).distinct().order_by(ConsoleAudit.action))]
    base = {"user": user, "device": device, "record": record, "action": action}
    context = {
        "rows": rows,
        "total": total,
        "filters": base,
        "actions": actions,
        "page": page,
        "page_count": (total + PAGE_SIZE - 1) // PAGE_SIZE,
        "prev_q": urlencode({**base, "page": page - 1}),
        "next_q": urlencode({**base, "page": page + 1}),
    }
    return render(request, "audit.html", context)


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
