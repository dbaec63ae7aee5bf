"""SYNC.md guarantee 5 and the role rules of server/permissions.py, on a live server (SQLite and PostgreSQL).

A device never receives a row outside its user's regions and cannot write one;
a role writes only the tables its work needs. Refused changes come back
``out_of_scope`` or ``forbidden`` with a Chinese message, and the laptop keeps
them (``RejectedChange``) for the user to see.
"""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, select

from app.contract.schema import TABLES
from app.store import models, table_registry
from app.store.sync_state import StateKey
from app.sync import service
from server import permissions
from server.models import Record

KECHENG = "330802001001"
QUJIANG = "330803001001"
JIANGSHAN = "330881001001"

# One new row per table, parents first, with the fields the push needs (the rest take defaults).
ROWS: dict[str, dict[str, object]] = {
    "household": {"address": "信安街道 1号", "phone": "13905701234"},
    "person": {"household_id": "@household", "name": "王芳", "id_number": "11010519491231002X"},
    "visit": {"household_id": "@household", "worker": "alice"},
    "formresponse": {"visit_id": "@visit", "form_id": "needs_assessment", "form_version": 1},
    "attachment": {"media_type": "image/jpeg", "size": 3},
    "attachmentlink": {"owner_tbl": "visit", "owner_id": "@visit", "role": "photo", "sha256": "@attachment"},
    "renovationproject": {"household_id": "@household", "kind": "accessibility", "title": "坡道"},
    "renovationitem": {"project_id": "@renovationproject", "description": "扶手", "planned_qty": 2.0},
    "projectevent": {"project_id": "@renovationproject", "to_status": "applied", "actor": "alice"},
    "acceptance": {"project_id": "@renovationproject", "round": 1, "conclusion": "pass"},
    "certificate": {
        "serial": "CERT-9",
        "acceptance_id": "@acceptance",
        "project_id": "@renovationproject",
        "verification_code": "ABCDEFGHJK12",
    },
    "needitem": {
        "household_id": "@household",
        "need_type": "device",
        "detail": "普通轮椅",
        "status": "pending",
    },
    "visitreview": {
        "visit_id": "@visit",
        "decision": "returned",
        "comment": "请补拍照片",
        "reviewer": "alice",
    },
}
EXPECTED = {
    "worker": {
        "household",
        "person",
        "visit",
        "formresponse",
        "attachment",
        "attachmentlink",
        "renovationproject",
        "renovationitem",
        "projectevent",
        "needitem",
    },
    "acceptor": {
        "renovationproject",
        "renovationitem",
        "projectevent",
        "acceptance",
        "certificate",
        "attachment",
        "attachmentlink",
        "needitem",
    },
    "supervisor": set(TABLES),
    "admin": set(TABLES),
}


def add_rows(store, tables=tuple(TABLES), region=KECHENG, actor="u") -> dict[str, str]:
    """One row of each of ``tables`` (and the parents they name), in one unit of work; ``{tbl: id}``."""
    needed = set(tables)
    for tbl in reversed(list(ROWS)):  # parents are listed before their children
        if tbl in needed:
            needed |= {v[1:] for v in ROWS[tbl].values() if isinstance(v, str) and v.startswith("@")}
    ids: dict[str, str] = {}
    user = store.get_state(StateKey.USERNAME) or "alice"  # the server takes authors from the token
    with store.unit_of_work(actor) as uow:
        for tbl in (t for t in ROWS if t in needed):
            values = {
                k: ids[v[1:]] if isinstance(v, str) and v.startswith("@") else v for k, v in ROWS[tbl].items()
            }
            values.update({k: user for k in ("worker", "actor", "reviewer") if k in values})
            if tbl == "attachment":
                values["id"] = store.files.put_bytes(uuid.uuid4().bytes)  # content-addressed: unique bytes
            if tbl == "certificate":
                values["serial"] = f"CERT-{uuid.uuid4().hex[:8]}"
            ids[tbl] = uow.add(table_registry.model_for(tbl)(region_code=region, **values)).id
    return {t: ids[t] for t in tables}


def server_rows(live_server) -> set[tuple[str, str]]:
    with Session(live_server.engine) as s:
        return {(r.tbl, r.row_id) for r in s.exec(select(Record))}


def test_rows_cover_every_synced_table():
    assert set(ROWS) == set(TABLES)


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_role_rules_table(role):
    assert {t for t in TABLES if permissions.may_write(role, t)} == EXPECTED[role]
    assert not permissions.may_write("nobody", "household")


@pytest.mark.parametrize("role", ["worker", "acceptor"])
def test_each_role_writes_only_its_tables(laptop, live_server, role):
    client = laptop("a", user=f"u_{role}", role=role)
    made = add_rows(client.store)
    report = client.sync()
    stored = server_rows(live_server)
    for tbl, row_id in made.items():
        assert ((tbl, row_id) in stored) == (tbl in EXPECTED[role]), tbl
    rejected = service.list_rejected(client.store)
    assert {r.tbl for r in rejected} == set(TABLES) - EXPECTED[role]
    assert {r.code for r in rejected} == {"forbidden"} and report.rejected == len(rejected)
    for r in rejected:
        assert "无权" in r.message and "联系管理员" in r.message
    # The refused rows stay on the laptop, visible, until someone acts on them.
    with client.store.session() as s:
        for tbl in set(TABLES) - EXPECTED[role]:
            assert s.get(table_registry.model_for(tbl), made[tbl]) is not None


def test_supervisor_writes_everything_in_region_but_nothing_outside(laptop, live_server):
    boss = laptop("a", user="boss", regions=("330802",), role="supervisor")
    inside = add_rows(boss.store)
    outside = add_rows(boss.store, ("acceptance",), region=QUJIANG)["acceptance"]
    boss.sync()
    stored = server_rows(live_server)
    assert set(inside.items()) <= stored
    assert ("acceptance", outside) not in stored
    rejected = service.list_rejected(boss.store)
    assert {r.code for r in rejected} == {"out_of_scope"} and all("地区" in r.message for r in rejected)
    assert outside in {r.row_id for r in rejected}


def test_worker_cannot_edit_an_acceptance_written_by_the_acceptor(laptop, live_server):
    team = laptop("team", user="yanshou", role="acceptor")
    acc_id = add_rows(team.store, ("acceptance",))["acceptance"]
    team.sync()
    worker = laptop("w", user="alice")
    worker.sync()
    with worker.store.unit_of_work("alice") as uow:
        uow.update(uow.get(models.Acceptance, acc_id), opinion="改为合格")
    worker.sync()
    [r] = service.list_rejected(worker.store)
    assert (r.tbl, r.field, r.code) == ("acceptance", "opinion", "forbidden")
    with Session(live_server.engine) as s:
        rec = s.exec(select(Record).where(Record.row_id == acc_id)).one()
    assert rec.fields["opinion"][0] == ""


def test_pull_never_brings_a_row_of_another_region(laptop, live_server):
    boss = laptop("boss", user="boss", regions=("3308",), role="supervisor")
    for region in (KECHENG, QUJIANG, JIANGSHAN):
        add_rows(boss.store, ("household", "visit", "acceptance"), region=region)
    assert boss.sync().rejected == 0
    for name, user, regions, allowed in (
        ("k", "alice", ("330802",), (KECHENG,)),
        ("q", "qu", ("330803", "330881"), (QUJIANG, JIANGSHAN)),
        ("v", "village", (KECHENG,), (KECHENG,)),
    ):
        client = laptop(name, user=user, regions=regions)
        client.page_size = 2
        client.sync()
        with client.store.session() as s:
            seen = {
                (tbl, row.region_code)
                for tbl, model in table_registry.SYNCED_MODELS.items()
                for row in s.exec(select(model))
            }
        assert {region for _t, region in seen} == set(allowed), name
        assert len(seen) == 4 * len(allowed)  # household, visit, project, acceptance per region


def test_moving_a_row_to_another_region_is_refused_and_kept(laptop, live_server):
    a = laptop("a")
    h = add_rows(a.store, ("household",))["household"]
    a.sync()
    with a.store.unit_of_work("alice") as uow:
        uow.update(uow.get(models.Household, h), region_code=QUJIANG, phone="13900000009")
    a.sync()
    rejected = service.list_rejected(a.store)
    assert {(r.field, r.code) for r in rejected} == {
        ("region_code", "out_of_scope"),
        ("phone", "out_of_scope"),
    }
    with Session(live_server.engine) as s:
        rec = s.exec(select(Record).where(Record.row_id == h)).one()
    assert rec.region_code == KECHENG and rec.fields["phone"][0] == "13905701234"


def _project_status_on_server(live_server, project_id: str) -> str:
    with Session(live_server.engine) as s:
        rec = s.exec(select(Record).where(Record.row_id == project_id)).one()
    return rec.fields["status"][0]


def _set_status(client, project_id: str, status: str, actor: str) -> None:
    with client.store.unit_of_work(actor) as uow:
        uow.update(uow.get(table_registry.model_for("renovationproject"), project_id), status=status)


def test_worker_cannot_record_an_acceptance_outcome(laptop, live_server):
    worker = laptop("w", user="alice")
    project = add_rows(worker.store, ("renovationproject",))["renovationproject"]
    worker.sync()
    _set_status(worker, project, "accepted", "alice")
    worker.sync()
    [r] = service.list_rejected(worker.store)
    assert (r.tbl, r.field, r.code) == ("renovationproject", "status", "forbidden")
    assert "验收人员" in r.message
    assert _project_status_on_server(live_server, project) == "applied"


def test_worker_edit_made_offline_after_the_acceptance_does_not_undo_it(laptop, live_server):
    worker = laptop("w", user="alice")
    project = add_rows(worker.store, ("renovationproject",))["renovationproject"]
    worker.sync()
    team = laptop("team", user="yanshou", role="acceptor")
    team.sync()
    _set_status(team, project, "accepted", "yanshou")
    assert team.sync().rejected == 0
    # The worker, offline since before the acceptance, moves the project on later in time.
    _set_status(worker, project, "assessed", "alice")
    worker.sync()
    [r] = service.list_rejected(worker.store)
    assert (r.field, r.code) == ("status", "forbidden") and "验收合格" in r.message
    assert _project_status_on_server(live_server, project) == "accepted"
    # An accepted project is settled: its other fields change only after a supervisor reopens it.
    with worker.store.unit_of_work("alice") as uow:
        uow.update(uow.get(table_registry.model_for("renovationproject"), project), title="坡道和扶手")
    worker.sync()
    assert sorted(r.field for r in service.list_rejected(worker.store)) == ["status", "title"]
