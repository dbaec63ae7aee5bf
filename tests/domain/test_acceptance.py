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


# --- issue 16: 不涉及, nominal values, per-item checks, lighting rules, dangerous house -------------


def _outcome(result, name="x"):
    return CheckOutcome(name, name, result)


def test_not_applicable_counts_as_neither_pass_nor_fail():
    passed = conclude(
        [_outcome(CheckResult.PASS), _outcome(CheckResult.NOT_APPLICABLE, "y")], date(2026, 5, 12)
    )
    assert passed.passed and passed.failing == ()
    with pytest.raises(ValueError, match="不涉及"):
        conclude([_outcome(CheckResult.NOT_APPLICABLE)], date(2026, 5, 12))


@pytest.mark.parametrize(
    ("value", "ok"), [("1.5", True), ("2.5", True), ("4", True), ("6", True), ("1", False)]
)
def test_wire_section_from_nominal_values(value, ok):
    assert evaluate_measurement(_check("lighting", "ZM-C02"), value).ok is ok


@pytest.mark.parametrize("value", ["1.8", "2", "3"])
def test_wire_section_that_is_no_nominal_value_is_refused(value):
    with pytest.raises(InvalidMeasurement, match="标称值"):
        evaluate_measurement(_check("lighting", "ZM-C02"), value)


@pytest.mark.parametrize(
    ("wire", "breaker", "ok"),
    [("1.5", "16", True), ("1.5", "20", False), ("2.5", "25", True), ("2.5", "32", False), ("4", "32", True)],
)
def test_breaker_rating_matched_to_the_wire(wire, breaker, ok):
    check = _check("lighting", "ZM-C15")
    verdict = evaluate_measurement(check, breaker, {"ZM-C02": Decimal(wire)})
    assert verdict.ok is ok
    if not ok:
        assert "断路器" in verdict.message


def test_lighting_checks_phase_pe_colours_and_rcd_time():
    names = " ".join(c.name for c in load_checklists()[ProjectKind.LIGHTING].checks)
    for point in ("开关断开相线", "PE保护线", "黄绿双色", "淡蓝色", "动作时间"):
        assert point in names
    rcd = _check("lighting", "ZM-C18")
    assert evaluate_measurement(rcd, "0.04").ok and not evaluate_measurement(rcd, "0.2").ok


@pytest.mark.parametrize(("flags", "height", "ok"), [((), "1.3", True), ((), "1.0", False),
                                                      (("wheelchair_user",), "1.0", True),
                                                      (("wheelchair_user",), "1.3", False)])  # fmt: skip
def test_switch_height_with_a_wheelchair_user(flags, height, ok):
    check = next(c for c in checklist_for("lighting", flags=flags).checks if c.code == "ZM-C08")
    assert evaluate_measurement(check, height).ok is ok


def test_every_catalogue_item_has_its_own_check():
    from app.domain.renovation import load_catalog

    catalog = load_catalog()
    assert all(item.acceptance_check for item in catalog.items.values())
    cl = checklist_for("accessibility", ["WZA-18", "WZA-13"])
    names = {c.code: c.name for c in cl.checks}
    assert "测试键" in names["WZA-18.check"] and "盲道" in names["WZA-13.check"]
    assert checklist_for("lighting", ["ZM-03"]).checks[-1].code == "ZM-03.check"


def test_quantities_beyond_the_household_maximum_are_flagged():
    from app.domain.renovation import ProjectItem, check_budget, load_catalog

    chair = load_catalog().item("WZA-07")
    assert chair.max_per_household == 1
    warnings = check_budget("accessibility", [ProjectItem.from_catalog(chair, 4)])
    assert any("超过每户1" in w and "上限" in w for w in warnings)
    assert not check_budget("accessibility", [ProjectItem.from_catalog(chair, 1)])


def test_dangerous_house_has_its_fields_signer_and_opinion():
    cl = checklist_for("dangerous_house", ["WF-01"])
    assert {"appraisal_body", "report_number", "grade_before", "grade_after"} <= {f.key for f in cl.facts}
    assert "housing" in {s.role for s in cl.signers}
    assert "housing" not in {s.role for s in checklist_for("lighting").signers}
    assert "已掌握使用方法" not in cl.pass_opinion and "鉴定" in cl.pass_opinion
    outcome = conclude([_outcome(CheckResult.PASS)], date(2026, 5, 12), pass_text=cl.pass_opinion)
    assert outcome.text == cl.pass_opinion


@pytest.mark.parametrize(("raw", "stored"), [("2026-05-08", "2026-05-08"), ("1,200", "1200.00"), ("", "")])
def test_facts_are_normalised(raw, stored):
    from app.domain.acceptance import normalise_fact

    cl = checklist_for("lighting")
    spec = next(f for f in cl.facts if f.key == ("started_on" if "-" in raw else "subsidy"))
    assert normalise_fact(spec, raw) == stored


def test_signer_for_every_party_and_one_accepting_body():
    cl = checklist_for("accessibility")
    roles = [s.role for s in cl.signers]
    assert roles[:2] == ["resident", "contractor"] and sum(s.accepting_body for s in cl.signers) == 1
    assert next(s for s in cl.signers if s.role == "resident").relation


def test_every_check_has_english_for_its_name_method_and_limit_words():
    """Issue 15 item 6: the checklists and the catalogue's derived checks carry English (``*_en``) for
    every title, check name, method and a limit's low/high words; ``english_texts`` maps them all."""
    import re

    from app.domain.acceptance import english_texts, load_checklists
    from app.domain.renovation import load_catalog

    han = re.compile(r"[\u4e00-\u9fff]")
    full_width = re.compile("[：（）；，。、！？【】]")
    catalog = load_catalog()
    missing = []
    for kind in load_checklists():
        codes = [item.code for item in catalog.items.values() if item.kind is kind]
        checklist = checklist_for(kind, codes)
        for title, title_en in (
            (checklist.title, checklist.title_en),
            (checklist.records_title, checklist.records_title_en),
            (checklist.onsite_title, checklist.onsite_title_en),
        ):
            if not title_en:
                missing.append(title)
        for check in checklist.checks + checklist.records_checks + checklist.onsite_checks:
            if not check.name_en or (check.method and not check.method_en):
                missing.append(f"{check.code}: {check.name} / {check.method}")
            for lim in [check.limit, *check.limit.when.values()] if check.limit else []:
                if (lim.low_text and not lim.low_text_en) or (lim.high_text and not lim.high_text_en):
                    missing.append(f"{check.code} limit words")
    assert not missing, "\n".join(missing)
    texts = english_texts()
    assert texts["室内外坡道：坡道净宽"] == "Indoor/outdoor ramp: Ramp clear width"
    bad = [english for english in texts.values() if han.search(english) or full_width.search(english)]
    assert not bad, bad
