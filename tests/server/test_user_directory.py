"""``GET /users/directory`` (SQLite and PostgreSQL): colleagues whose regions overlap, names only, versioned."""

from __future__ import annotations

import requests
from sqlmodel import Session

from server import accounts
from tests.server.test_hostile_device import token_for

URL = "/api/v1/users/directory"


def _world(server) -> None:
    """A Kecheng worker, the Quzhou supervisor, a worker of the next township, one in Jiangshan, an admin."""
    server.create_user("zhangli", role="worker", regions=("330802001",), display_name="张丽")
    server.create_user("chen", role="supervisor", regions=("3308",), display_name="陈主任")
    server.create_user("wangwu", role="worker", regions=("330802002",), display_name="王五")
    server.create_user("jiang", role="worker", regions=("330881",), display_name="江山员")
    server.create_user("kecheng", role="acceptor", regions=("330802",), display_name="柯城验收")


def test_directory_lists_only_overlapping_users_and_no_secrets(live_server):
    _world(live_server)
    r = requests.get(live_server.url + URL, headers=token_for(live_server, "zhangli", "dz"))
    assert r.status_code == 200, r.text
    body = r.json()
    # Those over her township, and herself; not the next township's worker, nor Jiangshan's.
    assert [(u["username"], u["display_name"], u["role"]) for u in body["users"]] == [
        ("chen", "陈主任", "supervisor"),
        ("kecheng", "柯城验收", "acceptor"),
        ("zhangli", "张丽", "worker"),
    ]
    assert all(set(u) == {"username", "display_name", "role", "active", "devices"} for u in body["users"])
    text = r.text.lower()
    assert "argon2" not in text and "password" not in text and "regions" not in text
    # The supervisor of the whole city sees every one of them.
    r = requests.get(live_server.url + URL, headers=token_for(live_server, "chen", "dc"))
    assert {u["username"] for u in r.json()["users"]} == {"chen", "jiang", "kecheng", "wangwu", "zhangli"}


def test_unchanged_directory_is_a_bodiless_304_and_a_change_makes_a_new_version(live_server):
    _world(live_server)
    headers = token_for(live_server, "zhangli", "dz")
    first = requests.get(live_server.url + URL, headers=headers)
    etag = first.headers["ETag"]
    assert etag == f'"{first.json()["version"]}"'
    again = requests.get(live_server.url + URL, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    # A deactivated colleague is still listed (the visits they made keep their name), as inactive.
    with Session(live_server.engine) as session:
        accounts.set_active(session=session, actor="cli", username="kecheng", active=False)
    changed = requests.get(live_server.url + URL, headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert {u["username"]: u["active"] for u in changed.json()["users"]}["kecheng"] is False


def test_devices_are_listed_for_the_users_in_scope_only_and_change_the_version(live_server):
    """Whose each device is (a field clock names only its device); never the devices of users out of scope."""
    _world(live_server)
    for username, device in (("chen", "dev_chen"), ("wangwu", "dev_wangwu"), ("jiang", "dev_jiang")):
        token_for(live_server, username, device)
    headers = token_for(live_server, "zhangli", "dev_zhangli")
    first = requests.get(live_server.url + URL, headers=headers)
    devices = {u["username"]: u["devices"] for u in first.json()["users"]}
    assert devices == {"chen": ["dev_chen"], "kecheng": [], "zhangli": ["dev_zhangli"]}
    assert "dev_wangwu" not in first.text and "dev_jiang" not in first.text  # other townships' laptops
    # Logging in again on a known laptop changes nothing: still a 304.
    token_for(live_server, "chen", "dev_chen")
    same = requests.get(live_server.url + URL, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert same.status_code == 304
    # 陈主任 enrols a second laptop: a new version, and both are his.
    token_for(live_server, "chen", "dev_chen_2")
    second = requests.get(live_server.url + URL, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    assert {u["username"]: u["devices"] for u in second.json()["users"]}["chen"] == ["dev_chen", "dev_chen_2"]
    # A laptop passed on: 王五's laptop now logs in as 柯城验收, so it is hers (and now in 张丽's scope).
    token_for(live_server, "kecheng", "dev_wangwu")
    third = requests.get(live_server.url + URL, headers=headers).json()
    assert {u["username"]: u["devices"] for u in third["users"]}["kecheng"] == ["dev_wangwu"]
    # The supervisor of the city sees every device.
    r = requests.get(live_server.url + URL, headers=token_for(live_server, "chen", "dev_chen"))
    assert sorted(d for u in r.json()["users"] for d in u["devices"]) == [
        "dev_chen",
        "dev_chen_2",
        "dev_jiang",
        "dev_wangwu",
        "dev_zhangli",
    ]


def test_directory_needs_a_login(live_server):
    r = requests.get(live_server.url + URL, headers={"X-HomeVisit-Protocol": "1"})
    assert r.status_code == 401
