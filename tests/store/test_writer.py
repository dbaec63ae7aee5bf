"""The one writer of synced rows: the same bookkeeping in each of its three modes.

A row written by a local edit, by a bulk load or by a remote merge must come
out the same where it matters: derived search keys, field clocks, change log
(local modes only) and audit (local modes only).
"""

import pytest
from sqlmodel import select

from app.contract.protocol import PulledRow
from app.domain.pinyin import name_keys
from app.store import field_clocks
from app.store.models import Attachment, AuditEvent, Change, Household, Person
from app.store.search import search_persons
from app.store.sync_state import StateKey
from app.store.writer import BulkLoad, derive, pending_change_count
from app.sync.merge import apply_page

REGION = "330802001001"


def _household(**kw):
    return Household(**{"address": "衢州市柯城区信安街道 书院小区1幢", "region_code": REGION, **kw})


def _person(household_id, name, **kw):
    return Person(
        household_id=household_id, name=name, id_number="330802199001011234", region_code=REGION, **kw
    )


def _changes(store):
    with store.session() as s:
        return list(s.exec(select(Change).order_by(Change.local_seq)))


def _audit(store):
    with store.session() as s:
        return [
            (a.actor, a.action, a.tbl, a.detail) for a in s.exec(select(AuditEvent).order_by(AuditEvent.seq))
        ]


def _person_row(store, person_id):
    with store.session() as s:
        return s.get(Person, person_id)


@pytest.mark.parametrize("name", ["单田芳", "王芳", "曾国藩", ""])
def test_derived_search_keys_come_from_one_rule(name):
    pinyin, initials = name_keys(name)
    assert derive("person", name) == {"name_pinyin": pinyin, "name_initials": initials}
    assert derive("household", "anything") == {}


def test_local_edit_derives_logs_clocks_and_audits(store):
    with store.unit_of_work("alice") as uow:
        h = uow.add(_household())
        p = uow.add(_person(h.id, "单田芳"))
    row = _person_row(store, p.id)
    assert (row.name_pinyin, row.name_initials) == name_keys("单田芳")
    logged = {(c.tbl, c.field): c for c in _changes(store)}
    assert ("person", "name_pinyin") not in logged  # derived columns never sync
    with store.session() as s:
        assert field_clocks.row_clocks(s, "person", p.id)["name"] == logged[("person", "name")].hlc
    assert _audit(store) == [("alice", "create", "household", ""), ("alice", "create", "person", "")]
    with store.unit_of_work("bob") as uow:
        uow.update(uow.get(Person, p.id), name="曾小贤")
    assert _person_row(store, p.id).name_initials == name_keys("曾小贤")[1]
    assert _audit(store)[-1] == ("bob", "update", "person", "name")
    assert store.get_state(StateKey.HLC_LAST) == store.clock.last


def test_bulk_load_writes_what_a_local_edit_writes(store):
    with BulkLoad(store.engine, store.clock, "importer", reason="roster.xlsx") as load:
        h = load.add(_household())
        p = load.add(_person(h.id, "单田芳"))
        assert len(load) == 2
    row = _person_row(store, p.id)
    assert (row.name_pinyin, row.name_initials) == name_keys("单田芳")
    assert row.created_at and row.updated_at
    logged = _changes(store)
    assert {c.field for c in logged if c.tbl == "person"} >= {"name", "id_number", "household_id", "deleted"}
    assert all(c.base_hlc is None for c in logged)
    with store.session() as s:
        clocks = field_clocks.row_clocks(s, "person", p.id)
    assert clocks == {c.field: c.hlc for c in logged if c.row_id == p.id}
    assert _audit(store) == [
        ("importer", "create", "household", "roster.xlsx"),
        ("importer", "create", "person", "roster.xlsx"),
    ]
    assert store.get_state(StateKey.HLC_LAST) == store.clock.last
    assert [hit.person_id for hit in search_persons(store.engine, "单田芳")] == [p.id]  # indexed too
    assert pending_change_count(store.engine) == len(logged)


def test_bulk_load_skips_rows_already_stored_when_asked(store):
    sha = "ab" * 32
    with BulkLoad(store.engine, store.clock, "demo") as load:
        load.add(Attachment(id=sha, media_type="image/png", size=3, region_code=REGION))
    before = len(_changes(store))
    with BulkLoad(store.engine, store.clock, "demo") as load:
        load.add(Attachment(id=sha, media_type="image/png", size=3, region_code=REGION), skip_if_present=True)
        load.add(_household())
    assert len(_audit(store)) == 2  # the attachment once, the household once
    assert {c.tbl for c in _changes(store)[before:]} == {"household"}


def test_bulk_load_writes_nothing_when_the_block_fails(store):
    with pytest.raises(RuntimeError), BulkLoad(store.engine, store.clock, "seed") as load:
        load.add(_household())
        raise RuntimeError("stop")
    assert _changes(store) == [] and _audit(store) == []


def test_remote_merge_derives_clocks_and_indexes_but_logs_and_audits_nothing(store):
    hlc = "1790000000000-00001-server000001"
    rows = [
        PulledRow(
            tbl="household",
            row_id="h1",
            seq=1,
            fields={"address": ["书院小区2幢", hlc], "region_code": [REGION, hlc]},
        ),
        PulledRow(
            tbl="person",
            row_id="p1",
            seq=2,
            fields={"name": ["单田芳", hlc], "household_id": ["h1", hlc], "region_code": [REGION, hlc]},
        ),
    ]
    apply_page(store.engine, store.clock, rows, 2)
    row = _person_row(store, "p1")
    assert (row.name_pinyin, row.name_initials) == name_keys("单田芳")
    with store.session() as s:
        assert field_clocks.row_clocks(s, "person", "p1") == {
            "name": hlc,
            "household_id": hlc,
            "region_code": hlc,
        }
    assert _changes(store) == [] and _audit(store) == []
    assert [hit.person_id for hit in search_persons(store.engine, "单田芳")] == ["p1"]
    later = "1790000000001-00001-server000001"
    apply_page(
        store.engine,
        store.clock,
        [PulledRow(tbl="person", row_id="p1", seq=3, fields={"name": ["曾小贤", later]})],
        3,
    )
    assert _person_row(store, "p1").name_initials == name_keys("曾小贤")[1]  # re-derived on a remote rename
    assert store.get_state(StateKey.PULL_CURSOR) == "3"


def _stored(store, tbl, row_id):
    """Everything a written row leaves behind, keyed so rows of different ids compare equal."""
    from sqlalchemy import text

    with store.engine.connect() as conn:
        row = dict(conn.execute(text(f'SELECT * FROM "{tbl}" WHERE id = :i'), {"i": row_id}).mappings().one())
        changes = conn.execute(
            text("SELECT field, value, typeof(value), base_hlc, batch_id, hlc FROM change WHERE row_id = :i"),
            {"i": row_id},
        ).all()
        clocks = field_clocks.row_clocks(conn, tbl, row_id)
        audit_rows = conn.execute(
            text("SELECT actor, action, tbl FROM auditevent WHERE row_id = :i"), {"i": row_id}
        ).all()
        fts = None
        if tbl == "person":
            fts = conn.execute(
                text("SELECT body FROM person_fts WHERE rowid = (SELECT rowid FROM person WHERE id = :i)"),
                {"i": row_id},
            ).scalar()
    assert clocks == {field: hlc for field, *_, hlc in changes}  # one clock per logged field, the same
    hlcs = [hlc for *_, hlc in changes]
    assert len(set(hlcs)) == len(hlcs)
    ids = {f'"{row.pop(c)}"' for c in ("id", "household_id", "visit_id", "person_id") if c in row}
    created = f'"{row.pop("created_at")}"'
    assert row.pop("updated_at")
    logged = sorted(
        (field, "<id>" if value in ids else "<created>" if value == created else value, *rest)
        for field, value, *rest in (tuple(c[:5]) for c in changes)
    )
    return row, logged, audit_rows, fts


def test_a_bulk_load_column_dict_is_stored_exactly_as_a_local_edit_or_a_model_object(store):
    from app.store.models import FormResponse, Visit

    household = {"address": "衢州市柯城区信安街道 书院小区1幢", "region_code": REGION, "phone": "13905701234"}
    person = {"name": "单田芳", "id_number": "330802199001011234", "region_code": REGION, "level": "二级"}
    answers = {"q_income": 1200, "q_note": "低保户，“无”", "q_ok": True, "q_none": None}

    def response(visit_id):
        return {"visit_id": visit_id, "form_id": "basic", "form_version": 2, "answers": dict(answers)}

    with store.unit_of_work("alice") as uow:
        h1 = uow.add(Household(**household))
        p1 = uow.add(Person(household_id=h1.id, **person))
        v1 = uow.add(Visit(household_id=h1.id, person_id=p1.id, region_code=REGION))
        r1 = uow.add(FormResponse(**response(v1.id), region_code=REGION))
    with BulkLoad(store.engine, store.clock, "alice") as load:
        h2 = load.add(Household(**household))
        p2 = load.add(Person(household_id=h2.id, **person))
        v2 = load.add(Visit(household_id=h2.id, person_id=p2.id, region_code=REGION))
        r2 = load.add(FormResponse(**response(v2.id), region_code=REGION))
    with BulkLoad(store.engine, store.clock, "alice") as load:
        h3 = load.add_values("household", household)
        p3 = load.add_values("person", {"household_id": h3["id"], **person})
        v3 = load.add_values(
            "visit", {"household_id": h3["id"], "person_id": p3["id"], "region_code": REGION}
        )
        r3 = load.add_values("formresponse", {**response(v3["id"]), "region_code": REGION})
    for tbl, ids in (
        ("household", (h1.id, h2.id, h3["id"])),
        ("person", (p1.id, p2.id, p3["id"])),
        ("visit", (v1.id, v2.id, v3["id"])),
        ("formresponse", (r1.id, r2.id, r3["id"])),
    ):
        local, bulk_model, bulk_dict = (_stored(store, tbl, i) for i in ids)
        assert bulk_dict == bulk_model == local, tbl
    row, changes, audit_rows, fts = _stored(store, "person", p3["id"])
    assert (row["name_pinyin"], row["name_initials"]) == name_keys("单田芳")
    assert audit_rows == [("alice", "create", "person")] and "单田芳" in fts
    assert {c[0] for c in changes} >= {"name", "id_number", "household_id", "deleted", "level"}
    assert store.get_state(StateKey.HLC_LAST) == store.clock.last


def test_bulk_load_column_dicts_say_what_is_wrong(store):
    from app.store.table_registry import UnknownTable

    load = BulkLoad(store.engine, store.clock, "alice")
    with pytest.raises(UnknownTable):
        load.add_values("household", {"address": "x", "no_such_column": 1})
    with pytest.raises(ValueError, match="name"):
        load.add_values("person", {"household_id": "h", "id_number": "1"})
    with pytest.raises(UnknownTable):
        load.add_values("nosuchtable", {})
    assert len(load) == 0
