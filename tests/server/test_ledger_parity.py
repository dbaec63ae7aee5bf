"""One definition per ledger: a laptop's ledgers and the server's, after a sync, are the same rows."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.contract.ledger.definitions import Scope
from app.services.demo_projects import seed_demo_projects
from app.services.ledger import build_ledger
from app.services.seed import seed_store
from app.store.models import FormResponse, Household, Visit
from app.store.store import Store
from server import seq
from server.console.ledger_sources import SERVER_KINDS, server_ledger
from server.core.config import RESOURCES_DIR
from server.models import Record, ServerUser
from tests.helpers.live_fixtures import BACKENDS, logged_in
from tests.services.test_ledger import _device_needs


@pytest.fixture(scope="module", params=BACKENDS)
def synced(request, _servers, tmp_path_factory):
    """A laptop's seeded profile synced to an emptied server, once per backend: the tests only read it."""
    live_server = _servers(request.param)
    live_server.reset()
    live_server.create_user("boss", role="admin", regions=("3308",))
    store = Store(tmp_path_factory.mktemp("ledger-parity") / "clerk")
    client = logged_in(live_server, store, "clerk", "boss")
    seed_store(client.store, 60, seed=11)
    assert seed_demo_projects(client.store, actor="boss", seed=11) > 0  # every kind in every status
    with client.store.unit_of_work("boss") as uow:  # device needs: superseded, draft, tombstoned forms
        household = uow.session.exec(select(Household).where(Household.deleted == False)).first()  # noqa: E712
        _device_needs(uow, household.id)
    with client.store.unit_of_work("boss") as uow:
        # The helper leaves the forms' region empty (the laptop does not need it; the server refuses a
        # row without one): give each its visit's, as the visit service does.
        for form in uow.session.exec(select(FormResponse).where(FormResponse.region_code == "")).all():
            uow.update(form, region_code=uow.get(Visit, form.visit_id).region_code)
    report = client.sync()
    assert report.pushed > 0
    with Session(live_server.engine) as s:
        user = s.exec(select(ServerUser).where(ServerUser.username == "boss")).one()
    _wait_until_final(live_server.engine)
    yield live_server, client, user
    store.close()


def _wait_until_final(engine) -> None:
    """On PostgreSQL a row is shown once no older transaction still runs (``server.seq.visible``)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with Session(engine) as s:
            total = s.exec(select(func.count()).select_from(Record)).one()
            final = s.exec(select(func.count()).select_from(Record).where(*seq.visible(s))).one()
        if final == total:
            return
        time.sleep(0.2)
    raise AssertionError(f"{total - final} records still not final")


@pytest.mark.parametrize("kind", [k.value for k in SERVER_KINDS])
def test_laptop_and_server_file_the_same_rows(synced, kind):
    live_server, client, user = synced
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
