"""The read side: tombstones never show, "latest completed visit" means one thing, full reads are audited."""

import pytest
from sqlalchemy import text
from sqlmodel import select

from app.store.models import (
    Acceptance,
    AttachmentLink,
    AuditEvent,
    FormResponse,
    Household,
    Person,
    RenovationItem,
    RenovationProject,
    Visit,
)
from app.store.read import attachments, households, persons, projects, visits
from app.store.read.live import get_live, live_sql
from app.store.read.persons import RecordNotFound

REGION = "330802001001"


@pytest.fixture
def family(store):
    """A household with a live and a deleted member, visits of each status, one deleted."""
    with store.unit_of_work("alice") as uow:
        h = uow.add(Household(address="书院小区3幢", region_code=REGION))
        alive = uow.add(
            Person(household_id=h.id, name="王芳", id_number="330802199001011234", region_code=REGION)
        )
        gone = uow.add(
            Person(household_id=h.id, name="王强", id_number="330802199001011234", region_code=REGION)
        )
        uow.delete(gone)
        done = uow.add(
            Visit(
                household_id=h.id,
                person_id=alive.id,
                started_at="2026-03-01T02:00:00.000Z",
                status="completed",
            )
        )
        uow.add(
            Visit(
                household_id=h.id, person_id=alive.id, started_at="2026-05-01T02:00:00.000Z", status="draft"
            )
        )
        deleted = uow.add(
            Visit(
                household_id=h.id,
                person_id=alive.id,
                started_at="2026-06-01T02:00:00.000Z",
                status="completed",
            )
        )
        uow.delete(deleted)
        uow.add(FormResponse(visit_id=done.id, form_id="needs_assessment", form_version=1, answers={"a": 1}))
        dropped = uow.add(FormResponse(visit_id=done.id, form_id="housing_condition", form_version=1))
        uow.delete(dropped)
    return {
        "household": h.id,
        "alive": alive.id,
        "gone": gone.id,
        "done": done.id,
        "deleted_visit": deleted.id,
    }


def _scalar(store, sql):
    with store.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_tombstoned_rows_are_hidden_from_every_person_and_visit_read(store, family):
    with store.session() as s:
        assert [p.id for p in persons.members(s, family["household"])] == [family["alive"]]
        assert persons.by_id_number(s, "330802199001011234").id == family["alive"]
        assert get_live(s, Person, family["gone"]) is None
        history = visits.of_household(s, family["household"])
        assert family["deleted_visit"] not in {v.id for v in history} and len(history) == 2
        assert [r.form_id for r in visits.responses(s, [family["done"]])] == ["needs_assessment"]
        assert visits.get_visit(s, family["deleted_visit"]) is None
        assert visits.drafts_of(s, "") == [v for v in history if v.status == "draft"]
    with store.engine.connect() as conn:
        assert persons.count_registered(conn) == 1
        assert persons.duplicate_id_numbers(conn) == []  # the deleted twin does not count


def test_latest_completed_visit_ignores_drafts_and_tombstones(store, family):
    pid = family["alive"]
    latest = visits.latest_visit_sql("person_id", "p")
    any_status = visits.latest_visit_sql("person_id", "p", completed_only=False)
    assert _scalar(store, f"SELECT {latest} FROM person p WHERE p.id = '{pid}'") == "2026-03-01T02:00:00.000Z"
    assert (
        _scalar(store, f"SELECT {any_status} FROM person p WHERE p.id = '{pid}'")
        == "2026-05-01T02:00:00.000Z"
    )
    household = visits.latest_visit_sql("household_id", "h")
    hid = family["household"]
    assert (
        _scalar(store, f"SELECT {household} FROM household h WHERE h.id = '{hid}'")
        == "2026-03-01T02:00:00.000Z"
    )
    unvisited = visits.not_visited_since_sql("since", "p")
    with store.engine.connect() as conn:
        sql = text(f"SELECT count(*) FROM person p WHERE {live_sql('p')} AND {unvisited}")
        assert conn.execute(sql, {"since": "2026-04-01"}).scalar() == 1  # the draft does not count
        assert conn.execute(sql, {"since": "2026-01-01"}).scalar() == 0


def test_full_record_reads_are_audited_and_refuse_tombstones(store, family):
    with store.session() as s:
        assert persons.read_person_record(s, family["alive"], "bob").name == "王芳"
    with store.session() as s:
        detail = households.read_household_record(s, family["household"], "bob")
    assert [p.id for p in detail.members] == [family["alive"]]
    assert list(detail.responses) == [family["done"]]
    with store.session() as s, pytest.raises(RecordNotFound):
        persons.read_person_record(s, family["gone"], "bob")
    with store.session() as s:
        reads = [
            (a.actor, a.tbl, a.row_id) for a in s.exec(select(AuditEvent).where(AuditEvent.action == "read"))
        ]
    assert reads == [("bob", "person", family["alive"]), ("bob", "household", family["household"])]


def test_project_reads_hide_tombstones(store, family):
    with store.unit_of_work("alice") as uow:
        project = uow.add(
            RenovationProject(household_id=family["household"], kind="lighting", region_code=REGION)
        )
        keep = uow.add(
            RenovationItem(project_id=project.id, description="灯具", position=1, region_code=REGION)
        )
        uow.delete(
            uow.add(RenovationItem(project_id=project.id, description="开关", position=0, region_code=REGION))
        )
        first = uow.add(Acceptance(project_id=project.id, round=1, status="completed", region_code=REGION))
        uow.add(Acceptance(project_id=project.id, round=2, status="draft", region_code=REGION))
        uow.delete(
            uow.add(Acceptance(project_id=project.id, round=3, status="completed", region_code=REGION))
        )
        uow.add(
            AttachmentLink(
                owner_tbl="renovationproject", owner_id=project.id, role="photo_before", sha256="a"
            )
        )
        gone = uow.add(
            AttachmentLink(
                owner_tbl="renovationproject", owner_id=project.id, role="photo_before", sha256="b"
            )
        )
        uow.delete(gone)
    with store.session() as s:
        assert [i.id for i in projects.items(s, project.id)] == [keep.id]
        assert [a.round for a in projects.acceptances(s, project.id)] == [1, 2]
        assert projects.latest_finished_acceptances(s)[project.id].id == first.id
        assert [k for k, _ in projects.kinds_of_household(s, family["household"])] == ["lighting"]
        assert [link.sha256 for link in attachments.links(s, [("renovationproject", project.id)])] == ["a"]
