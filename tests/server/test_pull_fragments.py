"""Stored columnar fragments (``server.fragments``): used while current, made afresh when stale."""

from __future__ import annotations

import time
import uuid

import requests
from sqlalchemy import update
from sqlmodel import Session, select

from app.contract.page import TableEncoder, parse_page, row_fields
from server.models import Record

H = {"X-HomeVisit-Protocol": "1"}
REGION = "330802001001"


def _headers(server) -> dict[str, str]:
    server.create_user("alice", regions=("330802",))
    r = requests.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": "alice", "password": "secret123", "device_name": "laptop", "device_id": "dev1"},
        headers=H,
    )
    return {**H, "Authorization": f"Bearer {r.json()['token']}"}


def _push_household(server, headers, row_id: str, phone: str) -> None:
    clock = f"{int(time.time() * 1000):013d}-00000-dev1"
    changes = [
        {"tbl": "household", "row_id": row_id, "field": f, "value": v, "hlc": clock, "base_hlc": None}
        for f, v in (("region_code", REGION), ("address", "府山路8号"), ("phone", phone))
    ]
    body = {"batch_id": uuid.uuid4().hex, "changes": changes}
    assert requests.post(f"{server.url}/api/v1/sync/push", json=body, headers=headers).status_code == 200


def _pull_columns(server, headers) -> dict[str, dict]:
    body = requests.get(
        f"{server.url}/api/v1/sync/pull", params={"layout": "columns"}, headers=headers
    ).content
    return {r[0]: row_fields(t, r) for t in parse_page(body).tables for r in t.rows}


def test_pushed_records_keep_a_current_fragment_and_pull_as_they_are(live_server):
    headers = _headers(live_server)
    _push_household(live_server, headers, "h1", "13905701234")
    _push_household(live_server, headers, "h1", "13900000000")  # an update rewrites the fragment
    with Session(live_server.engine) as s:
        tbl, seq, key, wire = s.exec(select(Record.tbl, Record.seq, Record.wire_key, Record.wire)).one()  # type: ignore[call-overload]
    assert wire is not None and key == TableEncoder(tbl).key(seq)
    assert _pull_columns(live_server, headers)["h1"]["phone"][0] == "13900000000"


def test_a_record_rewritten_behind_the_fragments_back_is_pulled_as_it_is_now(live_server):
    headers = _headers(live_server)
    _push_household(live_server, headers, "h1", "13905701234")
    with Session(live_server.engine) as s:
        fields = dict(s.exec(select(Record.fields)).one())
        fields["phone"] = ["13900000000", fields["phone"][1]]
        # A script that knows nothing of fragments, but gives the change a new seq as it must.
        s.execute(update(Record).values(fields=fields, seq=Record.seq + 1))
        s.commit()
    assert _pull_columns(live_server, headers)["h1"]["phone"][0] == "13900000000"
