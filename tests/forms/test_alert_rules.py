"""Each need-alert rule of resources/alerts.json (issue 16): it fires on its case and stays quiet otherwise.

The answers are what a worker's form holds (relevance applies: an answer the form would not ask
does not count); person facts are the registry's.
"""

from __future__ import annotations

import json

import pytest

from app.forms.alerts import ALERTS_FILE, build_alert_context, evaluate_alerts, load_alert_rules
from app.forms.errors import FormDefinitionError

BASE = {
    "level": "3",
    "category": "4",
    "age": 50,
    "economic_status": "general",
    "has_care_subsidy": True,
    "has_living_subsidy": False,
    "has_accessibility_project": False,
    "has_lighting_project": False,
    "has_dangerous_house_project": False,
    "has_clean_bright_project": False,
    "today": "2026-11-01",
}
NEEDS = {"collect_date": "2026-10-01", "family_doctor": True, "visit_outcome": "seen"}
ELECTRICAL = {"rooms": ["e1"], "rooms[e1].room_type": "electrical"}


@pytest.fixture(scope="module")
def rules():
    return load_alert_rules()


def fired(rules, person=None, needs=None, housing=None):
    responses = {"needs_assessment": {**NEEDS, **(needs or {})}}
    if housing is not None:
        responses["housing_condition"] = housing
    person = {**BASE, **(person or {})}
    responses["needs_assessment"].setdefault("age", person["age"])
    responses["needs_assessment"].setdefault("category", person["category"])
    responses["needs_assessment"].setdefault("level", person["level"])
    context = build_alert_context(person, responses)
    return {a.rule_id for a in evaluate_alerts(context, rules)}


CASES = [
    # (rule, person, needs answers, housing answers) that fire; the second list: near misses.
    ("poor_without_living_subsidy", {"economic_status": "dibian"}, {}, None),
    ("wiring_hazard", {}, {}, {**ELECTRICAL, "rooms[e1].wiring_state": "aged"}),
    ("wiring_hazard", {}, {}, {**ELECTRICAL, "rooms[e1].wiring_state": "conduit", "rooms[e1].has_rcd": False}),
    ("clean_bright_need_without_project", {}, {}, {"clean_bright_need": True}),
    ("certificate_expiring", {}, {"certificate_valid_until": "2026-12-15"}, None),
    ("child_without_rehab", {"age": 4}, {"rehab_received": False}, None),
    ("child_not_in_school", {"age": 9}, {"in_school": False}, None),
    ("care_needed_not_received", {"category": "5"}, {"care_needed": ["day"], "care_received": "none"}, None),
    ("wants_work_unemployed", {}, {"employed": False, "not_employed_reason": "no_skills", "wants_work": True}, None),
    ("psychosocial_without_free_medication", {"category": "6"}, {"free_medication": False}, None),
    ("psychosocial_without_guardian", {"category": "6"}, {"guardian_name": ""}, None),
    ("living_alone", {}, {"in_institution": False, "living_arrangement": "alone"}, None),
    ("elderly_carer", {}, {"in_institution": False, "main_carer": "parent", "carer_age": 72}, None),
    ("several_disabled_in_household", {}, {"other_disabled_members": 1}, None),
    ("uninsured", {}, {"social_security": ["living_subsidy"]}, None),
    ("without_premium_subsidy", {"level": "1"}, {"social_security": ["resident_medical", "care_subsidy"]}, None),
    ("no_family_doctor", {}, {"family_doctor": False}, None),
    ("priority_not_visited", {"level": "2"}, {"collect_date": "2026-01-10"}, None),
    ("house_needs_appraisal", {}, {}, {"danger_assessed": False, "danger_visible": ["wall_cracks"]}),
    ("house_needs_appraisal", {}, {}, {"danger_assessed": True, "danger_grade": "B"}),
    ("no_gas_alarm", {"category": "1"}, {}, {"rooms": ["k"], "rooms[k].room_type": "kitchen",
                                              "rooms[k].uses_gas": True, "rooms[k].gas_alarm": False}),
    ("visit_outcome_status", {}, {"visit_outcome": "lost_contact"}, None),
    ("need_item_overdue", {"overdue_need_items": 2}, {}, None),
]  # fmt: skip
QUIET = [
    ("poor_without_living_subsidy", {"economic_status": "dibian", "has_living_subsidy": True}, {}, None),
    ("wiring_hazard", {"has_lighting_project": True}, {}, {**ELECTRICAL, "rooms[e1].wiring_state": "aged"}),
    ("wiring_hazard", {}, {}, {**ELECTRICAL, "rooms[e1].wiring_state": "conduit", "rooms[e1].has_rcd": True,
                               "rooms[e1].rcd_trips": True}),
    ("clean_bright_need_without_project", {"has_clean_bright_project": True}, {}, {"clean_bright_need": True}),
    ("certificate_expiring", {}, {"certificate_valid_until": "2028-01-01"}, None),
    ("child_without_rehab", {"age": 8}, {"rehab_received": False}, None),
    ("child_not_in_school", {"age": 9}, {"in_school": True, "school_placement": "home_teaching"}, None),
    ("care_needed_not_received", {"category": "5"}, {"care_needed": ["none"], "care_received": "none"}, None),
    ("wants_work_unemployed", {}, {"employed": False, "not_employed_reason": "unable", "wants_work": True}, None),
    ("psychosocial_without_free_medication", {"category": "4"}, {"free_medication": False}, None),
    ("psychosocial_without_guardian", {"category": "6"}, {"guardian_name": "李华"}, None),
    ("living_alone", {}, {"in_institution": True, "living_arrangement": "alone"}, None),
    ("elderly_carer", {}, {"in_institution": False, "main_carer": "parent", "carer_age": 50}, None),
    ("several_disabled_in_household", {}, {"other_disabled_members": 0}, None),
    ("uninsured", {}, {"social_security": ["resident_medical"]}, None),
    ("without_premium_subsidy", {"level": "1"}, {"social_security": ["resident_medical", "premium_subsidy"]}, None),
    ("no_family_doctor", {}, {"family_doctor": True}, None),
    ("priority_not_visited", {"level": "3"}, {"collect_date": "2026-01-10"}, None),
    ("priority_not_visited", {"level": "1"}, {"collect_date": "2026-09-10"}, None),
    ("house_needs_appraisal", {}, {}, {"danger_assessed": False, "danger_visible": ["none"]}),
    ("no_gas_alarm", {"category": "4"}, {}, {"rooms": ["k"], "rooms[k].room_type": "kitchen",
                                              "rooms[k].uses_gas": True, "rooms[k].gas_alarm": False}),
    ("visit_outcome_status", {}, {"visit_outcome": "seen"}, None),
    ("need_item_overdue", {"overdue_need_items": 0}, {}, None),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "person", "needs", "housing"), CASES)
def test_rule_fires(rules, rule, person, needs, housing):
    assert rule in fired(rules, person, needs, housing)


@pytest.mark.parametrize(("rule", "person", "needs", "housing"), QUIET)
def test_rule_stays_quiet(rules, rule, person, needs, housing):
    assert rule not in fired(rules, person, needs, housing)


def test_every_rule_has_a_case():
    ids = {r["id"] for r in json.loads(ALERTS_FILE.read_text("utf-8"))["rules"]}
    old = {"device_past_service_life", "urgent_device_need", "severe_without_care_subsidy", "dangerous_house",
           "accessibility_need_without_project", "lighting_need_without_project", "rehab_need",
           "device_followup_due"}  # fmt: skip
    assert ids - old <= {c[0] for c in CASES} and ids - old <= {c[0] for c in QUIET}


@pytest.mark.parametrize(("followup", "fires"), [(None, True), ("2026-09-01", False)])
def test_device_follow_up_due(rules, followup, fires):
    devices = {"has_need": True, "devices": ["e1"], "devices[e1].device": "D01", "devices[e1].delivered": True,
               "devices[e1].delivered_on": "2026-06-01"}  # fmt: skip
    if followup:
        devices["devices[e1].followup_on"] = followup
    context = build_alert_context(BASE, {"assistive_devices": devices})
    assert ("device_followup_due" in {a.rule_id for a in evaluate_alerts(context, rules)}) is fires


def test_no_need_for_rehab_is_not_a_rehab_alert(rules):
    assert "rehab_need" not in fired(rules, {}, {"rehab_needed": ["none"]})
    assert "rehab_need" in fired(rules, {}, {"rehab_needed": ["rehab_therapy"]})


def test_parameters_are_substituted_and_checked(tmp_path):
    good = {"parameters": {"n": 3}, "rules": [{"id": "r", "title": "t", "severity": "low",
            "message": "超过 [[n]] 个月", "expression": "${age} > [[n]]"}]}  # fmt: skip
    path = tmp_path / "a.json"
    path.write_text(json.dumps(good, ensure_ascii=False), "utf-8")
    (rule,) = load_alert_rules(path)
    assert rule.message == "超过 3 个月"
    assert [a.rule_id for a in evaluate_alerts({"age": 5}, [rule])] == ["r"]
    path.write_text(json.dumps({**good, "parameters": {}}, ensure_ascii=False), "utf-8")
    with pytest.raises(FormDefinitionError, match="参数 n"):
        load_alert_rules(path)
