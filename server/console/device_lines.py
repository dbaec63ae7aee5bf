"""Each completed device-needs form's device lines, kept beside the dashboard's facts.

``server.console.facts.refresh`` calls ``compute`` in the transaction of each chunk of
records it reads, for the form responses of the chunk and those of its visits (a form is
whose its visit says, and the visit's start orders a person's forms). Each form is
counted by the procurement list's own rule, ``app.contract.ledger.devices.device_lines``
over that form alone, so ``server.console.figures.device_supply`` only adds up stored
numbers: the per-view count of every form of a county was 0.9 s CPU for 50,000 persons.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, insert, select
from sqlmodel import Session

from app.contract.ledger.devices import DEVICE_FORM, DeviceForm, device_lines
from server.console.tables import ConsoleDeviceLine, RecordFact
from server.core.config import RESOURCES_DIR
from server.models import Record

F = RecordFact
L = ConsoleDeviceLine.__table__  # type: ignore[attr-defined]
HEAD = ""  # the code of a form's head row (``ConsoleDeviceLine``)
COMPLETED = "completed"
CHUNK = 500


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def forget(session: Session) -> None:
    """Drop every stored line (the facts are being built again from the first record)."""
    session.execute(delete(L))


@lru_cache(maxsize=1)
def device_catalog() -> dict[str, Any]:
    """The device catalogue the laptop ships (``resources/catalogs/devices.json``)."""
    return json.loads((RESOURCES_DIR / "catalogs" / "devices.json").read_text("utf-8"))


def compute(session: Session, form_ids: Collection[int], visit_ids: Collection[str]) -> int:
    """Write again the lines of the form responses ``form_ids`` (records.id) and of those of the
    visits ``visit_ids`` (row ids), from their current facts; how many forms have lines now.

    A form that is not a completed device-needs form, or is a tombstone, is left without rows.
    """
    items = device_catalog()["items"]
    ids = set(form_ids)
    for chunk in _chunks(sorted(set(visit_ids) - {""})):
        # The form is picked here, not in SQL: with ``form_id`` in the query and no statistics yet
        # (a first build), SQLite read every device form of the database per chunk.
        query = select(F.record_id, F.form_id).where(
            F.person_id.in_(chunk),  # type: ignore[attr-defined]
            F.tbl == "formresponse",
        )
        ids.update(rid for rid, form in session.execute(query) if form == DEVICE_FORM)
    made = 0
    for chunk in _chunks(sorted(ids)):
        session.execute(delete(L).where(L.c.record_id.in_(chunk)))
        rows = session.execute(
            select(F.record_id, F.region_code, F.seq, Record.fields)
            .join(Record, Record.id == F.record_id)  # type: ignore[arg-type]
            .where(
                F.record_id.in_(chunk),  # type: ignore[attr-defined]
                F.form_id == DEVICE_FORM,
                F.status == COMPLETED,
                F.deleted == False,  # noqa: E712
            )
        ).all()
        visits = _visits(session, {_value(fields, "visit_id") for *_, fields in rows})
        lines: list[dict[str, Any]] = []
        for rid, region, seq, fields in rows:
            form = _form(rid, fields, visits)
            base = {"record_id": rid, "who": form.who, "region_code": region, "seq": seq}
            base |= {"started": form.started_at, "completed": form.completed_at}
            lines.append({**base, "code": HEAD, "quantity": 0, "delivered": 0})
            for line in device_lines([form], items, {}):
                lines.append(
                    {**base, "code": line.code, "quantity": line.quantity, "delivered": line.delivered}
                )
        if lines:
            session.execute(insert(L), lines)
        made += len(rows)
    return made


def _value(fields: dict[str, Any], name: str) -> str:
    pair = fields.get(name)
    return str(pair[0] or "") if pair else ""


def _visits(session: Session, visit_ids: Collection[str]) -> dict[str, tuple[str, str]]:
    """Visit row id -> (person id, start) of the visits among ``visit_ids`` that are not tombstones."""
    out: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(sorted(set(visit_ids) - {""})):
        # By record id, from the records' (tbl, row_id) index: the facts have none on row_id, and a
        # scan of every visit per chunk was 13 s of a 50,000-person build.
        rows = select(Record.id).where(Record.tbl == "visit", Record.row_id.in_(chunk))  # type: ignore[attr-defined]
        query = select(F.row_id, F.person_id, F.at).where(
            F.record_id.in_(rows),  # type: ignore[attr-defined]
            F.deleted == False,  # noqa: E712
        )
        out.update({row_id: (person, at) for row_id, person, at in session.execute(query)})
    return out


def _form(rid: int, fields: dict[str, Any], visits: dict[str, tuple[str, str]]) -> DeviceForm:
    """The form as the procurement list reads it: whose (the visit's person), when, its answers."""
    values = {name: pair[0] if pair else None for name, pair in fields.items()}
    visit_id = str(values.get("visit_id") or "")
    person, started = visits.get(visit_id, ("", ""))
    answers = {k.removeprefix("answers."): v for k, v in values.items() if k.startswith("answers.")}
    return DeviceForm(person or visit_id or str(rid), started, str(values.get("completed_at") or ""), answers)
