"""``homevisit ledger export``: one ledger (台账) of a profile into an Excel file, from the command line."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from app.domain.regions import InvalidRegionCode, normalise_prefix
from app.services.auth import LoginFailed
from app.services.ledger import Scope, UnknownLedgerKind, export_ledger, ledger_kind
from app.services.profile import open_for_command
from app.store.store import DB_NAME


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2


def _out_problem(out: Path) -> str | None:
    """Why ``out`` cannot be written, checked before the profile is opened; None if it looks fine."""
    if out.is_dir():
        return f"输出路径“{out}”是一个文件夹，请写上文件名，如 {out / '台账.xlsx'}"
    if out.suffix.lower() != ".xlsx":
        return f"输出文件“{out}”应以 .xlsx 结尾"
    if not out.parent.is_dir():
        return f"输出目录“{out.parent}”不存在"
    if not os.access(out.parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        return f"没有权限写入“{out}”"
    return None


def _scope(region: str, start: str, end: str) -> Scope | str:
    """The region and period asked for, or why they are wrong (in Chinese)."""
    try:
        prefix = normalise_prefix(region) if region else ""
    except InvalidRegionCode as exc:
        return str(exc)
    days = []
    for text in (start, end):
        try:
            days.append(date.fromisoformat(text) if text else None)
        except ValueError:
            return f"日期“{text}”格式应为 YYYY-MM-DD"
    if days[0] and days[1] and days[0] > days[1]:
        return "起始日期不能晚于截止日期"
    return Scope(prefix, days[0], days[1])


def export_ledger_cli(
    home: Path, *, kind: str, out: Path, region: str = "", start: str = "", end: str = ""
) -> int:
    """Write the ``kind`` ledger of the profile at ``home`` to ``out``; returns the exit status."""
    try:
        chosen = ledger_kind(kind)
    except UnknownLedgerKind as exc:
        return _fail(str(exc))
    scope = _scope(region, start, end)
    if isinstance(scope, str):
        return _fail(scope)
    home = Path(home)
    if not (home / DB_NAME).is_file():
        return _fail(f"目录“{home}”中没有 HomeVisit 数据（找不到 {DB_NAME}）")
    out = Path(out)
    if problem := _out_problem(out):
        return _fail(problem)
    try:
        store = open_for_command(home)  # an encrypted profile needs HOMEVISIT_USER/HOMEVISIT_PASSWORD
    except LoginFailed as exc:
        return _fail(str(exc))
    try:
        try:
            count = export_ledger(store, chosen, out, actor="cli", scope=scope)
        except OSError as exc:
            return _fail(f"无法写入“{out}”：{exc.strerror or exc}")
        print(f"已导出{chosen.label} {count} 条到 {out}")
        return 0
    finally:
        store.close()
