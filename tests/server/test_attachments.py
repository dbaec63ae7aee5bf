"""Attachments held to account (SQLite and PostgreSQL): capped sizes, uploads owned by their
uploader and expiring, HEAD and GET scoped like rows, administrators included."""

from __future__ import annotations

import hashlib
import os
import time

import requests

from tests.server.test_hostile_device import clock, push_raw, token_for


def put(server, headers, sha, data, start=0, total=None):
    total = len(data) if total is None else total
    rng = f"bytes {start}-{start + len(data) - 1}/{total}"
    return requests.put(
        f"{server.url}/api/v1/attachments/{sha}", data=data, headers={**headers, "Content-Range": rng}
    )


def head(server, headers, sha):
    return requests.head(f"{server.url}/api/v1/attachments/{sha}", headers=headers)


def test_declared_size_is_capped(live_server):
    live_server.create_user("wang")
    wang = token_for(live_server, "wang", "wangdev")
    r = put(live_server, wang, "a" * 64, b"x", total=10**15)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_a_strangers_junk_neither_blocks_nor_poisons_the_owners_upload(live_server):
    live_server.create_user("wang")
    live_server.create_user("mallory", regions=("330881",))
    wang = token_for(live_server, "wang", "wangdev")
    mallory = token_for(live_server, "mallory", "mdev")
    data = os.urandom(1000)
    sha = hashlib.sha256(data).hexdigest()
    assert put(live_server, mallory, sha, b"junk" * 10, total=1000).json()["complete"] is False
    assert head(live_server, wang, sha).status_code == 404  # the stranger's upload is invisible
    assert put(live_server, wang, sha, data[:500], total=1000).json()["received"] == 500
    assert int(head(live_server, wang, sha).headers["X-Received-Bytes"]) == 500
    assert put(live_server, wang, sha, data[500:], start=500, total=1000).json()["complete"] is True
    r = requests.get(f"{live_server.url}/api/v1/attachments/{sha}", headers=wang)
    assert r.content == data
    # The stranger learns nothing: HEAD shows only their own partial, GET is 404.
    assert head(live_server, mallory, sha).headers["X-Complete"] == "false"
    assert requests.get(f"{live_server.url}/api/v1/attachments/{sha}", headers=mallory).status_code == 404


def test_unfinished_upload_expires(live_server):
    live_server.create_user("wang")
    wang = token_for(live_server, "wang", "wangdev")
    sha = "b" * 64
    put(live_server, wang, sha, b"half", total=8)
    store = live_server._server.config.app.state.attachments
    [part] = list((live_server.settings.attachments_dir / "partial").iterdir())
    old = time.time() - 25 * 3600
    os.utime(part, (old, old))
    assert store.expire(time.time()) == 1
    assert head(live_server, wang, sha).status_code == 404


def test_admin_sees_only_attachments_of_their_regions(live_server):
    live_server.create_user("wang")
    live_server.create_user("admin_js", role="admin", regions=("330881",))
    live_server.create_user("admin_kc", role="admin", regions=("330802",))
    wang = token_for(live_server, "wang", "wangdev")
    data = b"photo bytes"
    sha = hashlib.sha256(data).hexdigest()
    put(live_server, wang, sha, data)
    rows = [
        {
            "tbl": "attachment",
            "row_id": sha,
            "field": f,
            "value": v,
            "hlc": clock("wangdev", counter=i),
            "base_hlc": None,
        }
        for i, (f, v) in enumerate(
            (("region_code", "330802001001"), ("media_type", "image/jpeg"), ("size", len(data)))
        )
    ]
    assert push_raw(live_server, wang, rows)["rejected"] == []
    js = token_for(live_server, "admin_js", "jsdev")
    kc = token_for(live_server, "admin_kc", "kcdev")
    assert requests.get(f"{live_server.url}/api/v1/attachments/{sha}", headers=js).status_code == 404
    assert head(live_server, js, sha).status_code == 404
    assert requests.get(f"{live_server.url}/api/v1/attachments/{sha}", headers=kc).content == data
    assert head(live_server, kc, sha).headers["X-Complete"] == "true"
