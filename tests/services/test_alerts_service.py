"""AlertService: need alerts for one person and over the registry."""

from __future__ import annotations

import json

from app.forms import definition as form_definitions
from app.services.alerts import AlertFilters, AlertService
from app.services.visits import TodoFilters
from app.store.models import RenovationProject
from tests.services.test_visits import TODAY, _todo_setup


def test_dangerous_house_alert_clears_with_project(store):
    visits, (h1, p1), (_h2, p2) = _todo_setup(store)
    alerts = AlertService(store, today=TODAY)
    assert "dangerous_house" in {a.rule_id for a in alerts.for_person(p1.id)}
    assert alerts.for_person(p2.id) == []
    with store.unit_of_work("zhangli") as uow:
        uow.add(RenovationProject(household_id=h1.id, person_id=p1.id, kind="dangerous_house"))
    assert "dangerous_house" not in {a.rule_id for a in alerts.for_person(p1.id)}
    # Other rules (e.g. a level-2 person never visited) may still fire; the to-do list follows them.
    still = {p for p in (p1.id, p2.id) if alerts.for_person(p)}
    assert {t.person_id for t in visits.todo_list("", TodoFilters(has_open_alerts=True))} == still
    assert all(a.rule_id != "dangerous_house" for a in alerts.over_registry(AlertFilters(severity="high")))


def test_alert_rules_file_titles(store):
    titles = dict(AlertService(store).rule_titles())
    rules = json.loads(form_definitions.RESOURCES.joinpath("alerts.json").read_text("utf-8"))["rules"]
    assert set(titles) == {r["id"] for r in rules}


def test_terminated_or_archived_project_does_not_clear_the_alert(store):
    _visits, (h1, p1), _ = _todo_setup(store)
    alerts = AlertService(store, today=TODAY)
    with store.unit_of_work("zhangli") as uow:
        uow.add(
            RenovationProject(
                household_id=h1.id, person_id=p1.id, kind="dangerous_house", status="terminated"
            )
        )
    assert "dangerous_house" in {a.rule_id for a in alerts.for_person(p1.id)}
    with store.unit_of_work("zhangli") as uow:
        uow.add(
            RenovationProject(household_id=h1.id, person_id=p1.id, kind="dangerous_house", status="archived")
        )
    assert "dangerous_house" in {a.rule_id for a in alerts.for_person(p1.id)}
    with store.unit_of_work("zhangli") as uow:
        uow.add(
            RenovationProject(household_id=h1.id, person_id=p1.id, kind="dangerous_house", status="planned")
        )
    assert "dangerous_house" not in {a.rule_id for a in alerts.for_person(p1.id)}
