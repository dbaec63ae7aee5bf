"""Acceptance checklists, measured limits, conclusion and rectification deadline."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.acceptance import (
    CheckOutcome,
    InvalidMeasurement,
    checklist_for,
    conclude,
    evaluate_measurement,
    load_checklists,
    rectification_deadline,
)
from app.domain.enums import CheckResult, ProjectKind


def _check(kind, code, items=()):
    checks = checklist_for(kind, items).checks
    return next(c for c in checks if c.code == code)


def test_every_kind_has_records_and_onsite_checks():
    lists = load_checklists()
    assert set(lists) == set(ProjectKind)
    for cl in lists.values():
        names = " ".join(c.name for c in cl.records_checks)
        for doc in ("申请表", "改造方案", "预算", "结算单"):
            assert doc in names
        assert any("经济状况" in c.name for c in cl.onsite_checks)
        assert cl.checks


def test_lighting_checklist_covers_the_safety_points():
    names = " ".join(c.name for c in load_checklists()[ProjectKind.LIGHTING].checks)
    for point in (
        "穿管",
        "30mA",
        "绝缘电阻",
        "左零右火上接地",
        "开关安装高度",
        "防溅",
        "每盏灯",
        "裸露",
        "安全用电",
    ):
        assert point in names


def test_accessibility_checklist_derives_limits_from_items_once():
    cl = checklist_for("accessibility", ["WZA-01", "WZA-01", "WZA-11"])
    measured = [c for c in cl.checks if c.is_measured]
    assert {c.item_code for c in measured} == {"WZA-01"}
    assert len(measured) == len({c.code for c in measured}) == 3


@pytest.mark.parametrize(
    ("kind", "code", "items", "value", "ok", "message"),
    [
        ("accessibility", "WZA-01.slope_run_per_rise", ["WZA-01"], 12, True, ""),
        ("accessibility", "WZA-01.slope_run_per_rise", ["WZA-01"], "10", False, "实测1:10，坡道过陡"),
        ("accessibility", "WZA-01.width", ["WZA-01"], "0.95", False, "偏小，应为≥ 1 m"),
        ("accessibility", "WZA-01.width", ["WZA-01"], "1.0", True, ""),
        ("accessibility", "WZA-02.handrail_height", ["WZA-02"], 850, True, ""),
        ("accessibility", "WZA-02.handrail_height", ["WZA-02"], 900, True, ""),
        ("accessibility", "WZA-02.handrail_height", ["WZA-02"], 920, False, "应为850–900 mm"),
        ("accessibility", "WZA-21.door_clear_width", ["WZA-21"], 780, False, "应为≥ 800 mm"),
        ("accessibility", "WZA-21.threshold_height", ["WZA-21"], 15, True, ""),
        ("accessibility", "WZA-21.threshold_height", ["WZA-21"], 16, False, "偏大，应为≤ 15 mm"),
        ("lighting", "ZM-C06", (), "0.5", False, "应为> 0.5 MΩ"),
        ("lighting", "ZM-C06", (), "2", True, ""),
        ("lighting", "ZM-C02", (), "1.0", False, "≥ 1.5 mm²"),
        ("lighting", "ZM-C05", (), 30, True, ""),
        ("lighting", "ZM-C08", (), "1.3", True, ""),
        ("lighting", "ZM-C08", (), "1.6", False, "1.2–1.4 m"),
    ],
)
def test_evaluate_measurement(kind, code, items, value, ok, message):
    verdict = evaluate_measurement(_check(kind, code, items), value)
    assert verdict.ok is ok and bool(verdict) is ok
    assert message in verdict.message
    assert verdict.result is (CheckResult.PASS if ok else CheckResult.RECTIFY)
    assert (verdict.message == "") is ok


@pytest.mark.parametrize("bad", ["abc", "", "inf"])
def test_measurement_must_be_a_number(bad):
    with pytest.raises(InvalidMeasurement, match="不是有效数字"):
        evaluate_measurement(_check("lighting", "ZM-C06"), bad)


def test_unmeasured_check_rejects_a_value():
    with pytest.raises(ValueError, match="不需要测量"):
        evaluate_measurement(_check("lighting", "ZM-C01"), 1)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 5, 4), 15, date(2026, 5, 19)),  # Tuesday stays
        (date(2026, 5, 1), 15, date(2026, 5, 18)),  # Saturday 16th -> Monday 18th
        (date(2026, 5, 2), 15, date(2026, 5, 18)),  # Sunday 17th -> Monday 18th
        (date(2026, 12, 25), 7, date(2027, 1, 1)),
    ],
)
def test_rectification_deadline(start, days, due):
    assert rectification_deadline(start, days) == due


def test_rectification_deadline_needs_a_day():
    with pytest.raises(ValueError):
        rectification_deadline(date(2026, 5, 4), 0)


def _o(name, result):
    return CheckOutcome(code=name, name=name, result=result)


@pytest.mark.parametrize(
    ("results", "passed"),
    [
        ([CheckResult.PASS, CheckResult.PASS], True),
        ([CheckResult.PASS, CheckResult.FAIL], False),
        ([CheckResult.RECTIFY, CheckResult.PASS], False),
        (["pass", "rectify"], False),
    ],
)
def test_conclusion(results, passed):
    c = conclude([_o(f"项{i}", r) for i, r in enumerate(results)], date(2026, 5, 4))
    assert c.passed is passed
    if passed:
        assert c.result is CheckResult.PASS and c.deadline is None and "验收合格" in c.text
    else:
        assert c.result is CheckResult.RECTIFY
        assert c.deadline == date(2026, 5, 19)
        assert "2026年5月19日前整改" in c.text
        assert set(c.failing) <= {f"项{i}" for i in range(len(results))}


def test_conclusion_needs_results():
    with pytest.raises(ValueError, match="没有任何检查结果"):
        conclude([], date(2026, 5, 4))


def test_measured_value_decimal_kept():
    assert evaluate_measurement(_check("lighting", "ZM-C06"), "12.5").value == Decimal("12.5")
