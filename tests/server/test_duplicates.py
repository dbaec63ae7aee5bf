"""The same person registered on two laptops offline (SYNC.md): both accepted, flagged, merged once.

Live server over SQLite and PostgreSQL; ``app.services.duplicates`` finds the
pair on every laptop after a pull and merges it through the unit of work.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.services.duplicates import CannotMerge, find_duplicate_persons, merge_persons
from app.store import models
from server.models import Record, ServerConflict

REGION = "330802001001"
ID = "11010519491231002X"


def register(store, name, phone="", actor="alice"):
    with store.unit_of_work(actor) as uow:
        h = uow.add(models.Household(address=f"{name}家", region_code=REGION))
        p = uow.add(
            models.Person(household_id=h.id, region_code=REGION, name=name, id_number=ID, phone=phone)
        )
        v = uow.add(models.Visit(household_id=h.id, person_id=p.id, region_code=REGION, worker=actor))
    return p.id, v.id


def test_same_person_on_two_laptops_is_accepted_flagged_and_merged(laptop, live_server):
    a, b = laptop("a"), laptop("b", user="bob")
    older, visit_a = register(a.store, "王芳")
    newer, visit_b = register(b.store, "王芳", phone="13905709999", actor="bob")
    assert a.sync().rejected == 0 and b.sync().rejected == 0
    a.sync()
    with Session(live_server.engine) as s:
        persons = s.exec(select(Record).where(Record.tbl == "person")).all()
        assert {r.row_id for r in persons} == {older, newer}  # both accepted
        assert s.exec(select(ServerConflict)).all() == []  # two rows, not a conflict
    for client in (a, b):
        assert [g.person_ids for g in find_duplicate_persons(client.store)] == [(older, newer)]

    moved = merge_persons(b.store, older, newer, actor="bob")
    assert moved == 1
    b.sync()
    a.sync()
    for client in (a, b):
        assert find_duplicate_persons(client.store) == []
        with client.store.session() as s:
            assert s.get(models.Person, newer).deleted
            kept = s.get(models.Person, older)
            assert kept.phone == "13905709999"  # only the second registration had it
            assert {s.get(models.Visit, v).person_id for v in (visit_a, visit_b)} == {older}
    with Session(live_server.engine) as s:
        rec = s.exec(select(Record).where(Record.row_id == visit_b)).one()
        assert rec.fields["person_id"][0] == older


def test_merge_refuses_different_people(store):
    with store.unit_of_work("x") as uow:
        h = uow.add(models.Household(address="x", region_code=REGION))
        p1 = uow.add(models.Person(household_id=h.id, region_code=REGION, name="甲", id_number=ID))
        p2 = uow.add(
            models.Person(household_id=h.id, region_code=REGION, name="乙", id_number="440524188001010014")
        )
    with pytest.raises(CannotMerge, match="身份证号相同"):
        merge_persons(store, p1.id, p2.id, actor="x")
    with pytest.raises(CannotMerge):
        merge_persons(store, p1.id, p1.id, actor="x")
