"""Uploads (导入): a roster to check and then import, a form version to publish.

Roster (``server.roster_import``): the file is checked first and nothing is written —
the page lists every bad row (row, column, value, why) and how many rows are clean; the
file waits in the server's data folder under a random token bound to the uploader, and
"确认导入" imports the clean rows (the same function as ``homevisit-server import-roster``,
so the records reach laptops at their next sync and a second import changes nothing).

Form (``server.forms_publish``): a form definition as ``homevisit forms import`` writes
it from an XLSForm workbook (JSON). The server does not convert the workbook itself: the
converter runs the form engine (``app.forms``), which the server may not import. A
refusal is shown with its reason; a valid new version is published to ``GET /forms``.

Supervisors and administrators only; CSRF on every form; uploads capped at ``MAX_BYTES``;
every import and publication audited.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from app.contract.forms.xlsform import XLSFormError, workbook_to_form
from app.domain.regions import InvalidRegionCode, UnknownRegion, default_catalog
from app.domain.roster.reader import UnreadableRoster
from app.domain.roster.validate import MappingIncomplete
from server.api.deps import SessionDep, SettingsDep
from server.console.access import OutOfScope, Page, region_for
from server.console.audit import audit
from server.console.guard import Refused, require
from server.console.i18n import language
from server.console.web import render, tr
from server.forms_publish import PublishRefused, publish_form
from server.roster_import import import_roster

router = APIRouter(prefix="/uploads")
MAX_BYTES = 10 * 1024 * 1024
ROSTER_SUFFIXES = (".xlsx", ".csv")
KEEP_S = 3600  # an unconfirmed upload is dropped after an hour
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _folder(settings: Any) -> Path:
    return Path(settings.data_dir) / "console_uploads"


def _safe_name(name: str, suffix: str) -> str:
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", Path(name or "roster").stem)[:80] or "roster"
    return f"{stem}{suffix}"


async def _read_capped(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Refused("文件超过 10 MB，请拆分后再上传")  # MAX_BYTES
    if not data:
        raise Refused("请选择要上传的文件")
    return data


_LONG_NUMBER = re.compile(r"^[0-9Xx]{15,}$")


def _masked(report: dict[str, Any]) -> dict[str, Any]:
    """The report with ID and certificate numbers masked (a list on screen shows no full number)."""

    def mask(value: str) -> str:
        text = str(value)
        return text[:6] + "*" * (len(text) - 10) + text[-4:] if _LONG_NUMBER.match(text) else text

    return {**report, "errors": [{**e, "value": mask(e.get("value", ""))} for e in report["errors"]]}


def _page(request: Request, **context: Any) -> Response:
    values: dict[str, Any] = {
        "report": None,
        "token": "",
        "region": "",
        "filename": "",
        "message": "",
        "error": "",
        "form_result": None,
        "max_mb": MAX_BYTES // (1024 * 1024),
    }
    values.update(context)
    if values["report"]:
        values["report"] = _masked(values["report"])
    status = 422 if values["error"] else 200
    return render(request, "uploads.html", values, status=status)


def _drop_stale(folder: Path) -> None:
    if not folder.is_dir():
        return
    for item in folder.iterdir():
        try:
            if item.stat().st_mtime < time.time() - KEEP_S:
                shutil.rmtree(item, ignore_errors=True)
        except OSError:
            continue


@router.get("", include_in_schema=False)
def uploads(request: Request, db: SessionDep, message: str = "") -> Response:
    signed = require(request, db, Page.UPLOADS)
    region = signed.user.regions[0] if signed.user.regions else ""
    return _page(request, region=region, message=tr(request, message) if message else "")


def _region(user: Any, asked: str) -> str:
    try:
        region = region_for(user, asked.strip())
        default_catalog().get(region)
    except (OutOfScope, InvalidRegionCode, UnknownRegion, ValueError):
        raise Refused("地区代码无效或不在您的范围内") from None
    return region


@router.post("/roster", include_in_schema=False)
async def check_roster(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    region: Annotated[str, Form(max_length=20)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Check the file (a dry run): every bad row listed, nothing written."""
    signed = require(request, db, Page.UPLOADS, csrf=csrf)
    code = _region(signed.user, region)
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in ROSTER_SUFFIXES:
        return _page(request, region=code, error=tr(request, "花名册应为 .xlsx 或 .csv 文件"))
    data = await _read_capped(file)
    folder = _folder(settings)
    _drop_stale(folder)
    token = secrets.token_urlsafe(24)
    place = folder / token
    place.mkdir(parents=True)
    path = place / _safe_name(file.filename or "", suffix)
    path.write_bytes(data)
    (place / "owner.json").write_text(
        json.dumps({"user_id": signed.user.id, "region": code}, ensure_ascii=False), encoding="utf-8"
    )
    try:
        check, _ = import_roster(db.get_bind(), path, region=code, dry_run=True)  # type: ignore[arg-type]
    except (UnreadableRoster, MappingIncomplete) as exc:
        shutil.rmtree(place, ignore_errors=True)
        return _page(request, region=code, error=str(exc))
    report = {**check.report(0), "new_persons": check.new_persons, "bad_rows": len(check.bad_rows)}
    return _page(
        request,
        region=code,
        report=report,
        token=token if check.new_persons else "",
        filename=path.name,
    )


@router.post("/roster/confirm", include_in_schema=False)
def confirm_roster(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=64)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Import the clean rows of a file checked before (by the same user)."""
    signed = require(request, db, Page.UPLOADS, csrf=csrf)
    place = _folder(settings) / token
    owner_file = place / "owner.json"
    if not _TOKEN.match(token) or not owner_file.is_file():
        raise Refused("上传的文件已过期，请重新上传并检查")
    owner = json.loads(owner_file.read_text("utf-8"))
    if owner.get("user_id") != signed.user.id:
        raise Refused("上传的文件已过期，请重新上传并检查")
    code = _region(signed.user, str(owner.get("region", "")))
    (path,) = [p for p in place.iterdir() if p.suffix.lower() in ROSTER_SUFFIXES]
    try:
        check, imported = import_roster(db.get_bind(), path, region=code)  # type: ignore[arg-type]
    except (UnreadableRoster, MappingIncomplete) as exc:
        raise Refused(str(exc)) from exc
    finally:
        shutil.rmtree(place, ignore_errors=True)
    audit(
        db,
        request,
        signed.user.username,
        "console_import_roster",
        target=path.name,
        region=code,
        rows=check.rows,
        imported=imported,
        bad_rows=len(check.bad_rows),
    )
    db.commit()
    report = {**check.report(imported), "new_persons": check.new_persons, "bad_rows": len(check.bad_rows)}
    message = tr(request, "已导入 {n} 人，各设备下次同步后可见", n=imported)
    return _page(request, region=code, report=report, message=message, imported=True, filename=path.name)


@router.post("/form", include_in_schema=False)
async def publish(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Publish a form version from an XLSForm workbook (.xlsx, converted and checked here) or the
    JSON ``homevisit forms import`` writes; a refusal says why (each sheet, row and reason)."""
    signed = require(request, db, Page.UPLOADS, csrf=csrf)
    suffix = Path(file.filename or "").suffix.lower()
    region = signed.user.regions[0] if signed.user.regions else ""
    if suffix == ".xls":
        why = tr(request, "请把工作簿另存为 .xlsx 后再上传")
        return _page(request, region=region, form_result={"ok": False, "why": why})
    data = await _read_capped(file)
    if suffix == ".xlsx":
        # The converter ``homevisit forms import`` runs (app/contract/forms/xlsform.py).
        try:
            definition, _form = workbook_to_form(data)
        except XLSFormError as exc:
            problems = [
                {"sheet": p.sheet, "row": p.row or "", "why": p.reason_in(language(request))}
                for p in exc.problems
            ]
            why = tr(request, "工作簿有 {n} 处问题，请改正后再上传", n=len(problems))
            return _page(request, region=region, form_result={"ok": False, "why": why, "problems": problems})
    else:
        try:
            definition = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            why = tr(request, "不是有效的表单文件（JSON）：{e}", e=str(exc)[:200])
            return _page(request, region=region, form_result={"ok": False, "why": why})
    try:
        path, new = publish_form(Path(settings.forms_dir), definition)
    except PublishRefused as exc:
        why = tr(request, exc.template, **exc.values)
        return _page(request, region=region, form_result={"ok": False, "why": why})
    if new:
        request.app.state.forms.index.cache_clear()  # the push's answer checks see the new version
        audit(
            db,
            request,
            signed.user.username,
            "publish_form",
            target=f"{definition['id']} v{definition['version']}",
            file=path.name,
        )
        db.commit()
    result = {
        "ok": True,
        "new": new,
        "id": definition["id"],
        "version": definition["version"],
        "title": definition.get("title", ""),
    }
    return _page(request, region=region, form_result=result)
