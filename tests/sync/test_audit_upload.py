"""The laptop's audit events reach the server at sync (real HTTP, SQLite and PostgreSQL): once each,
with the device and uploader of the token, and a tampered chain is flagged."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import text

from app.services.auth import AuthService, LoginFailed, record_session_act
from app.services.certificates import CertificateService
from app.services.ledger import export_ledger
from app.services.registry import RegistryService
from app.services.visits import VisitService
from app.store import models
from app.store.sync_state import StateKey
from app.sync.service import resolve_conflict
from server.crud import InvalidUser
from tests.helpers.profiles import VALID_ID_2, household_data, person_data
from tests.server.test_hostile_device import token_for

AUDITED = {"login", "login_failed", "logout", "lock", "read", "unmask", "export", "print", "delete"}
AUDITED |= {"resolve_conflict", "create"}


def _device_events(server, **params) -> list[dict]:
    try:
        server.create_user("auditor", role="admin", regions=("33",))
    except InvalidUser:
        pass  # made by an earlier call of this test
    headers = token_for(server, "auditor", "auditordev")
    r = requests.get(f"{server.url}/api/v1/audit/device", params={"limit": 1000, **params}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["entries"]


def _every_audited_act(store, tmp_path) -> dict[str, str]:
    """Do each audited act once on the laptop; returns a few row ids."""
    registry = RegistryService(store)
    h = registry.save_household("alice", household_data())
    p = registry.save_person("alice", h.id, person_data())
    other = registry.save_person(
        "alice", h.id, person_data(name="李四明", id_number=VALID_ID_2, cert_number=VALID_ID_2 + "42")
    )
    auth = AuthService(store)
    auth.login("alice", "secret123")
    with pytest.raises(LoginFailed):
        auth.login("alice", "wrong-password")  # a failed unlock at the lock screen is this same call
    record_session_act(store, "alice", "lock")
    registry.get_person("alice", p.id)
    registry.household_detail("alice", h.id)
    assert registry.reveal_id_number("alice", p.id) == person_data()["id_number"]
    visits = VisitService(store)
    visit = visits.start_visit("alice", h.id, p.id, ["needs_assessment"])
    visits.open_visit("alice", visit.id)
    export_ledger(store, "persons", tmp_path / "persons.xlsx", actor="alice")
    CertificateService(store).audit_export("alice", ["HV-2026-X"], tmp_path / "printer", printed=True)
    registry.delete_person("alice", other.id)
    with store.session() as s:
        conflict = models.Conflict(
            tbl="person",
            row_id=p.id,
            field="phone",
            winner_value="1",
            winner_hlc="a",
            loser_value="2",
            loser_hlc="b",
        )
        s.add(conflict)
        s.commit()
    resolve_conflict(store, conflict.id, "current", actor="alice")
    record_session_act(store, "alice", "logout")
    return {"person": p.id, "visit": visit.id}


def test_each_audited_act_reaches_the_server_once(laptop, live_server, tmp_path):
    client = laptop("lap1")
    store = client.store
    ids = _every_audited_act(store, tmp_path)
    report = client.sync()
    with store.engine.connect() as conn:
        local = conn.execute(text("SELECT count(*) FROM auditevent")).scalar_one()
    assert report.audit_events == local and report.audit_chain_ok

    entries = _device_events(live_server, device_id=store.device_id)
    assert len(entries) == local
    assert AUDITED <= {e["action"] for e in entries}
    # device and uploader from the token; the chain checks on the server
    assert {e["device_id"] for e in entries} == {store.device_id}
    assert {e["username"] for e in entries} == {"alice"}
    assert all(e["chain_ok"] for e in entries)
    by_action = {(e["action"], e["tbl"], e["row_id"]) for e in entries}
    assert ("read", "visit", ids["visit"]) in by_action
    assert ("unmask", "person", ids["person"]) in by_action
    assert ("read", "person", ids["person"]) in by_action

    # a retry (the answer was lost: the cursor never moved) stores nothing twice
    store.set_state(StateKey.AUDIT_SENT_SEQ, "0")
    again = client.sync()
    assert again.audit_events == 0 and again.audit_chain_ok
    assert len(_device_events(live_server, device_id=store.device_id)) == local
    # and a sync with nothing new sends nothing
    assert client.sync().audit_events == 0


def _tamper(store, seq: int, detail: str) -> None:
    """What someone with the key and a SQLite shell could do: drop the trigger, edit a sealed event."""
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("DROP TRIGGER auditevent_no_update")
        cur.execute("UPDATE auditevent SET detail = ? WHERE seq = ?", (detail, seq))
        raw.commit()
    finally:
        raw.close()


def test_an_event_edited_before_upload_is_flagged(laptop, live_server):
    client = laptop("lap1")
    store = client.store
    registry = RegistryService(store)
    h = registry.save_household("alice", household_data())
    registry.get_person("alice", registry.save_person("alice", h.id, person_data()).id)
    store.seal_audit()
    with store.engine.connect() as conn:
        target = conn.execute(text("SELECT max(seq) FROM auditevent WHERE action = 'read'")).scalar_one()
    _tamper(store, target, "nothing to see")
    assert not store.verify_audit().ok
    report = client.sync()
    assert report.audit_chain_ok is False
    entries = {e["seq"]: e for e in _device_events(live_server, device_id=store.device_id)}
    assert entries[target]["chain_ok"] is False
    assert all(e["chain_ok"] for seq, e in entries.items() if seq != target)  # only the edited one
    assert _device_events(live_server, device_id=store.device_id, broken="true")[0]["seq"] == target
    headers = token_for(live_server, "auditor", "auditordev2")
    log = requests.get(
        f"{live_server.url}/api/v1/audit", params={"action": "audit_chain_broken"}, headers=headers
    ).json()["entries"]
    assert [e["device_id"] for e in log] == [store.device_id]


def test_history_rewritten_after_upload_is_flagged(laptop, live_server):
    client = laptop("lap1")
    store = client.store
    registry = RegistryService(store)
    registry.save_household("alice", household_data())
    assert client.sync().audit_chain_ok
    _tamper(store, 1, "rewritten")
    store.set_state(StateKey.AUDIT_SENT_SEQ, "0")  # and send it all again
    report = client.sync()
    assert report.audit_chain_ok is False and report.audit_events == 0
    entries = _device_events(live_server, device_id=store.device_id)
    assert {e["detail"] for e in entries if e["seq"] == 1} != {"rewritten"}  # the server keeps what it had


def test_the_device_comes_from_the_token_not_the_body(laptop, live_server):
    client = laptop("lap1")
    other = laptop("lap2", user="bob")
    event = {"seq": 1, "at": "2026-12-01T00:00:00Z", "actor": "alice", "action": "login", "hash": "0" * 64}
    r = other.transport.request("POST", "/sync/audit", json_body={"events": [event]})
    assert r.json()["chain_ok"] is False  # a made-up seal does not link to bob's device id
    entries = _device_events(live_server, actor="alice")
    assert {(e["device_id"], e["username"]) for e in entries} == {(other.store.device_id, "bob")}
    assert client.store.device_id != other.store.device_id
    bad = requests.post(
        f"{live_server.url}/api/v1/sync/audit",
        json={"events": [{**event, "device_id": client.store.device_id}]},
        headers={**token_for(live_server, "bob", "lap2b")},
    )
    assert bad.status_code == 422  # no such field: the body cannot name a device


def test_the_idle_lock_ceiling_comes_from_the_server_policy(laptop, live_server):
    live_server.settings.max_idle_minutes = 7
    try:
        client = laptop("lap1")
    finally:
        live_server.settings.max_idle_minutes = 15
    assert client.store.get_state(StateKey.POLICY_MAX_IDLE_MINUTES) == "7"
    from app.services.auth import idle_minutes

    assert idle_minutes(30, 7) == 7 and idle_minutes(0, 7) == 7 and idle_minutes(5, 7) == 5
