"""Need alerts on the server: the laptop's rules over the synced records give the laptop's alerts.

A laptop profile is seeded (persons, households, completed visits with forms), synced
to the real server on a loopback port, and the alerts the server stores compared with
the laptop's ``AlertService`` for the same day, rule by rule and person by person; then
changes made on the laptop after that (a subsidy granted, a household's economy, an
answer, a visit removed, projects and an overdue need item) are synced and followed
incrementally. The card on the dashboard is checked in a real browser.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from app.domain.localtime import china_today
from app.services.alerts import AlertService
from app.services.demo_projects import seed_demo_projects
from app.services.seed import seed_store
from app.store.models import FormResponse, Household, NeedItem, Person, Visit
from server.console import alerts, facts, figures
from server.console.tables import ConsoleAlert
from server.models import ServerUser
from server.seed import seed
from tests.server.console.conftest import _CONSOLE_TABLES, PASSWORD, number, sign_in
from tests.server.test_ledger_parity import _wait_until_final

TODAY = china_today()
COUNTY = "330802"


def _clear_console(server) -> None:
    with server.engine.begin() as conn:
        for table in _CONSOLE_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def synced(laptop, live_server):
    _clear_console(live_server)
    client = laptop("clerk", user="boss", role="admin", regions=("3308",))
    seed_store(client.store, 80, seed=5, with_forms=True)
    assert client.sync().pushed > 0
    _wait_until_final(live_server.engine)
    return client


def _laptop_alerts(client) -> set[tuple[str, str]]:
    found = AlertService(client.store, today=TODAY).over_registry(include_handled=True)
    return {(a.person_id, a.alert.rule_id) for a in found}


def _server_alerts(server) -> set[tuple[str, str]]:
    facts.refresh(server.engine, today=TODAY)
    with Session(server.engine) as s:
        return {tuple(r) for r in s.execute(select(ConsoleAlert.person_id, ConsoleAlert.rule_id))}


def _sync(client, server) -> None:
    assert client.sync().pushed > 0
    _wait_until_final(server.engine)


def test_server_alerts_equal_the_laptops_and_follow_later_changes(live_server, synced):
    client = synced
    want = _laptop_alerts(client)
    assert len({rule for _, rule in want}) >= 8, Counter(rule for _, rule in want)
    assert _server_alerts(live_server) == want

    # The dashboard's counts by rule, for a supervisor of the city, are the same persons.
    with Session(live_server.engine) as s:
        user = s.exec(select(ServerUser).where(ServerUser.username == "boss")).one()
        assert figures.alert_counts(s, user, "3308") == Counter(rule for _, rule in want)
        persons = len({p for p, _ in want})
        assert figures.count(s, user, "3308", figures.alert_persons()) == persons  # the list behind it
        for rule, n in Counter(rule for _, rule in want).items():
            assert figures.count(s, user, "3308", figures.alert_persons(rule)) == n

    # Changes made on the laptop afterwards, synced: each kind of record a rule reads.
    by_rule: dict[str, list[str]] = {}
    for person, rule in sorted(want):
        by_rule.setdefault(rule, []).append(person)
    with client.store.unit_of_work("boss") as uow:
        for pid in by_rule.get("severe_without_care_subsidy", [])[:2]:
            uow.update(uow.get(Person, pid), has_care_subsidy=True)
        plain = uow.session.exec(
            select(Household).where(Household.economic_status == "general", Household.deleted == False)  # noqa: E712
        ).first()
        if plain is not None:
            uow.update(plain, economic_status="dibao")
        needs = uow.session.exec(
            select(FormResponse).where(
                FormResponse.form_id == "needs_assessment", FormResponse.status == "completed"
            )
        ).all()
        uow.set_map_value(needs[0], "answers", "living_arrangement", "alone")
        uow.set_map_value(needs[1], "answers", "family_doctor", False)
        uow.delete(uow.get(Visit, needs[2].visit_id))
        person = uow.get(Person, by_rule[sorted(by_rule)[0]][0])
        uow.add(
            NeedItem(
                household_id=person.household_id,
                person_id=person.id,
                region_code=person.region_code,
                need_type="device",
                opened_on=(TODAY - timedelta(days=90)).isoformat(),
                due_on=(TODAY - timedelta(days=30)).isoformat(),
            )
        )
    assert seed_demo_projects(client.store, actor="boss", seed=5) > 0
    _sync(client, live_server)
    later = _laptop_alerts(client)
    assert later != want  # the changes did change alerts
    assert _server_alerts(live_server) == later

    # A new day: every person is computed again for it (ages, due dates and service lives move on).
    tomorrow = TODAY + timedelta(days=400)
    rebuilt = alerts.rebuild(live_server.engine, tomorrow, facts._lock)
    with Session(live_server.engine) as s:
        stored = {tuple(r) for r in s.execute(select(ConsoleAlert.person_id, ConsoleAlert.rule_id))}
        assert alerts.built_day(s) == tomorrow.toordinal()
    expected = {
        (a.person_id, a.alert.rule_id)
        for a in AlertService(client.store, today=tomorrow).over_registry(include_handled=True)
    }
    assert stored == expected and rebuilt == len(expected)


def test_the_card_counts_by_rule_and_opens_the_persons_behind(console, page, shots):
    seed(console.engine, 150, 7, [COUNTY])
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/dashboard?region={COUNTY}")
    page.screenshot(path=str(shots / "dashboard-top-zh.png"))
    card = page.locator("#alerts-card")
    assert "未计入本机已处理标记" in card.locator("#alerts-note").inner_text()
    with Session(console.engine) as s:
        user = s.exec(select(ServerUser).where(ServerUser.username == "boss")).one()
        counts = figures.alert_counts(s, user, COUNTY)
    rows = card.locator("#alerts tbody tr")
    shown = {
        rows.nth(i).get_attribute("data-rule"): number(rows.nth(i).locator("td.num").inner_text())
        for i in range(rows.count())
    }
    assert shown == counts and len(counts) >= 3
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "dashboard-alerts-zh.png"))
    rule, n = max(counts.items(), key=lambda kv: kv[1])
    title = card.locator(f"tr[data-rule='{rule}'] td").first.inner_text()
    with page.expect_navigation():
        card.locator(f"tr[data-rule='{rule}'] td.num a").click()
    assert f"共 {n} 条" in page.locator("h1").inner_text()
    assert title in page.locator("#records-caption").inner_text()
    cells = page.locator("#records tbody tr").first.locator("td").all_inner_texts()
    assert any("*" in c for c in cells)  # the ID number masked, as in every list
    page.screenshot(path=str(shots / "alert-list-zh.png"))
    page.goto(f"{console.url}/console/dashboard?region={COUNTY}&lang=en")
    card = page.locator("#alerts-card")
    assert "Need alerts" in card.locator("h3").inner_text()
    assert "handled" in card.locator("#alerts-note").inner_text()
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "dashboard-alerts-en.png"))
