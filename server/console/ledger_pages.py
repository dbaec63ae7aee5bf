"""Ledgers (台账) on the console: a supervisor downloads the laptop's ledgers for a region of theirs.

The columns, order and workbook are ``app.contract.ledger``'s, the same the laptop's
``homevisit ledger export`` writes; the rows are the records the user may pull
(``ledger_sources``). ID numbers are masked unless the role may see them whole
(``app.contract.roles.may_unmask_id``) and the download asks for it; every download
goes to the audit log (``ledger_export``, with ``unmasked``).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.contract.ledger.columns import LedgerKind, UnknownLedgerKind, ledger_kind
from app.contract.ledger.definitions import DEFINITIONS, Scope
from app.contract.ledger.workbook import write_ledger_to
from app.contract.roles import UNMASK_ID, may_unmask_id
from app.domain.regions import UnknownRegion, default_catalog
from server.api.deps import SessionDep, SettingsDep
from server.console.access import OutOfScope, Page, region_for
from server.console.audit import audit
from server.console.guard import Refused, require
from server.console.ledger_sources import SERVER_KINDS, server_ledger
from server.console.web import render
from server.models import ServerUser

router = APIRouter(prefix="/ledgers")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _region(user: ServerUser, asked: str) -> str:
    try:
        return region_for(user, asked)
    except OutOfScope as exc:
        raise Refused("地区代码无效或不在您的范围内") from exc


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise Refused("日期格式应为 YYYY-MM-DD") from exc


def _scope(user: ServerUser, region: str, start: str, end: str) -> Scope:
    first, last = _day(start), _day(end)
    if first and last and first > last:
        raise Refused("起始日期不能晚于截止日期")
    return Scope(_region(user, region), first, last)


def region_name(code: str) -> str:
    if not code:
        return ""
    try:
        return default_catalog().full_name(code, with_province=False)
    except UnknownRegion:
        return code


@router.get("", include_in_schema=False)
def ledgers(request: Request, db: SessionDep, region: str = "", start: str = "", end: str = "") -> Response:
    signed = require(request, db, Page.LEDGERS)
    user = signed.user
    scope = _scope(user, region, start, end)
    query = {"region": scope.region, "start": start, "end": end}
    items: list[dict[str, Any]] = [
        {
            "kind": kind.value,
            "title": kind.label,
            "period": DEFINITIONS[kind].period_label,
            "has_ids": DEFINITIONS[kind].has_ids,
            "href": f"ledgers/{kind.value}.xlsx?{urlencode(query)}",
        }
        for kind in SERVER_KINDS
    ]
    context = {
        "items": items,
        "region": scope.region,
        "start": start,
        "end": end,
        "region_label": region_name(scope.region) or " / ".join(region_name(r) for r in user.regions),
        "my_regions": [(r, region_name(r)) for r in user.regions],
        "may_unmask": may_unmask_id(user.role, user.regions, scope.region),
    }
    return render(request, "ledgers.html", context)


@router.get("/{kind}.xlsx", include_in_schema=False)
def download(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    kind: str,
    region: str = "",
    start: str = "",
    end: str = "",
    unmask: bool = False,
) -> Response:
    signed = require(request, db, Page.LEDGERS)
    user = signed.user
    try:
        chosen = ledger_kind(kind)
    except UnknownLedgerKind as exc:
        raise Refused("没有这种台账") from exc
    if chosen not in SERVER_KINDS:
        raise Refused("此台账只能在笔记本上导出")
    scope = _scope(user, region, start, end)
    if unmask and not may_unmask_id(user.role, user.regions, scope.region):
        raise Refused("当前角色无权导出完整身份证号")
    ledger = server_ledger(db, user, chosen, scope, unmask=unmask, forms_dir=settings.forms_dir)
    out = io.BytesIO()
    count = write_ledger_to(ledger, out)
    audit(
        db,
        request,
        user.username,
        "ledger_export",
        tbl="ledger",
        row_id=chosen.value,
        rows=count,
        region=scope.region,
        start=start,
        end=end,
        unmasked=unmask,
        **({"permission": UNMASK_ID} if unmask else {}),
    )
    db.commit()
    name = f"{chosen.label}{'_' + scope.region if scope.region else ''}.xlsx"
    headers = {
        "Content-Disposition": f"attachment; filename=\"{chosen.value}.xlsx\"; filename*=UTF-8''{quote(name)}"
    }
    return Response(out.getvalue(), media_type=XLSX, headers=headers)


__all__ = ["LedgerKind", "router"]
