"""Synthetic data on the server: households across Quzhou with persons, visits and form answers.

The records look as if a laptop had pushed them (every field with a clock), so
a benchmark's first pull downloads realistic pages.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import Session

from app.contract.hlc import HybridLogicalClock
from app.contract.schema import TABLES
from app.domain.synthetic import generate
from server import seq
from server.core.config import RESOURCES_DIR
from server.fragments import fragment_columns
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
FORMS_DIR = RESOURCES_DIR / "forms"
# A visit fills the needs assessment, sometimes the housing survey and the device check too.
_FORM_ORDER = ("needs_assessment", "housing_condition", "assistive_devices")
# Ids start at this instant (2024-01-01), as if the rows had been made on devices since then.
_ID_EPOCH_MS = 1_704_067_200_000


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


class _Ids:
    """UUIDv7-shaped ids, time-ordered like those devices make, but reproducible from the seed."""

    def __init__(self, rng: random.Random, start_ms: int) -> None:
        self.rng = rng
        self.ms = start_ms

    def __call__(self) -> str:
        self.ms += 1 + self.rng.randrange(40)
        tail = f"{self.rng.getrandbits(74):019x}"
        hexs = f"{self.ms:012x}7{tail[:3]}{8 + self.rng.randrange(4):x}{tail[3:18]}"
        return f"{hexs[:8]}-{hexs[8:12]}-{hexs[12:16]}-{hexs[16:20]}-{hexs[20:32]}"


def _forms() -> dict[str, dict[str, Any]]:
    """The published form definitions the seeded answers are keyed by."""
    return {
        form["id"]: form
        for form in (json.loads(path.read_text("utf-8")) for path in sorted(FORMS_DIR.glob("*.json")))
    }


def _choices(form: dict[str, Any], question: dict[str, Any]) -> list[str]:
    raw = question.get("choices")
    if isinstance(raw, str):
        raw = form.get("choice_lists", {}).get(raw)
    if not isinstance(raw, list):
        return []  # a catalogue-backed list: left unanswered here
    return [str(c["value"]) if isinstance(c, dict) else str(c) for c in raw]


def _answer(rng: random.Random, form: dict[str, Any], question: dict[str, Any], day: date) -> Any:
    """A plausible value for one question, by its type (None: leave it unanswered)."""
    kind = question["type"]
    if kind == "select_one":
        options = _choices(form, question)
        return rng.choice(options) if options else None
    if kind == "select_multiple":
        options = _choices(form, question)
        return rng.sample(options, rng.randint(1, min(3, len(options)))) if options else None
    if kind == "yes_no":
        return rng.random() < 0.4
    if kind == "integer":
        return rng.randint(1, 6)
    if kind == "decimal":
        return round(rng.uniform(300, 3000), 1)
    if kind == "date":
        return day.isoformat()
    if kind == "text":
        return rng.choice(_SUMMARIES)
    return None  # notes, calculations, photos, signatures and repeats


def _answers(
    rng: random.Random, form: dict[str, Any], person: dict[str, Any], household: dict[str, Any], day: date
) -> dict[str, Any]:
    """``answers.<question>`` for one completed response: the person's facts where a question asks for them."""
    birth = person.get("birth_date") or ""
    age = day.year - int(birth[:4]) if birth[:4].isdigit() else 40
    known = {
        "name": person.get("name"),
        "gender": person.get("gender"),
        "age": age,
        "category": person.get("category"),
        "level": person.get("level"),
        "economic_status": household.get("economic_status"),
        "address": household.get("address"),
        "contact_name": household.get("head_name"),
        "contact_phone": household.get("phone"),
        "household_head": household.get("head_name"),
        "informant": person.get("name"),
        "household_size": rng.randint(1, 6),
        "living_floor": rng.choice([1, 1, 1, 2, 3, 5]),
        "build_year": rng.randint(1975, 2018),
        "collector": "seed",
        "surveyor": "seed",
        "worker": "seed",
    }
    out: dict[str, Any] = {}
    for page in form.get("pages", []):
        for question in page.get("questions", []):
            qid = question["id"]
            # Questions shown only in some cases are answered about half the time.
            if question.get("relevant") and qid not in known and rng.random() < 0.5:
                continue
            value = known[qid] if qid in known else _answer(rng, form, question, day)
            if value is not None:
                out[f"answers.{qid}"] = value
    return out


def _visits(
    rng: random.Random,
    new_id: _Ids,
    forms: dict[str, dict[str, Any]],
    household_id: str,
    person: dict[str, Any],
    household: dict[str, Any],
    today: date,
) -> list[tuple[str, str, dict]]:
    """1-3 completed visits about ``person``, each with 1-3 form responses."""
    rows: list[tuple[str, str, dict]] = []
    region = household["region_code"]
    for _ in range(rng.randint(1, 3)):
        day = today - timedelta(days=rng.randint(1, 700))
        visit_id = new_id()
        started = f"{day.isoformat()}T0{rng.randint(1, 7)}:{rng.randint(10, 59)}:00.000Z"
        rows.append(
            (
                "visit",
                visit_id,
                {
                    "region_code": region,
                    "created_at": started,
                    "household_id": household_id,
                    "person_id": person.get("id"),
                    "worker": "seed",
                    "started_at": started,
                    "ended_at": started,
                    "status": "completed",
                    "place": rng.choice(_PLACES),
                    "summary": rng.choice(_SUMMARIES),
                },
            )
        )
        for form_id in _FORM_ORDER[: rng.choice((1, 1, 2, 3))]:
            form = forms.get(form_id)
            if form is None:
                continue
            rows.append(
                (
                    "formresponse",
                    new_id(),
                    {
                        "region_code": region,
                        "created_at": started,
                        "visit_id": visit_id,
                        "form_id": form_id,
                        "form_version": int(form.get("version", 1)),
                        "status": "completed",
                        "completed_at": started,
                        **_answers(rng, form, person, household, day),
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
            first = seq.allocate(session, n)
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
        pending.clear()

    def add(tbl: str, row_id: str, row: dict[str, Any]) -> None:
        pending.append((tbl, row_id, _fields(tbl, row, clock)))
        counts[tbl] = counts.get(tbl, 0) + 1
        if len(pending) >= _CHUNK:
            flush()

    new_id = _Ids(rng, _ID_EPOCH_MS)
    forms = _forms()
    for item in generate(households, seed_value, regions, today):
        household_id = new_id()
        household = {k: _jsonable(v) for k, v in item.household.items()}
        created = f"{today.isoformat()}T00:00:00.000Z"
        add("household", household_id, {**household, "created_at": created})
        first: dict[str, Any] = {}
        for raw in item.persons:
            person = {k: _jsonable(v) for k, v in raw.items()}
            person_id = new_id()
            first = first or {**person, "id": person_id}
            add(
                "person",
                person_id,
                {
                    **person,
                    "household_id": household_id,
                    "region_code": household["region_code"],
                    "created_at": created,
                },
            )
        for tbl, row_id, row in _visits(rng, new_id, forms, household_id, first, household, today):
            add(tbl, row_id, row)
    flush()
    # Fresh statistics after a bulk load, as PostgreSQL's manual advises: without them the
    # planner guessed a pull page's range held a thousand rows, read every row after the
    # cursor and sorted them (130 ms for a first page of 10,000 households instead of 6 ms)
    # until autovacuum came round.
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE records")
    return counts
