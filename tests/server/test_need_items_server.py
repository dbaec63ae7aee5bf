"""Need items pushed by laptops: value rules and follow-up moves enforced by the server.

Real HTTP on SQLite and PostgreSQL (``live_server``); the rules are ``app.contract.values``
and ``app.contract.roles.may_move_need``.
"""

from __future__ import annotations

import requests

from tests.server.test_hostile_device import ch, clock, row, stored, token_for
from tests.server.test_workflow import Actor, household


def item(actor, status="pending", row_id="n1", **extra):
    fields = dict(
        household_id="h1",
        need_type="rehabilitation",
        detail="康复训练",
        status=status,
        opened_on="2026-11-02",
        due_on="2026-12-02",
    )
    fields.update(extra)
    return actor.push(row("needitem", row_id, **fields))


def _messages(actor, changes) -> list[dict]:
    mine = [{**c, "hlc": clock(actor.device, counter=i + 500)} for i, c in enumerate(changes)]
    r = requests.post(
        f"{actor.server.url}/api/v1/sync/push",
        json={"batch_id": f"b-{clock(actor.device)}", "changes": mine},
        headers=actor.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()["rejected"]


def test_invalid_need_values_are_refused_with_their_reason(live_server):
    wang = Actor(live_server, "wang", "worker")
    household(wang)
    assert item(wang, status="done") == [("status", "not_in_enum")]
    assert item(wang, row_id="n2", need_type="wish") == [("need_type", "not_in_enum")]
    assert item(wang, row_id="n3", due_on="2026-02-30") == [("due_on", "bad_date")]
    assert item(wang, row_id="n4", closed_kind="magic") == [("closed_kind", "not_in_enum")]
    rejected = _messages(wang, [ch("needitem", "n5", "status", "done")])
    assert rejected[0]["reason"] == "not_in_enum" and "不在可选范围内" in rejected[0]["message"]


def test_need_status_moves_along_the_follow_up_and_a_closed_item_stays_closed(live_server):
    wang = Actor(live_server, "wang", "worker")
    zhao = Actor(live_server, "zhao", "supervisor")
    household(wang)
    assert item(wang) == []
    assert wang.push([ch("needitem", "n1", "status", "referred")]) == []
    assert (
        wang.push([ch("needitem", "n1", "status", "closed"), ch("needitem", "n1", "closed_kind", "manual")])
        == []
    )
    assert wang.push([ch("needitem", "n1", "status", "in_progress")]) == [("status", "bad_transition")]
    rejected = _messages(wang, [ch("needitem", "n1", "status", "pending")])
    assert rejected[0]["reason"] == "bad_transition"
    assert "已办结" in rejected[0]["message"] and "服务器未接收" in rejected[0]["message"]
    assert stored(live_server, "needitem", "n1")["status"] == "closed"
    # The federation reopens it; an unknown move is still refused.
    assert zhao.push([ch("needitem", "n1", "status", "in_progress")]) == []
    assert stored(live_server, "needitem", "n1")["status"] == "in_progress"


def test_an_acceptor_closes_need_items_and_a_region_outsider_cannot_write_them(live_server):
    wang = Actor(live_server, "wang", "worker")
    li = Actor(live_server, "li", "acceptor")
    household(wang)
    assert item(wang) == []
    assert (
        li.push([ch("needitem", "n1", "status", "closed"), ch("needitem", "n1", "closed_kind", "acceptance")])
        == []
    )
    live_server.create_user("qian", role="worker", regions=("330803",))
    headers = token_for(live_server, "qian", "qiandev")
    r = requests.post(
        f"{live_server.url}/api/v1/sync/push",
        json={
            "batch_id": "batch-qian-1",
            "changes": [ch("needitem", "n9", "region_code", "330802001001", clock("qiandev"))],
        },
        headers=headers,
    )
    assert r.status_code == 200 and r.json()["rejected"], r.text
