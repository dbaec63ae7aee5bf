"""Accounts under attack (SQLite and PostgreSQL): throttled logins, a hashing cap under a flood,
the password policy, empty names, and revoked devices."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from server import passwords
from server.crud import InvalidUser
from server.throttle import FREE_ACCOUNT_FAILURES, FREE_ADDRESS_FAILURES, LoginThrottle

H = {"X-HomeVisit-Protocol": "1"}


def login(server, user="alice", password="secret123", device="dev1"):
    return requests.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": user, "password": password, "device_id": device},
        headers=H,
    )


def test_wrong_passwords_are_throttled_per_account_with_retry_after(live_server):
    live_server.create_user("alice")
    for _ in range(FREE_ACCOUNT_FAILURES):
        assert login(live_server, password="wrong-one").status_code == 401
    assert login(live_server, password="wrong-one").status_code == 401  # this one starts the delay
    r = login(live_server)  # even the right password waits
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"
    assert int(r.headers["Retry-After"]) >= 1 and "秒后再试" in r.json()["error"]["message"]
    live_server.create_user("bob")
    assert login(live_server, "bob", device="dev2").status_code == 200  # other accounts are not affected


def test_throttle_delay_grows_per_account_and_per_address():
    now = [1000.0]
    t = LoginThrottle(clock=lambda: now[0])
    for _ in range(FREE_ACCOUNT_FAILURES):
        t.failed("alice", "10.0.0.1")
    assert t.wait_s("alice", "10.0.0.1") == 0
    delays = []
    for _ in range(4):
        t.failed("alice", "10.0.0.1")
        delays.append(t.wait_s("alice", "10.0.0.1"))
    assert delays == [1, 2, 4, 8]
    t.succeeded("alice")
    assert t.wait_s("alice", "10.0.0.1") == 0
    # One address guessing many accounts is held back too; loopback is never held by address.
    for i in range(FREE_ADDRESS_FAILURES + 1):
        t.failed(f"user{i}", "10.0.0.9")
        t.failed(f"user{i}", "127.0.0.1")
    assert t.wait_s("newname", "10.0.0.9") > 0 and t.wait_s("newname", "127.0.0.1") == 0


def test_a_login_flood_never_hashes_more_than_the_cap_at_once(live_server, monkeypatch):
    live_server.create_user("alice")
    # The server runs in this process: count how many verifications run at once.
    active, peak, lock = [0], [0], threading.Lock()
    real = passwords._hasher

    class Counting:
        def hash(self, password):
            return real.hash(password)

        def verify(self, hash_, password):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            try:
                return real.verify(hash_, password)
            finally:
                with lock:
                    active[0] -= 1

    monkeypatch.setattr(passwords, "_hasher", Counting())
    with ThreadPoolExecutor(max_workers=40) as pool:
        codes = list(pool.map(lambda i: login(live_server, f"nobody{i}", "x" * 12).status_code, range(80)))
    assert set(codes) <= {401, 429} and codes.count(401) > 0
    assert 1 <= peak[0] <= passwords.MAX_CONCURRENT_HASHES
    assert login(live_server).status_code == 200  # and the real user still gets in


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("carol", "short1", "至少需要 8 位"),
        ("carol", "password123", "太常见"),
        ("carol", "aaaaaaaaaa", "重复"),
        ("   ", "a good passphrase", "用户名不能为空"),
    ],
)
def test_password_policy_and_empty_names(live_server, name, password, message):
    with pytest.raises(InvalidUser, match=message):
        live_server.create_user(name, password)


def test_revoked_device_cannot_log_in_until_enrolled_again(live_server):
    from sqlmodel import Session

    from server import accounts

    live_server.create_user("alice")
    token = login(live_server).json()["token"]
    with Session(live_server.engine) as s:
        accounts.revoke_device(session=s, actor="root", device_id="dev1")
    r = requests.get(f"{live_server.url}/api/v1/auth/me", headers={**H, "Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "device_revoked"
    r = login(live_server)
    assert r.status_code == 403 and r.json()["error"]["code"] == "device_revoked"
    with Session(live_server.engine) as s:
        accounts.enroll_device(session=s, actor="root", device_id="dev1")
    assert login(live_server).status_code == 200


def test_client_raises_device_revoked_for_the_wipe(live_server, laptop):
    from sqlmodel import Session

    from app.contract.errors import DeviceRevoked
    from server import accounts

    a = laptop("a")
    with Session(live_server.engine) as s:
        accounts.revoke_device(session=s, actor="root", device_id=a.store.device_id)
    with pytest.raises(DeviceRevoked) as caught:
        a.sync()
    assert caught.value.code == "device_revoked"
