"""The same person registered twice (two laptops offline, one ID number): find and merge (SYNC.md).

Both registrations sync normally; a duplicate is *derived*, not stored: every
laptop that holds the region sees the same groups after a pull, and a merge
(a tombstone plus moved references, all ordinary edits) makes the group vanish
everywhere at the next sync. The merge keeps the older row id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from app.store import models
from app.store.read import persons
from app.store.read.live import is_live
from app.store.store import Store


class CannotMerge(ValueError):
    """Two records that are not the same person, or one that is gone."""


@dataclass(frozen=True)
class DuplicateGroup:
    """Live person rows sharing one ID number, oldest first (the first is the one to keep)."""

    id_number: str
    person_ids: tuple[str, ...]


def find_duplicate_persons(store: Store) -> list[DuplicateGroup]:
    """Every ID number held by more than one live person row (one indexed query)."""
    groups: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for number, person_id in persons.duplicate_id_numbers(conn):
            groups.setdefault(number, []).append(person_id)
    return [DuplicateGroup(number, tuple(ids)) for number, ids in groups.items()]


def merge_persons(store: Store, keep_id: str, drop_id: str, *, actor: str) -> int:
    """Move visits, projects and attachment links of ``drop_id`` to ``keep_id``, fill empty fields, tombstone it.

    Returns how many references moved. One unit of work, so it syncs as ordinary edits.
    """
    with store.unit_of_work(actor) as uow:
        keep, drop = uow.get(models.Person, keep_id), uow.get(models.Person, drop_id)
        if keep_id == drop_id or keep.id_number != drop.id_number or not (is_live(keep) and is_live(drop)):
            raise CannotMerge("只能合并身份证号相同、且都未删除的两条残疾人记录")
        moved = 0
        for model in (models.Visit, models.RenovationProject):
            for row in uow.session.exec(select(model).where(model.person_id == drop_id)):
                uow.update(row, person_id=keep_id)
                moved += 1
        links = select(models.AttachmentLink).where(
            models.AttachmentLink.owner_tbl == "person", models.AttachmentLink.owner_id == drop_id
        )
        for link in uow.session.exec(links):
            uow.update(link, owner_id=keep_id)
            moved += 1
        # What only the other registration recorded is not lost: empty fields take its values.
        filled = {
            name: getattr(drop, name)
            for name in ("phone", "cert_number", "category", "level", "gender", "birth_date", "relation")
            if not getattr(keep, name) and getattr(drop, name)
        }
        if filled:
            uow.update(keep, **filled)
        uow.delete(drop)
        return moved
