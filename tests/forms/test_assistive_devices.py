"""Assistive devices v3: catalogue filtered by category and age, subsidy, fitting mode, measurements, follow-up."""

from __future__ import annotations

import pytest

from app.forms.catalogs import load_catalog
from app.forms.definition import get_form
from app.forms.engine import FormSession

PERSON = {
    "name": "王芳",
    "age": 40,
    "category": "4",
    "level": "1",
    "today": "2026-11-01",
    "visit_date": "2026-10-30",
}


def entry(**context):
    s = FormSession.start(get_form("assistive_devices"), {**PERSON, **context})
    s.set_answer("has_need", True)
    return s, f"devices[{s.add_repeat_entry('devices')}]."


@pytest.mark.parametrize(
    ("category", "age", "present", "absent"),
    [
        ("4", 40, {"D01", "D31", "D35", "D36"}, {"D16", "D17", "D32"}),
        ("4", 8, {"D32", "D34"}, {"D31"}),
        ("1", 60, {"D17", "D38", "D40", "D41"}, {"D01", "D16"}),
        ("2", 30, {"D16", "D42"}, {"D17"}),
        ("5", 12, {"D43", "D33"}, {"D16"}),
    ],
)
def test_devices_offered_by_category_and_age_without_choosing_a_class(category, age, present, absent):
    s, key = entry(category=category, age=age)
    offered = {v for v, _ in s.choices_for(key + "device")}
    assert present <= offered and not absent & offered


def test_catalogue_codes_fixed_and_fields_present():
    devices = load_catalog("devices")
    assert devices.lookup("D07", "iso_code") == "120318"
    assert devices.lookup("D15", "iso_code") == "181207" and devices.lookup("D30", "iso_code") == "181210"
    names = {item["name"] for item in devices.items}
    for wanted in ("电动轮椅", "儿童轮椅", "儿童坐姿椅", "站立架", "轮式助行器", "移位机", "移位板", "语音手表", "语音血压计",
                   "盲文板", "听书机/收音机", "人工耳蜗体外机更换", "防走失定位手环", "进食辅具", "拾物器",
                   "小腿假肢（膝下）", "大腿假肢（膝上）", "踝足矫形器", "膝踝足矫形器"):  # fmt: skip
        assert wanted in names, wanted
    for item in devices.items:
        assert {"subsidy_yuan", "age_min", "age_max", "fitting_modes", "measure", "name_en"} <= set(item), (
            item["code"]
        )


def test_subsidy_mode_and_measurements_follow_the_device():
    s, key = entry()
    s.set_answer(key + "device", "D31")  # powered wheelchair
    assert s.value(key + "subsidy") == 4000
    assert {v for v, _ in s.choices_for(key + "fitting_mode")} == {"in_kind", "cash"}
    assert {key + "height_cm", key + "weight_kg"} <= set(s.open_required())
    s2, key2 = entry(category="2", age=30)
    s2.set_answer(key2 + "device", "D16")
    assert key2 + "hearing_level_db" in s2.open_required() and not s2.is_relevant(key2 + "height_cm")


def test_level_restriction_comes_from_the_catalogue():
    s, key = entry(level="3")
    s.set_answer(key + "device", "D02")
    assert s.is_relevant(key + "level_rule") and s.value(key + "level_rule") == "只适配一级、二级残疾人"


def test_delivery_and_follow_up():
    s, key = entry()
    s.set_answer(key + "device", "D01")
    s.set_answer(key + "delivered", True)
    s.set_answer(key + "delivered_on", "2026-06-01")
    assert s.value(key + "followup_due") == "2026-08-30" and s.value(key + "followup_overdue") is True
    s.set_answer(key + "followup_on", "2026-09-02")
    assert s.value(key + "followup_overdue") is False
    assert {key + "followup_satisfaction", key + "followup_in_use"} <= set(s.open_required())
