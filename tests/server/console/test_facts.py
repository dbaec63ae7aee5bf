"""The dashboard's facts (and need alerts) follow the records by the seq cursor: built once, then only what changed."""

from __future__ import annotations

import uuid

import requests
from sqlmodel import Session, select

from app.contract import protocol as p
from app.contract.hlc import HybridLogicalClock
from server.console import facts
from server.console.tables import ConsoleAlert, RecordFact
from server.models import Record
from server.seed import seed
from tests.server.console.conftest import PASSWORD

HEADERS = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}


def test_refresh_reads_each_change_once(console_any, monkeypatch):
    server = console_any
    monkeypatch.setattr(facts, "ANALYZE_AFTER", 10)  # the statistics step runs too, on both databases
    counts = seed(server.engine, 30, 2, ["330802001"])
    facts.warm_up(server.engine).join()  # what start-up does
    assert facts.refresh(server.engine) == 0  # nothing new since
    with Session(server.engine) as s:
        made = {f.tbl for f in s.exec(select(RecordFact))}
        # A person with a need alert (the warm-up computes them with the facts).
        alerted = s.exec(select(ConsoleAlert.person_id)).first()
        person = s.exec(select(Record).where(Record.tbl == "person", Record.row_id == alerted)).one()
        assert len(s.exec(select(RecordFact).where(RecordFact.tbl == "person")).all()) == counts["person"]
    assert made == {"person", "household", "visit", "formresponse"}
    server.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    login = requests.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": "boss", "password": PASSWORD, "device_name": "d", "device_id": "dev9"},
        headers=HEADERS,
        timeout=10,
    ).json()
    change = {
        "tbl": "person",
        "row_id": person.row_id,
        "field": "status",
        "value": "moved_out",
        "hlc": HybridLogicalClock("dev9").tick(),
        "base_hlc": person.fields["status"][1],
    }
    answer = requests.post(
        f"{server.url}/api/v1/sync/push",
        json={"batch_id": uuid.uuid4().hex, "changes": [change]},
        headers={**HEADERS, "Authorization": f"Bearer {login['token']}"},
        timeout=10,
    ).json()
    assert answer["applied"] == 1, answer
    assert facts.refresh(server.engine) == 1
    with Session(server.engine) as s:
        (fact,) = s.exec(select(RecordFact).where(RecordFact.row_id == person.row_id))
    assert fact.status == "moved_out"
    with Session(server.engine) as s:  # no longer on the register: no alert counts them
        assert s.exec(select(ConsoleAlert).where(ConsoleAlert.person_id == person.row_id)).all() == []
