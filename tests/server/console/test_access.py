"""Sign-in, sign-out, cookies, throttling, CSRF and the role rules, in a real browser."""

from __future__ import annotations

import requests
from sqlmodel import Session, select

from server.models import AuditLog, ServerUser
from tests.server.console.conftest import PASSWORD, sign_in, submit


def test_sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_it(console, page):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    page.goto(f"{console.url}/console/people")
    assert "/console/login" in page.url  # not signed in: sent to the sign-in page, and back after
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", "wrong-one")
    submit(page, "button[type=submit]")
    assert page.locator(".error").inner_text() == "用户名或密码错误"
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", PASSWORD)
    submit(page, "button[type=submit]")
    assert page.url.endswith("/console/people")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "hv_console"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert not cookie["secure"]  # plain http on loopback only: the one case without Secure
    assert page.evaluate("document.cookie").find("hv_console") == -1
    submit(page, "text=退出")
    assert "/console/login" in page.url
    page.goto(f"{console.url}/console/people")
    assert "/console/login" in page.url
    with Session(console.engine) as s:
        actions = [a.action for a in s.exec(select(AuditLog).order_by(AuditLog.id)) if a.actor == "boss"]
    assert actions == ["console_sign_in", "console_sign_out"]


def test_english_by_query_or_browser_language(console, page):
    page.goto(f"{console.url}/console/login?lang=en")
    assert page.locator("button[type=submit]").inner_text() == "Sign in"
    page.goto(f"{console.url}/console/login")  # remembered
    assert page.locator("button[type=submit]").inner_text() == "Sign in"
    answer = requests.get(f"{console.url}/console/login", headers={"Accept-Language": "en-US,en"}, timeout=10)
    assert "Sign in" in answer.text
    answer = requests.get(f"{console.url}/console/login", headers={"Accept-Language": "zh-CN"}, timeout=10)
    assert "登录" in answer.text and "Sign in" not in answer.text


def test_failed_sign_ins_are_throttled(console, page):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    for _ in range(5):
        sign_in(page, console, "boss", "wrong-one")
        assert "用户名或密码错误" in page.content()
    sign_in(page, console, "boss", PASSWORD)  # even the right password waits now
    assert "登录尝试过多" in page.locator(".error").inner_text()
    assert "/console/login" in page.url


def _csrf(page) -> str:
    return page.locator("input[name=csrf]").first.get_attribute("value")


def test_a_form_without_the_sessions_token_is_refused(console, page):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/people")
    page.fill("#new-user input[name=username]", "forged")
    page.fill("#new-user input[name=regions]", "330802")
    page.fill("#new-user input[name=password]", "secret123")
    page.evaluate("document.querySelector('#new-user input[name=csrf]').value = 'not-the-token'")
    submit(page, "#new-user button[type=submit]")
    assert "页面已过期" in page.locator(".error").inner_text()
    # A cross-site form carries the cookie only with SameSite=None; even so it would lack the token.
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    answer = requests.post(
        f"{console.url}/console/people",
        data={"username": "forged", "regions": "330802", "password": "secret123", "role": "admin"},
        cookies=cookies,
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 403
    # The sign-in form is protected too (double-submit token).
    answer = requests.post(
        f"{console.url}/console/login", data={"username": "boss", "password": PASSWORD}, timeout=10
    )
    assert answer.status_code == 403
    with Session(console.engine) as s:
        assert s.exec(select(ServerUser).where(ServerUser.username == "forged")).first() is None


ADMIN_PAGES = [
    "/console/people",
    "/console/people/boss",
    "/console/review",
    "/console/review/some-visit",
    "/console/conflicts",
    "/console/history",
    "/console/audit",
    "/console/uploads",
]
ADMIN_FORMS = [
    ("/console/people", {"username": "evil", "role": "admin", "regions": "33", "password": "secret123"}),
    ("/console/people/boss/role", {"role": "worker", "regions": "330802"}),
    ("/console/people/boss/active", {"active": "0"}),
    ("/console/people/boss/reset", {}),
    ("/console/people/boss/devices/d1/revoke", {}),
    ("/console/review/some-visit", {"decision": "approved", "comment": ""}),
    ("/console/conflicts/1", {"pick": "other"}),
    ("/console/uploads/roster/confirm", {"token": "A" * 32}),
]


def test_a_worker_is_refused_at_every_admin_page(console, page):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("zhang", PASSWORD, role="worker", regions=("330802001",))
    sign_in(page, console, "zhang")
    assert page.url.endswith("/console/dashboard")
    assert "人员与设备" not in page.locator("nav.side").inner_text()
    for path in ADMIN_PAGES:
        answer = page.goto(console.url + path)
        assert answer.status == 403, path
        assert "无权" in page.locator(".error").inner_text()
    page.goto(f"{console.url}/console/dashboard")
    token = _csrf(page)
    for path, form in ADMIN_FORMS:
        answer = page.request.post(console.url + path, form={**form, "csrf": token}, max_redirects=0)
        assert answer.status == 403, path
    # Figures of the own area only: a wider region is refused, the own one shown.
    assert page.goto(f"{console.url}/console/dashboard?region=3308").status == 403
    assert page.goto(f"{console.url}/console/records?what=persons&region=330802").status == 403
    assert page.goto(f"{console.url}/console/dashboard?region=330802001").status == 200
    with Session(console.engine) as s:
        boss = s.exec(select(ServerUser).where(ServerUser.username == "boss")).one()
        assert boss.role == "admin" and boss.active
        assert s.exec(select(ServerUser).where(ServerUser.username == "evil")).first() is None
