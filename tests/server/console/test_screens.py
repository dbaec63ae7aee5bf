"""Every console page at 1366×768, seeded, saved as a PNG (``CONSOLE_SCREENSHOTS=DIR`` keeps them).

Besides the pictures, each page is checked for what breaks a layout: no sideways
scrolling at 1366 px, and no server error.
"""

from __future__ import annotations

import uuid

import requests
from sqlmodel import Session, select

from app.contract import protocol as p
from app.contract.hlc import HybridLogicalClock
from server.models import Record
from server.seed import seed
from tests.server.console.conftest import PASSWORD, sign_in, submit

HEADERS = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}


def _laptop(server, username: str, device_id: str) -> dict[str, str]:
    login = requests.post(
        f"{server.url}/api/v1/auth/login",
        json={
            "username": username,
            "password": PASSWORD,
            "device_name": f"笔记本-{device_id}",
            "device_id": device_id,
        },
        headers=HEADERS,
        timeout=10,
    ).json()
    return {**HEADERS, "Authorization": f"Bearer {login['token']}"}


def _conflict(server, auth_a: dict, auth_b: dict) -> None:
    """Two laptops change one household's phone without seeing each other's edit."""
    with Session(server.engine) as s:
        household = s.exec(
            select(Record).where(Record.tbl == "household", Record.region_code.startswith("330802001"))
        ).first()
    for auth, device, phone in ((auth_a, "lapA", "13800000001"), (auth_b, "lapB", "13900000002")):
        change = {
            "tbl": "household",
            "row_id": household.row_id,
            "field": "phone",
            "value": phone,
            "hlc": HybridLogicalClock(device).tick(),
            "base_hlc": household.fields["phone"][1],
        }
        answer = requests.post(
            f"{server.url}/api/v1/sync/push",
            json={"batch_id": uuid.uuid4().hex, "changes": [change]},
            headers=auth,
            timeout=10,
        ).json()
        assert answer["applied"] == 1, answer


def _shoot(page, shots, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366, name
    page.screenshot(path=str(shots / f"{name}.png"))


def test_every_page_at_1366x768(console, page, shots):
    seed(console.engine, 400, 11, ["330802"])
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("zhang", PASSWORD, role="worker", regions=("330802001",))
    console.create_user("wang", PASSWORD, role="worker", regions=("330802001",))
    _conflict(console, _laptop(console, "boss", "lapA"), _laptop(console, "zhang", "lapB"))
    page.goto(f"{console.url}/console/login")
    _shoot(page, shots, "01-login")
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/dashboard?region=330802")
    page.wait_for_selector("#chart-coverage canvas")
    _shoot(page, shots, "02-dashboard-county")
    page.goto(f"{console.url}/console/dashboard?region=330802001")
    page.wait_for_selector("#chart-coverage canvas")
    _shoot(page, shots, "03-dashboard-township")
    page.goto(f"{console.url}/console/dashboard?region=330802&lang=en")
    page.wait_for_selector("#chart-coverage canvas")
    _shoot(page, shots, "04-dashboard-english")
    page.goto(f"{console.url}/console/records?what=persons&region=330802001&lang=zh")
    _shoot(page, shots, "05-records")
    page.goto(f"{console.url}/console/people")
    _shoot(page, shots, "06-people")
    page.goto(f"{console.url}/console/people/zhang")
    submit(page, "#reset")
    _shoot(page, shots, "07-person-reset")
    page.goto(f"{console.url}/console/review")
    _shoot(page, shots, "08-review-list")
    with page.expect_navigation():
        page.locator("#visits tbody tr a").first.click()
    _shoot(page, shots, "09-visit")
    page.fill("#review-form textarea", "请补充家庭人口数")
    submit(page, "#review-form button[value=returned]")
    page.goto(f"{console.url}/console/audit")
    _shoot(page, shots, "10-audit")
    page.goto(f"{console.url}/console/conflicts")
    assert page.locator("#conflicts tbody tr[data-conflict]").count() == 1
    _shoot(page, shots, "11-conflicts")
    page.goto(f"{console.url}/console/conflicts?lang=en")
    _shoot(page, shots, "11-conflicts-english")
    page.goto(f"{console.url}/console/review?state=returned")
    _shoot(page, shots, "08b-review-returned-english")
    with page.expect_navigation():
        page.locator("#visits tbody tr a").first.click()
    _shoot(page, shots, "09b-visit-returned-english")
    page.goto(f"{console.url}/console/uploads")
    _shoot(page, shots, "15-uploads-english")
    page.goto(f"{console.url}/console/uploads?lang=zh")
    _shoot(page, shots, "15-uploads")
    page.goto(f"{console.url}/console/history?tbl=household&user=zhang")
    assert page.locator("#history tbody tr td code").count() >= 2  # the device and the record
    page.goto(f"{console.url}/console/history")
    _shoot(page, shots, "11b-history")
    page.goto(f"{console.url}/console/password")
    _shoot(page, shots, "12-password")
    submit(page, "text=退出")
    sign_in(page, console, "wang")
    page.wait_for_selector("#chart-coverage canvas")
    _shoot(page, shots, "13-worker-dashboard")
    page.goto(f"{console.url}/console/people")
    _shoot(page, shots, "14-worker-refused")
