"""Visit review: a supervisor reads a completed visit's forms and approves or returns it."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from server.console import reviews
from server.core.config import RESOURCES_DIR
from server.models import AuditLog
from server.seed import seed
from tests.server.console.conftest import PASSWORD, sign_in, submit


def test_return_then_approve_a_visit(console, page):
    seed(console.engine, 12, 5, ["330802001"])
    console.create_user("chen", PASSWORD, role="supervisor", regions=("330802",))
    sign_in(page, console, "chen")
    page.goto(f"{console.url}/console/review")
    todo = page.locator("#visits tbody tr")
    before = todo.count()
    assert before > 0
    visit_id = todo.first.get_attribute("data-visit")
    with page.expect_navigation():
        todo.first.locator("a").first.click()
    # The forms read-only, with the labels of resources/forms.
    needs = json.loads((RESOURCES_DIR / "forms" / "needs_assessment.v1.json").read_text("utf-8"))
    labels = page.locator(".form-view dt").all_inner_texts()
    assert needs["pages"][0]["questions"][0]["label"] in labels
    assert page.locator(".form-view input, .form-view select").count() == 0
    # Returning needs a reason; without one nothing is stored.
    submit(page, "#review-form button[value=returned]")
    assert "写明原因" in page.locator(".error").inner_text()
    with Session(console.engine) as s:
        assert reviews.reviews_in(s, "") == {}
    page.goto(f"{console.url}/console/review/{visit_id}")
    page.fill("#review-form textarea", "照片缺失，请补拍")
    submit(page, "#review-form button[value=returned]")
    assert page.locator(".ok").inner_text() == "审核已保存"
    assert "照片缺失，请补拍" in page.locator(".history").inner_text()
    page.goto(f"{console.url}/console/review?state=returned")
    assert page.locator("#visits tbody tr").first.get_attribute("data-visit") == visit_id
    page.goto(f"{console.url}/console/review")
    assert page.locator(f"#visits tr[data-visit='{visit_id}']").count() == 0
    page.goto(f"{console.url}/console/review/{visit_id}")
    submit(page, "#review-form button[value=approved]")
    history = page.locator(".history li").all_inner_texts()
    assert len(history) == 2 and history[0].startswith("已通过")
    with Session(console.engine) as s:
        made = reviews.reviews_in(s, "")[visit_id]
        events = s.exec(select(AuditLog).where(AuditLog.row_id == visit_id)).all()
    assert [(r.decision, r.reviewer) for r in made] == [("approved", "chen"), ("returned", "chen")]
    assert [e.action for e in events] == ["visit_returned", "visit_approved"]
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    submit(page, "text=退出")
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/audit?record={visit_id}")
    assert page.locator("#audit tbody tr").count() == 2


def test_a_visit_outside_the_reviewers_regions_is_not_found(console, page):
    seed(console.engine, 3, 5, ["330803"])
    console.create_user("chen", PASSWORD, role="supervisor", regions=("330802",))
    with console.engine.connect() as conn:
        (visit_id,) = conn.exec_driver_sql("SELECT row_id FROM records WHERE tbl = 'visit' LIMIT 1").first()
    sign_in(page, console, "chen")
    page.goto(f"{console.url}/console/review?state=all")
    assert page.locator("#visits tbody tr[data-visit]").count() == 0
    assert page.goto(f"{console.url}/console/review/{visit_id}").status == 403
