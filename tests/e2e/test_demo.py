"""``homevisit demo`` prepares a usable profile against its own local server."""

from sqlmodel import func, select

from app.demo import DEMO_USERS, prepare_demo
from app.services.auth import AuthService
from app.store.models import Certificate, Person, RenovationProject
from app.store.writer import pending_change_count
from app.sync.client import SyncClient


def test_demo_profile_is_seeded_bound_and_ready_to_sync(tmp_path):
    home = tmp_path / "demo"
    store, server = prepare_demo(home, households=300)
    try:
        with store.session() as s:
            assert s.exec(select(func.count()).select_from(Person)).one() >= 300
            statuses = set(s.exec(select(RenovationProject.status)))
            assert {"applied", "accepted", "rectifying"} <= statuses
            assert s.exec(select(func.count()).select_from(Certificate)).one() > 0
        auth = AuthService(store)
        for user in DEMO_USERS:  # every demo account can log in offline
            assert auth.login(user.username, user.password).role == user.role.value
        assert store.get_state("username") == "zhangli"
        assert pending_change_count(store.engine) == 0
        report = SyncClient(store).sync()
        assert report.pulled_rows == 0 and report.pushed == 0
    finally:
        store.close()
        server.stop()

    # A second start reopens the same profile without seeding again.
    store, server = prepare_demo(home, households=300)
    try:
        with store.session() as s:
            persons = s.exec(select(func.count()).select_from(Person)).one()
        assert SyncClient(store).sync().pulled_rows == 0
        assert persons >= 300
    finally:
        store.close()
        server.stop()
