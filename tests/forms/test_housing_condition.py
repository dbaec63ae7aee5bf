"""The housing forms: the room-by-room 入户勘测 (housing_survey v1, split out of housing_condition v2) with items
by room and GB 50763 limits as warnings; the short yearly check (housing_condition v3) with the rural grading
standard and the household's signature; older versions keep opening."""

from __future__ import annotations

import pytest

from app.forms.definition import get_form
from app.forms.engine import FormSession

PERSON = {"name": "王芳", "category": "4", "level": "1", "address": "石室乡荷一村", "today": "2026-11-01"}


def room(room_type, **context):
    s = FormSession.start(get_form("housing_survey"), {**PERSON, **context})
    s.set_answer("house_type", "own_rural")
    entry = s.add_repeat_entry("rooms")
    key = f"rooms[{entry}]."
    s.set_answer(key + "room_type", room_type)
    return s, key


@pytest.mark.parametrize(
    ("room_type", "offered", "not_offered"),
    [
        ("bedroom", {"WZA-23", "WZA-24", "WZA-26", "WZA-29", "WZA-22", "WZA-21", "WZA-30"}, {"WZA-16"}),
        ("toilet", {"WZA-22", "WZA-28", "WZA-24", "WZA-04"}, {"WZA-15"}),
        ("kitchen", {"WZA-16", "WZA-18", "WZA-22"}, {"WZA-03"}),
        ("entrance", {"WZA-01", "WZA-27", "WZA-21"}, {"WZA-19"}),
        ("electrical", {"WZA-25", "WZA-26"}, {"WZA-22"}),
    ],
)
def test_items_by_room(room_type, offered, not_offered):
    s, key = room(room_type)
    choices = {v for v, _ in s.choices_for(key + "room_items")}
    assert offered <= choices and not not_offered & choices


@pytest.mark.parametrize("room_type", ["entrance", "living", "toilet", "kitchen", "bedroom", "balcony"])
def test_door_threshold_and_slip_in_every_room(room_type):
    s, key = room(room_type)
    for q in ("door_width_mm", "threshold_mm", "floor_slippery"):
        assert s.is_relevant(key + q)


@pytest.mark.parametrize(
    ("answers", "warned"),
    [
        ({"has_ramp": True, "ramp_rise_mm": 800}, "ramp_rise_mm"),
        ({"has_ramp": True, "ramp_rise_mm": 700, "ramp_length_mm": 9500}, "ramp_length_mm"),
        ({"has_ramp": True, "ramp_edge_protection": False}, "ramp_edge_protection"),
    ],
)
def test_ramp_limits(answers, warned):
    s, key = room("entrance")
    for k, v in answers.items():
        s.set_answer(key + k, v)
    assert key + warned in s.warnings()


def test_ramp_required_length_from_the_rise():
    s, key = room("entrance")
    s.set_answer(key + "has_ramp", True)
    s.set_answer(key + "ramp_rise_mm", 300)
    assert s.value(key + "ramp_required_length_mm") == 3600


@pytest.mark.parametrize(("q", "value", "warned"), [("grab_bar_height_mm", 850, True), ("grab_bar_height_mm", 700, False),
                                                    ("grab_bar_vertical_top_mm", 1400, False), ("grab_bar_vertical_top_mm", 1100, True)])  # fmt: skip
def test_grab_bars(q, value, warned):
    s, key = room("toilet")
    s.set_answer(key + "toilet_grab_bars", True)
    s.set_answer(key + q, value)
    assert (key + q in s.warnings()) is warned


@pytest.mark.parametrize(("counter", "knee", "warned"), [(800, 700, set()), (900, 700, {"counter_height_mm"}),
                                                         (800, 500, {"knee_space_mm"})])  # fmt: skip
def test_low_counter_and_knee_space(counter, knee, warned):
    s, key = room("kitchen")
    s.set_answer(key + "counter_height_mm", counter)
    s.set_answer(key + "knee_space_mm", knee)
    assert {k.removeprefix(key) for k in s.warnings()} == warned


@pytest.mark.parametrize(
    ("house_type", "standard"), [("own_rural", "JGJ/T 363-2014"), ("own_urban", "JGJ 125-2016")]
)
def test_grading_standard_by_house_type(house_type, standard):
    s = FormSession.start(get_form("housing_condition"), PERSON)
    s.set_answer("house_type", house_type)
    assert s.value("danger_standard").startswith(standard)


def test_no_rooms_for_a_person_in_an_institution_and_the_household_signs():
    s = FormSession.start(get_form("housing_condition"), PERSON)
    s.set_answer("house_type", "institution")
    assert not s.is_relevant("rooms") and "rooms" not in s.errors()
    assert "household_signature" in s.open_required()
    assert get_form("housing_condition", 1).version == 1  # saved responses keep opening
    survey = FormSession.start(get_form("housing_survey"), PERSON)
    survey.set_answer("house_type", "institution")
    assert not survey.is_relevant("rooms") and "household_signature" in survey.open_required()


@pytest.mark.parametrize("version", [1, 2])
def test_older_versions_keep_their_rooms(version):
    s = FormSession.start(get_form("housing_condition", version), PERSON)
    s.set_answer("house_type", "own_rural")
    entry = s.add_repeat_entry("rooms")
    s.set_answer(f"rooms[{entry}].room_type", "toilet")
    assert s.is_relevant(f"rooms[{entry}].toilet_grab_bars")


def test_the_short_check_has_no_rooms_and_points_to_the_survey():
    form = get_form("housing_condition")
    assert form.version >= 3 and "rooms" not in form.questions and "accessibility_items" not in form.questions
    s = FormSession.start(form, PERSON)
    s.set_answer("house_type", "own_rural")
    assert not s.is_relevant("survey_note")
    s.set_answer("lighting_need", True)
    assert s.is_relevant("survey_note") and "family_agrees" in s.open_required()


@pytest.mark.parametrize(
    ("answers", "note"),
    [({"wiring_state": "aged"}, True), ({"wiring_state": "conduit", "has_rcd": False}, True),
     ({"wiring_state": "conduit", "has_rcd": True, "rcd_trips": True, "lamps_working": True}, False)],
)  # fmt: skip
def test_the_short_check_asks_the_wiring_and_gas_safety(answers, note):
    s = FormSession.start(get_form("housing_condition"), PERSON)
    s.set_answer("house_type", "own_urban")
    for k, v in answers.items():
        s.set_answer(k, v)
    assert s.is_relevant("wiring_note") is note
    s.set_answer("uses_gas", True)
    assert "gas_alarm" in s.open_required()


def _fill_required(s):
    """Answer every open required question with its first choice or a plain value."""
    for _ in range(10):
        open_ = s.open_required()
        if not open_:
            return
        for key in open_:
            q = s.definition.questions[key.rsplit(".", 1)[-1]]
            if q.type in ("select_one", "select_multiple"):
                value = s.choices_for(key)[0][0]
                s.set_answer(key, [value] if q.type == "select_multiple" else value)
            elif q.type == "yes_no":
                s.set_answer(key, False)
            elif q.type in ("integer", "decimal"):
                s.set_answer(key, 1)
            elif q.type == "date":
                s.set_answer(key, "2026-10-01")
            elif q.type == "signature":
                s.set_answer(key, "a" * 64)
            else:
                s.set_answer(key, "x")


@pytest.mark.parametrize("form_id", ["housing_condition", "housing_survey"])
def test_both_forms_validate_when_filled(form_id):
    s = FormSession.start(get_form(form_id), {**PERSON, "worker_name": "张丽", "visit_date": "2026-10-01"})
    s.set_answer("house_type", "own_rural")
    assert s.open_required()
    if form_id == "housing_survey":
        assert "rooms" in s.errors()  # at least one room measured
        s.set_answer(f"rooms[{s.add_repeat_entry('rooms')}].room_type", "toilet")
    _fill_required(s)
    assert s.open_required() == [] and s.errors() == {}
