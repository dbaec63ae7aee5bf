"""VisitService: start with prefill, suggestions, per-answer saves, completion, reopen, lists."""

from __future__ import annotations

import io
import time
from datetime import date

import pytest
from PIL import Image
from sqlmodel import select

from app.forms import definition as form_definitions
from app.forms.errors import AnswerError
from app.services.attachments import AttachmentService, normalise_photo
from app.services.registry import RegistryService
from app.services.visits import (
    ReopenReasonRequired,
    TodoFilters,
    VisitIncomplete,
    VisitLocked,
    VisitService,
)
from app.store.models import AuditEvent, Change, FormResponse, Visit
from tests.helpers.profiles import VALID_ID_2, household_data, person_data

TODAY = date(2026, 11, 20)


@pytest.fixture
def setup(store):
    registry = RegistryService(store)
    household = registry.save_household("zhangli", household_data(house_grade="B"))
    person = registry.save_person("zhangli", household.id, person_data())
    return VisitService(store, today=TODAY), household, person


def test_start_visit_prefills_from_registry(setup, store):
    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment", "assistive_devices"])
    responses = visits.responses(visit.id)
    assert [r.form_id for r in responses] == ["needs_assessment", "assistive_devices"]
    needs = responses[0].answers
    assert (needs["name"], needs["gender"], needs["category"], needs["level"]) == ("王芳", "F", "4", "2")
    assert needs["age"] == 76 and needs["economic_status"] == "dibao"
    assert needs["collector"] == "zhangli" and needs["collect_date"] == TODAY.isoformat()
    assert responses[1].form_version == 3 and visit.status == "draft"
    with store.session() as s:
        fields = {c.field for c in s.exec(select(Change).where(Change.row_id == responses[0].id))}
    assert "answers.name" in fields  # prefilled answers sync like typed ones


@pytest.mark.parametrize(
    ("person_kw", "grade", "answers", "expected"),
    [
        ({"category": "4"}, "B", {}, ["needs_assessment", "assistive_devices", "housing_condition"]),
        ({"category": "5", "cert_number": ""}, "A", {}, ["needs_assessment", "housing_condition"]),
        (
            {"category": "5", "cert_number": ""},
            "D",
            {"housing": True},
            ["needs_assessment", "housing_condition"],
        ),
        ({"category": "5", "cert_number": ""}, "A", {"housing": True}, ["needs_assessment"]),
        (
            {"category": "5", "cert_number": ""},
            "A",
            {"housing": True, "rehab_needed": ["device_fitting"]},
            ["needs_assessment", "assistive_devices"],
        ),
    ],
)
def test_suggest_forms(store, person_kw, grade, answers, expected):
    registry = RegistryService(store)
    household = registry.save_household("zhangli", household_data(house_grade=grade))
    person = registry.save_person("zhangli", household.id, person_data(**person_kw))
    visits = VisitService(store, today=TODAY)
    if answers:
        forms = ["needs_assessment"] + (["housing_condition"] if answers.get("housing") else [])
        visit = visits.start_visit("zhangli", household.id, person.id, forms)
        if "rehab_needed" in answers:
            needs = visits.responses(visit.id)[0]
            visits.save_answer("zhangli", needs.id, "rehab_needed", answers["rehab_needed"])
        _mark_completed(store, visit.id)  # what a visit found counts once it is completed
    assert visits.suggest_forms(person.id) == expected


def _mark_completed(store, visit_id):
    with store.unit_of_work("zhangli") as uow:
        for r in uow.session.exec(select(FormResponse).where(FormResponse.visit_id == visit_id)):
            uow.update(r, status="completed")
        uow.update(uow.get(Visit, visit_id), status="completed")


def test_save_answer_writes_one_transaction_with_recomputed_calculations(setup, store):
    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["assistive_devices"])
    rid = visits.responses(visit.id)[0].id
    visits.save_answer("zhangli", rid, "has_need", True)
    added = visits.add_repeat_entry("zhangli", rid, "devices")
    entry = added.entry_id
    assert entry and added.changed["devices"] == [entry]
    visits.save_answer("zhangli", rid, f"devices[{entry}].device_class", "12")
    result = visits.save_answer("zhangli", rid, f"devices[{entry}].device", "D01")
    assert result.changed[f"devices[{entry}].device_unit"] == "辆"
    with store.session() as s:
        saved = s.get(FormResponse, rid).answers
    assert saved[f"devices[{entry}].device"] == "D01"
    assert saved[f"devices[{entry}].device_unit"] == "辆"
    removed = visits.remove_repeat_entry("zhangli", rid, "devices", entry)
    assert removed.changed[f"devices[{entry}].device"] is None
    with store.session() as s:
        assert f"devices[{entry}].device" not in s.get(FormResponse, rid).answers


def test_bad_value_is_refused_and_cache_recovers(setup):
    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    rid = visits.responses(visit.id)[0].id
    with pytest.raises(AnswerError):
        visits.save_answer("zhangli", rid, "household_size", "三口")
    visits.save_answer("zhangli", rid, "household_size", "3")
    assert visits.open_response(rid).value("household_size") == 3


def test_complete_refused_with_open_required_then_reopen_needs_reason(setup, store):
    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["assistive_devices"])
    rid = visits.responses(visit.id)[0].id
    visits.save_answer("zhangli", rid, "has_need", False)
    visits.save_answer("zhangli", rid, "sign_date", "2099-01-01")
    with pytest.raises(VisitIncomplete) as refused:
        visits.complete_visit("zhangli", visit.id)
    errors = refused.value.problems[0].errors
    assert errors["person_signature"] == "此项为必填项" and "sign_date" in errors
    png = io.BytesIO()
    Image.new("RGBA", (40, 20), (0, 0, 0, 255)).save(png, "PNG")
    sig = AttachmentService(store).add_signature(
        "zhangli", "formresponse", rid, "signature_resident", png.getvalue()
    )
    visits.save_answer("zhangli", rid, "person_signature", sig.sha256)
    visits.save_answer("zhangli", rid, "signer_relation", "self")
    visits.save_answer("zhangli", rid, "sign_date", TODAY.isoformat())
    done = visits.complete_visit("zhangli", visit.id)
    assert done.status == "completed" and visits.responses(visit.id)[0].status == "completed"
    with pytest.raises(VisitLocked):
        visits.save_answer("zhangli", rid, "signer_relation", "spouse")
    with pytest.raises(ReopenReasonRequired):
        visits.reopen_visit("zhangli", visit.id, "  ")
    reopened = visits.reopen_visit("zhangli", visit.id, "签字人关系填错")
    assert (reopened.status, reopened.reopen_reason) == ("draft", "签字人关系填错")
    with store.session() as s:
        audit = s.exec(select(AuditEvent).where(AuditEvent.action == "reopen")).one()
    assert audit.detail == "签字人关系填错"
    visits.save_answer("zhangli", rid, "signer_relation", "spouse")


def test_old_version_response_opens_and_finishes_on_its_version(setup, store, tmp_path, monkeypatch):
    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["assistive_devices"])
    with store.unit_of_work("zhangli") as uow:
        response = uow.session.exec(select(FormResponse).where(FormResponse.visit_id == visit.id)).one()
        uow.update(response, form_version=1)
    session = visits.open_response(response.id)
    assert session.definition.version == 1
    v1 = form_definitions.get_form("assistive_devices", 1)
    assert set(session.definition.questions) == set(v1.questions)
    visits.save_answer("zhangli", response.id, "has_need", False)
    assert visits.open_response(response.id).definition.version == 1


def test_unfinished_drafts_and_history(setup):
    visits, household, person = setup
    first = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    visits.start_visit("other", household.id, person.id, ["assistive_devices"])
    drafts = visits.unfinished_drafts("zhangli")
    assert [d.visit.id for d in drafts] == [first.id]
    assert drafts[0].person_name == "王芳" and drafts[0].responses[0].total > 0
    assert visits.has_unfinished_drafts("zhangli") == 1
    assert len(visits.visit_history(household.id)) == 2


def _todo_setup(store):
    registry = RegistryService(store)
    visits = VisitService(store, today=TODAY)
    h1 = registry.save_household("zhangli", household_data(house_grade="D", economic_status="general"))
    p1 = registry.save_person("zhangli", h1.id, person_data(has_care_subsidy=True))
    h2 = registry.save_household("zhangli", household_data(house_grade="A", economic_status="general"))
    p2 = registry.save_person(
        "zhangli", h2.id, person_data(name="李强", id_number=VALID_ID_2, cert_number="", level="3")
    )
    return visits, (h1, p1), (h2, p2)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (TodoFilters(), {"王芳", "李强"}),
        (TodoFilters(severe_only=True), {"王芳"}),
        (TodoFilters(dangerous_house=True), {"王芳"}),
        (TodoFilters(not_visited_this_year=True), {"李强"}),
        (TodoFilters(has_open_alerts=True), {"王芳"}),
    ],
)
def test_todo_filters(store, filters, expected):
    visits, (h1, p1), _ = _todo_setup(store)
    visit = visits.start_visit("zhangli", h1.id, p1.id, ["assistive_devices"])
    with store.unit_of_work("zhangli") as uow:
        uow.update(uow.get(Visit, visit.id), status="completed")
    region = h1.region_code[:6]
    assert {t.name for t in visits.todo_list(region, filters)} == expected
    assert visits.todo_list("999999", filters) == []


@pytest.fixture
def in_quzhou(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_visit_on_new_years_morning_counts_for_the_new_year(store, in_quzhou):
    visits, (h1, p1), _ = _todo_setup(store)
    visit = visits.start_visit("zhangli", h1.id, p1.id, ["assistive_devices"])
    with store.unit_of_work("zhangli") as uow:  # 07:00 on 1 January in Quzhou, stored in UTC
        uow.update(uow.get(Visit, visit.id), status="completed", started_at="2025-12-31T23:00:00.000Z")
    region = h1.region_code[:6]
    assert {t.name for t in visits.todo_list(region, TodoFilters(not_visited_this_year=True))} == {"李强"}


def test_photo_is_downscaled_upright_without_exif_and_content_addressed(store, setup):
    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["housing_condition"])
    image = Image.new("RGB", (4000, 2000), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    exif[0x010F] = "CameraMaker"
    raw = io.BytesIO()
    image.save(raw, "JPEG", exif=exif)
    service = AttachmentService(store)
    first = service.add_photo("zhangli", "visit", visit.id, "photo", raw.getvalue())
    again = service.add_photo("zhangli", "visit", visit.id, "photo", raw.getvalue())
    assert first.sha256 == again.sha256 and first.link_id != again.link_id
    stored = Image.open(store.files.path(first.sha256))
    assert stored.size == (800, 1600) and stored.format == "JPEG"
    assert not stored.getexif()
    links = service.list_links("visit", visit.id)
    assert {link.region_code for link in links} == {household.region_code}
    assert [link.position for link in links] == [0, 1]
    thumb = Image.open(service.thumbnail(first.sha256))
    assert max(thumb.size) == 160
    assert normalise_photo(raw.getvalue()) == store.files.read(first.sha256)


@pytest.mark.parametrize(("outcome", "status"), [("deceased", "deceased"), ("lost_contact", "lost_contact"),
                                                 ("moved_out", "moved_out"), ("refused", "registered")])  # fmt: skip
def test_visit_outcome_updates_the_person_status(setup, store, outcome, status):
    import random

    from app.forms.definition import get_form
    from app.forms.synthetic import fill_form
    from app.store.models import Person

    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    (response,) = visits.responses(visit.id)
    filled = fill_form(
        get_form("needs_assessment"), response.answers, random.Random(1), wants={"visit_outcome": outcome}
    )
    form = get_form("needs_assessment")
    for key, value in filled.answers.items():
        q = form.questions.get(key)
        if q is not None and q.type != "calculate" and response.answers.get(key) != value:
            visits.save_answer("zhangli", response.id, key, value)
    visits.complete_visit("zhangli", visit.id)
    with store.session() as s:
        assert s.get(Person, person.id).status == status
