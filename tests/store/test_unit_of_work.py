import pytest
from sqlmodel import select

from app.store.models import AuditEvent, Change, FieldClock, FormResponse, Household, Person, Visit
from app.store.store import Store


def household(**kw):
    values = {"address": "衢州市柯城区信安街道 1号", "region_code": "330802001001", "phone": "13905701234"}
    values.update(kw)
    return Household(**values)


def changes(store):
    with store.session() as s:
        return list(s.exec(select(Change).order_by(Change.local_seq)))


def test_insert_records_every_field_with_no_base(store):
    with store.unit_of_work("alice") as uow:
        h = uow.add(household())
    recorded = {c.field: c for c in changes(store)}
    assert recorded["address"].value == "衢州市柯城区信安街道 1号"
    assert recorded["region_code"].value == "330802001001"
    assert "id" not in recorded and "updated_at" not in recorded
    assert all(c.row_id == h.id and c.tbl == "household" and c.base_hlc is None for c in recorded.values())
    with store.session() as s:
        clocks = {fc.field: fc.hlc for fc in s.exec(select(FieldClock))}
        audit = list(s.exec(select(AuditEvent)))
    assert clocks["address"] == recorded["address"].hlc
    assert [(a.actor, a.action) for a in audit] == [("alice", "create")]


def test_update_records_only_changed_fields_with_base_clock(store):
    with store.unit_of_work("alice") as uow:
        h = uow.add(household())
    before = {c.field: c.hlc for c in changes(store)}
    with store.session() as s:  # the server took the first batch
        for c in s.exec(select(Change)):
            s.delete(c)
        s.commit()
    with store.unit_of_work("bob") as uow:
        uow.update(h, phone="13905709999", address="衢州市柯城区信安街道 1号")
    after = changes(store)
    assert [(c.field, c.value, c.base_hlc) for c in after] == [("phone", "13905709999", before["phone"])]
    assert after[0].hlc > before["phone"]


def test_repeated_edits_of_an_unsent_field_coalesce(store):
    with store.unit_of_work("alice") as uow:
        h = uow.add(household())
    for phone in ("13905700001", "13905700002", "13905700003"):
        with store.unit_of_work("alice") as uow:
            uow.update(h, phone=phone)
    phone_changes = [c for c in changes(store) if c.field == "phone"]
    assert [(c.value, c.base_hlc) for c in phone_changes] == [("13905700003", None)]


def test_failure_rolls_back_row_and_change_log(store):
    with pytest.raises(RuntimeError):
        with store.unit_of_work("alice") as uow:
            uow.add(household())
            raise RuntimeError("power cut")
    assert changes(store) == []
    with store.session() as s:
        assert s.exec(select(Household)).all() == []


def test_delete_is_a_tombstone(store):
    with store.unit_of_work("alice") as uow:
        h = uow.add(household())
    with store.unit_of_work("alice") as uow:
        uow.delete(h)
    with store.session() as s:
        assert s.get(Household, h.id).deleted is True
    assert [c.value for c in changes(store) if c.field == "deleted"] == [True]


def test_answers_are_recorded_per_question(store):
    with store.unit_of_work("alice") as uow:
        h = uow.add(household())
        v = uow.add(Visit(household_id=h.id, region_code=h.region_code))
        r = uow.add(
            FormResponse(visit_id=v.id, form_id="needs_assessment", form_version=1, region_code=h.region_code)
        )
    with store.unit_of_work("alice") as uow:
        uow.set_map_value(r, "answers", "marital", "married")
        uow.update(r, answers={"devices[e1].device": "wheelchair", "marital": "married"})
    fields = [c.field for c in changes(store) if c.tbl == "formresponse"]
    assert "answers.marital" in fields and "answers.devices[e1].device" in fields
    assert fields.count("answers.marital") == 1
    with store.session() as s:
        assert s.get(FormResponse, r.id).answers == {"marital": "married", "devices[e1].device": "wheelchair"}


def test_person_gets_search_keys(store):
    with store.unit_of_work("alice") as uow:
        h = uow.add(household())
        p = uow.add(
            Person(
                household_id=h.id, region_code=h.region_code, name="张三丰", id_number="11010519491231002X"
            )
        )
    assert (p.name_pinyin, p.name_initials) == ("zhangsanfeng", "zsf")
    derived = {c.field for c in changes(store) if c.tbl == "person"}
    assert "name_initials" not in derived and "name" in derived


def test_unknown_column_is_refused(store):
    with store.unit_of_work("alice") as uow:
        h = uow.add(household())
    with pytest.raises(ValueError):
        with store.unit_of_work("alice") as uow:
            uow.update(h, colour="blue")


def test_clock_survives_restart(tmp_path):
    s1 = Store(tmp_path / "p")
    with s1.unit_of_work("alice") as uow:
        uow.add(household())
    last = s1.clock.last
    device = s1.device_id
    s1.close()
    s2 = Store(tmp_path / "p")
    assert s2.device_id == device
    assert s2.clock.tick() > last
    s2.close()
