"""A visit the supervisor returned shows above the worker's to-do list; "按意见修改" reopens it.

The review row is stored the way a pull leaves it for this test (the console's round trip
through a real server is tests/server/console/test_review_round_trip.py).
"""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QPushButton

from app.services.registry import RegistryService
from app.services.reviews import ReviewService
from app.services.visits import VisitService
from app.store.models import DirectoryUser, VisitReview
from app.ui.tasks import TaskRunner
from app.ui.visits.visits_screen import VisitsScreen
from tests.helpers.profiles import VALID_ID_2, household_data, person_data

SHOTS = os.environ.get("HOMEVISIT_SHOTS")


@pytest.fixture
def immediate():
    TaskRunner.set_immediate(True)
    yield
    TaskRunner.set_immediate(False)


def _returned_visit(ctx) -> str:
    store = ctx.store
    registry = RegistryService(store)
    household = registry.save_household(ctx.actor, household_data())
    person = registry.save_person(
        ctx.actor,
        household.id,
        person_data(name="李秀英", id_number=VALID_ID_2, cert_number=VALID_ID_2 + "42"),
    )
    visit = VisitService(store).start_visit(ctx.actor, household.id, person.id, ["assistive_devices"])
    with store.unit_of_work(ctx.actor) as uow:
        row = uow.get(type(visit), visit.id)
        uow.update(row, status="completed", ended_at="2026-12-01T02:00:00.000Z")
        uow.add(
            VisitReview(
                visit_id=visit.id,
                region_code=visit.region_code,
                decision="returned",
                comment="签名不清楚，请重新请本人签字",
                reviewer="chen",
                reviewed_at="2026-12-01T03:00:00.000Z",
                visit_ended_at="2026-12-01T02:00:00.000Z",
            )
        )
    return visit.id


def test_returned_visit_on_the_todo_list_and_reopened(qtbot, ctx, immediate, lang):
    visit_id = _returned_visit(ctx)
    with ctx.store.session() as s:  # the supervisor, as the server's user directory names him
        s.add(DirectoryUser(username="chen", display_name="陈主任", role="supervisor"))
        s.commit()
    screen = VisitsScreen(ctx, VisitService(ctx.store))
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitExposed(screen)
    panel = screen.returned
    assert panel.isVisible() and panel.table.rowCount() == 1
    assert panel.table.item(0, 1).text() == "签名不清楚，请重新请本人签字"
    assert panel.table.item(0, 2).text() == "陈主任"  # the reviewer by name, not by login
    assert ("被审核退回" if lang == "zh_CN" else "returned by the reviewer") in panel.title.text()
    qtbot.waitUntil(lambda: screen.tabs.y() > panel.y() + 100)  # laid out above the tabs
    if SHOTS:
        screen.grab().save(os.path.join(SHOTS, f"returned-panel-{lang}.png"))
    panel.table.selectRow(0)
    with qtbot.waitSignal(screen.resume_visit) as opened:
        panel.findChild(QPushButton, "correct_returned").click()
    assert opened.args == [visit_id]
    visit = VisitService(ctx.store).get_visit(visit_id)
    assert visit.status == "draft" and visit.reopen_reason.startswith("审核退回：签名不清楚")
    assert ReviewService(ctx.store).returned_visits(ctx.actor)[0].status == "draft"
