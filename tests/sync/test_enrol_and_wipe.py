"""Against a real server: first-run enrolment, offline login after it (open_profile has no network
code), the token never in clear, remote wipe."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.contract.errors import SyncError
from app.services import profile, wipe
from app.services.auth import AuthService
from app.services.profile import ProfileStatus
from app.services.registry import RegistryService
from app.services.sync import SyncService
from app.store.sync_state import StateKey
from app.sync.client import SyncClient
from tests.helpers.profiles import household_data, person_data


def all_bytes(home):
    return [(p, p.read_bytes()) for p in home.rglob("*") if p.is_file()]


@pytest.fixture
def enrolled(live_server, tmp_path):
    live_server.create_user("zhangli", "secret123", regions=("330802",))
    home = tmp_path / "laptop"
    store, user = profile.enrol_with_server(home, live_server.url, "zhangli", "secret123")
    yield home, store, user
    store.close()


def test_first_login_online_enrols_then_works_offline(live_server, enrolled):
    home, store, user = enrolled
    assert user.role == "worker" and user.regions == ["330802"] and user.password_hash == ""
    assert store.encrypted and store.get_state("install_mode") == "server"
    token = store.get_state("token")
    assert token
    RegistryService(store).save_person(
        "zhangli", RegistryService(store).save_household("zhangli", household_data()).id, person_data()
    )
    SyncClient(store).sync()
    store.close()
    # The token, the person's name and ID number: in no file of the profile, WAL and backups included.
    needles = [token.encode(), token[:16].encode(), "王芳".encode(), person_data()["id_number"].encode()]
    assert [(str(p), n) for p, data in all_bytes(home) for n in needles if n in data] == []
    again, account = profile.open_profile(home, "zhangli", "secret123")
    assert account.username == "zhangli"
    again.close()


def test_wrong_server_password_leaves_the_laptop_fresh(live_server, tmp_path):
    live_server.create_user("zhangli", "secret123")
    home = tmp_path / "laptop"
    with pytest.raises(SyncError):
        profile.enrol_with_server(home, live_server.url, "zhangli", "wrong-one")
    assert profile.status(home) is ProfileStatus.FRESH and not any(home.iterdir())


def test_a_local_administrator_cannot_be_made_on_a_server_laptop(enrolled):
    _, store, _ = enrolled
    from app.services.auth import InvalidAccount

    with pytest.raises(InvalidAccount):
        AuthService(store).create_user("mallory", "secret123", role="admin")


def test_revoked_device_wipes_at_its_next_sync(live_server, enrolled):
    accounts = pytest.importorskip(
        "server.accounts", reason="device revocation comes with the server-trust work"
    )
    if not hasattr(accounts, "revoke_device"):
        pytest.skip("this server cannot revoke a device yet")
    home, store, _ = enrolled
    with Session(live_server.engine) as session:
        accounts.revoke_device(
            session=session, actor="admin", device_id=store.get_state(StateKey.SERVER_DEVICE_ID)
        )
        session.commit()
    with pytest.raises(wipe.DeviceWiped):
        SyncService(store).sync()
    assert not (home / "keys.json").exists()  # unreadable from this moment
    store.close()
    wipe.delete_profile_files(home)
    assert not (home / "homevisit.db").exists() and not (home / "files").exists()


def test_remove_laptop_data_refuses_with_unsynced_changes_unless_confirmed_twice(enrolled):
    home, store, _ = enrolled
    RegistryService(store).save_household("zhangli", household_data())
    assert wipe.unsynced_count(store) > 0
    for confirmations in (0, 1):
        with pytest.raises(wipe.UnsyncedChanges, match="未同步"):
            wipe.remove_laptop_data(store, confirmations=confirmations)
    assert (home / "keys.json").exists()
    wipe.remove_laptop_data(store, confirmations=2)
    assert not (home / "keys.json").exists() and not (home / "homevisit.db").exists()
    assert profile.status(home) is ProfileStatus.FRESH
