"""The renovation workflow enforced on pushes, over real HTTP on SQLite and PostgreSQL (server/workflow.py)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from server.models import AuditLog
from tests.server.test_hostile_device import ch, clock, push_raw, row, stored, token_for

REGION = "330802001001"


class Actor:
    """A user of one role on its own device, pushing raw changes."""

    def __init__(self, server, name: str, role: str) -> None:
        server.create_user(name, role=role, regions=("330802",))
        self.server, self.name, self.device = server, name, f"{name}dev"
        self.headers = token_for(server, name, self.device)

    def push(self, changes) -> list[tuple[str, str]]:
        mine = [{**c, "hlc": clock(self.device, counter=i)} for i, c in enumerate(changes)]
        answer = push_raw(self.server, self.headers, mine)
        return [(mine[r["index"]]["field"], r["reason"]) for r in answer["rejected"]]


@pytest.fixture
def people(live_server):
    return {
        role: Actor(live_server, name, role)
        for name, role in (("wang", "worker"), ("li", "acceptor"), ("zhao", "supervisor"))
    }


def household(actor):
    assert actor.push(row("household", "h1", address="一号", economic_status="dibao")) == []


def project(actor, status="applied", row_id="rp1"):
    return actor.push(row("renovationproject", row_id, household_id="h1", kind="lighting", status=status))


def set_status(actor, status, row_id="rp1"):
    return actor.push([ch("renovationproject", row_id, "status", status)])


def test_worker_cannot_create_a_settled_project_or_record_outcomes(live_server, people):
    wang = people["worker"]
    household(wang)
    assert project(wang, "archived", "rp-x") == [("status", "bad_transition")]
    assert project(wang, "applied") == []
    assert set_status(wang, "construction") == []  # several offline steps arrive as one move
    assert set_status(wang, "awaiting_acceptance") == []
    assert set_status(wang, "accepted") == [("status", "bad_transition")]
    assert set_status(wang, "applied") == [("status", "bad_transition")]  # not backwards
    assert stored(live_server, "renovationproject", "rp1")["status"] == "awaiting_acceptance"
    assert wang.push(row("projectevent", "e1", project_id="rp1", to_status="accepted", actor="wang")) == [
        ("to_status", "bad_transition")
    ]


def test_settled_project_changes_only_after_a_supervisors_recorded_reopening(live_server, people):
    wang, li, zhao = people["worker"], people["acceptor"], people["supervisor"]
    household(wang)
    assert project(wang, "awaiting_acceptance") == []
    assert wang.push(row("renovationitem", "i1", project_id="rp1", planned_qty=2.0, description="灯")) == []
    assert li.push(row("acceptance", "a1", project_id="rp1", conclusion="pass", certificate_serial="")) == []
    assert set_status(li, "accepted") == []
    # Settled: items, project fields and the acceptance keep their values, for every role.
    assert wang.push([ch("renovationitem", "i1", "planned_qty", 5.0)]) == [("planned_qty", "settled")]
    assert li.push([ch("renovationitem", "i1", "planned_qty", 5.0)]) == [("planned_qty", "settled")]
    assert li.push([ch("acceptance", "a1", "conclusion", "fail")]) == [("conclusion", "settled")]
    assert wang.push([ch("renovationproject", "rp1", "budget", 1.0)]) == [("budget", "settled")]
    # Issuing the certificate afterwards fills what was empty and adds a new row.
    assert li.push([ch("acceptance", "a1", "certificate_serial", "HV-1")]) == []
    cert = row(
        "certificate", "c1", serial="HV-1", acceptance_id="a1", project_id="rp1", verification_code="X"
    )
    assert li.push(cert) == []
    assert li.push([ch("certificate", "c1", "verification_code", "Y")]) == [("verification_code", "settled")]
    # Tombstones of records with legal weight.
    assert wang.push([ch("renovationproject", "rp1", "deleted", True)]) == [
        ("deleted", "tombstone_forbidden")
    ]
    assert li.push([ch("acceptance", "a1", "deleted", True)]) == [("deleted", "tombstone_forbidden")]
    assert set_status(li, "awaiting_acceptance") == [("status", "settled")]
    # The supervisor reopens; the reopening is in the audit log; then the item can change.
    assert set_status(zhao, "rectifying") == []
    with Session(live_server.engine) as s:
        [entry] = s.exec(select(AuditLog).where(AuditLog.action == "reopen_project")).all()
    assert (entry.actor, entry.row_id, entry.detail["from"], entry.detail["to"]) == (
        "zhao",
        "rp1",
        "accepted",
        "rectifying",
    )
    assert li.push([ch("renovationitem", "i1", "planned_qty", 5.0)]) == []
    assert stored(live_server, "renovationitem", "i1")["planned_qty"] == 5.0


def test_authors_come_from_the_token_and_events_are_not_rewritten(live_server, people):
    wang, li = people["worker"], people["acceptor"]
    household(wang)
    assert project(wang) == []
    assert wang.push(row("visit", "v1", household_id="h1", worker="somebody")) == [
        ("worker", "actor_mismatch")
    ]
    assert (
        wang.push(row("projectevent", "e1", project_id="rp1", to_status="applied", actor="wang", note="新建"))
        == []
    )
    assert li.push([ch("projectevent", "e1", "actor", "li")]) == [("actor", "bad_transition")]
    assert wang.push([ch("projectevent", "e1", "actor", "zhang")]) == [("actor", "actor_mismatch")]
    assert wang.push([ch("projectevent", "e1", "note", "改写")]) == [("note", "bad_transition")]
    assert wang.push([ch("projectevent", "e1", "deleted", True)]) == [("deleted", "tombstone_forbidden")]
    assert stored(live_server, "projectevent", "e1")["actor"] == "wang"
    # A project still at its application may be withdrawn by the caseworker.
    assert wang.push([ch("renovationproject", "rp1", "deleted", True)]) == []
