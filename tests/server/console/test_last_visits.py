"""A person's latest completed visit, kept in their facts (``server.console.last_visits``), and the
"visited" and "not visited for months" figures that read it, against the records themselves."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import requests
from sqlmodel import Session, select

from app.contract import protocol as p
from app.contract.hlc import HybridLogicalClock
from server.console import facts, figures
from server.console.tables import RecordFact
from server.models import Record, ServerUser
from server.seed import seed
from tests.server.console.conftest import PASSWORD

COUNTY = "330802"
HEADERS = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}


def _values(record: Record) -> dict:
    return {name: pair[0] for name, pair in record.fields.items()}


def _truth(server) -> tuple[set[str], dict[str, list[str]]]:
    """Registered persons, and each person's completed visit starts, read from ``records``."""
    with Session(server.engine) as s:
        rows = s.exec(select(Record).where(Record.deleted == False)).all()  # noqa: E712
    registered = {r.row_id for r in rows if r.tbl == "person" and _values(r).get("status") == "registered"}
    visits: dict[str, list[str]] = {}
    for r in rows:
        v = _values(r)
        if r.tbl == "visit" and v.get("status") == "completed":
            visits.setdefault(str(v.get("person_id")), []).append(str(v.get("started_at")))
    return registered, visits


def _check(server, periods: list[figures.Period]) -> None:
    registered, visits = _truth(server)
    facts.refresh(server.engine)
    with Session(server.engine) as s:
        kept = {f.row_id: f.at for f in s.exec(select(RecordFact).where(RecordFact.tbl == "person"))}
        boss = s.exec(select(ServerUser).where(ServerUser.username == "boss")).one()
        for pid in registered:
            assert kept[pid] == max(visits.get(pid, [""])), pid
        for period in periods:
            want = {
                pid
                for pid in registered
                if any(period.utc_from <= at < period.utc_until for at in visits.get(pid, []))
            }
            assert figures.count(s, boss, COUNTY, figures.visited(period)) == len(want), period


def _push(server, token: str, record: Record, field: str, value: object) -> None:
    change = {
        "tbl": record.tbl,
        "row_id": record.row_id,
        "field": field,
        "value": value,
        "hlc": HybridLogicalClock("dev7").tick(),
        "base_hlc": record.fields[field][1],
    }
    answer = requests.post(
        f"{server.url}/api/v1/sync/push",
        json={"batch_id": uuid.uuid4().hex, "changes": [change]},
        headers={**HEADERS, "Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    assert answer["applied"] == 1, answer


def test_latest_visits_follow_the_visits(console_any):
    server = console_any
    seed(server.engine, 40, 5, [COUNTY])
    server.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    today = date.today()
    periods = [
        figures.Period.this_year(),
        # Ended a year ago: persons visited since need their earlier visits looked up.
        figures.Period(today - timedelta(days=700), today - timedelta(days=365)),
        figures.Period(today - timedelta(days=30), today + timedelta(days=1)),
    ]
    _check(server, periods)

    # The latest visit of someone seen twice goes back to draft: the one before counts instead.
    registered, visits = _truth(server)
    pid = next(p for p in sorted(registered) if len(visits.get(p, [])) >= 2)
    with Session(server.engine) as s:
        mine = [
            r
            for r in s.exec(select(Record).where(Record.tbl == "visit"))
            if _values(r).get("person_id") == pid
        ]
    latest = max(mine, key=lambda r: _values(r)["started_at"])
    login = requests.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": "boss", "password": PASSWORD, "device_name": "d", "device_id": "dev7"},
        headers=HEADERS,
        timeout=10,
    ).json()
    _push(server, login["token"], latest, "status", "draft")
    _check(server, periods)
    with Session(server.engine) as s:
        (fact,) = s.exec(select(RecordFact).where(RecordFact.tbl == "person", RecordFact.row_id == pid))
    assert fact.at < _values(latest)["started_at"]
