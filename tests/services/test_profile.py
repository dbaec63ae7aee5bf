"""Opening a profile from cold: the key file is the gate, not the account rows."""

from __future__ import annotations

import shutil
import stat

import pytest
from sqlmodel import select

from app.services import profile
from app.services.auth import AccountLocked, AuthService, InvalidAccount, LoginFailed
from app.services.profile import NotEnrolledHere, ProfileStatus
from app.services.registry import RegistryService
from app.services.seed import seed_store
from app.store.accounts import hash_password
from app.store.backups import make_backup
from app.store.db import is_plain_sqlite
from app.store.models import Household, Person, User
from app.store.store import Store
from tests.helpers.profiles import household_data, person_data


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def standalone(tmp_path):
    home = tmp_path / "profile"
    store, user = profile.create_standalone(home, "admin", "secret123", display_name="管理员")
    RegistryService(store).save_person(
        "admin", RegistryService(store).save_household("admin", household_data()).id, person_data()
    )
    store.close()
    return home


def reopen(home, user="admin", password="secret123", **kw):
    store, account = profile.open_profile(home, user, password, **kw)
    return store, account


def test_fresh_then_standalone_opens_offline_with_its_password(tmp_path, standalone):
    assert profile.status(tmp_path / "nothing") is ProfileStatus.FRESH
    assert profile.status(standalone) is ProfileStatus.ENCRYPTED
    store, user = reopen(standalone)
    try:
        assert user.role == "admin" and user.password_hash == ""
        assert store.encrypted and store.get_state("install_mode") == "standalone"
    finally:
        store.close()
    with pytest.raises(InvalidAccount):
        profile.create_standalone(standalone, "other", "secret123")


def test_wrong_password_opens_nothing_and_waits_grow(standalone):
    clock = Clock()
    with pytest.raises(LoginFailed, match="再错 2 次"):
        reopen(standalone, password="nope", clock=clock)
    with pytest.raises(LoginFailed):
        reopen(standalone, password="nope", clock=clock)
    with pytest.raises(AccountLocked) as first:
        reopen(standalone, password="nope", clock=clock)
    with pytest.raises(AccountLocked):
        reopen(standalone, clock=clock)  # even the right password waits
    clock.t += first.value.seconds + 1
    with pytest.raises(AccountLocked) as second:
        reopen(standalone, password="nope", clock=clock)
    assert second.value.seconds == 2 * first.value.seconds
    clock.t += second.value.seconds + 1
    store, _ = reopen(standalone, clock=clock)
    store.close()


def test_profile_copied_elsewhere_opens_only_with_the_password(standalone, tmp_path):
    copy = tmp_path / "other-machine"
    shutil.copytree(standalone, copy)
    with pytest.raises(LoginFailed):
        reopen(copy, password="guess123")
    store, _ = reopen(copy)
    with store.session() as s:
        assert s.exec(select(Person)).first().name == "王芳"
    store.close()


def _tamper(home, change):
    """Change the account rows as someone holding the key could (the worst case for the rows)."""
    store, _ = reopen(home)
    with store.session() as s:
        change(s)
        s.commit()
    store.close()


def test_edited_account_rows_let_nobody_in(standalone):
    def forge(s):
        admin = s.exec(select(User).where(User.username == "admin")).one()
        admin.password_hash = hash_password("hacked123")
        s.add(admin)
        s.add(
            User(username="mallory", role="admin", regions=["33"], password_hash=hash_password("hacked123"))
        )

    _tamper(standalone, forge)
    with pytest.raises(LoginFailed):
        reopen(standalone, password="hacked123")
    with pytest.raises(NotEnrolledHere):
        reopen(standalone, user="mallory", password="hacked123")


def test_deleted_account_rows_let_nobody_in_and_offer_no_first_run(standalone):
    _tamper(standalone, lambda s: [s.delete(u) for u in s.exec(select(User))])
    assert profile.status(standalone) is ProfileStatus.ENCRYPTED  # not FRESH: no new administrator
    with pytest.raises(LoginFailed, match="停用或不存在"):
        reopen(standalone)
    with pytest.raises(InvalidAccount):
        profile.create_standalone(standalone, "admin2", "secret123")


def test_password_change_keeps_all_data_and_retires_the_old_password(standalone):
    store, _ = reopen(standalone)
    AuthService(store).change_password("admin", "secret123", "better-pass-9")
    store.close()
    with pytest.raises(LoginFailed):
        reopen(standalone)
    store, _ = reopen(standalone, password="better-pass-9")
    with store.session() as s:
        assert [p.name for p in s.exec(select(Person))] == ["王芳"]
    store.close()


def test_second_local_user_in_standalone_gets_own_key(standalone):
    store, _ = reopen(standalone)
    AuthService(store).create_user("wangli", "worker123", regions=["330802"])
    store.close()
    store, user = reopen(standalone, user="wangli", password="worker123")
    assert user.role == "worker"
    store.close()


def test_plain_profile_migrates_with_backup_verification_and_no_plain_left(tmp_path):
    home = tmp_path / "old"
    plain = Store(home)
    AuthService(plain).create_user("wangli", "secret123", regions=["330802"])
    AuthService(plain).create_user("zhaosi", "secret456", regions=["330802"])
    seed_store(plain, 20, seed=9)
    photo = plain.files.put_bytes(b"\x89PNG plain photo bytes " * 100)
    (home / "thumbs").mkdir()
    (home / "thumbs" / f"{photo}_160.jpg").write_bytes(b"thumb")
    with plain.session() as s:
        names = sorted(p.name for p in s.exec(select(Person)))
        households = len(list(s.exec(select(Household))))
    plain.close()
    make_backup(home / "homevisit.db", None, "v2")
    assert profile.status(home) is ProfileStatus.PLAIN

    with pytest.raises(LoginFailed):
        profile.open_profile(home, "wangli", "wrong-one")
    assert is_plain_sqlite(home / "homevisit.db")  # a failed login changes nothing

    store, user = profile.open_profile(home, "wangli", "secret123")
    try:
        assert store.encrypted and profile.status(home) is ProfileStatus.ENCRYPTED
        with store.session() as s:
            assert sorted(p.name for p in s.exec(select(Person))) == names
            assert len(list(s.exec(select(Household)))) == households
            assert all(u.password_hash == "" for u in s.exec(select(User)))
        assert store.files.read(photo) == b"\x89PNG plain photo bytes " * 100
        assert not (home / "thumbs").exists() and not (home / "encrypting").exists()
        files = [p for p in home.rglob("*") if p.is_file()]
        assert not [p for p in files if is_plain_sqlite(p)]
        assert not [p for p in files if b"plain photo bytes" in p.read_bytes()]
        assert not [p for p in files if any(n.encode() in p.read_bytes() for n in names)]
        backups = sorted(p.name for p in (home / "backups").glob("*.db"))
        assert any("-v2-" in b for b in backups) and any("-encrypted-" in b for b in backups)
        for p in files:
            assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, p
    finally:
        store.close()
    # The other account's hash went with the plain file: it must be enrolled again (online or by an admin).
    with pytest.raises(NotEnrolledHere):
        profile.open_profile(home, "zhaosi", "secret456")
