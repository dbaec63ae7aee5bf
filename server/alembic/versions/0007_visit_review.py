"""Visit reviews become synced records (``visitreview``), so laptops receive them.

The console kept its reviews in a server-only table (``console_visit_reviews``, made by
``create_all``). Each of its rows becomes a ``visitreview`` record with a pull ``seq`` and
clocks naming the device ``console``; the table is then dropped. A database that never had
the console has nothing to move.

Revision ID: 0007
Revises: 0005 (the lead re-chains onto 0006 at merge)
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlmodel import Session

from app.contract.hlc import Timestamp
from server import seq
from server.models import Record

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD = "console_visit_reviews"


def _iso(ts: float) -> str:
    now = datetime.fromtimestamp(ts or 0, UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def upgrade() -> None:
    conn = op.get_bind()
    if OLD not in sa.inspect(conn).get_table_names():
        return
    rows = conn.execute(
        sa.text(f"SELECT visit_id, region_code, decision, comment, reviewer, at FROM {OLD} ORDER BY id")
    ).all()
    if rows:
        records = Record.__table__  # type: ignore[attr-defined]
        wanted = sorted({r[0] for r in rows})
        ended: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            query = sa.select(records.c.row_id, records.c.fields).where(
                records.c.tbl == "visit", records.c.row_id.in_(wanted[start : start + 500])
            )
            for row_id, fields in conn.execute(query):
                ended[row_id] = str(((fields or {}).get("ended_at") or [""])[0] or "")
        first = seq.allocate(Session(bind=conn), len(rows))
        new = []
        for i, (visit_id, region, decision, comment, reviewer, at) in enumerate(rows):
            hlc = Timestamp(int((at or 0) * 1000), i % 100_000, "console").encode()
            values = {
                "region_code": region,
                "created_at": _iso(at),
                "deleted": False,
                "visit_id": visit_id,
                "decision": decision,
                "comment": comment or "",
                "reviewer": reviewer or "",
                "reviewed_at": _iso(at),
                "visit_ended_at": ended.get(visit_id, ""),
            }
            new.append(
                {
                    "tbl": "visitreview",
                    "row_id": str(uuid.uuid4()),
                    "region_code": region,
                    "seq": first + i,
                    "deleted": False,
                    "fields": {k: [v, hlc] for k, v in values.items()},
                }
            )
        conn.execute(sa.insert(records), new)
    op.drop_table(OLD)


def downgrade() -> None:
    # The records stay (an older server keeps and serves them as rows of an unknown table);
    # the console of that version makes its own table again at start-up.
    pass
