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
    assert all(set(u) == {"username", "display_name", "role", "active"} for u in body["users"])
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


def test_directory_needs_a_login(live_server):
    r = requests.get(live_server.url + URL, headers={"X-HomeVisit-Protocol": "1"})
    assert r.status_code == 401
