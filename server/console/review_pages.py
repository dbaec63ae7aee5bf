"""Visit review (访视审核): a supervisor opens a completed visit, reads its forms, approves or returns it.

Which visits a reviewer sees is the pull's region rule (``access.visible``); a review
is refused for a visit outside the reviewer's regions (``sync_service.in_scope``).
A review is a synced ``visitreview`` record, written through the push path
(``server.console.changes``) so the worker's laptop receives it at its next sync; a
returned visit the worker corrects and completes again shows here as resubmitted
(``server.console.reviews``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import func
from sqlmodel import Session, select

from app.contract import roles
from app.domain.enums import VisitStatus
from app.domain.ids import mask_id_number
from app.domain.localtime import CHINA_TIME, local_minute
from server.api.deps import AttachmentStoreDep, SessionDep, SettingsDep
from server.console import changes, facts, figures, forms_view, reviews
from server.console.access import Page, region_for
from server.console.audit import audit
from server.console.dashboard_pages import region_name
from server.console.figures import Selection
from server.console.guard import Refused, require
from server.console.web import PREFIX, redirect, render, tr
from server.models import Record, ServerUser
from server.sync_service import in_scope

router = APIRouter(prefix="/review")
PAGE_SIZE = 50
DECISIONS = {"approved": "已通过", "returned": "已退回"}
STATES = ("todo", "resubmitted", "approved", "returned", "all")


def _utc_now() -> str:
    """Now as the laptop writes it (``app.store.row_ids.utc_now``): ISO-8601 UTC with milliseconds."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


@router.get("", include_in_schema=False)
def review_list(
    request: Request, db: SessionDep, state: str = "todo", region: str = "", page: int = 0
) -> Response:
    signed = require(request, db, Page.REVIEW)
    try:
        chosen = region_for(signed.user, region)
    except ValueError as exc:
        raise Refused("地区代码无效或不在您的范围内") from exc
    building = facts.building(db.get_bind())  # type: ignore[arg-type]
    if building is not None:
        return render(request, "preparing_page.html", {"building": building})
    facts.refresh(db.get_bind())  # type: ignore[arg-type]
    F = figures.F
    by_visit = reviews.reviews_in(db, chosen)
    states = reviews.states(db, by_visit)
    judged = {vid for vid, st in states.items() if st in DECISIONS}
    completed = (F.status == VisitStatus.COMPLETED.value,)
    if state == "todo":
        conditions: tuple[Any, ...] = (*completed, F.row_id.not_in(judged))  # type: ignore[attr-defined]
    elif state == "resubmitted":
        wanted = [vid for vid, st in states.items() if st == reviews.RESUBMITTED]
        conditions = (*completed, F.row_id.in_(wanted))  # type: ignore[attr-defined]
    elif state in DECISIONS:
        # A returned visit the worker has reopened is a draft, and still returned here.
        conditions = (F.row_id.in_([vid for vid, st in states.items() if st == state]),)  # type: ignore[attr-defined]
    else:
        state = "all"
        conditions = completed
    where: list[Any] = Selection("visit", conditions).conditions(db, signed.user, chosen)  # type: ignore[arg-type]
    total = int(db.execute(select(func.count()).select_from(F).where(*where)).scalar_one())
    page = max(0, page)
    rows = db.execute(
        select(Record.row_id, Record.region_code, Record.fields)
        .join(F, F.record_id == Record.id)  # type: ignore[arg-type]
        .where(*where)
        .order_by(F.at.desc(), F.row_id)  # type: ignore[attr-defined]
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    visits = [
        {
            "id": row_id,
            "area": region_name(code),
            "started": local_minute(str(fields.get("started_at", [""])[0]), CHINA_TIME),
            "worker": fields.get("worker", [""])[0],
            "summary": fields.get("summary", [""])[0],
            "state": states.get(row_id, reviews.PENDING),
            "review": (by_visit.get(row_id) or [None])[0],
        }
        for row_id, code, fields in rows
    ]
    base = {"state": state, "region": chosen}
    context = {
        "visits": visits,
        "state": state,
        "total": total,
        "page": page,
        "page_count": (total + PAGE_SIZE - 1) // PAGE_SIZE,
        "prev_q": urlencode({**base, "page": page - 1}),
        "next_q": urlencode({**base, "page": page + 1}),
        "decisions": DECISIONS,
        "state_labels": reviews.STATE_LABELS,
    }
    return render(request, "review_list.html", context)


def _visit(db: Session, user: ServerUser, visit_id: str) -> Record:
    rec = db.exec(select(Record).where(Record.tbl == "visit", Record.row_id == visit_id)).first()  # type: ignore[call-overload]
    if rec is None or rec.deleted or not in_scope(user.regions, rec.region_code):
        raise Refused("未找到该访视")
    return rec


def _row(db: Session, tbl: str, row_id: Any) -> Record | None:
    if not row_id:
        return None
    return db.exec(select(Record).where(Record.tbl == tbl, Record.row_id == str(row_id))).first()  # type: ignore[call-overload]


def _responses(db: Session, visit: Record) -> list[Record]:
    # A visit's responses share its village: the region index narrows the search first.
    return list(
        db.exec(  # type: ignore[call-overload]
            select(Record).where(
                Record.tbl == "formresponse",
                Record.region_code == visit.region_code,
                Record.deleted == False,  # noqa: E712
                Record.fields[("visit_id", 0)].as_string() == visit.row_id,  # type: ignore[index]
            )
        )
    )


def _value(rec: Record | None, name: str) -> Any:
    return (rec.fields.get(name) or [None])[0] if rec else None


@router.get("/{visit_id}", include_in_schema=False)
def visit_page(
    request: Request, db: SessionDep, settings: SettingsDep, visit_id: str, message: str = ""
) -> Response:
    signed = require(request, db, Page.REVIEW)
    visit = _visit(db, signed.user, visit_id)
    person = _row(db, "person", _value(visit, "person_id"))
    household = _row(db, "household", _value(visit, "household_id"))
    _ = lambda t: tr(request, t)  # noqa: E731
    forms = []
    for resp in _responses(db, visit):
        title, sections = forms_view.sections(
            settings.forms_dir,
            str(_value(resp, "form_id")),
            int(_value(resp, "form_version") or 1),
            resp.fields,
            (_("是"), _("否")),
        )
        forms.append({"title": title, "sections": sections, "status": _value(resp, "status")})
    history = reviews.reviews_of(db, visit_id, visit.region_code)
    review_state = reviews.state(
        str(_value(visit, "status") or ""), str(_value(visit, "ended_at") or ""), history
    )
    context = {
        "visit": visit,
        "v": {k: v[0] for k, v in visit.fields.items()},
        "started": local_minute(str(_value(visit, "started_at") or ""), CHINA_TIME),
        "ended": local_minute(str(_value(visit, "ended_at") or ""), CHINA_TIME),
        "area": region_name(visit.region_code),
        "person": _value(person, "name") or "",
        "person_id": mask_id_number(str(_value(person, "id_number"))) if _value(person, "id_number") else "",
        "address": _value(household, "address") or "",
        "forms": forms,
        "history": history,
        "review_state": review_state,
        "state_labels": reviews.STATE_LABELS,
        "may_review": roles.may_review(signed.user.role)
        and str(_value(visit, "status")) == VisitStatus.COMPLETED.value,
        "decisions": DECISIONS,
        "message": tr(request, message) if message else "",
        "error": "",
    }
    return render(request, "visit.html", context)


@router.post("/{visit_id}", include_in_schema=False)
def review(
    request: Request,
    db: SessionDep,
    visit_id: str,
    decision: Annotated[str, Form(max_length=20)] = "",
    comment: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    signed = require(request, db, Page.REVIEW, csrf=csrf)
    visit = _visit(db, signed.user, visit_id)
    if decision not in DECISIONS or (decision == "returned" and not comment.strip()):
        raise Refused("退回时请写明原因")
    if not roles.may_review(signed.user.role):
        raise Refused("您的账号无权审核访视")
    if _value(visit, "status") != VisitStatus.COMPLETED.value:
        raise Refused("该访视尚未完成（或已被重新打开），暂不能审核")
    now = _utc_now()
    try:
        changes.write(
            request,
            db,
            signed.user,
            "visitreview",
            changes.new_row_id(),
            {
                "region_code": visit.region_code,
                "created_at": now,
                "deleted": False,
                "visit_id": visit_id,
                "decision": decision,
                "comment": comment.strip(),
                "reviewer": signed.user.username,
                "reviewed_at": now,
                "visit_ended_at": str(_value(visit, "ended_at") or ""),
            },
        )
    except changes.Refusal as exc:
        raise Refused(str(exc)) from exc
    audit(
        db,
        request,
        signed.user.username,
        f"visit_{decision}",
        tbl="visit",
        row_id=visit_id,
        comment=comment.strip(),
    )
    db.commit()
    return redirect(request, f"{PREFIX}/review/{quote(visit_id)}?message={quote('审核已保存')}")


@router.get("/{visit_id}/files/{sha256}", include_in_schema=False)
def visit_file(
    request: Request, db: SessionDep, store: AttachmentStoreDep, visit_id: str, sha256: str
) -> Response:
    """A photo or signature of the visit's forms (only a digest its answers name)."""
    signed = require(request, db, Page.REVIEW)
    visit = _visit(db, signed.user, visit_id)
    named = any(
        sha256 == v[0] or (isinstance(v[0], list) and sha256 in v[0])
        for resp in _responses(db, visit)
        for k, v in resp.fields.items()
        if k.startswith("answers.")
    )
    if not named or not store.is_complete(sha256):
        raise Refused("未找到该访视")
    return FileResponse(store.path(sha256))
