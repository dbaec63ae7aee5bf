"""Need alerts (需求预警) over person facts and the latest form answers."""

from __future__ import annotations

import pytest

from app.forms.alerts import build_alert_context, evaluate_alerts, load_alert_rules
from app.forms.errors import FormDefinitionError

BASE = {
    "level": "3",
    "category": "4",
    "age": 50,
    "economic_status": "general",
    "has_care_subsidy": False,
    "has_living_subsidy": False,
    "has_accessibility_project": False,
    "has_lighting_project": False,
    "has_dangerous_house_project": False,
    "today": "2026-11-01",
}


@pytest.fixture(scope="module")
def rules():
    return load_alert_rules()


def fired(rules, person=None, responses=None):
    context = build_alert_context({**BASE, **(person or {})}, responses or {})
    return {a.rule_id for a in evaluate_alerts(context, rules)}


def test_nothing_fires_for_a_plain_case(rules):
    assert fired(rules) == set()


@pytest.mark.parametrize(
    ("person", "responses", "rule"),
    [
        ({"level": "1"}, {}, "severe_without_care_subsidy"),
        ({"level": "2"}, {}, "severe_without_care_subsidy"),
        ({"economic_status": "dibao"}, {}, "poor_without_living_subsidy"),
        (
            {},
            {"housing_condition": {"house_type": "own_rural", "danger_assessed": True, "danger_grade": "D"}},
            "dangerous_house",
        ),
        (
            {},
            {"housing_survey": {"accessibility_items": ["WZA-01"]}},
            "accessibility_need_without_project",
        ),
        (
            {},
            {"needs_assessment": {"in_institution": False, "accessibility_needed": True}},
            "accessibility_need_without_project",
        ),
        ({}, {"housing_condition": {"lighting_need": True}}, "lighting_need_without_project"),
        (
            {},
            {
                "needs_assessment": {
                    "age": 50,
                    "category": "4",
                    "level": "3",
                    "rehab_needed": ["rehab_therapy"],
                }
            },
            "rehab_need",
        ),
        (
            {},
            {
                "assistive_devices": {
                    "has_need": True,
                    "devices": ["e1"],
                    "devices[e1].device": "D01",
                    "devices[e1].has_one": True,
                    "devices[e1].has_since": "2020-01-01",
                }
            },
            "device_past_service_life",
        ),
        (
            {},
            {"assistive_devices": {"has_need": True, "devices": ["e1"], "devices[e1].priority": "urgent"}},
            "urgent_device_need",
        ),
    ],
)
def test_rule_fires(rules, person, responses, rule):
    assert rule in fired(rules, person, responses)


@pytest.mark.parametrize(
    ("person", "responses", "rule"),
    [
        ({"level": "1", "has_care_subsidy": True}, {}, "severe_without_care_subsidy"),
        (
            {},
            {"housing_condition": {"house_type": "own_rural", "danger_assessed": True, "danger_grade": "B"}},
            "dangerous_house",
        ),
        (
            {"has_accessibility_project": True},
            {"housing_survey": {"accessibility_items": ["WZA-01"]}},
            "accessibility_need_without_project",
        ),
        # A device still inside its service life.
        (
            {},
            {
                "assistive_devices": {
                    "has_need": True,
                    "devices": ["e1"],
                    "devices[e1].device": "D01",
                    "devices[e1].has_one": True,
                    "devices[e1].has_since": "2025-01-01",
                }
            },
            "device_past_service_life",
        ),
        # Devices entered although "no need" was answered later do not count (not relevant).
        (
            {},
            {"assistive_devices": {"has_need": False, "devices": ["e1"], "devices[e1].priority": "urgent"}},
            "urgent_device_need",
        ),
    ],
)
def test_rule_does_not_fire(rules, person, responses, rule):
    assert rule not in fired(rules, person, responses)


def test_alerts_sorted_by_severity(rules):
    context = build_alert_context({**BASE, "level": "1", "economic_status": "dibao"}, {})
    severities = [a.severity for a in evaluate_alerts(context, rules)]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)


def test_unknown_name_in_rule_is_reported(tmp_path):
    path = tmp_path / "alerts.json"
    path.write_text(
        '{"rules": [{"id": "r1", "title": "测试", "severity": "high", "expression": "${housing_condition.grade} = \'C\'"}]}',
        encoding="utf-8",
    )
    with pytest.raises(FormDefinitionError) as info:
        load_alert_rules(path)
    assert info.value.question_id == "r1" and info.value.position == 0
