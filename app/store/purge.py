"""Local housekeeping: rows no enrolled user of this laptop covers are removed, unless something of them is unsynced.

A county supervisor who synced on a laptop leaves the county's rows behind;
once only township workers are enrolled, those rows are kept for nobody.
``purge_uncovered`` removes them from the file (the server still has them),
after every sync and when the session switches user. It is not an edit: no
change is logged and nothing is pushed (this is not the synced writer's
business); the rows, their field clocks, unresolved conflicts and attachment
files go, and one ``purge`` audit event says how many of each table.

A region whose rows still carry an unsynced change (pending in ``change`` or
refused by the server in ``rejectedchange``) is kept whole, so a user's
unsaved work is never lost to a switch and no kept row loses its parent. A
row another kept row still refers to (a foreign key) stays too.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from app.store import audit
from app.store.read.scope import EVERYTHING, NOTHING, covered_by, prefixes_for
from app.store.table_registry import TABLE_ORDER

if TYPE_CHECKING:
    from app.store.store import Store

log = logging.getLogger(__name__)
_CHUNK = 500


def laptop_prefixes(conn: Connection) -> list[str] | None:
    """The prefixes every active account enrolled here covers together; ``None``: keep everything."""
    users = conn.execute(text("SELECT role, regions FROM user WHERE active = 1")).all()
    if not users:
        return None  # a profile with no accounts (tests, a bare bulk load) is nobody's to tidy
    covered: set[str] = set()
    for role, regions in users:
        covered.update(prefixes_for(role, json.loads(regions) if isinstance(regions, str) else regions or []))
    if EVERYTHING in covered:
        return None
    covered.discard(NOTHING)
    return sorted(covered)


def _unsynced_regions(conn: Connection) -> set[str]:
    """Region codes of rows with a change waiting for the server or refused by it."""
    regions: set[str] = set()
    for tbl in TABLE_ORDER:
        for source in ("change", "rejectedchange"):
            sql = f"SELECT DISTINCT region_code FROM {tbl} WHERE id IN (SELECT row_id FROM {source} WHERE tbl = :t)"
            regions.update(r[0] or "" for r in conn.execute(text(sql), {"t": tbl}))
    return regions


def _delete(conn: Connection, tbl: str, ids: list[str]) -> list[str]:
    """Delete these rows of ``tbl``; a row still referred to by a kept row stays. Returns the ids deleted."""
    done: list[str] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        params = {f"i{n}": v for n, v in enumerate(chunk)}
        try:
            with conn.begin_nested():
                conn.execute(text(f"DELETE FROM {tbl} WHERE id IN ({marks})"), params)
            done += chunk
        except IntegrityError:
            for row_id in chunk:  # one by one, keeping the rows something kept still points at
                try:
                    with conn.begin_nested():
                        conn.execute(text(f"DELETE FROM {tbl} WHERE id = :i"), {"i": row_id})
                    done.append(row_id)
                except IntegrityError:
                    continue
    for start in range(0, len(done), _CHUNK):
        chunk = done[start : start + _CHUNK]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        params = {"t": tbl, **{f"i{n}": v for n, v in enumerate(chunk)}}
        conn.execute(text(f"DELETE FROM rowclock WHERE tbl = :t AND row_id IN ({marks})"), params)
        conn.execute(text(f"DELETE FROM conflict WHERE tbl = :t AND row_id IN ({marks})"), params)
    return done


def purge_uncovered(store: Store, actor: str) -> dict[str, int]:
    """Remove what no enrolled user covers and nothing unsynced holds; returns rows removed per table."""
    removed: dict[str, int] = {}
    files: list[str] = []
    with store.engine.begin() as conn:
        covered = laptop_prefixes(conn)
        if covered is None:
            return removed
        keep = _unsynced_regions(conn)
        for tbl in reversed(TABLE_ORDER):  # children before parents (foreign keys are on)
            ids = [
                row_id
                for row_id, code in conn.execute(text(f"SELECT id, region_code FROM {tbl}"))
                if not covered_by(covered, code) and (code or "") not in keep
            ]
            if not ids:
                continue
            done = _delete(conn, tbl, ids)
            if done:
                removed[tbl] = len(done)
            if tbl == "attachment":
                files += done  # an attachment's id is its SHA-256
        if removed:
            detail = ",".join(f"{tbl}:{n}" for tbl, n in sorted(removed.items()))
            audit.record_many(conn, [audit.event(actor, "purge", detail=detail)])
    for sha in files:
        store.files.path(sha).unlink(missing_ok=True)
    if removed:
        log.info("purged rows no enrolled user covers: %s", removed)
    return removed
