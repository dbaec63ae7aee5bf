"""The dashboard for a region and period, its CSV export, and the list behind each figure."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import Engine, select
from sqlmodel import Session

from app.contract.forms.alerts import SEVERITIES
from app.contract.forms.definition import form_files
from app.contract.forms.errors import FormDefinitionError
from app.domain.ids import mask_id_number
from app.domain.localtime import CHINA_TIME, china_today, local_day
from app.domain.regions import UnknownRegion, default_catalog
from server.api.deps import SessionDep
from server.console import alerts, facts, figures
from server.console.access import OutOfScope, Page, may_open, region_for
from server.console.guard import Refused, require
from server.console.i18n import language
from server.console.web import label, render, tr
from server.core.config import RESOURCES_DIR
from server.models import Record, ServerUser

router = APIRouter()
PAGE_SIZE = 50
SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低"}


def _period(start: str, end: str) -> figures.Period:
    default = figures.Period.this_year()
    try:
        return figures.Period(
            date.fromisoformat(start) if start else default.start,
            date.fromisoformat(end) if end else default.end,
        )
    except ValueError as exc:
        raise Refused("日期格式应为 YYYY-MM-DD") from exc


def _region(user: ServerUser, asked: str) -> str:
    try:
        return region_for(user, asked)
    except OutOfScope as exc:
        raise Refused("地区代码无效或不在您的范围内") from exc


def region_name(code: str) -> str:
    if not code:
        return ""
    try:
        return default_catalog().full_name(code, with_province=False)
    except UnknownRegion:
        return code


@dataclass
class AlertLine:
    """One need-alert rule on the dashboard: its titles, severity and the persons it fires for."""

    rule_id: str
    title: str
    title_en: str
    severity: str
    count: int


def _alerts(db: Session, user: ServerUser, region: str) -> dict[str, Any]:
    """The open-alerts card: persons per rule (rules that fire for nobody left out), most severe first."""
    engine = db.get_bind()
    try:
        rules = alerts.rule_set(engine).rules  # type: ignore[arg-type]
    except FormDefinitionError as exc:
        return {"alerts": [], "alerts_error": exc.message, "alert_persons": 0, "alerts_day": None}
    counts = figures.alert_counts(db, user, region)
    lines = [
        AlertLine(r.id, r.title, r.title_en, r.severity, counts[r.id]) for r in rules if counts.get(r.id)
    ]
    day = alerts.built_day(db)
    return {
        "alerts": sorted(lines, key=lambda a: SEVERITIES.index(a.severity)),
        "alerts_error": "",
        "alert_persons": figures.count(db, user, region, figures.alert_persons()),
        "alerts_day": date.fromordinal(day) if day else None,
    }


# The dashboard's counts are independent reads: each runs on its own connection at once, and
# the database drivers let go of the GIL while the database works, so a view costs about its
# dearest counts rather than their sum (bench console, county of 50,000 persons on two cores,
# SQLite: 637 → 351 ms). A few threads for the whole process, so a burst of views queues.
# More threads than cores only queue (2 cores: 2 threads 351 ms, 4 threads 436 ms).
FIGURE_THREADS = max(2, min(4, os.cpu_count() or 2))
_figure_pool = ThreadPoolExecutor(max_workers=FIGURE_THREADS, thread_name_prefix="console-figures")


def _at_once(engine: Engine, jobs: dict[str, Callable[[Session], Any]]) -> dict[str, Any]:
    def run(job: Callable[[Session], Any]) -> Any:
        with Session(engine) as session:
            return job(session)

    futures = {name: _figure_pool.submit(run, job) for name, job in jobs.items()}
    return {name: future.result() for name, future in futures.items()}


def _figures(db: Session, user: ServerUser, region: str, period: figures.Period) -> dict[str, Any]:
    engine: Engine = db.get_bind()  # type: ignore[assignment]
    facts.refresh(engine)
    # The request's own connection goes back first: on PostgreSQL a burst of views each holding
    # one while its counts wait for more could empty the pool.
    db.close()
    today, months = china_today(), figures.priority_months()
    # Dearest first, so the pool's threads start on them.
    found = _at_once(
        engine,
        {
            "alerts": lambda s: _alerts(s, user, region),
            "priority_unvisited": lambda s: figures.count(
                s, user, region, figures.priority_unvisited(today, months)
            ),
            "visited": lambda s: figures.by_area(s, user, region, figures.visited(period)),
            "visits": lambda s: figures.by_area(s, user, region, figures.visits(period)),
            "registered": lambda s: figures.by_area(s, user, region, figures.REGISTERED),
            "device_supply": lambda s: figures.device_supply(s, user, region, period),
            "needs": lambda s: figures.needs(s, user, region, period),
            "device_needs": lambda s: figures.count(s, user, region, figures.device_need(period)),
            "projects": lambda s: figures.project_counts(s, user, region),
            "need_items": lambda s: figures.need_item_counts(s, user, region, today),
            "overdue_items": lambda s: figures.count(s, user, region, figures.need_items(overdue_on=today)),
            "laptops": lambda s: figures.laptops(s, user, region, period),
        },
    )
    areas = figures.areas(found.pop("registered"), found.pop("visited"), found.pop("visits"))
    assessed, needs = found.pop("needs")
    alert_card = found.pop("alerts")
    return {
        **found,
        **alert_card,
        "areas": areas,
        "total": figures.Area(
            region,
            region_name(region),
            sum(a.registered for a in areas),
            sum(a.visited for a in areas),
            sum(a.visits for a in areas),
        ),
        "assessed": assessed,
        "needs": needs,
        "need_statuses": figures.NEED_STATUSES,
        "priority_months": months,
        "today": today,
    }


def busy(request: Request, building: facts.Building) -> Response:
    """A download asked for while the figures are being built: 503, and when to ask again."""
    text = tr(request, "统计数据正在准备中（{p}%），请稍后再导出。", p=building.percent)
    return PlainTextResponse(text, status_code=503, headers={"Retry-After": "30"})


def _chart_data(request: Request, data: dict[str, Any]) -> str:
    """What console.js draws: coverage per area, needs per kind, projects per kind."""
    _ = lambda t, **values: tr(request, t, **values)  # noqa: E731
    by_kind: dict[str, float] = {}
    for p in data["projects"]:
        by_kind[p.kind] = by_kind.get(p.kind, 0) + p.count
    return json.dumps(
        {
            "areas": [a.name for a in data["areas"]],
            "registered": [a.registered for a in data["areas"]],
            "visited": [a.visited for a in data["areas"]],
            "labels": {
                "registered": _("在册人数"),
                "visited": _("已访视人数"),
                "needed": _("需要（件）"),
                "delivered": _("已发放（件）"),
            },
            "devices": {
                "classes": [d.code for d in data["device_supply"]],
                "needed": [d.needed for d in data["device_supply"]],
                "delivered": [d.delivered for d in data["device_supply"]],
            },
            "needs": [{"name": _(n.label), "value": n.count} for n in data["needs"]],
            "projects": [{"name": label("kind", k), "value": v} for k, v in by_kind.items()],
        },
        ensure_ascii=False,
    )


@router.get("/dashboard", include_in_schema=False)
def dashboard(request: Request, db: SessionDep, region: str = "", start: str = "", end: str = "") -> Response:
    signed = require(request, db, Page.DASHBOARD)
    chosen = _region(signed.user, region)
    period = _period(start, end)
    query = {"region": chosen, "start": period.start.isoformat(), "end": period.end.isoformat()}
    building = facts.building(db.get_bind())  # type: ignore[arg-type]
    if building is not None:
        context = {
            "building": building,
            "poll": f"dashboard?{urlencode(query)}",
            "region": chosen,
            "period": period,
            "my_regions": [(r, region_name(r)) for r in signed.user.regions],
        }
        return render(
            request, "preparing.html" if request.headers.get("hx-request") else "dashboard.html", context
        )
    data = _figures(db, signed.user, chosen, period)
    context = {
        **data,
        "region": chosen,
        "region_label": region_name(chosen) or " / ".join(region_name(r) for r in signed.user.regions),
        "period": period,
        "query": urlencode(query),
        "qs": query,
        "child_len": figures.child_length(chosen),
        "charts": _chart_data(request, data),
        "severity_labels": SEVERITY_LABELS,
        "my_regions": [(r, region_name(r)) for r in signed.user.regions],
    }
    template = "dashboard_figures.html" if request.headers.get("hx-request") else "dashboard.html"
    return render(request, template, context)


@router.get("/dashboard.csv", include_in_schema=False)
def dashboard_csv(
    request: Request, db: SessionDep, region: str = "", start: str = "", end: str = ""
) -> Response:
    signed = require(request, db, Page.DASHBOARD)
    chosen = _region(signed.user, region)
    period = _period(start, end)
    building = facts.building(db.get_bind())  # type: ignore[arg-type]
    if building is not None:
        return busy(request, building)
    data = _figures(db, signed.user, chosen, period)
    _ = lambda t, **values: tr(request, t, **values)  # noqa: E731
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [_("地区"), region_name(chosen) or chosen, _("起始日期"), period.start, _("截止日期"), period.end]
    )
    w.writerow([])
    w.writerow([_("访视覆盖率"), _("地区"), _("在册人数"), _("已访视人数"), _("访视次数"), _("覆盖率")])
    for a in [*data["areas"], data["total"]]:
        w.writerow([a.code, a.name or _("合计"), a.registered, a.visited, a.visits, f"{a.coverage:.1%}"])
    w.writerow([])
    w.writerow([_("需求"), _("人数")])
    for n in data["needs"]:
        w.writerow([_(n.label), n.count])
    w.writerow([_("有辅具需求的访视"), data["device_needs"]])
    w.writerow([])
    statuses = data["need_statuses"]
    w.writerow([_("需求事项"), *(_(label("need_status", st)) for st in statuses), _("逾期"), _("合计")])
    for line in data["need_items"]:
        counts = [line.by_status.get(st, 0) for st in statuses]
        w.writerow([_(label("need_type", line.kind)), *counts, line.overdue, line.total])
    w.writerow([])
    w.writerow([_("改造项目"), _("状态"), _("项目数"), _("预算金额（元）")])
    for p in data["projects"]:
        w.writerow([label("kind", p.kind), label("status", p.status), p.count, f"{p.budget:.2f}"])
    w.writerow([])
    w.writerow([_("预警"), _("数量")])
    w.writerow([_("逾期未办结的需求事项"), data["overdue_items"]])
    w.writerow([_("重度或困难残疾人 {n} 个月未访视", n=data["priority_months"]), data["priority_unvisited"]])
    w.writerow([])
    w.writerow([_("需求预警（按预警规则）"), _("级别"), _("人数")])
    english = language(request) == "en"
    for a in data["alerts"]:
        w.writerow([a.title_en or a.title if english else a.title, _(SEVERITY_LABELS[a.severity]), a.count])
    w.writerow([_("有预警的人数"), "", data["alert_persons"]])
    w.writerow([])
    w.writerow([_("辅具需求与发放"), _("人数"), _("需要（件）"), _("已发放（件）"), _("发放率")])
    for d in data["device_supply"]:
        name = d.name if language(request) == "zh" else d.name_en
        w.writerow([f"{d.code} {name}", d.persons, d.needed, d.delivered, f"{d.rate:.1%}"])
    w.writerow([])
    w.writerow([_("已登记设备"), data["laptops"].registered])
    w.writerow([_("期间内同步过的设备"), data["laptops"].synced])
    w.writerow([_("已注销设备"), data["laptops"].revoked])
    name = f"homevisit-{chosen or 'all'}-{period.start}-{period.end}.csv"
    # A byte-order mark, so Excel opens the Chinese as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _selection(
    db: Session, user: ServerUser, region: str, what: str, period: figures.Period, kind: str, status: str
) -> figures.Selection:
    if what in ("devclass", "devdelivered"):
        return figures.device_forms(db, user, region, period, kind, delivered=what == "devdelivered")
    if what == "persons":
        return figures.REGISTERED
    if what == "visits":
        return figures.visits(period)
    if what == "visited":
        return figures.visited(period)
    if what == "devices":
        return figures.device_need(period)
    if what == "projects":
        return figures.projects(kind, status)
    if what == "needitems":
        return figures.need_items(kind, status)
    if what == "priority_unvisited":
        return figures.priority_unvisited(china_today(), figures.priority_months())
    if what == "needitems_overdue":
        return figures.need_items(kind, overdue_on=china_today())
    if what.startswith("need:") and what[5:] in figures.NEEDS:
        return figures.need(what[5:], period)
    if what == "alerts":
        return figures.alert_persons()
    if what.startswith("alert:") and what[6:] in _rule_titles(db):
        return figures.alert_persons(what[6:])
    raise Refused("没有这个列表")


def _rule_titles(db: Session) -> dict[str, tuple[str, str]]:
    """Rule id -> (Chinese title, English title) of the need-alert rules."""
    try:
        rules = alerts.rule_set(db.get_bind()).rules  # type: ignore[arg-type]
    except FormDefinitionError:
        return {}
    return {r.id: (r.title, r.title_en or r.title) for r in rules}


_COLUMNS = {
    "person": ("name", "id_number", "category", "level", "status"),
    "visit": ("started_at", "worker", "place", "status", "summary"),
    "formresponse": ("form_id", "completed_at", "status"),  # the visit: its review link
    "renovationproject": ("title", "kind", "status", "budget", "contractor"),
    "needitem": ("need_type", "detail", "status", "due_on", "referral_to"),
}


_HEADERS = {
    "name": "姓名",
    "id_number": "证件号",
    "category": "残疾类别",
    "level": "残疾等级",
    "status": "状态",
    "started_at": "日期",
    "worker": "专职委员",
    "place": "访视地点",
    "summary": "摘要",
    "form_id": "表单",
    "completed_at": "日期",
    "visit_id": "访视",
    "title": "项目名称",
    "kind": "类型",
    "budget": "预算金额（元）",
    "contractor": "施工单位",
    "need_type": "需求类型",
    "detail": "需求内容",
    "due_on": "办理期限",
    "referral_to": "转介去向（责任单位）",
}


_CODES = {  # (table, column) -> label group of ``web.label``
    ("person", "category"): "category",
    ("person", "level"): "level",
    ("person", "status"): "person_status",
    ("visit", "status"): "visit_status",
    ("formresponse", "status"): "visit_status",  # a response is 草稿 or 已完成 like its visit
    ("renovationproject", "status"): "status",
    ("needitem", "status"): "need_status",
    ("needitem", "need_type"): "need_type",
}


@lru_cache(maxsize=1)
def _form_titles() -> dict[str, tuple[str, str]]:
    """Each shipped form's title (Chinese, English), from its latest version."""
    out = {}
    for form_id, versions in form_files(RESOURCES_DIR / "forms").items():
        raw = json.loads(versions[max(versions)].read_text("utf-8"))
        out[form_id] = (
            str(raw.get("title") or form_id),
            str(raw.get("title_en") or raw.get("title") or form_id),
        )
    return out


def form_title(request: Request, form_id: str) -> str:
    """A form's title in the page's language; a form the server does not ship keeps its id."""
    zh, en = _form_titles().get(form_id, (form_id, form_id))
    return en if language(request) == "en" else zh


def _cell(request: Request, tbl: str, name: str, value: Any) -> str:
    if value is None:
        return ""
    if (tbl, name) in _CODES:
        return tr(request, label(_CODES[(tbl, name)], str(value)))
    if name == "id_number":
        return mask_id_number(str(value)) if value else ""
    if name in ("started_at", "completed_at"):
        return local_day(str(value), CHINA_TIME)
    if name == "kind":
        return tr(request, label("kind", str(value)))
    if name == "form_id":
        return form_title(request, str(value))
    return str(value)


@router.get("/records", include_in_schema=False)
def records(
    request: Request,
    db: SessionDep,
    what: str = "persons",
    region: str = "",
    start: str = "",
    end: str = "",
    kind: str = "",
    status: str = "",
    page: int = 0,
) -> Response:
    """The rows behind one dashboard figure (the same ``Selection`` the figure counted)."""
    signed = require(request, db, Page.DASHBOARD)
    chosen = _region(signed.user, region)
    period = _period(start, end)
    building = facts.building(db.get_bind())  # type: ignore[arg-type]
    if building is not None:
        return render(request, "preparing_page.html", {"building": building})
    facts.refresh(db.get_bind())  # type: ignore[arg-type]
    selection = _selection(db, signed.user, chosen, what, period, kind, status)
    total = figures.count(db, signed.user, chosen, selection)
    page = max(0, page)
    F = figures.F
    rows = db.execute(
        select(Record.row_id, Record.region_code, Record.fields)
        .join(F, F.record_id == Record.id)  # type: ignore[arg-type]
        .where(*selection.conditions(db, signed.user, chosen))
        .order_by(F.region_code, F.row_id)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    columns = _COLUMNS[selection.tbl]
    lines = [
        {
            "row_id": row_id,
            "area": region_name(code),
            "cells": [_cell(request, selection.tbl, c, (fields.get(c) or [None])[0]) for c in columns],
            "visit_id": row_id if selection.tbl == "visit" else (fields.get("visit_id") or [None])[0],
        }
        for row_id, code, fields in rows
    ]
    base = {
        "what": what,
        "region": chosen,
        "start": period.start,
        "end": period.end,
        "kind": kind,
        "status": status,
    }
    context = {
        "what": what,
        "tbl": selection.tbl,
        "columns": [tr(request, _HEADERS[c]) for c in columns],
        "lines": lines,
        "total": total,
        "page": page,
        "page_count": (total + PAGE_SIZE - 1) // PAGE_SIZE,
        "region_label": region_name(chosen),
        "period": period,
        "prev_q": urlencode({**base, "page": page - 1}),
        "next_q": urlencode({**base, "page": page + 1}),
        "can_review": may_open(signed.user, Page.REVIEW),
        "caption": _caption(request, db, what),
    }
    return render(request, "records.html", context)


def _caption(request: Request, db: Session, what: str) -> str:
    """What an alert list holds: the rule's title (the other lists say it in their columns)."""
    if what == "alerts":
        return tr(request, "有预警的人")
    if what.startswith("alert:"):
        titles = _rule_titles(db).get(what[6:], ("", ""))
        return titles[0] if language(request) == "zh" else titles[1]
    return ""
