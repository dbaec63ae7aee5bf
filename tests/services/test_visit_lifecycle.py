"""Visit lifecycle (issue 15, finding 4 and 5): one open draft per person and form, discard with a
reason, resume where the user stopped, and what a visit found comes from completed visits only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.services.alerts import AlertService
from app.services.registry import RegistryService
from app.services.visits import DiscardReasonRequired, DraftExists, VisitLocked, VisitService
from app.store.models import AuditEvent, Change, FormResponse, Visit
from app.store.search import SearchFilters, search_persons
from tests.helpers.profiles import household_data, person_data

TODAY = date(2026, 11, 20)


@pytest.fixture
def setup(store):
    registry = RegistryService(store)
    household = registry.save_household("zhangli", household_data(house_grade="B"))
    person = registry.save_person("zhangli", household.id, person_data())
    return VisitService(store, today=TODAY), household, person


def _complete(store, visit_id):
    """Mark a visit completed without answering every required question (the finding is the point)."""
    with store.unit_of_work("zhangli") as uow:
        for r in uow.session.exec(select(FormResponse).where(FormResponse.visit_id == visit_id)):
            uow.update(r, status="completed")
        uow.update(uow.get(Visit, visit_id), status="completed")


def test_a_draft_leaving_a_question_empty_keeps_the_completed_visits_need(setup, store):
    visits, household, person = setup
    first = visits.start_visit("zhangli", household.id, person.id, ["housing_condition"])
    rid = visits.responses(first.id)[0].id
    visits.save_answer("zhangli", rid, "lighting_need", True)
    _complete(store, first.id)
    alerts = AlertService(store, today=TODAY)
    assert "lighting_need_without_project" in {a.rule_id for a in alerts.for_person(person.id)}

    draft = visits.start_visit("zhangli", household.id, person.id, ["housing_condition"])
    assert visits.responses(draft.id)[0].answers.get("lighting_need") is None  # left empty
    assert visits.latest_answers(person.id)["housing_condition"]["lighting_need"] is True
    assert "lighting_need_without_project" in {a.rule_id for a in alerts.for_person(person.id)}


def test_recent_visit_in_the_registry_is_the_completed_one(setup, store):
    visits, household, person = setup
    draft = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    [hit] = search_persons(store.engine, "王芳", SearchFilters())
    assert not hit.last_visit  # a draft is not a visit made
    _complete(store, draft.id)
    [hit] = search_persons(store.engine, "王芳", SearchFilters())
    assert hit.last_visit == visits.get_visit(draft.id).started_at


def test_second_start_with_the_same_form_names_the_open_draft(setup):
    visits, household, person = setup
    first = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    with pytest.raises(DraftExists) as raised:
        visits.start_visit("zhangli", household.id, person.id, ["housing_condition", "needs_assessment"])
    assert raised.value.visit_id == first.id and raised.value.forms
    assert visits.open_draft_for(person.id).visit.id == first.id
    assert visits.open_draft_for(person.id, ["housing_condition"]) is None
    visits.start_visit("zhangli", household.id, person.id, ["housing_condition"])  # another form: fine


def test_discard_needs_a_reason_and_leaves_an_audited_tombstone(setup, store):
    visits, household, person = setup
    draft = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    with pytest.raises(DiscardReasonRequired):
        visits.discard_visit("zhangli", draft.id, "  ")
    assert visits.get_visit(draft.id).status == "draft"
    visits.discard_visit("zhangli", draft.id, "录错了人")
    assert visits.open_draft_for(person.id) is None and visits.has_unfinished_drafts("zhangli") == 0
    with store.session() as s:
        visit = s.get(Visit, draft.id)
        assert visit.deleted and visit.summary == "已放弃：录错了人"
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "discard")).one()
        assert (event.row_id, event.detail) == (draft.id, "录错了人")
        synced = {c.field for c in s.exec(select(Change).where(Change.row_id == draft.id))}
    assert {"deleted", "summary"} <= synced  # the server learns the tombstone and its reason
    visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])  # a new one may start


def test_a_completed_visit_cannot_be_discarded(setup, store):
    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    _complete(store, visit.id)
    with pytest.raises(VisitLocked):
        visits.discard_visit("zhangli", visit.id, "不要了")


def test_resume_point_is_remembered_and_forgotten_with_the_draft(setup):
    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    rid = visits.responses(visit.id)[0].id
    assert visits.resume_point(visit.id) is None
    visits.save_position(visit.id, rid, "p3", "q_x")
    visits.save_position(visit.id, rid, "p4")
    point = visits.resume_point(visit.id)
    assert (point.response_id, point.page_id, point.question_key) == (rid, "p4", "")
    visits.discard_visit("zhangli", visit.id, "重复")
    assert visits.resume_point(visit.id) is None
