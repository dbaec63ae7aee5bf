"""The server's HTTP API on a live server (SQLite and PostgreSQL), spoken to with plain requests."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
import uuid

import pytest
import requests
from sqlalchemy import func
from sqlmodel import Session, select

from app.contract.page import parse_page, row_fields
from server.models import PushBatch, Record, ServerConflict
from tests.helpers.live_server import write_elsewhere

H = {"X-HomeVisit-Protocol": "1"}
REGION = "330802001001"


def hlc(ms_ahead: int = 0, device: str = "dev1", counter: int = 0) -> str:
    return f"{int(time.time() * 1000) + ms_ahead:013d}-{counter:05d}-{device}"


def login(server, user="alice", password="secret123", device="dev1"):
    r = requests.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": user, "password": password, "device_name": "laptop", "device_id": device},
        headers=H,
    )
    return r


@pytest.fixture
def alice(live_server):
    live_server.create_user("alice", regions=("330802",))
    token = login(live_server).json()["token"]
    return {**H, "Authorization": f"Bearer {token}"}


def push(server, headers, changes, batch_id=None):
    body = {"batch_id": batch_id or uuid.uuid4().hex, "changes": changes}
    return requests.post(f"{server.url}/api/v1/sync/push", json=body, headers=headers)


def change(field="phone", value="13905701234", row_id="h1", tbl="household", base=None, clock=None):
    return {
        "tbl": tbl,
        "row_id": row_id,
        "field": field,
        "value": value,
        "hlc": clock or hlc(),
        "base_hlc": base,
    }


def new_household(row_id="h1", region=REGION):
    return [
        change("region_code", region, row_id),
        change("address", "信安街道1号", row_id),
        change("phone", "1390", row_id),
    ]


def count(server, model) -> int:
    with Session(server.engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


# --- auth -------------------------------------------------------------------


def test_login_gives_token_user_and_regions(live_server):
    live_server.create_user("alice", regions=("330802",))
    body = login(live_server).json()
    assert (
        body["user"]["username"] == "alice" and body["regions"] == ["330802"] and body["device_id"] == "dev1"
    )
    assert len(body["token"]) >= 40


@pytest.mark.parametrize("user,password", [("alice", "wrongpass"), ("nobody", "secret123")])
def test_bad_login_is_refused_alike(live_server, user, password):
    live_server.create_user("alice")
    r = login(live_server, user, password)
    assert r.status_code == 401 and r.json()["error"]["code"] == "login_failed"


def test_token_is_stored_hashed(live_server, alice):
    from server.models import AuthToken

    token = alice["Authorization"][7:]
    with Session(live_server.engine) as s:
        stored = [t.token_hash for t in s.exec(select(AuthToken))]
    assert token not in stored and hashlib.sha256(token.encode()).hexdigest() in stored


def test_expired_token_is_refused(live_server):
    live_server.create_user("alice")
    live_server.settings.token_lifetime_s = 1
    headers = {**H, "Authorization": f"Bearer {login(live_server).json()['token']}"}
    assert requests.get(f"{live_server.url}/api/v1/auth/me", headers=headers).status_code == 200
    time.sleep(1.1)
    r = requests.get(f"{live_server.url}/api/v1/auth/me", headers=headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_expired"


def test_logout_and_admin_revoke(live_server, alice):
    live_server.create_user("root", role="admin", regions=("33",))
    admin = {**H, "Authorization": f"Bearer {login(live_server, 'root', device='devA').json()['token']}"}
    second = {**H, "Authorization": f"Bearer {login(live_server, device='dev2').json()['token']}"}
    # A worker may not revoke.
    r = requests.post(f"{live_server.url}/api/v1/auth/revoke", json={"username": "root"}, headers=alice)
    assert r.status_code == 403
    r = requests.post(
        f"{live_server.url}/api/v1/auth/revoke",
        json={"username": "alice", "device_id": "dev2"},
        headers=admin,
    )
    assert r.json() == {"revoked": 1}
    r = requests.get(f"{live_server.url}/api/v1/auth/me", headers=second)
    # The device itself is revoked: the laptop is told so (and wipes), and cannot log back in.
    assert r.status_code == 401 and r.json()["error"]["code"] == "device_revoked"
    again = login(live_server, device="dev2")
    assert again.status_code == 403 and again.json()["error"]["code"] == "device_revoked"
    assert requests.get(f"{live_server.url}/api/v1/auth/me", headers=alice).status_code == 200
    assert requests.post(f"{live_server.url}/api/v1/auth/logout", headers=alice).status_code == 200
    assert requests.get(f"{live_server.url}/api/v1/auth/me", headers=alice).status_code == 401


# --- protocol, size, validation ---------------------------------------------


@pytest.mark.parametrize(
    "headers,status,code",
    [({}, 400, "protocol_missing"), ({"X-HomeVisit-Protocol": "2"}, 426, "protocol_mismatch")],
)
def test_protocol_header_is_checked(live_server, alice, headers, status, code):
    auth = {"Authorization": alice["Authorization"], **headers}
    r = requests.get(f"{live_server.url}/api/v1/sync/pull", headers=auth)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code and "HomeVisit" in r.json()["error"]["message"]


def test_health_and_openapi_need_no_header(live_server):
    assert requests.get(f"{live_server.url}/api/v1/health").json()["database"] == live_server.dialect
    assert "/api/v1/sync/push" in requests.get(f"{live_server.url}/openapi.json").json()["paths"]


def test_oversized_request_is_refused_and_nothing_stored(live_server, alice):
    live_server.settings.max_request_bytes = 10_000
    r = push(live_server, alice, [change("note", "长" * 3000, f"h{i}") for i in range(5)])
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    assert count(live_server, Record) == 0 and count(live_server, PushBatch) == 0


def test_gzip_bomb_is_refused(live_server, alice):
    live_server.settings.max_request_bytes = 100_000
    body = gzip.compress(json.dumps({"batch_id": "b" * 10, "changes": [], "pad": " " * 1_000_000}).encode())
    r = requests.post(
        f"{live_server.url}/api/v1/sync/push",
        data=body,
        headers={**alice, "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert r.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        json.dumps({"batch_id": "short", "changes": []}).encode(),
        json.dumps({"changes": []}).encode(),
    ],
)
def test_malformed_push_is_refused(live_server, alice, body):
    r = requests.post(
        f"{live_server.url}/api/v1/sync/push",
        data=body,
        headers={**alice, "Content-Type": "application/json"},
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    assert count(live_server, PushBatch) == 0


@pytest.mark.parametrize(
    "bad",
    [
        change(tbl="spaceship"),
        change(field="colour"),
        change(field="phone", value=12345),
        change(clock="yesterday"),
        change(tbl="person", field="id_number", value="330802197411260321"),
        change(field="region_code", value="3308"),
    ],
    ids=["table", "field", "type", "clock", "id_number", "region"],
)
def test_invalid_change_is_rejected_with_reason(live_server, alice, bad):
    row = (
        new_household("h1") if bad["tbl"] != "person" else [change("region_code", REGION, "h1", tbl="person")]
    )
    r = push(live_server, alice, [*row, {**bad, "row_id": "h1"}])
    body = r.json()
    assert r.status_code == 200
    assert [(x["index"], x["code"]) for x in body["rejected"]] == [(len(row), "invalid")]
    assert body["rejected"][0]["message"] and body["applied"] == len(row)


# --- push semantics -----------------------------------------------------------


def test_same_batch_twice_gives_same_answer_and_stores_nothing_more(live_server, alice):
    batch = new_household("h1")
    first = push(live_server, alice, batch, batch_id="batch-0001").json()
    with Session(live_server.engine) as s:
        seq_before = s.exec(select(Record.seq)).all()
    again = push(live_server, alice, batch, batch_id="batch-0001").json()
    assert again == first
    with Session(live_server.engine) as s:
        assert s.exec(select(Record.seq)).all() == seq_before
    assert count(live_server, PushBatch) == 1


def test_ordinary_edit_vs_concurrent_edit(live_server, alice):
    first = new_household("h1")
    push(live_server, alice, first)
    base = first[2]["hlc"]
    dev2, dev3 = (
        {**H, "Authorization": f"Bearer {login(live_server, device=d).json()['token']}"}
        for d in ("dev2", "dev3")
    )
    ordinary = push(live_server, dev2, [change("phone", "139-a", base=base, clock=hlc(1000, "dev2"))]).json()
    assert ordinary["conflicts"] == []
    stale = push(live_server, dev3, [change("phone", "139-b", base=base, clock=hlc(500, "dev3"))]).json()
    [c] = stale["conflicts"]
    assert (c["loser_value"], c["loser"]) == ("139-b", "pushed") and stale["applied"] == 1
    assert count(live_server, ServerConflict) == 1
    with Session(live_server.engine) as s:
        assert s.exec(select(Record)).one().fields["phone"][0] == "139-a"


def test_push_outside_scope_is_rejected(live_server, alice):
    body = push(live_server, alice, new_household("h9", region="330881001001")).json()
    assert {x["code"] for x in body["rejected"]} == {"out_of_scope"} and body["applied"] == 0
    assert count(live_server, Record) == 0


def test_moving_a_row_out_of_scope_is_refused(live_server, alice):
    push(live_server, alice, new_household("h1"))
    body = push(live_server, alice, [change("region_code", "330881001001", "h1")]).json()
    assert body["rejected"][0]["code"] == "out_of_scope"


def test_clock_far_ahead_is_refused_with_server_time(live_server, alice):
    r = push(live_server, alice, [change("region_code", REGION, "h1", clock=hlc(11 * 60 * 1000))])
    error = r.json()["error"]
    assert r.status_code == 409 and error["code"] == "clock_skew"
    assert abs(error["server_time"] - time.time() * 1000) < 5000
    assert count(live_server, Record) == 0


def test_pull_pages_in_seq_order(live_server, alice):
    for i in range(5):
        push(live_server, alice, new_household(f"h{i}"))
    seen, since = [], 0
    while True:
        page = requests.get(
            f"{live_server.url}/api/v1/sync/pull", params={"since": since, "limit": 2}, headers=alice
        ).json()
        seen += [r["row_id"] for r in page["rows"]]
        since = page["next"]
        if not page["more"]:
            break
    assert seen == [f"h{i}" for i in range(5)]


def test_columnar_pages_carry_the_same_rows_as_row_pages(live_server, alice):
    for i in range(3):
        push(live_server, alice, new_household(f"h{i}"))
    url = f"{live_server.url}/api/v1/sync/pull"
    rows = requests.get(url, params={"limit": 2}, headers=alice).json()
    body = requests.get(url, params={"limit": 2, "layout": "columns"}, headers=alice).content
    page = parse_page(body)
    got = [(t.tbl, r[0], r[1], row_fields(t, r)) for t in page.tables for r in t.rows]
    assert got == [(r["tbl"], r["row_id"], r["seq"], r["fields"]) for r in rows["rows"]]
    assert (page.next, page.more) == (rows["next"], rows["more"])


def test_a_cursor_beyond_64_bits_is_refused_not_a_server_error(live_server, alice):
    r = requests.get(f"{live_server.url}/api/v1/sync/pull", params={"since": 2**64}, headers=alice)
    assert r.status_code == 422


def test_concurrent_pushes_never_hide_a_row_from_a_puller(live_server, alice):
    """Seqs are handed out in commit order: a cursor never jumps over a row committed later."""
    seen: set[str] = set()
    since = 0
    stop = threading.Event()
    errors: list[str] = []

    def writer(w: int) -> None:
        for i in range(8):
            r = push(live_server, alice, new_household(f"w{w}-{i}"))
            if r.status_code != 200:
                errors.append(r.text)

    def puller() -> None:
        nonlocal since
        while True:
            done = stop.is_set()
            page = requests.get(
                f"{live_server.url}/api/v1/sync/pull", params={"since": since}, headers=alice
            ).json()
            seen.update(r["row_id"] for r in page["rows"])
            since = page["next"]
            if done and not page["more"]:
                return

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    reader = threading.Thread(target=puller)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    reader.join()
    assert errors == []
    assert seen == {f"w{w}-{i}" for w in range(4) for i in range(8)}


def _pull_ids(server, headers) -> tuple[set[str], bool]:
    page = requests.get(f"{server.url}/api/v1/sync/pull", params={"since": 0}, headers=headers).json()
    return {r["row_id"] for r in page["rows"]}, page["more"]


def test_a_transaction_in_another_database_does_not_hold_back_a_pull(live_server, alice):
    """A write running elsewhere on the cluster cannot stamp records here, so it must not delay them.

    It did (the watermark was the cluster-wide snapshot xmin): a laptop syncing while another
    database's CREATE DATABASE, migration or bulk load ran got ``more: false`` without rows committed
    before it asked, and the convergence test failed under load on PostgreSQL.
    """
    if live_server.dialect != "postgresql":
        pytest.skip("the watermark is PostgreSQL's")
    import psycopg

    here = psycopg.connect(live_server.settings.database_url.replace("+psycopg", ""))
    try:
        with write_elsewhere(live_server):  # a transaction id older than the push's, kept open
            assert push(live_server, alice, new_household("h-other")).status_code == 200
            assert _pull_ids(live_server, alice) == ({"h-other"}, False)
            here.execute("SELECT pg_current_xact_id()")
            assert push(live_server, alice, new_household("h-here")).status_code == 200
            # One of this database may still write records with a smaller seq: the newer row
            # waits for it (delayed, never hidden) ...
            assert _pull_ids(live_server, alice) == ({"h-other"}, False)
            here.rollback()
            # ... and comes as soon as it has ended.
            assert _pull_ids(live_server, alice) == ({"h-other", "h-here"}, False)
    finally:
        here.close()


# --- attachments --------------------------------------------------------------


def test_attachment_upload_resumes_after_a_cut(live_server, alice):
    data = bytes(range(256)) * 1000
    sha = hashlib.sha256(data).hexdigest()
    url = f"{live_server.url}/api/v1/attachments/{sha}"
    assert requests.head(url, headers=alice).status_code == 404
    r = requests.put(
        url, data=data[:100_000], headers={**alice, "Content-Range": f"bytes 0-99999/{len(data)}"}
    )
    assert r.json() == {"sha256": sha, "received": 100_000, "complete": False}
    # The connection was cut; the client asks how far the server got and resumes there.
    head = requests.head(url, headers=alice)
    assert head.headers["X-Received-Bytes"] == "100000" and head.headers["X-Complete"] == "false"
    wrong = requests.put(url, data=data[:10], headers={**alice, "Content-Range": f"bytes 0-9/{len(data)}"})
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "range_mismatch"
    rest = data[100_000:]
    r = requests.put(
        url, data=rest, headers={**alice, "Content-Range": f"bytes 100000-{len(data) - 1}/{len(data)}"}
    )
    assert r.json()["complete"] is True
    got = requests.get(url, headers=alice)
    assert got.status_code == 200 and got.content == data


def test_attachment_with_wrong_hash_is_discarded(live_server, alice):
    sha = hashlib.sha256(b"the real bytes").hexdigest()
    url = f"{live_server.url}/api/v1/attachments/{sha}"
    r = requests.put(url, data=b"forged bytes!!", headers={**alice, "Content-Range": "bytes 0-13/14"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "hash_mismatch"
    assert requests.head(url, headers=alice).headers["X-Received-Bytes"] == "0"


def test_attachment_of_another_region_is_not_served(live_server, alice):
    data = b"photo"
    sha = hashlib.sha256(data).hexdigest()
    requests.put(
        f"{live_server.url}/api/v1/attachments/{sha}",
        data=data,
        headers={**alice, "Content-Range": "bytes 0-4/5"},
    )
    live_server.create_user("bob", regions=("330881",))
    bob = {**H, "Authorization": f"Bearer {login(live_server, 'bob', device='devB').json()['token']}"}
    assert requests.get(f"{live_server.url}/api/v1/attachments/{sha}", headers=bob).status_code == 404


# --- forms and certificates ---------------------------------------------------


def test_forms_are_served_with_versions(live_server, alice):
    forms = requests.get(f"{live_server.url}/api/v1/forms", headers=alice).json()["forms"]
    assert all(isinstance(f["version"], int) and f["id"] for f in forms)


@pytest.mark.parametrize(
    "serial,code,status",
    [
        # A certificate row without its acceptance cannot be recomputed, so it is never
        # confirmed (genuine papers: tests/server/test_certificate_verification.py).
        ("CERT-1", "ABCD-EFGH-JK12", "tampered"),
        ("CERT-1", "ABCDEFGHJK13", "unknown"),  # a wrong code learns nothing
        ("CERT-2", "x", "unknown"),
    ],
)
def test_certificate_check(live_server, serial, code, status):
    live_server.create_user("yanshou", role="acceptor")  # certificates are the acceptance team's to write
    token = login(live_server, user="yanshou").json()["token"]
    assert (
        push(
            live_server,
            {**H, "Authorization": f"Bearer {token}"},
            [
                change("region_code", REGION, "c1", tbl="certificate"),
                change("serial", "CERT-1", "c1", tbl="certificate"),
                change("verification_code", "ABCDEFGHJK12", "c1", tbl="certificate"),
            ],
        ).json()["rejected"]
        == []
    )
    r = requests.get(f"{live_server.url}/api/v1/certificates/{serial}", params={"code": code})
    assert r.status_code == 200 and r.json()["status"] == status
