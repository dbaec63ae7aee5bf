"""Project service: creation from a visit or by hand, cap checks, the status flow and its timeline, list filters."""

from datetime import date

import pytest

from app.domain.enums import ProjectStatus
from app.domain.renovation import InvalidTransition, OverBudget
from app.services.projects import (
    NoRenovationNeed,
    PhotoNotAllowed,
    PlanLine,
    ProjectError,
    ProjectFilters,
    ProjectService,
    needs_from_answers,
)
from app.services.registry import RegistryService
from app.store.models import FormResponse, ProjectEvent, Visit
from tests.helpers.profiles import household_data, person_data

FLOW = ["assessed", "surveyed", "planned", "construction", "awaiting_acceptance"]


@pytest.fixture
def family(store):
    reg = RegistryService(store)
    h = reg.save_household("zhangli", household_data())
    p = reg.save_person("zhangli", h.id, person_data())
    return h, p


@pytest.fixture
def service(store):
    return ProjectService(store, today=date(2026, 6, 1))


def _lighting(service, family, **kw):
    h, p = family
    return service.create_project(
        "zhangli",
        household_id=h.id,
        person_id=p.id,
        kind="lighting",
        lines=[PlanLine("ZM-01", 40), PlanLine("ZM-05", 6, unit_price="28")],
        **kw,
    )


def test_create_by_hand_prices_from_catalogue_and_tender(service, family):
    project = _lighting(service, family, contractor="柯城明亮电气")
    detail = service.detail(project.id)
    assert detail.status is ProjectStatus.APPLIED
    assert [(i.item.code, str(i.item.unit_price)) for i in detail.items] == [
        ("ZM-01", "8.00"),
        ("ZM-05", "28.00"),
    ]
    assert str(detail.totals.planned) == "488.00"
    assert project.region_code == family[0].region_code
    assert [e.to_status for e in detail.events] == ["applied"]


@pytest.mark.parametrize(
    ("lines", "budget"),
    [([PlanLine("ZM-05", 40)], None), ([PlanLine("ZM-05", 1)], 1500)],
    ids=["items-over-cap", "budget-over-cap"],
)
def test_over_cap_is_refused_unless_allowed(service, family, lines, budget):
    h, p = family
    kw = dict(household_id=h.id, person_id=p.id, kind="lighting", lines=lines, budget=budget)
    with pytest.raises(OverBudget, match="超过每户上限1000.00元"):
        service.create_project("zhangli", **kw)
    project = service.create_project("zhangli", allow_over_cap=True, **kw)
    assert any("上限" in w for w in service.detail(project.id).warnings)


def test_raising_the_budget_over_the_cap_needs_confirmation(service, family):
    project = _lighting(service, family)
    with pytest.raises(OverBudget, match="超过每户上限"):
        service.update_project("zhangli", project.id, budget=1500)
    updated = service.update_project("zhangli", project.id, budget=1500, allow_over_cap=True)
    assert updated.budget == 1500


def test_item_of_another_kind_is_refused(service, family):
    h, _ = family
    with pytest.raises(ProjectError, match="属于无障碍改造"):
        service.create_project("zhangli", household_id=h.id, kind="lighting", lines=[PlanLine("WZA-01", 1)])


def test_flow_cannot_skip_and_every_step_is_recorded(service, family, store):
    project = _lighting(service, family)
    with pytest.raises(InvalidTransition, match="下一步应为“资格审核”或“评估”"):
        service.advance("zhangli", project.id, "planned")
    for i, status in enumerate(FLOW):
        service.advance(f"worker{i}", project.id, status, note=f"第{i}步")
    with pytest.raises(InvalidTransition):
        service.advance("zhangli", project.id, "archived")
    events = service.detail(project.id).events
    assert [(e.from_status, e.to_status) for e in events] == list(
        zip(["", "applied", *FLOW[:-1]], ["applied", *FLOW], strict=True)
    )
    assert [e.actor for e in events[1:]] == [f"worker{i}" for i in range(len(FLOW))]
    assert all(e.at and e.at.endswith("Z") for e in events)
    assert events[2].note == "第1步"
    assert service.get(project.id).status == "awaiting_acceptance"
    with store.session() as s:  # events sync like every other row
        assert s.exec(__import__("sqlmodel").select(ProjectEvent)).all()


def test_before_photos_only_until_works_start(service, family, tmp_path):
    from PIL import Image

    project = _lighting(service, family)
    picture = tmp_path / "p.jpg"
    Image.new("RGB", (64, 48), (200, 100, 50)).save(picture)
    for status in FLOW[:2]:
        service.advance("zhangli", project.id, status)
    sha = service.add_before_photo("zhangli", project.id, picture)
    assert [link.sha256 for link in service.detail(project.id).photos_before] == [sha]
    for status in FLOW[2:4]:
        service.advance("zhangli", project.id, status)
    with pytest.raises(PhotoNotAllowed):
        service.add_before_photo("zhangli", project.id, picture)


def test_create_from_visit_need(service, family, store):
    h, p = family
    with store.unit_of_work("zhangli") as uow:
        visit = uow.add(Visit(household_id=h.id, person_id=p.id, worker="zhangli", region_code=h.region_code))
        uow.add(
            FormResponse(
                visit_id=visit.id,
                form_id="housing_condition",
                form_version=1,
                answers={"accessibility_items": ["WZA-01", "WZA-04"], "lighting_need": False},
                region_code=h.region_code,
            )
        )
    assert [n.kind.value for n in service.needs_from_visit(visit.id)] == ["accessibility"]
    project = service.create_from_visit("zhangli", visit.id, "accessibility")
    detail = service.detail(project.id)
    assert [i.item.code for i in detail.items] == ["WZA-01", "WZA-04"]
    assert project.source_visit_id == visit.id and project.person_id == p.id
    with pytest.raises(NoRenovationNeed):
        service.create_from_visit("zhangli", visit.id, "lighting")


def test_needs_from_the_short_check_and_the_survey_of_one_visit(service, family, store):
    h, p = family
    with store.unit_of_work("zhangli") as uow:
        visit = uow.add(Visit(household_id=h.id, person_id=p.id, worker="zhangli", region_code=h.region_code))
        check = {"accessibility_need": True, "lighting_need": True, "clean_bright_need": False}
        survey = {"accessibility_items": ["WZA-01"], "accessibility_need": True, "lighting_need": False}
        for form_id, version, answers in (("housing_condition", 3, check), ("housing_survey", 1, survey)):
            uow.add(
                FormResponse(
                    visit_id=visit.id,
                    form_id=form_id,
                    form_version=version,
                    answers=answers,
                    region_code=h.region_code,
                )
            )
    needs = {n.kind.value: n.item_codes for n in service.needs_from_visit(visit.id)}
    # the check's flags name the kinds; the survey chose the accessibility items
    assert needs == {"accessibility": ("WZA-01",), "lighting": ()}


@pytest.mark.parametrize(
    ("answers", "kinds"),
    [
        ({}, []),
        ({"lighting_need": True, "lighting_items": ["ZM-01"]}, ["lighting"]),
        ({"dangerous_house_need": True}, ["dangerous_house"]),
        (
            {"clean_bright_need": True, "clean_bright_items": ["JJ-01"], "accessibility_items": ["WZA-03"]},
            ["accessibility", "clean_bright"],
        ),
    ],  # fmt: skip
)
def test_needs_from_answers(answers, kinds):
    assert [n.kind.value for n in needs_from_answers(answers)] == kinds


def test_list_filters(service, family, store):
    h, p = family
    late = _lighting(service, family, due_date=date(2026, 5, 1))
    service.create_project(
        "zhangli",
        household_id=h.id,
        kind="accessibility",
        lines=[PlanLine("WZA-03", 1)],
        due_date="2026-12-31",
    )
    rows = service.list_projects()
    assert {r.kind for r in rows} == {"lighting", "accessibility"}
    assert [r.id for r in service.list_projects(ProjectFilters(overdue=True))] == [late.id]
    assert [r.kind for r in service.list_projects(ProjectFilters(kind="accessibility"))] == ["accessibility"]
    assert service.list_projects(ProjectFilters(status="planned")) == []
    assert len(service.list_projects(ProjectFilters(region_prefix=h.region_code[:6]))) == 2
    assert service.list_projects(ProjectFilters(region_prefix="330881")) == []
    row = next(r for r in rows if r.id == late.id)
    assert (row.head_name, row.person_name, str(row.planned_total)) == ("王建国", "王芳", "488.00")
