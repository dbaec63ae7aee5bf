"""Whose rows a reader sees, written once: the logged-in user's regions (SYNC.md's scope rule, on the laptop).

Several caseworkers may share one laptop, and a county supervisor who synced
on it leaves the county's rows behind. Each reader sees only the rows of the
regions of the user at the keyboard: ``live`` (``app.store.read.live``) adds
this condition to "not deleted", so every read of the read side — search,
registry lists, the household page, ledgers — is scoped without knowing it.

The viewer's region prefixes are kept in the local table ``viewscope`` (one
row per prefix, normalised: ``330800`` is stored as ``3308``), written by
``set_viewer`` when a user logs in or the session switches user. Keeping
them in the database rather than in a Python global means every connection,
thread and worker of the profile reads the same scope. A profile nobody has
logged in to yet (``viewscope`` empty: tests, a fresh bulk load) is not
scoped. A user with no regions sees every row only as an administrator (the
stand-alone install's local administrator); anyone else with none sees none.

The comparison ``prefix <= region_code < prefix || ':'`` is a prefix match
in plain SQL (``:`` sorts right after ``9``): the prefix ``''`` matches every
code, and the sentinel ``NOTHING`` matches no code of digits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, ColumnElement, MetaData, String, Table, and_, exists, not_, or_, text

from app.domain.enums import Role
from app.domain.regions import InvalidRegionCode, normalise_prefix

TABLE = "viewscope"
DDL = f"CREATE TABLE IF NOT EXISTS {TABLE} (username TEXT NOT NULL, prefix TEXT NOT NULL, PRIMARY KEY (username, prefix))"
EVERYTHING = ""
NOTHING = ":"  # sorts after every digit: no 12-digit code starts with it

viewscope = Table(TABLE, MetaData(), Column("username", String), Column("prefix", String))


def prefixes_for(role: str, regions: Iterable[str]) -> list[str]:
    """The normalised prefixes a user with ``role`` and ``regions`` sees."""
    out: set[str] = set()
    for code in regions:
        try:
            out.add(normalise_prefix(code))
        except InvalidRegionCode:
            continue  # a code this laptop cannot read covers nothing
    if not out:
        return [EVERYTHING] if role == Role.ADMIN.value else [NOTHING]
    return sorted(out)


def covered_by(prefixes: Iterable[str], region_code: str | None) -> bool:
    """The Python form of the SQL condition, for a row already fetched (``get_live``)."""
    code = region_code or ""
    return any(code.startswith(p) and (p != NOTHING) for p in prefixes)


def ensure_schema(cur: Any) -> None:
    """Create ``viewscope`` (idempotent); ``cur`` is a DB-API cursor."""
    cur.execute(DDL)


def set_viewer(conn: Any, username: str, role: str, regions: Iterable[str]) -> list[str]:
    """Make ``username`` the reader of this profile (in the caller's transaction); returns its prefixes."""
    prefixes = prefixes_for(role, regions)
    conn.execute(text(f"DELETE FROM {TABLE}"))
    conn.execute(
        text(f"INSERT INTO {TABLE} (username, prefix) VALUES (:u, :p)"),
        [{"u": username, "p": p} for p in prefixes],
    )
    return prefixes


def viewer(conn: Any) -> tuple[str, list[str]] | None:
    """``(username, prefixes)`` of the current reader, or ``None`` when the profile is not scoped."""
    rows = conn.execute(text(f"SELECT username, prefix FROM {TABLE}")).all()
    if not rows:
        return None
    return rows[0][0], [r[1] for r in rows]


def in_scope(model: Any) -> ColumnElement[bool]:
    """The ORM condition "this row of ``model`` lies in the reader's regions" (correlated to the query)."""
    code = model.region_code
    any_scope = exists().select_from(viewscope)
    matches = exists().where(and_(code >= viewscope.c.prefix, code < viewscope.c.prefix.concat(":")))
    return or_(not_(any_scope), matches)


def in_scope_sql(alias: str = "") -> str:
    """The same condition as SQL text (``alias`` of the table, if any)."""
    code = f"{alias}.region_code" if alias else "region_code"
    return (
        f"(NOT EXISTS (SELECT 1 FROM {TABLE}) OR EXISTS (SELECT 1 FROM {TABLE} vs"
        f" WHERE {code} >= vs.prefix AND {code} < vs.prefix || ':'))"
    )


def row_in_scope(session: Any, region_code: str | None) -> bool:
    """Whether a fetched row's ``region_code`` is one the reader sees."""
    current = viewer(session)
    return current is None or covered_by(current[1], region_code)
