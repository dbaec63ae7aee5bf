"""A build too long to wait for (a first build, or the rebuild after an upgrade) runs in the
background while the dashboard, its lists and its CSV say how far it is; the figures come in
by themselves when it is done."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import Session

from server.console import alerts, facts
from server.seed import seed
from tests.server.console.conftest import PASSWORD, sign_in

COUNTY = "330802"


def test_a_long_build_shows_its_progress_then_the_figures(console, page, monkeypatch, shots):
    server = console
    seed(server.engine, 30, 2, [COUNTY])
    server.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    monkeypatch.setattr(facts, "WAIT_RECORDS", 10)  # this small county stands for a big one
    monkeypatch.setattr(facts, "WAIT_PERSONS", 5)
    dashboard = f"{server.url}/console/dashboard?region={COUNTY}"
    with facts._lock:  # the background build waits here, as it would behind a long read
        sign_in(page, server, "boss")
        page.goto(dashboard)
        expect(page.locator("#preparing h3")).to_have_text("统计数据正在准备中")
        expect(page.locator("#preparing")).to_contain_text("已读取记录 0 /")
        page.screenshot(path=str(shots / "dashboard-preparing.png"))
        csv = page.request.get(f"{server.url}/console/dashboard.csv?region={COUNTY}")
        assert csv.status == 503
        assert csv.headers["retry-after"] == "30"
        assert "统计数据正在准备中" in csv.text()
        listing = page.context.new_page()
        listing.goto(f"{server.url}/console/records?what=persons&region={COUNTY}")
        expect(listing.locator("#preparing")).to_be_visible()
        listing.close()
    # Released: the page's own poll brings the figures in, with no reload.
    expect(page.locator("#kpi-registered")).to_be_visible(timeout=30_000)
    facts.warm_up(server.engine).join()

    # The first alerts after the facts: the second step, counted in persons.
    with alerts._first_build, Session(server.engine) as s:
        alerts.forget(s)
        s.commit()
        page.goto(f"{dashboard}&lang=en")
        expect(page.locator("#preparing")).to_contain_text("Need alerts computed for 0 /")
        page.screenshot(path=str(shots / "dashboard-preparing-en.png"))
    expect(page.locator("#kpi-registered")).to_be_visible(timeout=30_000)
    facts.warm_up(server.engine).join()


def test_a_short_refresh_is_waited_for(console, page):
    """The usual case (a few records since the last view): the figures at once, never the notice."""
    server = console
    seed(server.engine, 5, 2, [COUNTY])
    server.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    assert facts.building(server.engine) is None
    sign_in(page, server, "boss")
    page.goto(f"{server.url}/console/dashboard?region={COUNTY}")
    expect(page.locator("#kpi-registered")).to_be_visible()
    assert page.locator("#preparing").count() == 0
