"""``homevisit seed``'s visits carry filled forms: complete for completed visits, partial for drafts,
each consistent with the person (prefill, category, age) on the visit's day, the outcome with the status."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.domain.localtime import CHINA_TIME
from app.forms.definition import get_form
from app.forms.engine import FormSession
from app.services.seed import seed_store
from app.services.visits import VisitService, outcome_person_status
from app.store.models import AttachmentLink, FormResponse, Person, Visit
from app.store.store import Store


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("seedforms") / "profile")
    report = seed_store(store, 120, seed=4, with_forms=True)
    yield store, report
    store.close()


def _day(stamp: str) -> date:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(CHINA_TIME).date()


def test_every_visit_has_forms_complete_when_the_visit_is(seeded):
    store, report = seeded
    with store.session() as s:
        visits = s.exec(select(Visit)).all()
        responses = s.exec(select(FormResponse)).all()
        persons = {p.id: p for p in s.exec(select(Person)).all()}
    by_visit: dict[str, list[FormResponse]] = {}
    for r in responses:
        by_visit.setdefault(r.visit_id, []).append(r)
    assert report.responses == len(responses) > len(visits)
    drafts = [v for v in visits if v.status == "draft"]
    assert drafts and len(drafts) < len(visits) / 5
    checked = partial = 0
    for visit in visits:
        forms = by_visit[visit.id]
        assert "needs_assessment" in {r.form_id for r in forms}
        day = _day(visit.started_at)
        # The context the visit screen would prefill for this person on that day.
        ctx = VisitService(store, today=day).person_context(visit.person_id, visit.household_id, visit.worker)
        person = persons[visit.person_id]
        for r in forms:
            session = FormSession(get_form(r.form_id, r.form_version), r.answers, ctx)
            if visit.status == "completed":
                assert r.status == "completed" and r.completed_at == visit.ended_at
                assert session.can_complete(), (r.form_id, session.errors())
                checked += 1
            else:
                assert r.status == "draft" and not visit.ended_at
                partial += not session.can_complete()
            for q in session.definition.questions.values():
                if q.prefill in ("name", "category", "level") and q.repeat is None and q.id in r.answers:
                    assert r.answers[q.id] == getattr(person, q.prefill)
    assert checked > len(visits) and partial


def test_the_last_visit_outcome_agrees_with_the_person_status(seeded):
    store, _ = seeded
    with store.session() as s:
        persons = s.exec(select(Person)).all()
        last: dict[str, FormResponse] = {}
        for visit in s.exec(select(Visit).order_by(Visit.started_at)).all():  # type: ignore[arg-type]
            for r in s.exec(select(FormResponse).where(FormResponse.visit_id == visit.id)).all():
                if r.form_id == "needs_assessment":
                    last[visit.person_id] = r
    gone = [p for p in persons if p.status in ("deceased", "moved_out") and p.id in last]
    assert gone  # the generator marks ~5% deceased or moved out
    for p in persons:
        if p.id not in last:
            continue
        implied = outcome_person_status(last[p.id])
        if p.status in ("deceased", "moved_out", "lost_contact"):
            assert implied == p.status
        else:
            assert implied in ("", "registered")
            assert last[p.id].answers["visit_outcome"] in ("seen", "not_seen", "refused")


def test_signatures_are_stored_and_linked(seeded):
    store, _ = seeded
    with store.session() as s:
        links = s.exec(select(AttachmentLink).where(AttachmentLink.owner_tbl == "formresponse")).all()
        responses = {r.id: r for r in s.exec(select(FormResponse)).all()}
    assert links
    for link in links[:50]:
        assert link.sha256 in responses[link.owner_id].answers.values() or any(
            isinstance(v, list) and link.sha256 in v for v in responses[link.owner_id].answers.values()
        )
        assert store.files.path(link.sha256).exists()


def test_without_forms_the_seed_is_unchanged(tmp_path):
    """Benchmarks' profiles keep their shape: the same households, persons and visits, no responses."""
    plain, filled = Store(tmp_path / "a"), Store(tmp_path / "b")
    try:
        a = seed_store(plain, 30, seed=8)
        b = seed_store(filled, 30, seed=8, with_forms=True)
        assert (a.households, a.persons, a.visits, a.responses) == (b.households, b.persons, b.visits, 0)
        with plain.session() as s1, filled.session() as s2:
            assert [v.started_at for v in s1.exec(select(Visit).order_by(Visit.started_at))] == [  # type: ignore[arg-type]
                v.started_at
                for v in s2.exec(select(Visit).order_by(Visit.started_at))  # type: ignore[arg-type]
            ]
    finally:
        plain.close()
        filled.close()
