"""People and devices: create a user, reset a password, revoke a laptop, all audited."""

from __future__ import annotations

import requests
from sqlmodel import Session, select

from app.contract import protocol as p
from server.models import AuditLog, Device, ServerUser
from tests.server.console.conftest import PASSWORD, sign_in, submit

HEADERS = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}


def _audit(server) -> list[tuple[str, str, str]]:
    with Session(server.engine) as s:
        return [(a.actor, a.action, a.target) for a in s.exec(select(AuditLog).order_by(AuditLog.id))]


def test_create_a_user_who_must_choose_a_password_at_first_sign_in(console, page):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/people")
    page.fill("#new-user input[name=username]", "lihua")
    page.fill("#new-user input[name=display_name]", "李华")
    page.select_option("#new-user select[name=role]", "supervisor")
    page.fill("#new-user input[name=regions]", "330802001 330802002")
    page.fill("#new-user input[name=password]", "first-pass")
    submit(page, "#new-user button[type=submit]")
    assert page.url.endswith("/console/people/lihua?message=%E7%94%A8%E6%88%B7%E5%B7%B2%E5%88%9B%E5%BB%BA")
    assert page.locator(".ok").inner_text() == "用户已创建"
    with Session(console.engine) as s:
        user = s.exec(select(ServerUser).where(ServerUser.username == "lihua")).one()
        assert (user.display_name, user.role, user.regions) == (
            "李华",
            "supervisor",
            ["330802001", "330802002"],
        )
    assert ("boss", "create_user", "lihua") in _audit(console)
    # The laptop can log in with it at once (the API knows nothing of the console's flag) ...
    answer = requests.post(
        f"{console.url}/api/v1/auth/login",
        json={"username": "lihua", "password": "first-pass", "device_name": "t"},
        headers=HEADERS,
        timeout=10,
    )
    assert answer.status_code == 200
    # ... and the console asks for a new password before anything else.
    submit(page, "text=退出")
    sign_in(page, console, "lihua", "first-pass")
    assert page.url.endswith("/console/password")
    page.goto(f"{console.url}/console/review")
    assert page.url.endswith("/console/password")
    page.fill("input[name=password]", "my-own-pass")
    page.fill("input[name=again]", "my-own-pass")
    submit(page, "main button[type=submit]")
    assert "密码已修改" in page.locator(".ok").inner_text()
    page.goto(f"{console.url}/console/review")
    assert page.url.endswith("/console/review")


def test_bad_input_changes_nothing(console, page):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/people")
    page.fill("#new-user input[name=username]", "boss")  # taken
    page.fill("#new-user input[name=regions]", "330802")
    page.fill("#new-user input[name=password]", "secret123")
    submit(page, "#new-user button[type=submit]")
    assert "已存在" in page.locator(".error").inner_text()
    page.fill("#new-user input[name=username]", "newone")
    page.fill("#new-user input[name=regions]", "33x")
    page.fill("#new-user input[name=password]", "secret123")
    submit(page, "#new-user button[type=submit]")
    assert page.locator(".error").count() == 1
    with Session(console.engine) as s:
        assert [u.username for u in s.exec(select(ServerUser))] == ["boss"]


def test_reset_password_is_one_time(console, page):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("zhang", PASSWORD, role="supervisor", regions=("330802",))
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/people/zhang")
    submit(page, "#reset")
    secret = page.locator("#one-time").inner_text()
    assert len(secret) == 10
    assert ("boss", "reset_password", "zhang") in _audit(console)
    submit(page, "text=退出")
    sign_in(page, console, "zhang", PASSWORD)  # the old password is gone
    assert "用户名或密码错误" in page.content()
    sign_in(page, console, "zhang", secret)
    assert page.url.endswith("/console/password")
    page.fill("input[name=password]", "changed-1")
    page.fill("input[name=again]", "changed-1")
    submit(page, "main button[type=submit]")
    submit(page, "text=退出")
    sign_in(page, console, "zhang", secret)  # one time only
    assert "用户名或密码错误" in page.content()


def test_revoke_a_laptop(console, page):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("zhang", PASSWORD, role="worker", regions=("330802",))
    login = requests.post(
        f"{console.url}/api/v1/auth/login",
        json={
            "username": "zhang",
            "password": PASSWORD,
            "device_name": "笔记本-柯城01",
            "device_id": "laptop01",
        },
        headers=HEADERS,
        timeout=10,
    ).json()
    me = {**HEADERS, "Authorization": f"Bearer {login['token']}"}
    assert requests.get(f"{console.url}/api/v1/auth/me", headers=me, timeout=10).status_code == 200
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/people/zhang")
    row = page.locator("tr[data-device=laptop01]")
    assert "笔记本-柯城01" in row.inner_text() and "有效" in row.inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    row.locator("button", has_text="注销设备").click()
    page.wait_for_url("**/console/people/zhang?message=*")
    assert page.locator(".ok").inner_text() == "设备已注销"
    assert "已注销" in page.locator("tr[data-device=laptop01]").inner_text()
    answer = requests.get(f"{console.url}/api/v1/auth/me", headers=me, timeout=10)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == p.DEVICE_REVOKED
    with Session(console.engine) as s:
        (event,) = s.exec(select(AuditLog).where(AuditLog.action == "revoke_device"))
        assert s.get(Device, "laptop01").revoked_at is not None
    assert (event.actor, event.device_id, event.detail) == ("boss", "laptop01", {"revoked_tokens": 1})
    # A lost laptop cannot simply log in again.
    again = requests.post(
        f"{console.url}/api/v1/auth/login",
        json={"username": "zhang", "password": PASSWORD, "device_name": "x", "device_id": "laptop01"},
        headers=HEADERS,
        timeout=10,
    )
    assert again.status_code in (401, 403)


def test_deactivate_signs_the_user_out_everywhere(console, page):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("zhang", PASSWORD, role="worker", regions=("330802",))
    login = requests.post(
        f"{console.url}/api/v1/auth/login",
        json={"username": "zhang", "password": PASSWORD, "device_name": "x"},
        headers=HEADERS,
        timeout=10,
    ).json()
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/people/zhang")
    submit(page, "#toggle-active")
    assert page.locator(".ok").inner_text() == "用户已停用"
    me = {**HEADERS, "Authorization": f"Bearer {login['token']}"}
    assert requests.get(f"{console.url}/api/v1/auth/me", headers=me, timeout=10).status_code == 401
    submit(page, "#toggle-active")
    assert page.locator(".ok").inner_text() == "用户已启用"
    assert [a for _, a, t in _audit(console) if t == "zhang"][-2:] == ["deactivate", "reactivate"]
