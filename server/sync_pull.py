"""The pull answer (SYNC.md ``GET /sync/pull``), built as JSON bytes straight from the stored rows.

A first pull moves tens of thousands of rows. ``sync_service.pull`` parses every
record's ``fields`` and builds pydantic objects that FastAPI validates and
encodes again; here each record's ``fields`` column, which already holds
``{field: [value, hlc]}`` as JSON text, is spliced into the answer unchanged.
The answer is the same document (``tests/server/test_pull_body.py`` compares them).
"""

from __future__ import annotations

import json

from sqlalchemy import Text, cast
from sqlmodel import Session, select

from server.models import Record, ServerUser
from server.sync_service import now_ms, pullable


def pull_body(*, session: Session, user: ServerUser, since: int, limit: int) -> bytes:
    """Rows in the user's regions with ``seq > since``, oldest first, as a ``PullResponse`` JSON document."""
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
    found = session.execute(
        select(Record.tbl, Record.row_id, Record.seq, cast(Record.fields, Text))
        .where(Record.seq.in_(page))  # type: ignore[attr-defined]
        .order_by(Record.seq)  # type: ignore[arg-type]
    ).all()
    more = len(found) > limit
    found = found[:limit]
    dumps = json.dumps
    rows = ",".join(
        f'{{"tbl":{dumps(tbl)},"row_id":{dumps(row_id)},"seq":{seq},"fields":{fields}}}'
        for tbl, row_id, seq, fields in found
    )
    cursor = found[-1][2] if found else since
    tail = f'"next":{cursor},"more":{"true" if more else "false"},"server_time":{now_ms()}}}'
    return ('{"rows":[' + rows + "]," + tail).encode()
