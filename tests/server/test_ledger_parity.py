"""One definition per ledger: a laptop's ledgers and the server's, after a sync, are the same rows."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.contract.ledger.definitions import Scope
from app.services.demo_projects import seed_demo_projects
from app.services.ledger import build_ledger
from app.services.seed import seed_store
from server.console.ledger_sources import SERVER_KINDS, server_ledger
from server.core.config import RESOURCES_DIR
from server.models import ServerUser


@pytest.fixture
def synced(laptop, live_server):
    client = laptop("clerk", user="boss", role="admin", regions=("3308",))
    seed_store(client.store, 60, seed=11)
    assert seed_demo_projects(client.store, actor="boss", seed=11) > 0  # every kind in every status
    report = client.sync()
    assert report.pushed > 0
    with Session(live_server.engine) as s:
        user = s.exec(select(ServerUser).where(ServerUser.username == "boss")).one()
    return client, user


@pytest.mark.parametrize("kind", [k.value for k in SERVER_KINDS])
def test_laptop_and_server_file_the_same_rows(live_server, synced, kind):
    client, user = synced
    scope = Scope("3308")
    laptop_ledger = build_ledger(client.store, kind, scope=scope)
    with Session(live_server.engine) as s:
        server = server_ledger(
            s, user, laptop_ledger.kind, scope, unmask=False, forms_dir=RESOURCES_DIR / "forms"
        )
    assert [c.header for c in server.columns] == [c.header for c in laptop_ledger.columns]
    assert laptop_ledger.rows, kind
    assert server.rows == laptop_ledger.rows
    assert server.scope == laptop_ledger.scope
