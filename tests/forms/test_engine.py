"""FormSession behaviour on the three real forms: prefill, relevance, validation, repeats, cascades."""

from __future__ import annotations

import pytest

from app.forms.definition import get_form
from app.forms.engine import FormSession
from app.forms.errors import AnswerError

SHA = "a" * 64
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
    "address": "柯城区信安街道",
    "today": "2026-11-01",
}


def start(form_id, version=None, **context):
    return FormSession.start(get_form(form_id, version), {**PERSON, **context})


def test_prefill_from_registry():
    s = start("needs_assessment")
    assert s.value("name") == "王芳" and s.value("age") == 40 and s.value("category") == "4"
    assert s.value("economic_status") == "dibao" and s.value("collector") == "李专委"
    assert s.value("collect_date") == "2026-10-30"


def test_prefill_does_not_overwrite_saved_answers():
    s = FormSession.start(get_form("needs_assessment"), PERSON, {"name": "王芳芳"})
    assert s.value("name") == "王芳芳"


@pytest.mark.parametrize(
    ("age", "category", "level", "care_asked"),
    [
        (40, "4", "1", True),
        (40, "4", "3", False),
        (16, "5", "3", True),
        (59, "6", "4", True),
        (60, "6", "2", False),
        (15, "5", "1", False),
        (30, "1", "1", False),
    ],
)
def test_care_questions_only_for_16_to_59_with_intellectual_psychosocial_or_severe_physical(
    age, category, level, care_asked
):
    s = start("needs_assessment", age=age, category=category, level=level)
    assert s.is_relevant("care_received") is care_asked
    assert ("care_received" in s.open_required()) is care_asked


@pytest.mark.parametrize(
    ("age", "category", "level", "autism", "expected"),
    [
        (
            30,
            "1",
            "1",
            None,
            {"cataract_surgery", "device_fitting", "orientation_mobility", "support_services"},
        ),
        (30, "1", "3", None, {"device_fitting", "visual_function"}),
        (5, "2", "2", None, {"cochlear_implant", "device_fitting", "auditory_speech", "support_services"}),
        (40, "2", "2", None, {"hearing_device_training"}),
        (4, "4", "2", None, {"corrective_surgery", "motor_training", "device_fitting", "support_services"}),
        (40, "4", "2", None, {"rehab_therapy", "device_fitting", "support_services"}),
        (10, "5", "2", False, {"cognitive_training", "support_services"}),
        (8, "6", "2", True, {"communication_training", "support_services"}),
        (30, "6", "2", None, {"psychiatric_medication", "psychiatric_ot", "support_services"}),
    ],
)
def test_rehab_options_depend_on_category_and_age_in_v1(age, category, level, autism, expected):
    # v2's options (speech, multiple, "不需要") are in test_needs_assessment.py.
    s = start("needs_assessment", 1, age=age, category=category, level=level)
    if autism is not None:
        s.set_answer("is_autism", autism)
    assert {value for value, _ in s.choices_for("rehab_needed")} == expected


def test_v1_did_not_ask_rehab_for_speech_or_psychosocial_child_without_autism():
    # Kept so responses saved under v1 reopen as they were; v2 asks both.
    assert not start("needs_assessment", 1, category="3").is_relevant("rehab_needed")
    s = start("needs_assessment", 1, age=10, category="6")
    s.set_answer("is_autism", False)
    assert not s.is_relevant("rehab_needed")


def test_employment_relevance_and_kept_values():
    s = start("needs_assessment")
    s.set_answer("employed", False)
    assert s.is_relevant("not_employed_reason") and not s.is_relevant("employment_form")
    s.set_answer("not_employed_reason", "unable")
    assert not s.is_relevant("employment_help")
    s.set_answer("employed", True)
    # The reason is kept (sync merges per key) but no longer counts.
    assert s.value("not_employed_reason") == "unable"
    assert "not_employed_reason" not in s.errors() and s.is_relevant("employment_form")
    assert not start("needs_assessment", age=70).is_relevant("employed")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("contact_phone", "12345", "手机号"),
        ("household_size", 0, "1–30"),
        ("collect_date", "2027-01-01", "晚于今天"),
        ("culture_activities", ["none", "reading"], "未参加"),
        ("social_security", ["none", "dibao"], "以上都没有"),
    ],
)
def test_constraints_report_chinese_messages(key, value, message):
    s = start("needs_assessment")
    s.set_answer(key, value)
    assert message in s.errors()[key]


def test_valid_phone_passes():
    s = start("needs_assessment")
    s.set_answer("contact_phone", "13912345678")
    assert "contact_phone" not in s.errors()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("household_size", "many"),
        ("collect_date", "30/10/2026"),
        ("employed", "maybe"),
        ("photos", ["x"]),
        ("nope", 1),
    ],
)
def test_wrong_value_types_are_refused(key, value):
    with pytest.raises(AnswerError):
        start("needs_assessment").set_answer(key, value)


def test_photos_at_most_three():
    s = start("needs_assessment")
    s.set_answer("photos", ["a" * 64, "b" * 64, "c" * 64])
    with pytest.raises(AnswerError, match="最多 3 张"):
        s.set_answer("photos", ["a" * 64, "b" * 64, "c" * 64, "d" * 64])


def fill_needs(s):
    answers = {
        "contact_name": "王建国",
        "contact_phone": "13912345678",
        "in_institution": False,
        "household_size": 3,
        "housing_status": "own",
        "is_rural": False,
        "education_level": "junior",
        "employed": False,
        "main_income": "family",
        "not_employed_reason": "unable",
        "care_received": "none",
        "family_doctor": True,
        "rehab_received": False,
        "accessibility_done": False,
        "accessibility_needed": False,
        "culture_activities": ["tv_radio"],
        "sport": False,
        "marital_status": "married",
        "informant": "王建国",
        "informant_relation": "spouse",
        # v2 additions
        "hukou_type": "agricultural",
        "separated_residence": False,
        "living_arrangement": "spouse",
        "main_carer": "spouse",
        "carer_age": 45,
        "trained_last_year": False,
        "training_needed": ["none"],
        "relief_received": ["none"],
        "relief_needed": ["none"],
        "social_security": ["dibao", "care_subsidy"],
        "care_needed": ["none"],
        "rehab_needed": ["none"],
        "informant_signature": SHA,
    }
    for key, value in answers.items():
        s.set_answer(key, value)


def test_needs_assessment_completes_and_progress_counts():
    s = start("needs_assessment")
    answered, total = s.progress()
    assert 0 < answered < total and not s.can_complete()
    fill_needs(s)
    assert s.open_required() == [] and s.errors() == {}
    answered, total = s.progress()
    assert answered == total and s.can_complete()
    s.set_answer("rehab_needed", ["rehab_therapy"])
    assert s.open_required() == ["rehab_referral"]


def test_devices_repeat_cascade_and_replacement_due():
    # v2's class → device cascade; v3 filters by category and age (test_assistive_devices.py).
    s = start("assistive_devices", 2)
    s.set_answer("has_need", True)
    assert s.errors()["devices"].startswith("至少需要")
    entry = s.add_repeat_entry("devices")
    key = f"devices[{entry}]."
    assert s.value(key + "quantity") == 1
    s.set_answer(key + "device_class", "22")
    assert ("D16", "助听器") in s.choices_for(key + "device") and ("D01", "普通轮椅") not in s.choices_for(
        key + "device"
    )
    s.set_answer(key + "device_class", "12")
    changed = s.set_answer(key + "device", "D01")
    assert key + "service_life" in changed and s.value(key + "service_life") == 3
    s.set_answer(key + "has_one", True)
    changed = s.set_answer(key + "has_since", "2022-03-01")
    assert s.value(key + "replacement_due") == "2025-03-01"
    assert s.value(key + "replacement_overdue") is True and "overdue_count" in changed
    assert s.is_relevant(key + "replacement_note")
    # Switching the class leaves a device outside the cascade: an error, not a silent change.
    s.set_answer(key + "device_class", "22")
    assert "可选范围" in s.errors()[key + "device"]


def test_devices_notes_and_warning_from_catalogue():
    s = start("assistive_devices", 2, level="3", category="2")
    s.set_answer("has_need", True)
    key = f"devices[{s.add_repeat_entry('devices')}]."
    s.set_answer(key + "device_class", "12")
    s.set_answer(key + "device", "D02")  # high-back wheelchair: levels 1-2, physical
    assert s.is_relevant(key + "level_note") and s.is_relevant(key + "category_note")
    s.set_answer(key + "assessment_needed", False)
    assert "评估" in s.warnings()[key + "assessment_needed"]
    assert key + "assessment_needed" not in s.errors()


def test_repeat_entries_add_and_remove():
    s = start("assistive_devices")
    s.set_answer("has_need", True)
    first, second = s.add_repeat_entry("devices"), s.add_repeat_entry("devices")
    assert s.value("devices") == [first, second] and first != second
    s.set_answer(f"devices[{first}].remark", "左手")
    changed = s.remove_repeat_entry("devices", first)
    assert "devices" in changed and f"devices[{first}].remark" in changed
    assert s.value("devices") == [second] and f"devices[{first}].remark" not in s.answers
    with pytest.raises(AnswerError):
        s.set_answer(f"devices[{first}].remark", "x")


def test_older_device_form_version_validates():
    s = start("assistive_devices", 1)
    s.set_answer("has_need", True)
    key = f"devices[{s.add_repeat_entry('devices')}]."
    for name, value in [("device", "D16"), ("assessment_needed", True), ("has_one", False)]:
        s.set_answer(key + name, value)
    s.set_answer("person_signature", "b" * 64)
    s.set_answer("signer_relation", "self")
    assert s.errors() == {} and s.can_complete()


def room(s, room_type):
    entry = s.add_repeat_entry("rooms")
    s.set_answer(f"rooms[{entry}].room_type", room_type)
    return f"rooms[{entry}]."


def test_housing_rooms_measurements_and_limits():
    s = start("housing_survey")
    k = room(s, "entrance")
    assert s.is_relevant(k + "has_steps") and not s.is_relevant(k + "toilet_type")
    s.set_answer(k + "has_ramp", True)
    s.set_answer(k + "ramp_rise_mm", 450)
    s.set_answer(k + "ramp_length_mm", 4500)
    assert s.value(k + "ramp_slope_n") == 10
    assert s.is_relevant(k + "ramp_slope_note")
    s.set_answer(k + "ramp_width_mm", 900)
    s.set_answer(k + "handrail_sides", "one")
    s.set_answer(k + "door_width_mm", 750)
    s.set_answer(k + "threshold_mm", 40)
    warnings = s.warnings()
    assert "1.0 米" in warnings[k + "ramp_width_mm"]
    assert "两侧" in warnings[k + "handrail_sides"]
    assert "800" in warnings[k + "door_width_mm"] and "15" in warnings[k + "threshold_mm"]
    s.set_answer(k + "ramp_length_mm", 6000)
    assert s.value(k + "ramp_slope_n") == pytest.approx(13.3) and not s.is_relevant(k + "ramp_slope_note")
    s.set_answer(k + "door_width_mm", 0)
    assert "1–5000" in s.errors()[k + "door_width_mm"]


def test_housing_room_items_filtered_by_room():
    s = start("housing_survey")
    k = room(s, "toilet")
    values = {v for v, _ in s.choices_for(k + "room_items")}
    assert "WZA-03" in values and "WZA-01" not in values and "WZA-99" in values
    k2 = room(s, "electrical")
    assert "WZA-11" in {v for v, _ in s.choices_for(k2 + "room_items")}
    assert not s.is_relevant(k2 + "door_width_mm")
    s.set_answer(k2 + "wiring_state", "aged")
    assert s.is_relevant(k2 + "wiring_note")


@pytest.mark.parametrize(("grade", "flag"), [("A", False), ("B", False), ("C", True), ("D", True)])
def test_dangerous_house_grade(grade, flag):
    s = start("housing_condition")
    s.set_answer("house_type", "own_rural")
    s.set_answer("danger_assessed", True)
    s.set_answer("danger_grade", grade)
    assert s.value("dangerous_house_need") is flag and s.is_relevant("danger_note") is flag


def test_housing_needs_items_and_page_relevance():
    s = start("housing_survey")
    s.set_answer("accessibility_items", ["WZA-01", "WZA-99"])
    assert s.value("accessibility_need") is True and "accessibility_other" in s.open_required()
    assert {v for v, _ in s.choices_for("lighting_items")} >= {"ZM-01", "ZM-03"}
    assert "family_agrees" in s.visible_questions("needs")
    check = start("housing_condition")
    check.set_answer("house_type", "institution")
    assert check.visible_questions("danger") == [] and check.visible_questions("safety") == []
    check.set_answer("accessibility_need", True)
    visible = check.visible_questions("needs")
    assert "survey_note" in visible and "family_agrees" in visible and "accessibility_items" not in visible


def test_visible_questions_expand_repeats_in_order():
    s = start("housing_survey")
    k = room(s, "kitchen")
    visible = s.visible_questions("rooms")
    assert visible[:3] == ["rooms_note", "rooms", k + "room_type"]
    assert k + "room_group" not in visible  # unlabelled calculation
    assert k + "uses_gas" in visible and k + "has_steps" not in visible


def test_calculations_cannot_be_set():
    with pytest.raises(AnswerError, match="自动计算"):
        start("housing_survey").set_answer("accessibility_need", True)


def test_set_same_value_reports_no_change():
    s = start("needs_assessment")
    assert s.set_answer("household_size", 3) == ["household_size"]
    assert s.set_answer("household_size", "3") == []
