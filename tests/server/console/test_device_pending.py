"""A laptop's pending changes on the console (issue 17): reported with each push and pull, shown per device.

A real laptop client with unsynced records syncs part of them (cancelled after one push
batch) through the live server; the person's page in the browser shows what is still
waiting on that laptop and when it was reported, then 0 after a full sync.
"""

from __future__ import annotations

import requests
from sqlmodel import Session

from app.contract import protocol as p
from app.services.registry import RegistryService
from app.store.writer import pending_change_count
from app.sync.client import SyncClient
from server.models import Device
from tests.helpers.profiles import household_data, person_data
from tests.server.console.conftest import PASSWORD, sign_in


def test_a_laptops_pending_changes_are_shown_with_when_reported(console, page, make_profile, shots):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("alice", PASSWORD, role="worker", regions=("330802",))
    store = make_profile("laptop")
    laptop = SyncClient(store, console.url, batch_size=5)
    laptop.login("alice", PASSWORD, device_name="笔记本-柯城01")
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/people/alice")
    row = page.locator(f"tr[data-device='{store.device_id}']")
    assert row.locator(".pending").inner_text() == "未报告"  # logged in, never synced

    registry = RegistryService(store)
    household = registry.save_household("alice", household_data())
    registry.save_person("alice", household.id, person_data())
    before = pending_change_count(store.engine)
    assert before > 5
    batches: list[int] = []
    report = laptop.sync(
        progress=lambda stage, done, _total: batches.append(done) if stage == "push" else None,
        cancelled=lambda: len(batches) >= 1,  # one batch up, then the worker closes the lid
    )
    assert report.cancelled and report.pushed == 5
    left = pending_change_count(store.engine)
    assert left == before - 5
    page.goto(f"{console.url}/console/people/alice")
    cell = row.locator(".pending").inner_text()
    assert f"待上传 {left} 项" in cell and "报告" in cell, cell
    assert row.locator(".reported-at").inner_text().startswith("20")
    page.screenshot(path=str(shots / "person-devices-pending-zh.png"))
    page.goto(f"{console.url}/console/people/alice?lang=en")
    assert f"{left} pending" in row.locator(".pending").inner_text()
    page.screenshot(path=str(shots / "person-devices-pending-en.png"))

    assert not laptop.sync().cancelled  # the rest goes up; the pull reports what is left: nothing
    assert pending_change_count(store.engine) == 0
    page.goto(f"{console.url}/console/people/alice?lang=zh")
    assert "待上传 0 项" in row.locator(".pending").inner_text()

    # An older client sends no counts, and nonsense is ignored: the last report stays.
    token = laptop.transport.token
    for headers in ({}, {p.PENDING_HEADER: "-3"}, {p.PENDING_HEADER: "abc"}, {p.PENDING_HEADER: "1e9"}):
        answer = requests.get(
            f"{console.url}/api/v1/sync/pull",
            params={"since": 0, "limit": 1},
            headers={
                "Authorization": f"Bearer {token}",
                p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION),
                **headers,
            },
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
    with Session(console.engine) as s:
        device = s.get(Device, store.device_id)
        assert (device.pending_changes, device.quarantined_rows) == (0, 0) and device.state_reported_at
    laptop.store.close()
