"""Scope on the laptop: each user reads only their regions; rows nobody here covers are purged unless unsynced."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.services.auth import AuthService, start_session
from app.services.ledger import build_ledger
from app.services.registry import RegistryService
from app.store.read.persons import RecordNotFound
from app.store.search import SearchFilters
from tests.helpers.profiles import VALID_ID, VALID_ID_2, household_data, person_data

VILLAGE_A = "330802001001"  # 信安街道's first community
VILLAGE_B = "330802002001"  # another township of the same district
PASSWORD = "s3cret-pass"


@pytest.fixture
def laptop(store):
    """A laptop with one household in each of two townships and three accounts: county, town A, town B."""
    registry = RegistryService(store)
    ha = registry.save_household("county", household_data(region_code=VILLAGE_A, head_name="甲户主"))
    pa = registry.save_person("county", ha.id, person_data(name="甲某某"))
    hb = registry.save_household("county", household_data(region_code=VILLAGE_B, head_name="乙户主"))
    pb = registry.save_person(
        "county", hb.id, person_data(name="乙某某", id_number=VALID_ID_2, cert_number=VALID_ID_2 + "42")
    )
    auth = AuthService(store)
    users = {
        "county": auth.create_user("county", PASSWORD, role="supervisor", regions=["330802"]),
        "town_a": auth.create_user("town_a", PASSWORD, role="worker", regions=[VILLAGE_A[:9]]),
        "town_b": auth.create_user("town_b", PASSWORD, role="worker", regions=[VILLAGE_B[:9]]),
    }
    return store, registry, users, {"a": (ha, pa), "b": (hb, pb)}


def _names(registry: RegistryService) -> set[str]:
    return {hit.name for hit in registry.search("", SearchFilters(include_inactive=True), limit=None)}


def test_switching_to_a_narrower_user_hides_the_other_rows(laptop):
    store, registry, users, rows = laptop
    (ha, _pa), (hb, pb) = rows["a"], rows["b"]
    start_session(store, users["county"])
    assert _names(registry) == {"甲某某", "乙某某"}
    assert len(build_ledger(store, "households").rows) == 2

    start_session(store, users["town_a"])
    # search and the registry list
    assert _names(registry) == {"甲某某"}
    assert [h.name for h in registry.search("乙某某")] == []
    assert registry.registered_count() == 1
    # the household page and the full person record
    assert [m.name for m in registry.household_detail("town_a", ha.id).members] == ["甲某某"]
    with pytest.raises(RecordNotFound):
        registry.household_detail("town_a", hb.id)
    with pytest.raises(RecordNotFound):
        registry.get_person("town_a", pb.id)
    # ledgers
    for kind, expected in (("households", 1), ("persons", 1)):
        assert len(build_ledger(store, kind).rows) == expected, kind
    assert all("乙" not in str(value) for row in build_ledger(store, "persons").rows for value in row)
    # the other township's rows (with the county's unsynced changes) are hidden, not gone
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person")).scalar_one() == 2
        pending = conn.execute(
            text("SELECT count(*) FROM change WHERE row_id = :r"), {"r": pb.id}
        ).scalar_one()
    assert pending > 0


def test_several_users_of_one_laptop_each_see_their_own(laptop):
    store, registry, users, _rows = laptop
    for user, expected in (("town_a", {"甲某某"}), ("town_b", {"乙某某"}), ("county", {"甲某某", "乙某某"})):
        start_session(store, users[user])
        assert _names(registry) == expected, user


def test_a_user_without_regions_sees_nothing_but_an_administrator_everything(laptop):
    store, registry, _users, _rows = laptop
    auth = AuthService(store)
    start_session(store, auth.create_user("nobody", PASSWORD, role="worker", regions=[]))
    assert _names(registry) == set()
    start_session(store, auth.create_user("root", PASSWORD, role="admin", regions=[]))
    assert _names(registry) == {"甲某某", "乙某某"}


def _mark_synced(store, *row_ids: str) -> None:
    """As if these rows' changes had been pushed and acknowledged."""
    with store.engine.begin() as conn:
        for row_id in row_ids:
            conn.execute(text("DELETE FROM change WHERE row_id = :r"), {"r": row_id})


def _deactivate(store, username: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE user SET active = 0 WHERE username = :u"), {"u": username})


def _count(store, sql: str, **params: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def test_rows_no_enrolled_user_covers_are_purged_once_synced(laptop):
    store, registry, users, rows = laptop
    (ha, pa), (hb, pb) = rows["a"], rows["b"]
    _mark_synced(store, ha.id, pa.id, hb.id, pb.id)
    _deactivate(store, "county")
    _deactivate(store, "town_b")
    removed = start_session(store, users["town_a"])
    assert removed == {"household": 1, "person": 1}
    assert _count(store, "SELECT count(*) FROM person WHERE id = :i", i=pb.id) == 0
    assert _count(store, "SELECT count(*) FROM household WHERE id = :i", i=hb.id) == 0
    assert _count(store, "SELECT count(*) FROM rowclock WHERE row_id IN (:a, :b)", a=hb.id, b=pb.id) == 0
    assert _count(store, "SELECT count(*) FROM person_fts WHERE body LIKE '%乙某某%'") == 0
    assert _count(store, "SELECT count(*) FROM person WHERE id = :i", i=pa.id) == 1
    # housekeeping is audited, and is no edit: nothing is queued for the server
    assert (
        _count(store, "SELECT count(*) FROM auditevent WHERE action = 'purge' AND detail LIKE '%person:1%'")
        == 1
    )
    assert _count(store, "SELECT count(*) FROM change") == 0
    assert store.verify_audit().ok


def test_purge_keeps_a_region_with_unsynced_changes(laptop):
    store, registry, users, rows = laptop
    (ha, pa), (hb, pb) = rows["a"], rows["b"]
    _mark_synced(store, ha.id, pa.id, hb.id)  # the person of township B still has unsynced changes
    _deactivate(store, "county")
    _deactivate(store, "town_b")
    assert start_session(store, users["town_a"]) == {}
    assert _count(store, "SELECT count(*) FROM person WHERE id = :i", i=pb.id) == 1
    assert _count(store, "SELECT count(*) FROM household WHERE id = :i", i=hb.id) == 1  # kept with its member
    assert _names(registry) == {"甲某某"}  # kept, yet not shown to a user who does not cover it
    _mark_synced(store, pb.id)  # pushed at the next sync: now it may go
    assert start_session(store, users["town_a"]) == {"household": 1, "person": 1}


def test_nothing_is_purged_while_an_enrolled_user_covers_it(laptop):
    store, _registry, users, rows = laptop
    _mark_synced(store, *(r.id for pair in rows.values() for r in pair))
    assert start_session(store, users["town_a"]) == {}  # the county supervisor is still enrolled here
    assert _count(store, "SELECT count(*) FROM person") == 2


def test_a_profile_nobody_logged_in_to_is_not_scoped(store):
    registry = RegistryService(store)
    h = registry.save_household("x", household_data(region_code=VILLAGE_B))
    registry.save_person("x", h.id, person_data())
    assert _names(registry) == {"王芳"}
    assert VALID_ID  # the helper's person
