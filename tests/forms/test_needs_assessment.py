"""Needs assessment v2: skip logic by category, level and age, explicit "不需要", new content, visit outcome.

Each rule of the national survey (DOMAIN.md, "Needs-assessment content") is one parametrized test;
v1 stays loadable for responses saved under it.
"""

from __future__ import annotations

import pytest

from app.forms.definition import get_form
from app.forms.engine import FormSession

PERSON = {
    "name": "王芳",
    "gender": "F",
    "age": 40,
    "category": "4",
    "level": "1",
    "economic_status": "dibao",
    "household_head": "王建国",
    "worker_name": "李专委",
    "visit_date": "2026-10-30",
    "today": "2026-11-01",
}


def start(components: list[str] | None = None, autism: bool | None = None, **context) -> FormSession:
    s = FormSession.start(get_form("needs_assessment"), {**PERSON, **context})
    if components is not None:
        s.set_answer("multiple_components", components)
    if autism is not None:
        s.set_answer("is_autism", autism)
    return s


def offered(s: FormSession, key: str) -> set[str]:
    return {v for v, _ in s.choices_for(key)}


def test_v2_is_latest_and_v1_still_opens():
    assert get_form("needs_assessment").version == 2
    old = FormSession(get_form("needs_assessment", 1), {"rehab_group": "all"}, PERSON)
    assert old.definition.version == 1


@pytest.mark.parametrize(
    ("category", "level", "age", "autism", "components", "expected"),
    [
        ("3", "2", 30, None, None, {"speech_training", "communication_aids", "support_services"}),
        ("3", "4", 5, None, None, {"speech_training", "communication_aids", "support_services"}),
        ("6", "2", 15, False, None, {"psychiatric_medication", "support_services"}),
        ("6", "2", 15, True, None, {"communication_training", "support_services"}),
        ("6", "1", 30, None, None, {"psychiatric_medication", "psychiatric_ot", "support_services"}),
        ("5", "3", 10, False, None, {"cognitive_training", "support_services"}),
        (
            "1",
            "1",
            50,
            None,
            None,
            {"cataract_surgery", "device_fitting", "orientation_mobility", "support_services"},
        ),
        ("1", "3", 50, None, None, {"device_fitting", "visual_function"}),
        (
            "2",
            "2",
            4,
            None,
            None,
            {"cochlear_implant", "device_fitting", "auditory_speech", "support_services"},
        ),
        ("2", "2", 30, None, None, {"hearing_device_training"}),
        (
            "4",
            "1",
            3,
            None,
            None,
            {"corrective_surgery", "motor_training", "device_fitting", "support_services"},
        ),
        ("4", "3", 40, None, None, {"rehab_therapy", "device_fitting", "support_services"}),
        (
            "7",
            "1",
            40,
            None,
            ["3", "4"],
            {"speech_training", "communication_aids", "rehab_therapy", "device_fitting", "support_services"},
        ),
        (
            "7",
            "2",
            12,
            False,
            ["5", "2"],
            {"cognitive_training", "support_services", "hearing_device_training"},
        ),
        (
            "7",
            "3",
            40,
            None,
            ["1", "6"],
            {
                "device_fitting",
                "visual_function",
                "psychiatric_medication",
                "psychiatric_ot",
                "support_services",
            },
        ),
    ],
)
def test_rehabilitation_options_by_category_level_and_age(category, level, age, autism, components, expected):
    s = start(components, autism, category=category, level=level, age=age)
    assert s.is_relevant("rehab_needed")
    assert offered(s, "rehab_needed") == expected | {"none"}
    assert "rehab_needed" in s.open_required()


def test_multiple_disability_never_offers_every_option():
    s = start(["4", "5"], False, category="7", age=40)
    assert {"cochlear_implant", "cataract_surgery"}.isdisjoint(offered(s, "rehab_needed"))


def test_multiple_disability_asks_its_components():
    s = start(category="7")
    assert s.is_relevant("multiple_components") and "multiple_components" in s.open_required()
    s.set_answer("multiple_components", ["4"])
    assert "multiple_components" in s.errors()
    assert not start(category="4").is_relevant("multiple_components")


@pytest.mark.parametrize(
    ("category", "components", "age", "asked"),
    [
        ("5", None, 10, True),
        ("6", None, 17, True),
        ("6", None, 18, False),
        ("7", ["5", "4"], 8, True),
        ("7", ["1", "4"], 8, False),
        ("4", None, 8, False),
    ],
)
def test_autism_is_asked_of_children_with_intellectual_or_psychosocial_component(
    category, components, age, asked
):
    assert start(components, category=category, age=age).is_relevant("is_autism") is asked


@pytest.mark.parametrize("key", ["rehab_needed", "care_needed", "employment_help"])
def test_no_need_is_an_explicit_exclusive_answer_and_the_question_is_required(key):
    s = start(category="5", level="2", age=30)
    s.set_answer("employed", False)
    s.set_answer("not_employed_reason", "no_skills")
    assert key in s.open_required()
    options = sorted(offered(s, key) - {"none"})
    s.set_answer(key, ["none", options[0]])
    assert key in s.errors()
    s.set_answer(key, ["none"])
    assert key not in s.errors() and key not in s.open_required()


@pytest.mark.parametrize(
    ("employed", "reason", "help_asked"),
    [
        (None, None, False),
        (False, None, False),
        (False, "no_skills", True),
        (False, "unable", False),
        (False, "studying", False),
        (True, None, True),
    ],
)
def test_employment_help_only_after_employment_is_answered(employed, reason, help_asked):
    s = start(category="4", level="3", age=35)
    if employed is not None:
        s.set_answer("employed", employed)
    if reason is not None:
        s.set_answer("not_employed_reason", reason)
    assert s.is_relevant("employment_help") is help_asked


@pytest.mark.parametrize(
    ("category", "level", "age", "components", "asked"),
    [
        ("7", "3", 30, ["1", "2"], True),
        ("5", "4", 16, None, True),
        ("4", "3", 40, None, False),
        ("4", "2", 40, None, True),
        ("6", "2", 60, None, False),
        ("1", "1", 30, None, False),
        ("7", "4", 15, ["3", "4"], False),
    ],
)
def test_care_asked_for_16_to_59_intellectual_psychosocial_multiple_or_severe_physical(
    category, level, age, components, asked
):
    s = start(components, category=category, level=level, age=age)
    assert s.is_relevant("care_needed") is asked and s.is_relevant("care_received") is asked


def test_care_uses_national_labels_and_disabled_home():
    s = start(category="5", age=30)
    labels = {label for _, label in s.choices_for("care_received")}
    assert {"寄宿制托养", "日间照料", "居家服务", "残疾人之家"} <= labels


@pytest.mark.parametrize(
    ("selected", "blocked"),
    [
        (["dibao", "tekun"], True),
        (["dibao", "dibian"], True),
        (["dibao", "living_subsidy"], False),
        (["none", "dibao"], True),
        (
            [
                "accident_insurance",
                "resident_pension_subsidy",
                "flexible_pension_subsidy",
                "medical_assistance",
                "temporary_assistance",
            ],
            False,
        ),
    ],
)
def test_social_security_dibao_and_tekun_exclusive(selected, blocked):
    s = start()
    s.set_answer("social_security", selected)
    assert ("social_security" in s.errors()) is blocked


@pytest.mark.parametrize(
    ("registry", "selected", "warned"),
    [
        ("dibao", ["dibao"], False),
        ("general", ["dibao"], True),
        ("tekun", ["dibao"], True),
        ("dibao", ["resident_medical"], True),
        ("general", ["resident_medical"], False),
    ],
)
def test_social_security_checked_against_registry_economic_status(registry, selected, warned):
    s = start(economic_status=registry)
    s.set_answer("social_security", selected)
    assert ("social_security" in s.warnings()) is warned


def test_home_teaching_is_a_placement_not_a_reason():
    s = start(category="5", age=10)
    s.set_answer("in_school", True)
    assert "home_teaching" in offered(s, "school_placement")
    s.set_answer("in_school", False)
    reasons = offered(s, "out_of_school_reason")
    assert "home_education" not in reasons and "not_accepted" in reasons
    assert s.is_relevant("education_aid_needed")


@pytest.mark.parametrize(
    ("category", "components", "age", "asked"),
    [
        ("5", None, 40, True),
        ("6", None, 40, True),
        ("4", None, 40, False),
        ("4", None, 10, True),
        ("7", ["6", "4"], 40, True),
    ],
)
def test_guardian_asked_for_intellectual_psychosocial_and_minors(category, components, age, asked):
    assert start(components, category=category, age=age).is_relevant("guardian_name") is asked


def test_basic_information_splits_registration_and_housing_and_flags_elderly_carer():
    s = start()
    assert {
        "hukou_type",
        "separated_residence",
        "living_arrangement",
        "main_carer",
        "other_disabled_members",
    } <= set(s.open_required()) | {"other_disabled_members"}
    s.set_answer("main_carer", "parent")
    s.set_answer("carer_age", 72)
    assert s.value("elderly_carer") is True
    s.set_answer("separated_residence", True)
    assert "actual_address" in s.open_required()


def test_employment_intent_registration_training():
    s = start(age=30, category="4", level="3")
    s.set_answer("employed", False)
    s.set_answer("not_employed_reason", "no_skills")
    s.set_answer("wants_work", True)
    assert {"employment_registered", "trained_last_year", "training_needed"} <= set(s.open_required())


@pytest.mark.parametrize(
    ("outcome", "surveyed", "person_status"),
    [
        ("seen", True, "registered"),
        ("not_seen", True, None),
        ("refused", False, None),
        ("deceased", False, "deceased"),
        ("moved_out", False, "moved_out"),
        ("lost_contact", False, "lost_contact"),
    ],
)
def test_visit_outcome_gates_the_survey_and_names_the_person_status(outcome, surveyed, person_status):
    s = start()
    assert s.value("visit_outcome") == "seen"  # the common case is the default
    s.set_answer("visit_outcome", outcome)
    assert s.is_relevant("contact_phone") is surveyed and s.is_relevant("informant_signature") is surveyed
    assert s.is_relevant("collector")
    choice = next(c for c in s.question("visit_outcome").choices if c.value == outcome)
    assert choice.attrs.get("person_status") == person_status
    if not surveyed:
        assert set(s.open_required()) <= {"outcome_detail", "outcome_date"}


def test_informant_signs():
    s = start()
    assert (
        s.question("informant_signature").type == "signature" and "informant_signature" in s.open_required()
    )


def test_every_question_and_choice_has_an_english_label():
    form = get_form("needs_assessment")
    for page in form.pages:
        assert page.title_en, page.id
    for key in form.questions:
        q = form.questions[key]
        if q.type != "calculate":
            assert q.label_en, q.id
        for c in q.choices or ():
            assert c.label_en, (q.id, c.value)
