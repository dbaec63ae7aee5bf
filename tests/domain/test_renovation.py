"""Renovation catalogue, status flow, amounts and budget caps."""

from decimal import Decimal

import pytest

from app.domain.enums import ProjectKind, ProjectStatus
from app.domain.renovation import (
    InvalidQuantity,
    InvalidTransition,
    OverBudget,
    ProjectItem,
    UnknownItem,
    check_budget,
    check_transition,
    load_catalog,
    next_statuses,
    totals,
)

S = ProjectStatus


def test_catalog_has_items_and_caps_for_every_kind():
    cat = load_catalog()
    for kind in ProjectKind:
        assert cat.items_for(kind), kind
        assert cat.cap_for(kind) is not None, kind
    assert cat.cap_for("accessibility") == Decimal("6000")
    assert cat.cap_for("lighting") == Decimal("1000")
    names = {i.name for i in cat.items_for(ProjectKind.ACCESSIBILITY)}
    for name in ("室内外坡道", "坡道扶手", "卫生间蹲便改坐便", "闪光门铃", "门槛去除/地面平整", "地面防滑"):
        assert name in names


def test_catalog_limits_of_ramp_and_door():
    cat = load_catalog()
    ramp = {lim.key: lim for lim in cat.item("WZA-01").limits}
    assert ramp["slope_run_per_rise"].min == 12
    assert ramp["width"].min == Decimal("1.0")
    rail = {lim.key: lim for lim in cat.item("WZA-02").limits}["handrail_height"]
    assert (rail.min, rail.max) == (850, 900)
    door = {lim.key: lim for lim in cat.item("WZA-21").limits}
    assert door["door_clear_width"].min == 800
    assert door["threshold_height"].max == 15


def test_unknown_item_code():
    with pytest.raises(UnknownItem, match="不在项目目录"):
        load_catalog().item("NOPE")


HAPPY_PATH = [
    S.APPLIED,
    S.ASSESSED,
    S.SURVEYED,
    S.PLANNED,
    S.UNDER_CONSTRUCTION,
    S.AWAITING_ACCEPTANCE,
    S.RECTIFYING,
    S.AWAITING_ACCEPTANCE,
    S.ACCEPTED,
    S.ARCHIVED,
]


def test_full_flow_with_one_rectification_is_valid():
    for old, new in zip(HAPPY_PATH, HAPPY_PATH[1:], strict=False):
        check_transition(old, new)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (S.APPLIED, S.PLANNED, "下一步应为“资格审核”或“评估”或“终止/放弃”"),
        (S.TERMINATED, S.APPLIED, "不能再改为"),
        (S.PUBLICITY, S.PLANNED, "下一步应为“评估”或“终止/放弃”"),
        (S.APPLIED, S.ACCEPTED, "直接改为"),
        (S.UNDER_CONSTRUCTION, S.ACCEPTED, "下一步应为“待验收”"),
        (S.RECTIFYING, S.ACCEPTED, "下一步应为“待验收”"),
        (S.AWAITING_ACCEPTANCE, S.ARCHIVED, "“验收合格”或“整改”"),
        (S.AWAITING_ACCEPTANCE, S.TERMINATED, "“验收合格”或“整改”"),
        (S.ACCEPTED, S.TERMINATED, "下一步应为“归档”"),
        (S.ARCHIVED, S.APPLIED, "不能再改为"),
        (S.PLANNED, S.PLANNED, "已处于"),
        (S.ACCEPTED, S.RECTIFYING, "下一步应为“归档”"),
    ],
)
def test_invalid_transitions_say_what_is_next(old, new, message):
    with pytest.raises(InvalidTransition, match=message):
        check_transition(old, new)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("applied", (S.ELIGIBILITY_REVIEW, S.ASSESSED, S.TERMINATED)),
        (S.PLANNED, (S.PROCUREMENT, S.UNDER_CONSTRUCTION, S.TERMINATED)),
        (S.AWAITING_ACCEPTANCE, (S.ACCEPTED, S.RECTIFYING)),
        (S.RECTIFYING, (S.AWAITING_ACCEPTANCE,)),
        (S.TERMINATED, ()),
        (S.ACCEPTED, (S.ARCHIVED,)),
        (S.ARCHIVED, ()),
    ],
)
def test_next_statuses(status, expected):
    assert next_statuses(status) == expected


FULL_PATH = [
    S.APPLIED,
    S.ELIGIBILITY_REVIEW,
    S.PUBLICITY,
    S.ASSESSED,
    S.SURVEYED,
    S.PLANNED,
    S.PROCUREMENT,
    S.UNDER_CONSTRUCTION,
    S.AWAITING_ACCEPTANCE,
    S.ACCEPTED,
    S.ARCHIVED,
]


def test_full_flow_with_review_publicity_and_tender_is_valid():
    for old, new in zip(FULL_PATH, FULL_PATH[1:], strict=False):
        check_transition(old, new)


@pytest.mark.parametrize(
    "old",
    [s for s in S if s not in (S.ACCEPTED, S.ARCHIVED, S.TERMINATED, S.AWAITING_ACCEPTANCE, S.RECTIFYING)],
)
def test_a_project_may_be_terminated_with_a_reason_until_the_works_are_done(old):
    check_transition(old, S.TERMINATED, "家庭放弃改造")
    with pytest.raises(InvalidTransition, match="须写明原因"):
        check_transition(old, S.TERMINATED, "  ")


def test_codes_of_existing_statuses_are_stable():
    assert [s.value for s in S][:1] == ["applied"]
    assert {s.value for s in S} >= {
        "applied", "assessed", "surveyed", "planned", "construction", "awaiting_acceptance",
        "accepted", "rectifying", "archived",
    }  # fmt: skip
    assert (S.ELIGIBILITY_REVIEW.label, S.PUBLICITY.label, S.PROCUREMENT.label, S.TERMINATED.label) == (
        "资格审核", "公示", "采购/招标", "终止/放弃",
    )  # fmt: skip


def test_person_status_has_long_absence_and_lost_contact():
    from app.domain.enums import PersonStatus

    assert PersonStatus("long_absent").label == "长期外出" and PersonStatus("lost_contact").label == "失联"


def test_every_status_reaches_archive_or_termination():
    for start in S:
        if start is S.TERMINATED:
            continue
        seen, todo = set(), [start]
        while todo:
            s = todo.pop()
            if s not in seen:
                seen.add(s)
                todo.extend(next_statuses(s))
        assert S.ARCHIVED in seen, start


def _item(code, planned, actual=None, price=None):
    return ProjectItem.from_catalog(load_catalog().item(code), planned, actual, price)


def test_amounts_planned_and_actual():
    ramp = _item("WZA-01", "3.5", 3, 380)
    assert ramp.planned_amount == Decimal("1330.00")
    assert ramp.actual_amount == Decimal("1140.00")
    assert _item("WZA-11", 1).actual_amount is None
    t = totals([ramp, _item("WZA-11", 1, 1)])
    assert t.planned == Decimal("1450.00")
    assert t.actual == Decimal("1260.00")


def test_float_quantities_have_no_binary_noise():
    assert _item("ZM-01", 0.1, 0.1, 0.3).planned_amount == Decimal("0.03")


@pytest.mark.parametrize("bad", ["-1", "abc", "nan", ""])
def test_bad_quantity(bad):
    with pytest.raises(InvalidQuantity):
        _item("WZA-01", bad)


def test_budget_within_cap_has_no_warnings():
    assert check_budget("lighting", [_item("ZM-01", 40, 40), _item("ZM-05", 6, 6)]) == []


@pytest.mark.parametrize(
    ("kind", "items", "message"),
    [
        ("accessibility", [("WZA-16", 6, None)], "计划金额6600.00元超过每户上限6000.00元"),
        ("lighting", [("ZM-01", 100, 130)], "结算金额1040.00元超过每户上限1000.00元"),
        ("lighting", [("ZM-05", 2, 3)], "实际数量3盏超过计划数量2盏"),
        ("lighting", [("WZA-11", 1, 1)], "属于无障碍改造项目"),
    ],
)
def test_budget_warnings(kind, items, message):
    warnings = check_budget(kind, [_item(*row) for row in items])
    assert any(message in w for w in warnings), warnings


def test_budget_strict_raises_over_cap():
    with pytest.raises(OverBudget, match="超过每户上限"):
        check_budget("accessibility", [_item("WZA-16", 6)], strict=True)
