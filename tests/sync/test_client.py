"""The sync client against a live server (SQLite and PostgreSQL): round trips, conflicts, scope, clocks."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.contract.errors import AuthRequired, ProtocolMismatch
from app.contract.hlc import Timestamp
from app.services.auth import AuthService
from app.store.models import (
    Change,
    Conflict,
    FieldClock,
    FormResponse,
    Household,
    Person,
    RejectedChange,
    User,
    Visit,
)
from app.sync import service
from app.sync.client import SyncClient, pending_count

REGION = "330802001001"


def add_household(store, actor="alice", **kw):
    values = {"address": "衢州市柯城区信安街道 1号", "region_code": REGION, "phone": "13905701234"}
    values.update(kw)
    with store.unit_of_work(actor) as uow:
        return uow.add(Household(**values))


def edit(store, model, row_id, actor="alice", **values):
    with store.unit_of_work(actor) as uow:
        uow.update(uow.get(model, row_id), **values)


def get(store, model, row_id):
    with store.session() as s:
        return s.get(model, row_id)


def conflicts(store):
    with store.session() as s:
        return list(s.exec(select(Conflict)))


def test_login_keeps_token_and_allows_offline_login(laptop):
    a = laptop("a")
    assert a.store.get_state("token")
    assert a.store.get_state("server_url") == a.transport.base_url
    user = AuthService(a.store).login("alice", "secret123")
    assert isinstance(user, User) and user.regions == ["330802"]


def test_round_trip_between_two_profiles(laptop):
    a, b = laptop("a"), laptop("b")
    h = add_household(a.store)
    with a.store.unit_of_work("alice") as uow:
        p = uow.add(
            Person(household_id=h.id, region_code=REGION, name="张三丰", id_number="11010519491231002X")
        )
    report = a.sync()
    assert report.pushed > 0 and report.rejected == 0 and pending_count(a.store) == 0
    report = b.sync()
    assert report.pulled_rows == 2
    assert get(b.store, Household, h.id).address == h.address
    person = get(b.store, Person, p.id)
    assert (person.name, person.name_initials) == ("张三丰", "zsf")  # derived columns rebuilt on arrival
    with a.store.session() as s1, b.store.session() as s2:
        clocks_a = {(c.tbl, c.row_id, c.field): c.hlc for c in s1.exec(select(FieldClock))}
        clocks_b = {(c.tbl, c.row_id, c.field): c.hlc for c in s2.exec(select(FieldClock))}
    assert clocks_a == clocks_b
    # Nothing more to do: one small pull.
    again = b.sync()
    assert again.pulled_rows == 0 and again.bytes_received < 2048


def test_concurrent_edit_of_one_field_has_one_winner_and_a_conflict(laptop):
    a, b = laptop("a"), laptop("b")
    h = add_household(a.store)
    a.sync()
    b.sync()
    edit(a.store, Household, h.id, phone="13900000001")
    edit(b.store, Household, h.id, actor="alice", phone="13900000002")  # b's edit is later: it wins
    a.sync()
    b.sync()
    a.sync()
    assert get(a.store, Household, h.id).phone == get(b.store, Household, h.id).phone == "13900000002"
    recorded = conflicts(b.store) + conflicts(a.store)
    assert [(c.field, c.winner_value, c.loser_value) for c in recorded] == [
        ("phone", "13900000002", "13900000001")
    ]


def test_later_push_with_older_clock_loses_and_is_kept(laptop):
    a, b = laptop("a"), laptop("b")
    h = add_household(a.store)
    a.sync()
    b.sync()
    edit(b.store, Household, h.id, phone="13900000002")  # earlier edit...
    edit(a.store, Household, h.id, phone="13900000001")  # ...than this one
    a.sync()
    b.sync()  # b pushes the older value second: it loses, and says so
    a.sync()
    assert get(a.store, Household, h.id).phone == get(b.store, Household, h.id).phone == "13900000001"
    lost = conflicts(b.store)
    assert [(c.winner_value, c.loser_value) for c in lost] == [("13900000001", "13900000002")]


def test_edits_of_different_fields_merge_without_conflict(laptop):
    a, b = laptop("a"), laptop("b")
    h = add_household(a.store)
    a.sync()
    b.sync()
    edit(a.store, Household, h.id, phone="13900000001")
    edit(b.store, Household, h.id, note="门口有台阶")
    a.sync()
    b.sync()
    a.sync()
    for store in (a.store, b.store):
        row = get(store, Household, h.id)
        assert (row.phone, row.note) == ("13900000001", "门口有台阶")
        assert conflicts(store) == []


def test_form_answers_merge_per_question(laptop):
    a, b = laptop("a"), laptop("b")
    h = add_household(a.store)
    with a.store.unit_of_work("alice") as uow:
        v = uow.add(Visit(household_id=h.id, region_code=REGION))
        r = uow.add(
            FormResponse(visit_id=v.id, form_id="assistive_devices", form_version=1, region_code=REGION)
        )
    a.sync()
    b.sync()
    with a.store.unit_of_work("alice") as uow:
        uow.set_map_value(uow.get(FormResponse, r.id), "answers", "worker", "张丽")
    with b.store.unit_of_work("alice") as uow:
        uow.set_map_value(uow.get(FormResponse, r.id), "answers", "devices[e1].device", "wheelchair")
    a.sync()
    b.sync()
    a.sync()
    expected = {"worker": "张丽", "devices[e1].device": "wheelchair"}
    assert get(a.store, FormResponse, r.id).answers == get(b.store, FormResponse, r.id).answers == expected
    assert conflicts(a.store) == conflicts(b.store) == []


def test_unsent_local_edit_older_than_pulled_value_becomes_conflict(laptop):
    a, b = laptop("a"), laptop("b")
    h = add_household(a.store)
    a.sync()
    b.sync()
    edit(b.store, Household, h.id, phone="13900000002")  # unsent, older
    edit(a.store, Household, h.id, phone="13900000001")
    a.sync()
    # b pulls before pushing (as a crash between the steps would leave it).
    b._pull_all(
        __import__("app.sync.client", fromlist=["SyncReport"]).SyncReport(), lambda *_: None, lambda: False
    )
    assert get(b.store, Household, h.id).phone == "13900000001"
    assert [(c.winner_value, c.loser_value) for c in conflicts(b.store)] == [("13900000001", "13900000002")]
    with b.store.session() as s:
        assert s.exec(select(Change).where(Change.field == "phone")).all() == []


def test_push_outside_scope_is_rejected_and_kept(laptop):
    a = laptop("a")
    h = add_household(a.store, region_code="330803001001")  # Qujiang, not Kecheng
    report = a.sync()
    assert report.rejected > 0 and report.pushed == 0
    rejected = service.list_rejected(a.store)
    assert {r.code for r in rejected} == {"out_of_scope"}
    assert all(r.row_id == h.id for r in rejected)
    assert get(a.store, Household, h.id) is not None  # the local record stays
    assert service.discard_rejected(a.store) == len(rejected)
    assert service.list_rejected(a.store) == []


def test_pull_only_brings_rows_in_scope(laptop):
    a = laptop("a", user="boss", regions=("3308",), role="supervisor")
    near = add_household(a.store, region_code="330802001001")
    far = add_household(a.store, region_code="330881001001")
    assert a.sync().rejected == 0
    b = laptop("b", user="alice", regions=("330802",))
    b.sync()
    assert get(b.store, Household, near.id) is not None
    assert get(b.store, Household, far.id) is None


def test_retry_rejected_after_scope_widened(laptop, live_server):
    a = laptop("a")
    add_household(a.store, region_code="330803001001")
    a.sync()
    n = len(service.list_rejected(a.store))
    from sqlmodel import Session

    from server.models import ServerUser

    with Session(live_server.engine) as s:
        user = s.exec(select(ServerUser).where(ServerUser.username == "alice")).one()
        user.regions = ["330802", "330803"]
        s.add(user)
        s.commit()
    assert service.retry_rejected(a.store) == n
    report = a.sync()
    assert report.rejected == 0 and report.pushed == n


def test_resolve_conflict_by_taking_the_other_value(laptop):
    a, b = laptop("a"), laptop("b")
    h = add_household(a.store)
    a.sync()
    b.sync()
    edit(a.store, Household, h.id, phone="13900000001")
    edit(b.store, Household, h.id, phone="13900000002")
    a.sync()
    b.sync()
    [c] = service.list_conflicts(b.store)
    service.resolve_conflict(b.store, c.id, keep="other", actor="alice")
    assert get(b.store, Household, h.id).phone == "13900000001"
    assert service.list_conflicts(b.store) == []
    b.sync()
    a.sync()
    assert get(a.store, Household, h.id).phone == "13900000001"


def test_clock_skew_is_corrected_and_push_retried(laptop):
    a, b = laptop("a"), laptop("b")
    a.store.clock.offset_ms = 3 * 365 * 24 * 3600 * 1000  # the laptop thinks it is three years later
    h = add_household(a.store)
    report = a.sync()
    assert report.clock_corrected_ms is not None and abs(report.clock_corrected_ms) < 5000
    assert report.rejected == 0 and pending_count(a.store) == 0
    assert abs(int(a.store.get_state("clock_offset_ms"))) < 5000
    b.sync()
    edit(b.store, Household, h.id, phone="13900000002")  # a later real edit must still win
    b.sync()
    a.sync()
    assert get(a.store, Household, h.id).phone == "13900000002"
    with a.store.session() as s:
        newest = max(Timestamp.decode(fc.hlc).millis for fc in s.exec(select(FieldClock)))
    assert newest < a.store.clock.now_ms() + 60_000


def test_protocol_mismatch_is_a_clear_error(laptop):
    a = laptop("a")
    a.transport.protocol_version = 2  # an app from the future
    with pytest.raises(ProtocolMismatch, match="升级"):
        a.sync()


def test_revoked_token_needs_a_new_login(laptop):
    a = laptop("a")
    a.logout()
    client = SyncClient(a.store)
    with pytest.raises(AuthRequired):
        client.sync()


def test_rejected_value_is_kept_with_reason(laptop):
    a = laptop("a")
    h = add_household(a.store)
    with a.store.unit_of_work("alice") as uow:
        uow.add(Person(household_id=h.id, region_code=REGION, name="李四", id_number="110105194912310021"))
    report = a.sync()
    assert report.rejected == 1
    [r] = service.list_rejected(a.store)
    assert (r.field, r.code) == ("id_number", "invalid") and "校验位" in r.message
    assert pending_count(a.store) == 0
    with a.store.session() as s:
        assert s.exec(select(RejectedChange)).one().value == "110105194912310021"
