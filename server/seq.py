"""Pull sequence numbers (SYNC.md ``seq``): the order in which pullers meet changed rows.

The guarantee a pull cursor needs: once a puller has read up to N, no row is
ever committed later with a seq at or below N. Two ways to keep it:

- SQLite (one writer at a time anyway): a counter row, updated first thing in
  every write transaction, so seq order is commit order.
- PostgreSQL: a counter makes every push wait for the previous push's commit,
  so writers run one at a time however many workers serve them. Instead a
  row's seq is its writing transaction's id shifted left by ``SLOT_BITS`` plus
  the row's place in that transaction, and a pull returns only rows whose
  transaction is older than every transaction of this database still running
  (the snapshot's ``xmin``, less other databases' transactions). Those are
  final: a transaction that starts later gets a larger id. This is the
  watermark change-data-capture readers use; a plain sequence is not enough,
  since a slow transaction could commit a smaller number after a pull has
  moved past it. A long transaction only delays what others see, never
  hides it. Ids are 64-bit (``xid8``) and never wrap; values stay below 2**53
  until the cluster has used 2**33 transaction ids, so JSON readers keep them exact.

A PostgreSQL database stamped by the counter before this scheme carries on above
it: N transactions of at most ``SLOTS`` rows each wrote fewer than N << SLOT_BITS
rows, and its next transaction id is larger than N.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal_column, text
from sqlmodel import Session

from app.contract import protocol as p
from server.errors import ApiError
from server.models import Record

SLOT_BITS = 20
SLOTS = 1 << SLOT_BITS  # rows one transaction may stamp on PostgreSQL

_USED = "seq_slots_used"  # session.info key: (transaction id, slots already handed out)


def lock_counter(session: Session) -> None:
    """On SQLite, queue behind other writers before reading anything, so seq order is commit order."""
    if not _is_postgres(session):
        session.execute(text("UPDATE seq_counter SET value = value WHERE id = 1"))


def allocate(session: Session, n: int) -> int:
    """The first of ``n`` consecutive seq values for rows written in this transaction."""
    if _is_postgres(session):
        xid = int(session.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one())
        owner, used = session.info.get(_USED, (None, 0))
        used = used if owner == xid else 0
        if used + n > SLOTS:
            raise ApiError(413, p.TOO_LARGE, f"一次同步的记录过多（上限 {SLOTS} 条），请分批同步")
        session.info[_USED] = (xid, used + n)
        return (xid << SLOT_BITS) + used
    top = session.execute(
        text("UPDATE seq_counter SET value = value + :n WHERE id = 1 RETURNING value"), {"n": n}
    ).scalar_one()
    return int(top) - n + 1


# The oldest transaction of the pull's snapshot that may still write records, else the snapshot's
# end. ``pg_snapshot_xmin`` would do, but it counts every transaction of the whole cluster: another
# database's CREATE DATABASE, migration or bulk load then held back rows long committed here, and a
# laptop that synced meanwhile was told ``more: false`` without them (the convergence test failed
# under load). A transaction is confined to its database, so one that ``pg_stat_activity`` places in
# another cannot write a record. Its ``backend_xid`` is 32-bit: the snapshot's running ids are within
# 2**31 of each other, so their low 32 bits identify them. A backend not shown (finished since, or
# hidden) is kept: that only delays, never hides.
_WATERMARK = f"""(
    SELECT coalesce(min(running.x), pg_snapshot_xmax(pg_current_snapshot()))::text::bigint << {SLOT_BITS}
    FROM pg_snapshot_xip(pg_current_snapshot()) AS running(x)
    WHERE (running.x::text::bigint & 4294967295) NOT IN (
        SELECT a.backend_xid::text::bigint FROM pg_stat_activity AS a
        WHERE a.backend_xid IS NOT NULL
          AND a.datid <> (SELECT d.oid FROM pg_database AS d WHERE d.datname = current_database())
    )
)"""


def visible(session: Session) -> list[ColumnElement[bool]]:
    """Conditions a pull adds so that it returns only rows no running transaction can precede."""
    if not _is_postgres(session):
        return []
    # Evaluated in the pull's own statement, so it uses that statement's snapshot.
    return [Record.seq < literal_column(_WATERMARK)]  # type: ignore[list-item]


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
