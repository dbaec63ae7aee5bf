"""Need items from opening to closing (app/services/needs.py): opened by a completed visit,
closed by an acceptance, a device delivery, a subsidy, or by hand with a reason."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.domain import needs as nd
from app.forms.definition import get_form
from app.forms.engine import FormSession
from app.forms.synthetic import fill_form
from app.services.acceptance import AcceptanceService
from app.services.alerts import AlertService
from app.services.needs import NeedError, NeedReasonRequired, NeedService, load_need_rules, needs_in_response
from app.services.registry import RegistryService
from app.services.visits import VisitService
from app.store.models import FormResponse, NeedItem
from tests.helpers.profiles import household_data, person_data
from tests.services.test_acceptance_service import awaiting_project, fill_all

TODAY = date(2026, 11, 20)


@pytest.fixture
def family(store):
    registry = RegistryService(store)
    household = registry.save_household("zhangli", household_data())
    person = registry.save_person("zhangli", household.id, person_data())
    return VisitService(store, today=TODAY), household, person


def items(store, **where) -> list[NeedItem]:
    with store.session() as s:
        rows = list(s.exec(select(NeedItem).order_by(NeedItem.need_type, NeedItem.detail)))
    return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


def visit_with(
    visits, store, household, person, form_id, answers, *, complete=True, seed=1, patch=None, actor="zhangli"
):
    """A visit whose one form is filled in (``answers`` fixed, then ``patch``ed) and, by default, completed."""
    visit = visits.start_visit(actor, household.id, person.id, [form_id])
    (response,) = visits.responses(visit.id)
    context = visits.person_context(person.id, household.id, actor)
    filled = fill_form(get_form(form_id), context, random.Random(seed), wants=answers)
    with store.unit_of_work(actor) as uow:
        final = {**filled.answers, **answers}
        uow.update(uow.get(FormResponse, response.id), answers=patch(final) if patch else final)
    if complete:
        visits.complete_visit(actor, visit.id)
    return visit


def test_rules_name_known_types_and_map_answers_to_needs():
    rules = load_need_rules()
    assert {r.need_type for r in rules.rules} <= {t.value for t in nd.NeedType}
    form = get_form("needs_assessment")
    answers = {
        "visit_outcome": "seen",
        "in_institution": False,
        "age": 40,
        "employed": True,
        "employment_help": ["skills_training", "none"],
        "social_security": ["resident_medical"],
        "economic_status": "dibao",
    }
    found = needs_in_response(
        FormSession(form, answers), {"level": "1", "has_care_subsidy": False, "has_living_subsidy": False}
    )
    assert ("employment", "职业技能培训") in {(f.need_type, f.detail) for f in found}
    assert ("employment", "不需要") not in {(f.need_type, f.detail) for f in found}
    assert {f.detail for f in found if f.need_type == "social_security"} == {
        "重度残疾人护理补贴",
        "困难残疾人生活补贴",
    }
    # Someone already receiving the care subsidy has no such need.
    found = needs_in_response(FormSession(form, answers), {"level": "1", "has_care_subsidy": True})
    assert "重度残疾人护理补贴" not in {f.detail for f in found}


def test_a_completed_visit_opens_need_items_once_and_a_draft_opens_nothing(family, store):
    visits, household, person = family
    draft = visit_with(
        visits, store, household, person, "housing_condition", {"lighting_need": True}, complete=False
    )
    assert items(store) == []
    visits.complete_visit("zhangli", draft.id)
    (lighting,) = items(store, need_type="lighting")
    assert (lighting.status, lighting.person_id, lighting.source_visit_id) == ("pending", person.id, draft.id)
    assert lighting.opened_on == TODAY.isoformat()
    assert lighting.due_on == (TODAY + timedelta(days=90)).isoformat()
    assert lighting.region_code == household.region_code
    count = len(items(store))
    # Reopened and completed again, or seen again on a later visit: still one open item.
    visits.reopen_visit("zhangli", draft.id, "补充照片")
    visits.complete_visit("zhangli", draft.id)
    visit_with(visits, store, household, person, "housing_condition", {"lighting_need": True}, seed=2)
    assert len(items(store, need_type="lighting")) == 1
    assert len(items(store)) >= count


def test_an_accepted_project_closes_the_matching_need(store):
    project = awaiting_project(store, "lighting")
    with store.unit_of_work("zhangli") as uow:
        for kind in ("lighting", "accessibility"):
            uow.add(
                NeedItem(
                    household_id=project.household_id,
                    person_id=project.person_id,
                    need_type=kind,
                    status="referred",
                    opened_on="2026-04-01",
                    due_on="2026-07-01",
                    region_code=project.region_code,
                )
            )
    service = AcceptanceService(store, today=date(2026, 5, 12))
    acceptance = service.start("yanshou", project.id, team=["验收员甲", "验收员乙"])
    fill_all(service, acceptance.id)
    assert service.finish("yanshou", acceptance.id).passed
    (lighting,) = items(store, need_type="lighting")
    assert (lighting.status, lighting.closed_kind, lighting.closed_ref) == (
        "closed",
        "acceptance",
        project.id,
    )
    assert lighting.closed_on == "2026-05-12"
    assert items(store, need_type="accessibility")[0].status == "referred"


def test_a_device_delivery_closes_the_device_need(family, store):
    visits, household, person = family

    def delivered(on):
        def patch(answers):
            entry = answers["devices"][0]
            answers["devices"] = [entry]
            answers[f"devices[{entry}].delivered"] = on is not None
            if on:
                answers[f"devices[{entry}].delivered_on"] = on
            return answers

        return patch

    visit_with(
        visits, store, household, person, "assistive_devices", {"has_need": True}, patch=delivered(None)
    )
    (device,) = items(store, need_type="device")
    catalogue = {c.label for c in get_form("assistive_devices").questions["device"].choices}
    assert device.status == "pending" and device.detail in catalogue
    later = visit_with(
        visits,
        store,
        household,
        person,
        "assistive_devices",
        {"has_need": True},
        patch=delivered("2026-11-18"),
    )
    (device,) = items(store, need_type="device")
    assert (device.status, device.closed_kind, device.closed_ref) == ("closed", "delivery", later.id)
    assert device.closed_on == "2026-11-18"


def test_a_subsidy_starting_closes_the_social_security_need(family, store):
    visits, household, person = family
    answers = {"visit_outcome": "seen", "social_security": ["resident_medical"], "economic_status": "general"}
    visit_with(visits, store, household, person, "needs_assessment", answers)
    (care,) = items(store, need_type="social_security", detail="重度残疾人护理补贴")
    assert care.status == "pending"
    RegistryService(store).save_person(
        "zhangli", household.id, person_data(has_care_subsidy=True), person_id=person.id
    )
    (care,) = items(store, need_type="social_security", detail="重度残疾人护理补贴")
    assert (care.status, care.closed_kind, care.closed_ref) == ("closed", "subsidy", person.id)


def test_follow_up_by_hand_needs_a_reason_to_close_and_a_closed_item_stays_closed(family, store):
    visits, household, person = family
    visit_with(visits, store, household, person, "housing_condition", {"lighting_need": True})
    service = NeedService(store, today=TODAY)
    (item,) = [v for v in service.for_household(household.id) if v.need_type == "lighting"]
    assert item.status_label == "待办" and item.person_name == "王芳" and not item.overdue
    view = service.change("zhangli", item.id, status="referred", referral_to="衢州市残疾人康复中心")
    assert (view.status, view.referral_to) == ("referred", "衢州市残疾人康复中心")
    with pytest.raises(NeedReasonRequired, match="必须填写原因"):
        service.change("zhangli", item.id, status="unable", reason="  ")
    assert service.get(item.id).status == "referred"  # the refusal changed nothing
    view = service.change("zhangli", item.id, status="unable", reason="家属暂不同意改造")
    assert (view.status, view.closed_kind, view.close_reason, view.closed_on) == (
        "unable",
        "manual",
        "家属暂不同意改造",
        TODAY.isoformat(),
    )
    with pytest.raises(NeedError, match="不能从“无法办理”改为“办理中”"):
        service.change("zhangli", item.id, status="in_progress")
    with pytest.raises(NeedError, match="未知的需求状态"):
        service.change("zhangli", item.id, status="done")
    assert service.get(item.id).status == "unable"


def test_an_open_item_past_its_due_date_is_overdue_and_alerts(family, store):
    visits, household, person = family
    visit_with(visits, store, household, person, "housing_condition", {"lighting_need": True})
    (item,) = items(store, need_type="lighting")
    later = date.fromisoformat(item.due_on) + timedelta(days=1)
    assert not NeedService(store, today=TODAY).get(item.id).overdue
    assert NeedService(store, today=later).get(item.id).overdue
    assert nd.is_overdue("pending", item.due_on, later) and not nd.is_overdue("closed", item.due_on, later)
    ids = lambda day: {a.rule_id for a in AlertService(store, today=day).for_person(person.id)}  # noqa: E731
    assert "need_item_overdue" not in ids(TODAY)
    assert "need_item_overdue" in ids(later)


def test_seed_makes_need_items_in_every_state_and_seeding_again_adds_none_for_the_same_persons(store):
    from app.services.needs import seed_need_items
    from app.services.seed import seed_store

    seed_store(store, 40, seed=5)
    seeded = items(store)
    assert {i.status for i in seeded} == {s.value for s in nd.NeedStatus}
    kinds = {i.closed_kind for i in seeded if i.status == "closed"}
    assert len(kinds) >= 3 and kinds <= {k.value for k in nd.NeedClosedKind}
    assert all(i.close_reason for i in seeded if i.closed_kind == "manual")
    assert all(i.source_visit_id and i.person_id and i.region_code for i in seeded)
    assert any(NeedService(store).get(i.id).overdue for i in seeded)
    assert seed_need_items(store, seed=5) == 0
