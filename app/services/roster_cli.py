"""``homevisit roster import``: a roster file into a profile, from the command line.

Running the command without ``--dry-run`` is the user's confirmation: the clean
rows are imported, the bad ones reported. Exit status: 0 every row clean, 3 some
rows bad (the clean ones imported unless ``--dry-run``), 2 bad arguments (one
Chinese line on stderr, nothing written, no report).

``add_parser`` and ``run`` are how ``app.cli`` registers the command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

SHOWN_ERRORS = 20  # lines on the terminal; the report file has all


def add_parser(sub: Any) -> None:
    """Register ``roster import`` on the ``homevisit`` parser's subcommands."""
    roster = sub.add_parser("roster", help="roster (花名册) import from .xlsx or .csv")
    roster_sub = roster.add_subparsers(dest="roster_command", required=True)
    imp = roster_sub.add_parser("import", help="check a roster file and import its clean rows")
    imp.add_argument(
        "--home", type=Path, dest="roster_home", required=True, metavar="DIR", help="profile folder"
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the roster (.xlsx or .csv, UTF-8 or GBK)")
    imp.add_argument("--dry-run", action="store_true", help="check and report only, import nothing")
    imp.add_argument("--report", type=Path, metavar="FILE", help="write the JSON report here")


def run(args: argparse.Namespace) -> int:
    return import_roster_cli(args.roster_home, args.file, dry_run=args.dry_run, report=args.report)


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2


def write_report(path: Path, report: dict[str, Any]) -> None:
    """Write the JSON report whole or not at all (temporary file renamed over the target)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def report_problem(report: Path | None) -> str | None:
    """Why the report cannot be written, checked before anything is read; None if it looks fine."""
    if report is None:
        return None
    if report.is_dir():
        return f"报告路径“{report}”是一个文件夹，请写上文件名，如 {report / '导入报告.json'}"
    if not report.parent.is_dir():
        return f"报告目录“{report.parent}”不存在"
    if not os.access(report.parent, os.W_OK):
        return f"没有权限写入“{report}”"
    return None


def print_errors(errors: list[dict[str, Any]]) -> None:
    for e in errors[:SHOWN_ERRORS]:
        print(f"第{e['row']}行 {e['column']}“{e['value']}”：{e['reason']}")
    if len(errors) > SHOWN_ERRORS:
        print(f"……另有 {len(errors) - SHOWN_ERRORS} 处问题，详见报告文件")


def import_roster_cli(home: Path, file: Path, *, dry_run: bool = False, report: Path | None = None) -> int:
    """Check ``file`` against the profile at ``home`` and, unless ``dry_run``, import its clean rows."""
    # Imported here: ``add_parser`` runs on every start of the app, which must stay quick.
    from app.domain.roster.reader import UnreadableRoster
    from app.domain.roster.validate import MappingIncomplete
    from app.services.roster_import import check_roster_file, import_checked, open_roster
    from app.store.store import DB_NAME, Store

    home = Path(home)
    if not (home / DB_NAME).is_file():
        return _fail(f"目录“{home}”中没有 HomeVisit 数据（找不到 {DB_NAME}）")
    if problem := report_problem(report):
        return _fail(problem)
    try:
        table, mapping = open_roster(home, file)
    except UnreadableRoster as exc:
        return _fail(str(exc))
    store = Store(home)
    try:
        try:
            check = check_roster_file(store, table, mapping)
        except MappingIncomplete as exc:
            return _fail(f"{exc}（表头：{'、'.join(h for h in table.headers if h)}）")
        imported = 0
        if not dry_run and check.households:
            imported = import_checked(store, check, actor="cli", source=str(file)).persons
    finally:
        store.close()
    result = check.report(imported)
    if report is not None:
        write_report(report, result)
    print_errors(result["errors"])
    verb = "可导入" if dry_run else "已导入"
    count = check.new_persons if dry_run else imported
    print(
        f"共 {check.rows} 行：{verb} {count} 人，已在册跳过 {len(check.already_registered)} 人，"
        f"有问题 {len(check.bad_rows)} 行"
    )
    return 0 if check.clean else 3
