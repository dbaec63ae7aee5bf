"""Type-as-you-go search over persons and their households.

Queries of three or more characters go to the FTS5 trigram index (any part
of a name, its pinyin, an ID or certificate number, address or phone). The
trigram index silently finds nothing for shorter queries, so one- and
two-character queries (a two-character name such as 王芳, initials such as
``wf``) are answered with ``instr``/``LIKE`` on the person table instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, text

from app.domain.localtime import local_day_start_utc
from app.store.read.live import live_sql
from app.store.read.persons import count_registered, registered_sql
from app.store.read.visits import latest_visit_sql, not_visited_since_sql

DEFAULT_LIMIT = 500


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing conditions; empty values mean "any"."""

    region_prefix: str = ""
    category: str = ""
    level: str = ""
    economic_status: str = ""
    not_visited_since: date | None = None
    include_inactive: bool = False


@dataclass(frozen=True)
class PersonHit:
    """One row of the registry list: a person with the household facts the list shows."""

    person_id: str
    household_id: str
    name: str
    id_number: str
    gender: str
    birth_date: str
    cert_number: str
    category: str
    level: str
    status: str
    region_code: str
    address: str
    phone: str
    economic_status: str
    last_visit: str = ""


# The inner query finds and orders the matching rowids; the outer one computes the
# displayed columns (last visit included) only for the rows that are returned.
_OUTER = f"""
SELECT p.id, p.household_id, p.name, p.id_number, p.gender, p.birth_date, p.cert_number,
       p.category, p.level, p.status, p.region_code, h.address,
       CASE WHEN p.phone != '' THEN p.phone ELSE h.phone END, h.economic_status,
       {latest_visit_sql("person_id", "p")}
FROM ({{inner}}) AS hit
JOIN person p ON p.rowid = hit.rid
JOIN household h ON h.id = p.household_id
ORDER BY hit.pos
"""


def _fts_phrase(query: str) -> str:
    # A quoted FTS5 string matches the text literally; double quotes are escaped by doubling.
    return '"' + query.replace('"', '""') + '"'


def search_persons(
    engine: Engine, query: str, filters: SearchFilters | None = None, *, limit: int | None = DEFAULT_LIMIT
) -> list[PersonHit]:
    """Persons matching ``query`` (empty: everyone) and ``filters``, best matches first."""
    filters = filters or SearchFilters()
    q = re.sub(r"\s+", "", query).lower()
    where = [live_sql("p") if filters.include_inactive else registered_sql("p")]
    params: dict[str, object] = {"q": q, "limit": -1 if limit is None else limit}
    if q and len(q) >= 3:
        where.append("p.rowid IN (SELECT rowid FROM person_fts WHERE person_fts MATCH :fts)")
        params["fts"] = _fts_phrase(q)
    elif q:
        # Initials and pinyin prefixes as ranges, so their indexes answer them.
        where.append(
            "(instr(p.name, :q) > 0 OR (p.name_initials >= :q AND p.name_initials < :q_end)"
            " OR (p.name_pinyin >= :q AND p.name_pinyin < :q_end))"
        )
        params["q_end"] = q + "\uffff"
    if filters.region_prefix:
        where.append("p.region_code LIKE :region")
        params["region"] = filters.region_prefix + "%"
    if filters.category:
        where.append("p.category = :category")
        params["category"] = filters.category
    if filters.level:
        where.append("p.level = :level")
        params["level"] = filters.level
    if filters.economic_status:
        where.append("h.economic_status = :econ")
        params["econ"] = filters.economic_status
    if filters.not_visited_since:
        where.append(not_visited_since_sql("since", "p"))
        params["since"] = local_day_start_utc(filters.not_visited_since)
    # Names first (exact, then starting with the query), then initials, then everything else.
    order = (
        "(p.name = :q) DESC, (instr(p.name, :q) = 1) DESC, (p.name_initials = :q) DESC, "
        "(p.name_pinyin >= :q AND p.name_pinyin < :q || char(65535)) DESC, p.name_initials, p.name"
        if q
        else "p.region_code, p.name_initials"
    )
    join = "JOIN household h ON h.id = p.household_id" if filters.economic_status else ""
    # A typed query is answered by the FTS rowid list or by a scan (instr); the register index
    # (status, deleted, region) would only add a lookup per row: 5-60 ms per query over 50,000.
    hint = "NOT INDEXED" if q else ""
    inner = (
        f"SELECT p.rowid AS rid, row_number() OVER (ORDER BY {order}) AS pos "
        f"FROM person p {hint} {join} "
        f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :limit"
    )
    sql = _OUTER.format(inner=inner)
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    return [PersonHit(*row[:14], last_visit=row[14] or "") for row in rows]


def count_persons(engine: Engine) -> int:
    """Persons on the register (在册): not deleted, not moved out or deceased."""
    with engine.connect() as conn:
        return count_registered(conn)
