"""The pull answer (SYNC.md ``GET /sync/pull``), built as JSON bytes straight from the stored rows.

A first pull moves tens of thousands of rows. ``sync_service.pull`` parses every
record's ``fields`` and builds pydantic objects that FastAPI validates and
encodes again; here, in the row layout, each record's ``fields`` column, which
already holds ``{field: [value, hlc]}`` as JSON text, is spliced into the answer
unchanged (``tests/server/test_pull_body.py`` compares the two). The columnar
layout (``app.contract.page``) is what the laptop stores; each record's row in it is
made when the record is written (``server.fragments``) and kept beside it, so a
pull splices those too and takes nothing apart. A fragment that does not match
the record's current text or header is made again here.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic_core import from_json
from sqlalchemy import Text, cast
from sqlmodel import Session, select

from app.contract.page import TableEncoder, fragment_text
from server.models import Record, ServerUser
from server.sync_service import now_ms, pullable

Layout = Literal["rows", "columns"]


def pull_body(
    *, session: Session, user: ServerUser, since: int, limit: int, layout: Layout = "rows"
) -> bytes:
    """Rows in the user's regions with ``seq > since``, oldest first, as a pull answer in ``layout``."""
    # The page's seqs first, then their rows. Chosen in one query, PostgreSQL (whose
    # statistics may be stale after a bulk load) scanned every row after ``since`` and
    # sorted them with their ``fields`` on disk: a page cost time in proportion to the
    # rows left, three quarters of a first pull. Now only the narrow seqs are sorted.
    page = (
        select(Record.seq)
        .where(*pullable(session, user, since))
        .order_by(Record.seq)  # type: ignore[arg-type]
        .limit(limit + 1)
        .scalar_subquery()
    )
    # The columnar layout needs a record's fields only where its stored fragment is stale.
    wanted: list[Any] = [Record.tbl, Record.row_id, Record.seq]
    wanted += [Record.wire_key, Record.wire] if layout == "columns" else [cast(Record.fields, Text)]
    # On the connection, not the session: plain tuples, without the ORM's result machinery.
    found = list(
        session.connection()
        .execute(select(*wanted).where(Record.seq.in_(page)).order_by(Record.seq))  # type: ignore[attr-defined,arg-type]
        .all()  # one fetchall, not a fetchone per row
    )
    more = len(found) > limit
    found = found[:limit]
    cursor = found[-1][2] if found else since
    tail = f'"next":{cursor},"more":{"true" if more else "false"},"server_time":{now_ms()}}}'
    if layout == "columns":
        return ('{"tables":[' + _tables(session, found) + "]," + tail).encode()
    dumps = json.dumps
    rows = ",".join(
        f'{{"tbl":{dumps(tbl)},"row_id":{dumps(row_id)},"seq":{seq},"fields":{fields}}}'
        for tbl, row_id, seq, fields in found
    )
    return ('{"rows":[' + rows + "]," + tail).encode()


def _tables(session: Session, found: list[Any]) -> str:
    """The page's tables in the columnar layout: stored fragments where they are current, else made here."""
    dumps = json.dumps
    encoders = {tbl: TableEncoder(tbl) for tbl in dict.fromkeys(r[0] for r in found)}
    stale = [seq for tbl, _, seq, key, wire in found if wire is None or key != encoders[tbl].key(seq)]
    texts: dict[int, str] = {}
    if stale:
        stmt = select(Record.seq, cast(Record.fields, Text)).where(Record.seq.in_(stale))  # type: ignore[attr-defined]
        texts = {seq: text for seq, text in session.connection().execute(stmt)}
    tables: dict[str, list[str]] = {tbl: [] for tbl in encoders}
    for tbl, row_id, seq, _, wire in found:
        if seq in texts:
            wire = fragment_text(encoders[tbl].tail(from_json(texts[seq])))
        tables[tbl].append(f"[{dumps(row_id)},{seq},{wire}]")
    # Each header is written after its rows: a record from a newer peer may have added a column.
    return ",".join(
        f'{{"tbl":{dumps(tbl)},"columns":{dumps(e.columns)},"maps":{dumps(e.maps)},"rows":[{",".join(tables[tbl])}]}}'
        for tbl, e in encoders.items()
    )
