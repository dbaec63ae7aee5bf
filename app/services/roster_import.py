"""Roster import on the laptop: check a file against the local registry, then write its clean rows.

The reading, column mapping and row checks are ``app.domain.roster`` (the server
runs the same); this module adds what only the laptop has: the registry to find
duplicates in, the remembered column mapping (the profile's settings), the phone
rule of ``app.services.registry``, and the write.

The write is two steps on purpose. ``check_roster_file`` writes nothing; the user
looks at the report and confirms; ``import_checked`` then writes only the clean
rows, grouped into households, in one transaction, so a cancel or a crash leaves
either the whole import or none of it. Persons are keyed by ID number: a person
already registered is skipped, so importing the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import text

from app.domain.roster.mapping import ColumnMapping, auto_map
from app.domain.roster.reader import RosterTable, read_roster
from app.domain.roster.validate import (
    Cancelled,
    Progress,
    RegisteredPerson,
    RosterCancelled,
    RosterCheck,
    RosterHousehold,
    check_roster,
)
from app.services.registry import validate_phone
from app.services.settings import Settings
from app.store import audit
from app.store.read.live import live_sql
from app.store.store import Store
from app.store.writer import BulkLoad

ROSTER_TBL = "roster"  # AuditEvent.tbl of imports
PROGRESS_EVERY = 500


@dataclass(frozen=True)
class ImportResult:
    """What ``import_checked`` wrote."""

    persons: int
    households: int


def open_roster(home: Path, path: Path | str) -> tuple[RosterTable, ColumnMapping]:
    """Read ``path`` and map its columns, starting from what the user chose last time in this profile."""
    table = read_roster(path)
    return table, auto_map(table.headers, Settings.load(Path(home)).roster_mapping)


def remember_mapping(home: Path, mapping: ColumnMapping) -> None:
    """Keep the user's column choices in the profile's settings for the next file with these headers."""
    settings = Settings.load(Path(home))
    settings.roster_mapping = {**settings.roster_mapping, **mapping.remembered()}
    settings.save(Path(home))


def registered_persons(store: Store) -> list[RegisteredPerson]:
    """Every live person's ID number, name and household, for the duplicate checks."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT id_number, name, household_id FROM person WHERE {live_sql()} AND id_number != ''")
        ).all()
    return [RegisteredPerson(*r) for r in rows]


def check_roster_file(
    store: Store,
    table: RosterTable,
    mapping: ColumnMapping,
    *,
    scope: Sequence[str] = (),
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RosterCheck:
    """Check every row of ``table`` against the rules and this profile's registry; writes nothing."""
    return check_roster(
        table,
        mapping,
        registry=registered_persons(store),
        scope=scope,
        phone_rule=validate_phone,
        progress=progress,
        cancelled=cancelled,
    )


def write_households(
    store: Store,
    households: Sequence[RosterHousehold],
    *,
    actor: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Write households and their persons as synced rows, in one transaction, through the store's bulk loader.

    ``BulkLoad`` records every field exactly as a local edit would (change log, clocks, search keys, audit),
    so imported rows sync. Nothing is written if ``cancelled()`` turns true before the final flush.
    """
    load = BulkLoad(store.engine, store.clock, actor, reason="roster")
    with store.engine.connect() as conn:
        regions = dict(conn.execute(text("SELECT id, region_code FROM household")).all())
    n_persons = n_households = 0
    total = sum(len(h.persons) for h in households)
    for h in households:
        household_id = h.existing_id
        region = regions.get(household_id or "", h.region_code)
        if household_id is None:
            household = load.add_values("household", h.columns())
            household_id = household["id"]
            n_households += 1
        for p in h.persons:
            load.add_values("person", {"household_id": household_id, "region_code": region, **p.columns()})
            n_persons += 1
            if n_persons % PROGRESS_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise RosterCancelled("已取消导入，未写入任何记录")
                if progress is not None:
                    progress(n_persons, total)
    if cancelled is not None and cancelled():
        raise RosterCancelled("已取消导入，未写入任何记录")
    load.flush()
    if progress is not None:
        progress(n_persons, total)
    return ImportResult(n_persons, n_households)


def import_checked(
    store: Store,
    check: RosterCheck,
    *,
    actor: str,
    source: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Write the clean rows of a confirmed check; persons registered since the check are skipped.

    The import is audited (who, which file, how many rows).
    """
    known = {p.id_number for p in registered_persons(store)}
    fresh = []
    for h in check.households:
        persons = [p for p in h.persons if p.id_number not in known]
        if persons:
            fresh.append(replace(h, persons=persons))
    result = write_households(store, fresh, actor=actor, progress=progress, cancelled=cancelled)
    with store.session() as s:
        audit.record(
            s,
            actor,
            "import",
            ROSTER_TBL,
            Path(source).name,
            f"花名册导入 {result.persons} 人 {result.households} 户，共 {check.rows} 行",
        )
        s.commit()
    return result
