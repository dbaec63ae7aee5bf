"""The console's audit page lists the laptops' own audit events, by device, with broken seals marked."""

from __future__ import annotations

import requests

from app.contract.audit_chain import link
from tests.server.console.conftest import sign_in
from tests.server.console.test_screens import _laptop, _shoot


def _upload(
    server, headers: dict, device: str, acts: list[tuple[str, str, str]], *, break_at: int = 0
) -> dict:
    """Seal ``acts`` (action, tbl, row_id) as the laptop would and upload them; ``break_at``: edit that one."""
    events, previous = [], device
    for seq, (action, tbl, row_id) in enumerate(acts, start=1):
        ev = {"seq": seq, "at": f"2026-12-01T08:0{seq}:00Z", "actor": "zhang", "action": action, "tbl": tbl}
        ev |= {"row_id": row_id, "detail": ""}
        previous = link(
            previous,
            device,
            tuple(ev[f] for f in ("seq", "at", "actor", "action", "tbl", "row_id", "detail")),
        )
        events.append({**ev, "hash": previous, "detail": "edited" if seq == break_at else ""})
    r = requests.post(f"{server.url}/api/v1/sync/audit", json={"events": events}, headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def test_laptop_events_by_device_with_broken_seals(console, page, shots):
    console.create_user("boss", "secret123", role="admin", regions=("3308",))
    console.create_user("zhang", "secret123", role="worker", regions=("330802001",))
    acts = [
        ("login", "user", ""),
        ("read", "person", "p-1"),
        ("unmask", "person", "p-1"),
        ("export", "certificate", ""),
    ]
    assert _upload(console, _laptop(console, "zhang", "lapA"), "lapA", acts)["chain_ok"] is True
    answer = _upload(console, _laptop(console, "zhang", "lapB"), "lapB", acts[:3], break_at=2)
    assert answer["chain_ok"] is False and answer["broken_seqs"] == [2]

    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/audit?source=device")
    assert page.locator("#device_audit tbody tr").count() == 7
    _shoot(page, shots, "audit-device-zh")
    page.goto(f"{console.url}/console/audit?source=device&device=lapA")
    assert page.locator("#device_audit tbody tr").count() == 4
    page.goto(f"{console.url}/console/audit?source=device&broken=1&lang=en")
    rows = page.locator("#device_audit tbody tr")
    assert (
        rows.count() == 1 and "lapB" in rows.first.inner_text() and "Check failed" in rows.first.inner_text()
    )
    page.goto(f"{console.url}/console/audit?source=device&lang=en")
    _shoot(page, shots, "audit-device-en")
    # the account audit log names the device whose chain broke
    page.goto(f"{console.url}/console/audit?action=audit_chain_broken&lang=zh")
    assert "lapB" in page.locator("#audit tbody").inner_text()
