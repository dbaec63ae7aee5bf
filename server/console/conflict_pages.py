"""Conflicts (冲突记录): concurrent edits from different devices, named, and resolved from the browser.

Each conflict is shown with the record's name (household address and head, person's name,
the visit's person…), the field's label, both values and who set each when (the change
history has the kept value's author; the other is the push that lost, or the stored value
it displaced). A supervisor resolves it by picking a value: the pick is written as an
ordinary change through the push path (``server.console.changes``), with the field's
current clock as its base, so every laptop receives it at its next sync; the resolution is
an audit entry (``resolve_conflict``), which is also how the page knows it is resolved.
Conflicts carry no region of their own; each is shown only if the record it concerns is
one the viewer may see (``access.visible``).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import func, tuple_
from sqlmodel import Session, select

from app.contract import roles
from server.api.deps import SessionDep, SettingsDep
from server.console import changes, forms_view
from server.console.access import Page, visible
from server.console.audit import audit
from server.console.guard import Refused, require
from server.console.web import PREFIX, redirect, render, tr, when
from server.models import AuditLog, ChangeHistory, Record, ServerConflict
from server.permissions import TABLE_LABELS
from server.sync_service import in_scope

router = APIRouter(prefix="/conflicts")
PAGE_SIZE = 50
RESOLVED = "resolve_conflict"

FIELD_LABELS: dict[str, dict[str, str]] = {
    "household": {
        "address": "住址",
        "phone": "联系电话",
        "economic_status": "经济状况",
        "head_name": "户主",
        "house_grade": "危房等级",
        "housing_type": "住房类型",
        "note": "备注",
    },
    "person": {
        "name": "姓名",
        "id_number": "身份证号",
        "gender": "性别",
        "birth_date": "出生日期",
        "cert_number": "残疾证号",
        "category": "残疾类别",
        "level": "残疾等级",
        "status": "状态",
        "phone": "联系电话",
        "relation": "与户主关系",
        "has_living_subsidy": "困难残疾人生活补贴",
        "has_care_subsidy": "重度残疾人护理补贴",
    },
    "visit": {"summary": "摘要", "place": "访视地点", "status": "状态", "ended_at": "结束时间"},
    "renovationproject": {
        "status": "状态",
        "title": "项目名称",
        "contractor": "施工单位",
        "budget": "预算",
        "due_date": "计划完成日期",
        "note": "备注",
    },
}
COMMON_LABELS = {"deleted": "已删除", "region_code": "区划代码"}


def _value(fields: dict[str, Any] | None, name: str) -> Any:
    pair = (fields or {}).get(name)
    return None if pair is None else pair[0]


def _record(db: Session, tbl: str, row_id: Any) -> Record | None:
    if not isinstance(row_id, str) or not row_id:
        return None
    return db.exec(select(Record).where(Record.tbl == tbl, Record.row_id == row_id)).first()  # type: ignore[call-overload]


def _person_name(db: Session, person_id: Any) -> str:
    return str(_value((rec := _record(db, "person", person_id)) and rec.fields, "name") or "")


def record_name(db: Session, rec: Record) -> str:
    """What a person calls the record: a name, an address, the visited person."""
    f = rec.fields
    if rec.tbl == "person":
        return str(_value(f, "name") or "")
    if rec.tbl == "household":
        head, address = _value(f, "head_name") or "", _value(f, "address") or ""
        return f"{head}（{address}）" if head and address else str(head or address)
    if rec.tbl in ("visit", "renovationproject"):
        name = _person_name(db, _value(f, "person_id"))
        if not name:
            household = _record(db, "household", _value(f, "household_id"))
            name = str(_value(household and household.fields, "head_name") or "")
        return name
    if rec.tbl == "formresponse":
        visit = _record(db, "visit", _value(f, "visit_id"))
        return _person_name(db, _value(visit and visit.fields, "person_id"))
    return ""


def field_label(folder: Any, rec: Record, field: str) -> str:
    if rec.tbl == "formresponse" and field.startswith("answers."):
        label = forms_view.question_label(
            folder,
            str(_value(rec.fields, "form_id")),
            int(_value(rec.fields, "form_version") or 1),
            field[8:],
        )
        return label or field[8:]
    return FIELD_LABELS.get(rec.tbl, {}).get(field) or COMMON_LABELS.get(field) or field


def shown(value: Any, _: Any = str) -> str:
    """A value as people read it (``_`` translates the words for none, yes and no)."""
    if value is None or value == "":
        return _("（空）")
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _authors(
    db: Session, conflicts: list[ServerConflict]
) -> dict[tuple[str, str, str, str], tuple[str, float]]:
    """(tbl, row id, field, clock) -> (who, when) from the change history, for the clocks shown."""
    keys = {(c.tbl, c.row_id) for c in conflicts}
    if not keys:
        return {}
    h = ChangeHistory.__table__.c  # type: ignore[attr-defined]
    rows = db.execute(
        select(h.tbl, h.row_id, h.field, h.new_hlc, h.username, h.at).where(
            tuple_(h.tbl, h.row_id).in_(sorted(keys))
        )
    )
    return {(r.tbl, r.row_id, r.field, r.new_hlc): (r.username, r.at) for r in rows}


def _resolutions(db: Session, ids: list[int]) -> dict[int, AuditLog]:
    if not ids:
        return {}
    rows = db.exec(  # type: ignore[call-overload]
        select(AuditLog).where(
            AuditLog.action == RESOLVED, AuditLog.target.in_([f"conflict:{i}" for i in ids])
        )  # type: ignore[attr-defined]
    )
    return {int(r.target.split(":", 1)[1]): r for r in rows}


def _joined() -> Any:
    return (Record.tbl == ServerConflict.tbl) & (Record.row_id == ServerConflict.row_id)


@router.get("", include_in_schema=False)
def conflicts(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    tbl: str = "",
    record: str = "",
    user: str = "",
    state: str = "open",
    page: int = 0,
    message: str = "",
) -> Response:
    signed = require(request, db, Page.CONFLICTS)
    where: list[Any] = [*visible(db, signed.user)]
    if tbl:
        where.append(ServerConflict.tbl == tbl)
    if record:
        where.append(ServerConflict.row_id == record)
    if user:
        where.append(ServerConflict.pushed_by == user)
    resolved_targets = select(func.substr(AuditLog.target, 10)).where(AuditLog.action == RESOLVED)
    resolved_ids = [int(t) for (t,) in db.execute(resolved_targets) if str(t).isdigit()]
    if state == "open":
        where.append(ServerConflict.id.not_in(resolved_ids))  # type: ignore[union-attr]
    elif state == "resolved":
        where.append(ServerConflict.id.in_(resolved_ids))  # type: ignore[union-attr]
    else:
        state = "all"
    total = int(
        db.execute(
            select(func.count()).select_from(ServerConflict).join(Record, _joined()).where(*where)
        ).scalar_one()
    )
    page = max(0, page)
    found = db.execute(
        select(ServerConflict, Record)
        .join(Record, _joined())
        .where(*where)
        .order_by(ServerConflict.id.desc())  # type: ignore[union-attr]
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    authors = _authors(db, [c for c, _ in found])
    done = _resolutions(db, [c.id for c, _ in found if c.id is not None])
    _ = lambda t: tr(request, t)  # noqa: E731
    rows = []
    for c, rec in found:
        kept_by, kept_at = authors.get((c.tbl, c.row_id, c.field, c.winner_hlc), (c.pushed_by, c.detected_at))
        other_by, other_at = authors.get(
            (c.tbl, c.row_id, c.field, c.loser_hlc), (c.pushed_by, c.detected_at)
        )
        current = rec.fields.get(c.field)
        rows.append(
            {
                "c": c,
                "what": _(TABLE_LABELS.get(c.tbl, c.tbl)),
                "name": record_name(db, rec),
                "field": _(field_label(settings.forms_dir, rec, c.field)),
                "kept": shown(c.winner_value, _),
                "other": shown(c.loser_value, _),
                "kept_by": kept_by,
                "kept_at": when(kept_at),
                "other_by": other_by,
                "other_at": when(other_at),
                "now": shown(current[0], _) if current else "",
                "resolution": done.get(c.id or 0),
            }
        )
    base = {"tbl": tbl, "record": record, "user": user, "state": state}
    context = {
        "rows": rows,
        "total": total,
        "filters": base,
        "state": state,
        "may_resolve": roles.may_write(signed.user.role, "household"),
        "message": tr(request, message) if message else "",
        "page": page,
        "page_count": (total + PAGE_SIZE - 1) // PAGE_SIZE,
        "prev_q": urlencode({**base, "page": page - 1}),
        "next_q": urlencode({**base, "page": page + 1}),
    }
    return render(request, "conflicts.html", context)


@router.post("/{conflict_id}", include_in_schema=False)
def resolve(
    request: Request,
    db: SessionDep,
    conflict_id: int,
    pick: Annotated[str, Form(max_length=10)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Keep one of the two values: written as a change (so it syncs) and audited."""
    signed = require(request, db, Page.CONFLICTS, csrf=csrf)
    conflict = db.get(ServerConflict, conflict_id)
    rec = _record(db, conflict.tbl, conflict.row_id) if conflict else None
    if conflict is None or rec is None or not in_scope(signed.user.regions, rec.region_code):
        raise Refused("未找到该冲突记录")
    if pick not in ("kept", "other"):
        raise Refused("请选择要采用的值")
    if _resolutions(db, [conflict_id]):
        raise Refused("该冲突已处理")
    value = conflict.winner_value if pick == "kept" else conflict.loser_value
    current = rec.fields.get(conflict.field)
    if current is None or current[0] != value:
        try:
            changes.write(
                request,
                db,
                signed.user,
                conflict.tbl,
                conflict.row_id,
                {conflict.field: value},
                base={conflict.field: current[1] if current else None},
            )
        except changes.Refusal as exc:
            raise Refused(str(exc)) from exc
    audit(
        db,
        request,
        signed.user.username,
        RESOLVED,
        target=f"conflict:{conflict_id}",
        tbl=conflict.tbl,
        row_id=conflict.row_id,
        field=conflict.field,
        value=value,
        replaced=current[0] if current else None,
    )
    db.commit()
    return redirect(request, f"{PREFIX}/conflicts?message={quote('冲突已处理，各设备下次同步后生效')}")
