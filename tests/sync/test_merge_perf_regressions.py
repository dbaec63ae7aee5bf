"""What the bulk merge of a pulled page must keep doing while it is made fast (no timing here).

Each test applies hand-made pages with ``merge.apply_page`` to a real local
store: rows and defaults, derived search columns and the full-text index, field
clocks, per-question answers, conflicts both ways, the clock, the cursor, and a
page that fails half-way.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlmodel import select

from app.contract.hlc import HybridLogicalClock, Timestamp
from app.contract.protocol import PulledRow
from app.store import models
from app.store.store import Store
from app.store.sync_state import StateKey
from app.sync import merge

REGION = "330802001001"
H1, P1, V1, F1 = "h-0001", "p-0001", "v-0001", "f-0001"


def hlc(millis: int, counter: int = 0, device: str = "serverdev") -> str:
    return Timestamp(millis, counter, device).encode()


T0 = 1_700_000_000_000  # well before any clock the local store ticks now


def row(tbl: str, row_id: str, seq: int, at: int, **fields: object) -> PulledRow:
    return PulledRow(
        tbl=tbl,
        row_id=row_id,
        seq=seq,
        fields={k: (v, hlc(at, i)) for i, (k, v) in enumerate(fields.items())},
    )


def household(seq: int = 1, at: int = T0, **fields: object) -> PulledRow:
    values = {"region_code": REGION, "address": "柯城区信安街道府山路8号", "phone": "13905701234", **fields}
    return row("household", H1, seq, at, **values)


def person(seq: int = 2, at: int = T0, **fields: object) -> PulledRow:
    values = {
        "region_code": REGION,
        "household_id": H1,
        "name": "张三丰",
        "id_number": "11010519491231002X",
        "has_care_subsidy": True,
        **fields,
    }
    return row("person", P1, seq, at, **values)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "laptop")
    yield s
    s.close()


def apply(store: Store, rows: list[PulledRow], cursor: int = 0) -> merge.MergeResult:
    return merge.apply_page(store.engine, store.clock, rows, cursor or max((r.seq for r in rows), default=0))


def get(store: Store, model, row_id):
    with store.session() as s:
        return s.get(model, row_id)


def clocks(store: Store, row_id: str) -> dict[str, str]:
    with store.session() as s:
        return {
            c.field: c.hlc
            for c in s.exec(select(models.FieldClock).where(models.FieldClock.row_id == row_id))
        }


def conflicts(store: Store) -> list[models.Conflict]:
    with store.session() as s:
        return list(s.exec(select(models.Conflict)))


def unsent(store: Store) -> list[models.Change]:
    with store.session() as s:
        return list(s.exec(select(models.Change)))


def fts_hits(store: Store, phrase: str) -> list[str]:
    with store.engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT p.id FROM person p JOIN person_fts f ON f.rowid = p.rowid WHERE person_fts MATCH :q"
                ),
                {"q": f'"{phrase}"'},
            )
        ]


def test_new_rows_land_with_defaults_derived_columns_clocks_and_cursor(store):
    result = apply(store, [person(), household()], cursor=42)  # the child first, as seq order may bring it
    assert (result.rows, result.conflicts, result.skipped) == (2, 0, 0)
    h, p = get(store, models.Household, H1), get(store, models.Person, P1)
    assert (h.address, h.economic_status, h.deleted, h.updated_at != "") == (
        "柯城区信安街道府山路8号",
        "general",
        False,
        True,
    )
    assert (p.name, p.name_pinyin, p.name_initials, p.has_care_subsidy) == (
        "张三丰",
        "zhangsanfeng",
        "zsf",
        True,
    )
    assert (p.status, p.gender, p.household_id) == ("registered", "", H1)  # model default, NOT NULL default
    assert clocks(store, P1)["name"] == hlc(T0, 2)
    assert set(clocks(store, H1)) == {"region_code", "address", "phone"}
    assert store.get_state(StateKey.PULL_CURSOR) == "42"
    assert store.get_state(StateKey.HLC_LAST) == store.clock.last


def test_full_text_index_follows_inserts_and_household_updates(store):
    apply(store, [household(), person()])
    assert fts_hits(store, "张三丰") == [P1]
    assert fts_hits(store, "府山路") == [P1]  # the household's address is part of the person's index body
    apply(store, [household(seq=3, at=T0 + 1000, address="衢江区樟潭街道新安路3号")])
    assert fts_hits(store, "府山路") == []
    assert fts_hits(store, "新安路") == [P1]
    apply(store, [person(seq=4, at=T0 + 2000, name="李四光")])
    assert fts_hits(store, "张三丰") == []
    assert fts_hits(store, "李四光") == [P1]
    assert get(store, models.Person, P1).name_initials == "lsg"


def test_update_keeps_other_columns_and_applying_again_changes_nothing(store):
    apply(store, [household(note="老房子")])
    page = [household(seq=5, at=T0 + 5000, phone="13900000000")]
    first = apply(store, page)
    assert first.rows == 1
    assert clocks(store, H1) == {  # a newer clock for every field the page carried
        "region_code": hlc(T0 + 5000, 0),
        "address": hlc(T0 + 5000, 1),
        "phone": hlc(T0 + 5000, 2),
        "note": hlc(T0, 3),
    }
    h = get(store, models.Household, H1)
    assert (h.phone, h.note, h.address) == ("13900000000", "老房子", "柯城区信安街道府山路8号")
    again = apply(store, page)
    assert (again.rows, again.conflicts) == (0, 0)


def test_older_remote_value_does_not_replace_newer_local_one(store):
    apply(store, [household(at=T0 + 10_000)])
    result = apply(store, [household(seq=2, at=T0, phone="13811112222")])
    assert result.rows == 0
    assert get(store, models.Household, H1).phone == "13905701234"
    assert conflicts(store) == []  # no unsent local edit: nothing to review


def test_answers_merge_per_question(store):
    base = {"region_code": REGION, "visit_id": V1, "form_id": "needs_assessment", "form_version": 1}
    apply(store, [row("formresponse", F1, 1, T0, **base, **{"answers.age": 70, "answers.employed": False})])
    apply(store, [row("formresponse", F1, 2, T0 + 1000, **{"answers.sport": True, "answers.age": None})])
    response = get(store, models.FormResponse, F1)
    assert response.answers == {"employed": False, "sport": True}  # a None answer removes the key
    assert (response.status, response.completed_at) == ("draft", "")
    assert clocks(store, F1)["answers.age"] == hlc(T0 + 1000, 1)


def test_newer_remote_value_beats_unsent_local_edit_and_keeps_it_as_conflict(store):
    apply(store, [household(), person()])
    with store.unit_of_work("alice") as uow:
        uow.update(uow.get(models.Household, H1), phone="13700000000")
    local_hlc = clocks(store, H1)["phone"]
    later = Timestamp.decode(local_hlc).millis + 60_000
    result = apply(store, [household(seq=3, at=later, phone="13911110000")])
    assert get(store, models.Household, H1).phone == "13911110000"
    assert result.conflicts == 1
    [c] = conflicts(store)
    assert (c.field, c.winner_value, c.loser_value, c.loser_hlc) == (
        "phone",
        "13911110000",
        "13700000000",
        local_hlc,
    )
    assert [ch.field for ch in unsent(store)] == []  # its value lives on in the conflict


def test_older_concurrent_remote_value_loses_to_unsent_local_edit_once(store):
    apply(store, [household()])
    with store.unit_of_work("alice") as uow:
        uow.update(uow.get(models.Household, H1), phone="13700000000")
    # Another device edited the same field concurrently, with an older clock than ours
    # but newer than the value we saw.
    page = [household(seq=4, at=T0 + 500, phone="13611110000")]
    for _ in range(2):
        apply(store, page)
    assert get(store, models.Household, H1).phone == "13700000000"
    [c] = conflicts(store)  # applying the page again records nothing new
    assert (c.winner_value, c.loser_value, c.loser_hlc) == ("13700000000", "13611110000", hlc(T0 + 500, 2))
    assert [ch.field for ch in unsent(store)] == ["phone"]  # still to be pushed


def test_remote_value_the_local_edit_already_saw_is_no_conflict(store):
    apply(store, [household()])
    with store.unit_of_work("alice") as uow:
        uow.update(uow.get(models.Household, H1), phone="13700000000")
    apply(store, [household()])  # the same values again, e.g. a repeated page
    assert conflicts(store) == []


def test_clock_moves_past_every_pulled_clock(store):
    future = int(store.clock.now_ms()) + 3_600_000
    apply(store, [household(at=future)])
    assert store.clock.last > hlc(future, 2)
    assert store.clock.tick() > hlc(future, 2, "zzzzzz")


def test_a_row_new_here_and_edited_again_in_the_same_page_ends_with_the_edit(store):
    result = apply(store, [household(seq=1), household(seq=2, at=T0 + 1000, phone="13900000000")])
    assert result.rows == 2  # inserted, then updated
    assert get(store, models.Household, H1).phone == "13900000000"
    assert clocks(store, H1) == {
        "region_code": hlc(T0 + 1000, 0),
        "address": hlc(T0 + 1000, 1),
        "phone": hlc(T0 + 1000, 2),
    }


def test_unknown_tables_and_fields_are_skipped(store):
    page = [
        row("spaceship", "s-1", 1, T0, region_code=REGION, name="x"),
        household(seq=2, **{"colour": "blue"}),
    ]
    result = apply(store, page)
    assert (result.skipped, result.rows) == (1, 1)
    assert "colour" not in clocks(store, H1)


def test_a_failing_page_changes_nothing_and_keeps_the_cursor(store):
    apply(store, [household()], cursor=7)
    bad = household(seq=9, at=T0 + 1000, phone="13900000000")
    bad_visit = row("visit", V1, 10, T0 + 1000, region_code=REGION, household_id=H1, summary={"not": "text"})
    with pytest.raises(sqlite3.Error):
        apply(store, [bad, bad_visit], cursor=10)
    assert store.get_state(StateKey.PULL_CURSOR) == "7"
    assert get(store, models.Household, H1).phone == "13905701234"
    assert get(store, models.Visit, V1) is None
    assert clocks(store, H1)["phone"] == hlc(T0, 2)


def test_many_rows_in_one_page(store):
    rows = [
        row("household", f"h-{i:05d}", i + 1, T0, region_code=REGION, address=f"府山路{i}号")
        for i in range(1200)
    ]
    rows += [
        row("person", f"p-{i:05d}", 2000 + i, T0, region_code=REGION, household_id=f"h-{i:05d}", name="王五")
        for i in range(1200)
    ]
    result = apply(store, rows)
    assert result.rows == 2400
    assert len(fts_hits(store, "府山路1199号")) == 1
    with store.session() as s:
        assert len(list(s.exec(select(models.FieldClock.row_id)))) == 1200 * 2 + 1200 * 3


def test_clock_observe_uses_hlc_order():
    clock = HybridLogicalClock("laptop", wall=lambda: 0.0)
    clock.observe(hlc(T0, 5))
    assert clock.last > hlc(T0, 5)


def test_person_pulled_before_its_household_is_found_by_address_once_the_household_lands(store):
    apply(store, [person(seq=2)], cursor=2)  # the household is on a later page
    assert fts_hits(store, "张三丰") == [P1]
    assert fts_hits(store, "府山路") == []
    apply(store, [household(seq=3)], cursor=3)
    assert fts_hits(store, "府山路") == [P1]
    assert fts_hits(store, "张三丰") == [P1]  # re-indexed, not indexed twice


def test_search_finds_pulled_persons_and_the_index_is_live_again_after_a_page(store):
    from app.store.search import search_persons

    rows = [household()] + [
        row("person", f"p-{i:03d}", 10 + i, T0, region_code=REGION, household_id=H1, name=name, id_number=idn)
        for i, (name, idn) in enumerate(
            [("欧阳娜娜", "330802199001011234"), ("司马光明", "330802198502023456")]
        )
    ]
    apply(store, rows)
    assert [h.name for h in search_persons(store.engine, "欧阳娜")] == ["欧阳娜娜"]
    assert sorted(h.name for h in search_persons(store.engine, "府山路")) == ["司马光明", "欧阳娜娜"]
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person_fts_paused")).scalar_one() == 0
    # An ordinary local edit after the pull goes through the triggers again.
    with store.unit_of_work("tester") as uow:
        uow.update(uow.get(models.Person, "p-000"), name="欧阳菲菲")
    assert fts_hits(store, "欧阳菲菲") == ["p-000"]
    assert fts_hits(store, "欧阳娜娜") == []


def test_field_clocks_are_one_row_per_synced_row(store):
    apply(store, [household(), person()])
    with store.engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT row_id, clocks FROM rowclock")).all())
    assert set(stored) == {H1, P1}
    assert clocks(store, P1)["name"] == hlc(T0, 2)
    apply(store, [household(seq=5, at=T0 + 5000, phone="13900000000")])
    assert clocks(store, H1) == {
        "region_code": hlc(T0 + 5000, 0),
        "address": hlc(T0 + 5000, 1),
        "phone": hlc(T0 + 5000, 2),
    }
