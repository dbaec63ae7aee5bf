"""Acceptance service: checklist groups, measured limits flagged, conclusion, the rectification loop."""

from datetime import date

import pytest

from app.certificates.sample import make_signature
from app.domain.enums import CheckResult, ProjectStatus
from app.services.acceptance import (
    AcceptanceClosed,
    AcceptanceError,
    AcceptanceIncomplete,
    AcceptanceService,
    InconsistentCheck,
)
from app.services.projects import PlanLine, ProjectService
from app.services.registry import RegistryService
from tests.helpers.profiles import household_data, person_data

TODAY = date(2026, 5, 12)
GOOD = {"ZM-C02": "2.5", "ZM-C03": "4", "ZM-C05": "30", "ZM-C06": "12", "ZM-C08": "1.3",
        "WZA-01.slope_run_per_rise": "1:12.5", "WZA-01.width": "1.05", "WZA-01.landing_depth": "1.5",
        "WZA-04.handrail_height": "700", "ZM-C15": "16", "ZM-C16": "20", "ZM-C18": "0.04"}  # fmt: skip
PLANS = {
    "lighting": [PlanLine("ZM-01", 40), PlanLine("ZM-05", 6), PlanLine("ZM-03", 1)],
    "accessibility": [PlanLine("WZA-01", "3.5"), PlanLine("WZA-04", 2), PlanLine("WZA-03", 1)],
    "dangerous_house": [PlanLine("WF-01", 60), PlanLine("WF-02", 25)],
}


def awaiting_project(store, kind="lighting", **family):
    """A project of ``kind`` walked through the flow up to 待验收."""
    reg = RegistryService(store)
    h = reg.save_household("zhangli", household_data(**family.get("household", {})))
    p = reg.save_person("zhangli", h.id, person_data(**family.get("person", {})))
    projects = ProjectService(store, today=TODAY)
    project = projects.create_project(
        "zhangli", household_id=h.id, person_id=p.id, kind=kind, lines=PLANS[kind], contractor="衢州安居装饰"
    )
    for status in ["assessed", "surveyed", "planned", "construction", "awaiting_acceptance"]:
        projects.advance("zhangli", project.id, status)
    return project


def fill_all(service, acceptance_id, overrides=None, tmp_path=None):
    """Answer every check (measured ones with good values) and the item results, sign, rate."""
    overrides = overrides or {}
    view = service.view(acceptance_id)
    for section in view.sections:
        for check in section.checks:
            if check.code in overrides:
                service.record_check("yanshou", acceptance_id, check.code, None, value=overrides[check.code])
            elif check.is_measured:
                service.record_check("yanshou", acceptance_id, check.code, "pass", value=GOOD[check.code])
            else:
                service.record_check("yanshou", acceptance_id, check.code, "pass")
    for _code, row in view.items:
        service.set_actual_qty("yanshou", acceptance_id, row.id, row.planned_qty)
    service.update("yanshou", acceptance_id, satisfaction="满意", opinion="")
    if tmp_path is not None:
        tmp_path.mkdir(parents=True, exist_ok=True)
        for i, role in enumerate(("resident", "contractor", "county")):
            png = make_signature(tmp_path / f"sig{i}.png", i).read_bytes()
            service.add_signature("yanshou", acceptance_id, role, png, name=f"签字人{i}")


@pytest.fixture
def service(store):
    return AcceptanceService(store, today=TODAY)


def test_checklist_groups_include_records_onsite_quality_and_items(store, service):
    project = awaiting_project(store, "accessibility")
    view = service.view(service.start("yanshou", project.id, team=["李强", "陈丽"]).id)
    groups = {s.key: s for s in view.sections}
    assert list(groups) == ["records", "onsite", "quality", "items"]
    assert groups["records"].title == "查阅资料" and groups["onsite"].title == "现场核查"
    assert "WZA-01.width" in {c.code for c in groups["quality"].checks}
    assert [c.name for c in groups["items"].checks] == ["室内外坡道", "卫生间扶手", "卫生间蹲便改坐便"]
    assert view.team == ["李强", "陈丽"] and view.acceptance.round == 1


@pytest.mark.parametrize(
    ("code", "value", "flagged", "stored"),
    [
        ("ZM-C02", "1.0", True, "1 mm²"),
        ("ZM-C02", "1.5", False, "1.5 mm²"),
        ("ZM-C06", "0.5", True, "0.5 MΩ"),  # must be strictly above 0.5
        ("ZM-C08", "1.45 m", True, "1.45 m"),
        ("ZM-C05", "30", False, "30 mA"),
    ],
)
def test_measurement_outside_limits_is_flagged(store, service, code, value, flagged, stored):
    project = awaiting_project(store)
    acceptance = service.start("yanshou", project.id)
    state = service.record_check("yanshou", acceptance.id, code, None, value=value)
    assert state.flagged is flagged
    assert state.value == stored
    assert state.result is (CheckResult.RECTIFY if flagged else CheckResult.PASS)


def test_pass_with_value_out_of_limits_is_refused(store, service):
    project = awaiting_project(store, "accessibility")
    acceptance = service.start("yanshou", project.id)
    with pytest.raises(InconsistentCheck, match="坡道过陡"):
        service.record_check("yanshou", acceptance.id, "WZA-01.slope_run_per_rise", "pass", value="1:10")


def test_finish_needs_every_check(store, service):
    project = awaiting_project(store)
    acceptance = service.start("yanshou", project.id)
    service.update("yanshou", acceptance.id, satisfaction="满意")
    service.record_check("yanshou", acceptance.id, "ZL-01", "pass")
    with pytest.raises(AcceptanceIncomplete, match="未填写") as info:
        service.finish("yanshou", acceptance.id)
    assert "改造申请表（本人或家属签字）" not in info.value.missing
    assert "线路绝缘电阻" in info.value.missing


def test_start_requires_awaiting_acceptance(store, service):
    reg = RegistryService(store)
    h = reg.save_household("zhangli", household_data())
    project = ProjectService(store).create_project("zhangli", household_id=h.id, kind="lighting")
    with pytest.raises(AcceptanceError, match="只有“待验收”"):
        service.start("yanshou", project.id)


def test_rectification_loop_to_second_round_pass(store, service, tmp_path):
    project = awaiting_project(store)
    first = service.start("yanshou", project.id, team="李强、陈丽")
    fill_all(service, first.id, overrides={"ZM-C06": "0.3"}, tmp_path=tmp_path)
    conclusion = service.finish("yanshou", first.id)
    assert not conclusion.passed and conclusion.deadline == date(2026, 5, 27)
    projects = ProjectService(store)
    assert projects.get(project.id).status == ProjectStatus.RECTIFYING
    assert projects.get(project.id).due_date == "2026-05-27"
    assert service.get(first.id).rectification_deadline == "2026-05-27"
    with pytest.raises(AcceptanceClosed):
        service.record_check("yanshou", first.id, "ZM-C06", None, value="10")
    with pytest.raises(AcceptanceError):
        service.start("yanshou", project.id)  # not awaiting acceptance while rectifying
    projects.advance("zhangli", project.id, "awaiting_acceptance", note="已更换线路")
    second = service.start("yanshou", project.id)
    assert second.round == 2
    fill_all(service, second.id, tmp_path=tmp_path)
    assert service.finish("yanshou", second.id).passed
    detail = projects.detail(project.id)
    assert detail.status is ProjectStatus.ACCEPTED
    assert [e.to_status for e in detail.events][-4:] == [
        "awaiting_acceptance",
        "rectifying",
        "awaiting_acceptance",
        "accepted",
    ]
    assert [r.round for r in service.rounds(project.id)] == [1, 2]
    view = service.view(second.id)
    assert set(view.signatures) == {"resident", "contractor", "county"}
    assert view.signer_names["resident"] == "签字人0"


def test_lighting_measurements_use_nominal_values_the_wire_and_the_wheelchair_user(store, service):
    project = awaiting_project(store, "lighting")
    acc = service.start("yanshou", project.id, team=["李强"])
    with pytest.raises(AcceptanceError, match="标称值"):
        service.record_check("yanshou", acc.id, "ZM-C02", None, value="1.8")
    service.record_check("yanshou", acc.id, "ZM-C02", None, value="1.5")
    assert service.record_check("yanshou", acc.id, "ZM-C15", None, value="20").result is CheckResult.RECTIFY
    assert service.record_check("yanshou", acc.id, "ZM-C15", None, value="16").result is CheckResult.PASS
    assert service.record_check("yanshou", acc.id, "ZM-C08", None, value="1.0").result is CheckResult.RECTIFY
    service.set_fact("yanshou", acc.id, "wheelchair_user", "是")
    assert service.record_check("yanshou", acc.id, "ZM-C08", None, value="1.0").result is CheckResult.PASS
    state = service.record_check("yanshou", acc.id, "ZM-C09", "not_applicable")
    assert state.result is CheckResult.NOT_APPLICABLE
