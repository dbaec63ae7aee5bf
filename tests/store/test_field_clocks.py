"""Field clocks stored one JSON object per row, and the per-field ``fieldclock`` view over them."""

import pytest
from sqlalchemy import text
from sqlmodel import select

from app.store import field_clocks
from app.store.models import Change, FieldClock, Household
from app.store.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "p")
    yield s
    s.close()


def test_set_merges_keys_and_get_reads_one(store):
    with store.session() as s:
        field_clocks.set_clocks(s, "household", "h1", {"phone": "A", "address": "B"})
        field_clocks.set_clocks(s, "household", "h1", {"phone": "C", "answers.x[1].y": "D"})
        s.commit()
        assert field_clocks.row_clocks(s, "household", "h1") == {
            "phone": "C",
            "address": "B",
            "answers.x[1].y": "D",
        }
        assert field_clocks.get_clock(s, "household", "h1", "address") == "B"
        assert field_clocks.get_clock(s, "household", "h1", "note") is None
        assert field_clocks.get_clock(s, "household", "nope", "note") is None


@pytest.mark.parametrize(("only_if", "dropped"), [(None, True), ("A", True), ("Z", False)])
def test_drop_clock(store, only_if, dropped):
    with store.session() as s:
        field_clocks.set_clocks(s, "household", "h1", {"phone": "A", "address": "B"})
        assert field_clocks.drop_clock(s, "household", "h1", "phone", only_if=only_if) is dropped
        assert ("phone" in field_clocks.row_clocks(s, "household", "h1")) is not dropped
        assert field_clocks.drop_clock(s, "household", "h1", "note") is False


@pytest.mark.parametrize(("old", "moved"), [("A", True), ("B", False)])
def test_move_clock_only_from_the_expected_clock(store, old, moved):
    with store.session() as s:
        field_clocks.set_clocks(s, "household", "h1", {"phone": "A"})
        assert field_clocks.move_clock(s, "household", "h1", "phone", old=old, new="N") is moved
        assert field_clocks.get_clock(s, "household", "h1", "phone") == ("N" if moved else "A")


def test_view_reads_one_row_per_field_and_its_triggers_write_through(store):
    with store.session() as s:
        field_clocks.set_many(
            s, [("household", "h1", {"phone": "A", "address": "B"}), ("person", "p1", {"name": "C"})]
        )
        s.add(FieldClock(tbl="person", row_id="p1", field="phone", hlc="D"))  # ORM insert -> trigger
        s.commit()
        got = {(c.tbl, c.row_id, c.field): c.hlc for c in s.exec(select(FieldClock))}
        assert got == {
            ("household", "h1", "phone"): "A",
            ("household", "h1", "address"): "B",
            ("person", "p1", "name"): "C",
            ("person", "p1", "phone"): "D",
        }
        assert got == field_clocks.all_clocks(s)
        s.delete(s.get(FieldClock, ("household", "h1", "phone")))  # ORM delete -> trigger
        s.commit()
        assert field_clocks.row_clocks(s, "household", "h1") == {"address": "B"}


def test_unit_of_work_moves_clocks_and_base_hlc_is_the_previous_clock(store):
    with store.unit_of_work("tester") as uow:
        h = uow.add(Household(region_code="330802001001", address="府山路8号"))
    with store.session() as s:
        first = field_clocks.row_clocks(s, "household", h.id)
    assert set(first) >= {"address", "phone", "region_code"}
    with store.session() as s:  # pushed and acknowledged: the next edit is judged against the clock seen
        s.execute(text("DELETE FROM change"))
        s.commit()
    with store.unit_of_work("tester") as uow:
        uow.update(uow.get(Household, h.id), phone="13905701234")
    with store.session() as s:
        after = field_clocks.row_clocks(s, "household", h.id)
        change = s.exec(select(Change).where(Change.field == "phone")).one()
    assert after["phone"] > first["phone"] and after["address"] == first["address"]
    assert change.base_hlc == first["phone"]
