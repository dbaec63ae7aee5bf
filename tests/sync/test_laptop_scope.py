"""Scope on a shared laptop against a real server: each user reads their own regions; rows nobody here covers
any more go after a sync, except those with unsynced (or refused) changes."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from app.services.auth import AuthService, start_session
from app.services.registry import RegistryService
from app.services.sync import SyncService
from app.store.search import SearchFilters
from server import accounts
from tests.helpers.profiles import VALID_ID_2, household_data, person_data

TOWN_A = "330802001001"
TOWN_B = "330802002001"


def _names(store) -> set[str]:
    hits = RegistryService(store).search("", SearchFilters(include_inactive=True), limit=None)
    return {h.name for h in hits}


def _count(store, tbl: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {tbl}")).scalar_one())


def test_a_county_laptop_handed_to_a_township_worker(laptop, live_server):
    county = laptop("shared", user="county", role="supervisor", regions=("330802",))
    store = county.store
    registry = RegistryService(store)
    ha = registry.save_household("county", household_data(region_code=TOWN_A))
    registry.save_person("county", ha.id, person_data(name="甲某某"))
    hb = registry.save_household("county", household_data(region_code=TOWN_B))
    registry.save_person(
        "county", hb.id, person_data(name="乙某某", id_number=VALID_ID_2, cert_number=VALID_ID_2 + "42")
    )
    county.sync()
    start_session(store, AuthService(store).get_user("county"))
    assert _names(store) == {"甲某某", "乙某某"}

    # A township worker enrols on the same laptop (switch user, online once) and sees only town A.
    live_server.create_user("town_a", "secret123", regions=("330802001",))
    SyncService(store).login(live_server.url, "town_a", "secret123")
    start_session(store, AuthService(store).get_user("town_a"))
    assert _names(store) == {"甲某某"}
    SyncService(store).sync()
    assert _names(store) == {"甲某某"}
    assert _count(store, "person") == 2  # the county supervisor is still enrolled here: kept, hidden

    # The county account is narrowed on the server to town A. An edit the supervisor made in town B
    # before hearing of it is refused at the next sync and kept, so town B stays until that is settled.
    with Session(live_server.engine) as s:
        accounts.set_regions(session=s, actor="admin", username="county", regions=["330802001"])
    start_session(store, AuthService(store).get_user("county"))
    registry.save_household(
        "county", household_data(region_code=TOWN_B, phone="13905709999"), household_id=hb.id
    )
    service = SyncService(store)
    service.login(live_server.url, "county", "secret123")
    start_session(store, AuthService(store).get_user("county"))  # the narrower regions, as the server said
    service.sync()
    assert service.rejected(), "the edit in town B is refused and kept"
    assert _count(store, "person") == 2
    assert _names(store) == {"甲某某"}  # the supervisor now reads town A only

    # Once the refused change is given up (nothing of town B is unsynced), town B's rows go.
    service.discard([r.id for r in service.rejected()])
    removed = service.tidy_scope()
    assert removed == {"household": 1, "person": 1}
    assert _count(store, "person") == 1 and _names(store) == {"甲某某"}
    with store.engine.connect() as conn:
        purges = conn.execute(text("SELECT detail FROM auditevent WHERE action = 'purge'")).all()
    assert purges and "person:1" in purges[-1][0]
