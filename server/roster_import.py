"""``homevisit-server import-roster``: a roster file into the central database.

The same reading, mapping and row checks as the laptop (``app.domain.roster``);
the registry to check duplicates against is every live person record on the
server (an ID number is unique province-wide, not per region). Clean rows become
household and person records exactly as if a laptop had pushed them — every field
with a clock, a pull ``seq`` and its pull fragment — so laptops of the region
receive them at their next sync. All rows are written in one transaction.

``--region CODE`` is the scope the rows must fall in; when it names a village it is
also the village of rows whose 所属村(社区) cell is empty. Exit status as the
laptop's command: 0 every row clean, 3 some bad, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uuid6
from sqlalchemy import Engine, insert, select
from sqlmodel import Session

from app.contract.hlc import HybridLogicalClock
from app.domain.regions import InvalidRegionCode, RegionLevel, UnknownRegion, default_catalog
from app.domain.roster.mapping import auto_map
from app.domain.roster.reader import UnreadableRoster, read_roster
from app.domain.roster.validate import (
    MappingIncomplete,
    RegisteredPerson,
    RosterCheck,
    RosterHousehold,
    check_roster,
)
from server import seq
from server.accounts import audit
from server.fragments import fragment_columns
from server.models import ChangeHistory, Record
from server.seed import _fields

IMPORT_DEVICE = "serverimport"
IMPORT_ACTOR = "cli"  # the server's command line, as in the account commands' audit entries


def add_parser(sub: Any, common: Any) -> None:
    """Register ``import-roster`` on the server command's subparsers (``common`` adds --data-dir etc.)."""
    p = sub.add_parser("import-roster", help="check a roster file and import its clean rows")
    common(p)
    p.add_argument("file", type=Path)
    p.add_argument("--region", required=True, help="region-code prefix the rows must fall in")
    p.add_argument("--dry-run", action="store_true", help="check and report only, import nothing")
    p.add_argument("--report", type=Path, help="write the JSON report here")


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2


def _registry(engine: Engine) -> tuple[list[RegisteredPerson], dict[str, str]]:
    """Every live person (ID, name, household) and every household's region."""
    persons: list[RegisteredPerson] = []
    regions: dict[str, str] = {}
    with Session(engine) as s:
        rows = s.execute(
            select(Record.tbl, Record.row_id, Record.region_code, Record.fields).where(
                Record.tbl.in_(("person", "household")),  # type: ignore[attr-defined]
                Record.deleted == False,  # noqa: E712
            )
        )
        for tbl, row_id, region, fields in rows:
            if tbl == "household":
                regions[row_id] = region
                continue
            id_number = (fields.get("id_number") or [""])[0]
            if id_number:
                persons.append(
                    RegisteredPerson(
                        id_number, (fields.get("name") or [""])[0], (fields.get("household_id") or [""])[0]
                    )
                )
    return persons, regions


def _now() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def write_records(
    engine: Engine, households: list[RosterHousehold], regions: dict[str, str], *, source: str = ""
) -> int:
    """Insert the households and persons as records in one transaction; returns the persons written.

    The history gets every field (action ``create``) and the audit log one entry for the import.
    """
    batch_id = f"import-{_new_id()}"
    clock = HybridLogicalClock(IMPORT_DEVICE)
    now = _now()
    pending: list[tuple[str, str, dict[str, list[Any]]]] = []
    persons = 0
    for h in households:
        household_id = h.existing_id
        region = regions.get(household_id or "", h.region_code)
        if household_id is None:
            household_id = _new_id()
            row = {**h.columns(), "created_at": now, "updated_at": now}
            pending.append(("household", household_id, _fields("household", row, clock)))
        for p in h.persons:
            row = {
                "region_code": region,
                "created_at": now,
                "updated_at": now,
                "household_id": household_id,
                "status": "registered",
                **p.columns(),
            }
            pending.append(("person", _new_id(), _fields("person", row, clock)))
            persons += 1
    if not pending:
        return 0
    with Session(engine) as session:
        first = seq.allocate(session, len(pending))
        # Every field in the append-only history, as a push's would be; the actor is the command line.
        at = time.time()
        session.execute(
            insert(ChangeHistory.__table__),  # type: ignore[attr-defined]
            [
                {
                    "at": at,
                    "username": IMPORT_ACTOR,
                    "device_id": IMPORT_DEVICE,
                    "batch_id": batch_id,
                    "tbl": tbl,
                    "row_id": row_id,
                    "region_code": fields["region_code"][0],
                    "field": name,
                    "action": "create",
                    "new_value": value,
                    "new_hlc": hlc,
                }
                for tbl, row_id, fields in pending
                for name, (value, hlc) in fields.items()
            ],
        )
        audit(
            session,
            actor=IMPORT_ACTOR,
            action="import_roster",
            target=source,
            device_id=IMPORT_DEVICE,
            detail={"batch_id": batch_id, "persons": persons, "records": len(pending)},
        )
        session.execute(
            insert(Record.__table__),  # type: ignore[attr-defined]
            [
                {
                    "tbl": tbl,
                    "row_id": row_id,
                    "region_code": fields["region_code"][0],
                    "seq": first + i,
                    "deleted": False,
                    "fields": fields,
                    **fragment_columns(tbl, fields, first + i),
                }
                for i, (tbl, row_id, fields) in enumerate(pending)
            ],
        )
        session.commit()
    return persons


def _new_id() -> str:
    """A UUIDv7, time-ordered like the ids devices make."""
    return str(uuid6.uuid7())


def import_roster(
    engine: Engine, file: Path, *, region: str, dry_run: bool = False
) -> tuple[RosterCheck, int]:
    """Check ``file`` against the server's registry within ``region``; import the clean rows unless ``dry_run``."""
    table = read_roster(file)
    scope = default_catalog().get(region)
    registry, regions = _registry(engine)
    check = check_roster(
        table,
        auto_map(table.headers),
        registry=registry,
        scope=[scope.code],
        default_region=scope.code if scope.level is RegionLevel.VILLAGE else "",
    )
    imported = 0 if dry_run else write_records(engine, check.households, regions, source=Path(file).name)
    return check, imported


def run(args: argparse.Namespace, settings: Any) -> int:
    """The ``import-roster`` command; arguments are checked before the database is opened."""
    try:
        default_catalog().get(args.region)
    except (InvalidRegionCode, UnknownRegion) as exc:
        return _fail(str(exc))
    if not Path(args.file).is_file():
        return _fail(f"找不到文件“{args.file}”")
    report: Path | None = args.report
    if report is not None and (report.is_dir() or not report.parent.is_dir()):
        return _fail(f"无法写入报告“{report}”：目录不存在或是一个文件夹")
    from server.core.db import make_engine, migrate

    engine = make_engine(settings)
    migrate(engine)
    try:
        check, imported = import_roster(engine, args.file, region=args.region, dry_run=args.dry_run)
    except (UnreadableRoster, MappingIncomplete) as exc:
        return _fail(str(exc))
    result = check.report(imported)
    if report is not None:
        tmp = report.with_name(f".{report.name}.{os.getpid()}.part")
        tmp.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, report)
    print(
        json.dumps(
            {k: v for k, v in result.items() if k != "errors"} | {"bad_rows": len(check.bad_rows)},
            ensure_ascii=False,
        )
    )
    for e in result["errors"][:20]:
        print(f"第{e['row']}行 {e['column']}“{e['value']}”：{e['reason']}")
    return 0 if check.clean else 3
