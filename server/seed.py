"""Synthetic data on the server: households across Quzhou with persons, visits and form answers.

The records look as if a laptop had pushed them (every field with a clock), so
a benchmark's first pull downloads realistic pages.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Engine, insert, text
from sqlmodel import Session

from app.domain.synthetic import generate
from app.sync.hlc import HybridLogicalClock
from app.sync.schema import TABLES
from server.models import Record

SEED_DEVICE = "serverseed"
_CHUNK = 2000
_DEFAULTS = {"str": "", "int": 0, "float": 0.0, "bool": False}
_SUMMARIES = [
    "家中无障碍设施需改造",
    "近期生活稳定，按时服药",
    "需要轮椅一台",
    "申请室内照明线路改造",
    "家属照护良好",
]
_PLACES = ["家中", "村委会", "社区服务中心"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _fields(tbl: str, row: dict[str, Any], clock: HybridLogicalClock) -> dict[str, list[Any]]:
    """``{field: [value, hlc]}`` for every schema field of ``tbl`` (defaults filled in)."""
    out: dict[str, list[Any]] = {}
    for name, kind in TABLES[tbl].items():
        value = _jsonable(row.get(name))
        if value is None and not kind.endswith("?"):
            value = _DEFAULTS[kind.rstrip("?")]
        out[name] = [value, clock.tick()]
    for name, value in row.items():
        if "." in name:
            out[name] = [value, clock.tick()]
    return out


def _row_id(rng: random.Random) -> str:
    # A UUIDv7-shaped id without importing the store's id maker.
    hexs = f"{rng.getrandbits(128):032x}"
    return f"{hexs[:8]}-{hexs[8:12]}-7{hexs[13:16]}-{hexs[16:20]}-{hexs[20:]}"


def _visits(
    rng: random.Random, household_id: str, person_id: str, region: str, today: date
) -> list[tuple[str, str, dict]]:
    rows: list[tuple[str, str, dict]] = []
    for _ in range(rng.randint(1, 3)):
        day = today - timedelta(days=rng.randint(1, 700))
        visit_id = _row_id(rng)
        started = f"{day.isoformat()}T0{rng.randint(1, 7)}:{rng.randint(10, 59)}:00.000Z"
        rows.append(
            (
                "visit",
                visit_id,
                {
                    "region_code": region,
                    "created_at": started,
                    "household_id": household_id,
                    "person_id": person_id,
                    "worker": "seed",
                    "started_at": started,
                    "ended_at": started,
                    "status": "completed",
                    "place": rng.choice(_PLACES),
                    "summary": rng.choice(_SUMMARIES),
                },
            )
        )
        rows.append(
            (
                "formresponse",
                _row_id(rng),
                {
                    "region_code": region,
                    "created_at": started,
                    "visit_id": visit_id,
                    "form_id": "needs_assessment",
                    "form_version": 1,
                    "status": "completed",
                    "completed_at": started,
                    "answers.living_alone": rng.choice(["yes", "no"]),
                    "answers.needs_devices": rng.choice(["wheelchair", "walker", "none"]),
                    "answers.income_source": rng.choice(["pension", "subsidy", "family"]),
                    "answers.note": rng.choice(_SUMMARIES),
                },
            )
        )
    return rows


def seed(
    engine: Engine, households: int, seed_value: int = 0, regions: list[str] | None = None
) -> dict[str, int]:
    """Insert ``households`` synthetic households with their persons, visits and responses."""
    rng = random.Random(seed_value)
    clock = HybridLogicalClock(SEED_DEVICE)
    today = date.today()
    counts: dict[str, int] = {}
    pending: list[tuple[str, str, dict[str, list[Any]]]] = []

    def flush() -> None:
        if not pending:
            return
        with Session(engine) as session:
            n = len(pending)
            top = session.execute(
                text("UPDATE seq_counter SET value = value + :n WHERE id = 1 RETURNING value"), {"n": n}
            ).scalar_one()
            session.execute(
                insert(Record.__table__),  # type: ignore[attr-defined]
                [
                    {
                        "tbl": tbl,
                        "row_id": row_id,
                        "region_code": fields["region_code"][0],
                        "seq": top - n + 1 + i,
                        "deleted": False,
                        "fields": fields,
                    }
                    for i, (tbl, row_id, fields) in enumerate(pending)
                ],
            )
            session.commit()
        pending.clear()

    def add(tbl: str, row_id: str, row: dict[str, Any]) -> None:
        pending.append((tbl, row_id, _fields(tbl, row, clock)))
        counts[tbl] = counts.get(tbl, 0) + 1
        if len(pending) >= _CHUNK:
            flush()

    for item in generate(households, seed_value, regions, today):
        household_id = _row_id(rng)
        region = item.household["region_code"]
        created = f"{today.isoformat()}T00:00:00.000Z"
        add("household", household_id, {**item.household, "created_at": created})
        first_person = ""
        for person in item.persons:
            person_id = _row_id(rng)
            first_person = first_person or person_id
            add(
                "person",
                person_id,
                {**person, "household_id": household_id, "region_code": region, "created_at": created},
            )
        for tbl, row_id, row in _visits(rng, household_id, first_person or None, region, today):  # type: ignore[arg-type]
            add(tbl, row_id, row)
    flush()
    return counts
