"""Fill a profile with synthetic, fictitious households (``homevisit seed``).

Rows are written by the store's bulk loader (``app.store.writer.BulkLoad``),
exactly as the unit of work would write them — change log, field clocks,
search keys, audit — so seeded data syncs like anything typed in by hand.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select

from app.domain.localtime import CHINA_TIME
from app.domain.synthetic import generate
from app.services.needs import seed_need_items
from app.services.seed_forms import SeedForms
from app.store import models
from app.store.row_ids import new_id, utc_now
from app.store.store import Store
from app.store.sync_state import StateKey
from app.store.writer import BulkLoad

BATCH = 2000


DRAFT_SHARE = 0.08  # of this year's visits, left as drafts with partly filled forms


@dataclass(frozen=True)
class SeedReport:
    households: int
    persons: int
    visits: int
    responses: int = 0

    def __str__(self) -> str:
        return (
            f"seeded {self.households} households, {self.persons} persons, {self.visits} visits,"
            f" {self.responses} form responses"
        )


def _plain(value: Any) -> Any:
    return (
        value.isoformat() if isinstance(value, date) else (str(value) if hasattr(value, "label") else value)
    )


def seed_store(
    store: Store,
    households: int,
    *,
    seed: int = 0,
    regions: Sequence[str] | None = None,
    workers: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    actor: str = "seed",
    with_forms: bool = False,
) -> SeedReport:
    """Add ``households`` synthetic households (with persons and past visits) to ``store``.

    Visits are by ``workers``; by default the profile's logged-in user, because the server accepts a
    visit only from the worker it names (an author is never taken on a device's word). With
    ``with_forms`` completed visits carry completed form responses and drafts partial ones
    (``app.services.seed_forms``).
    """
    if workers is None:
        workers = (store.get_state(StateKey.USERNAME) or "demo",)
    rng = random.Random(seed)
    writer = BulkLoad(store.engine, store.clock, actor, reason="seed")
    now = utc_now()
    this_year = datetime.now(UTC).year
    n_households = n_persons = n_visits = 0
    forms = (
        SeedForms(writer, store.files, random.Random(f"forms-{seed}"), _worker_names(store, workers))
        if with_forms
        else None
    )
    for generated in generate(households, seed=seed, regions=regions):
        h = {k: _plain(v) for k, v in generated.household.items() if v is not None}
        household_id = new_id()
        writer.add(models.Household(id=household_id, created_at=now, updated_at=now, **h))
        n_households += 1
        for person in generated.persons:
            p = {k: _plain(v) for k, v in person.items() if v is not None}
            level_1_2 = p.get("level") in ("1", "2")
            p["has_care_subsidy"] = level_1_2 and rng.random() < 0.8
            p["has_living_subsidy"] = (
                h["economic_status"] in ("dibao", "dibian", "tekun") and rng.random() < 0.85
            )
            person_id = new_id()
            writer.add(
                models.Person(
                    id=person_id,
                    household_id=household_id,
                    region_code=h["region_code"],
                    created_at=now,
                    updated_at=now,
                    **p,
                )
            )
            n_persons += 1
            # About half were visited this year, most of the rest last year.
            visited: list[tuple[models.Visit, date, bool]] = []
            for year in (this_year - 1, this_year):
                if rng.random() < (0.6 if year < this_year else 0.5):
                    # Working hours in Zhejiang (09:00–17:00 China time), stored as UTC like every stamp.
                    start = (
                        datetime(year, 1, 1, 9, tzinfo=CHINA_TIME)
                        + timedelta(days=rng.randrange(0, 300), minutes=rng.randrange(0, 480))
                    ).astimezone(UTC)
                    stamp = start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
                    end = (start + timedelta(minutes=rng.randrange(20, 90))).strftime(
                        "%Y-%m-%dT%H:%M:%S.000Z"
                    )
                    draft = forms is not None and year == this_year and forms.rng.random() < DRAFT_SHARE
                    visit = writer.add(
                        models.Visit(
                            household_id=household_id,
                            person_id=person_id,
                            region_code=h["region_code"],
                            worker=rng.choice(list(workers)),
                            started_at=stamp,
                            ended_at="" if draft else end,
                            status="draft" if draft else "completed",
                            place=h["address"],
                            created_at=stamp,
                            updated_at=stamp,
                        )
                    )
                    n_visits += 1
                    visited.append((visit, start.astimezone(CHINA_TIME).date(), draft))
            for i, (visit, day, draft) in enumerate(visited if forms is not None else ()):
                last = i == len(visited) - 1
                forms.add_responses(visit, person_id, p, h, day, complete=not draft, last=last)  # type: ignore[union-attr]
        if n_households % BATCH == 0:
            writer.flush()
            if progress:
                progress(n_households, households)
    writer.flush()
    seed_need_items(store, seed=seed, actor=actor)  # the needs ledger's items, in every follow-up state
    if progress:
        progress(n_households, households)
    return SeedReport(n_households, n_persons, n_visits, forms.stats.responses if forms else 0)


def _worker_names(store: Store, workers: Sequence[str]) -> dict[str, str]:
    """Display names of the visiting workers (the forms' 调查人), where the profile knows them."""
    with store.session() as s:
        users = s.exec(select(models.User).where(models.User.username.in_(list(workers)))).all()  # type: ignore[attr-defined]
    return {u.username: u.display_name or u.username for u in users}


def seed_profile(home: Path, *, households: int, seed: int = 0, store: Store | None = None) -> SeedReport:
    """``homevisit seed``: open (or create) the profile at ``home`` — or use ``store``, an encrypted profile
    the command line opened by password — and seed it; the store is closed afterwards."""
    from app.services.demo_projects import seed_demo_projects  # reportlab and the form catalogue: only here

    store = store or Store(home)
    try:
        report = seed_store(store, households, seed=seed, with_forms=True)
        # Renovation projects of every kind in every status; the accepted ones carry issued certificates.
        seed_demo_projects(store, actor="seed", seed=seed)
        return report
    finally:
        store.close()
