"""The visit review round trip: a real laptop client and the supervisor's browser on one real server.

The worker completes and syncs a visit; the supervisor returns it in the console; the
laptop's next sync shows it returned with the comment on the worker's to-do list; the
worker reopens, corrects and completes it again; the console shows it resubmitted; the
supervisor approves it and the laptop sees the approval. A worker's own push of a
review is refused by the server.
"""

from __future__ import annotations

import io
from datetime import date

from PIL import Image
from sqlmodel import Session, select

from app.services.attachments import AttachmentService
from app.services.registry import RegistryService
from app.services.reviews import ReviewService
from app.services.visits import VisitService
from app.store.models import RejectedChange, VisitReview
from app.sync.client import SyncClient
from server.console import reviews
from tests.helpers.profiles import household_data, person_data
from tests.server.console.conftest import PASSWORD, sign_in, submit


def _signature() -> bytes:
    png = io.BytesIO()
    Image.new("RGBA", (40, 20), (0, 0, 0, 255)).save(png, "PNG")
    return png.getvalue()


def _completed_visit(store) -> str:
    """A real assistive-device survey, filled in and completed on the laptop."""
    registry = RegistryService(store)
    household = registry.save_household("alice", household_data(house_grade="B"))
    person = registry.save_person("alice", household.id, person_data(name="李秀英"))
    visits = VisitService(store)
    visit = visits.start_visit("alice", household.id, person.id, ["assistive_devices"])
    rid = visits.responses(visit.id)[0].id
    sig = AttachmentService(store).add_signature(
        "alice", "formresponse", rid, "signature_resident", _signature()
    )
    visits.save_answer("alice", rid, "has_need", False)
    visits.save_answer("alice", rid, "person_signature", sig.sha256)
    visits.save_answer("alice", rid, "signer_relation", "self")
    visits.save_answer("alice", rid, "sign_date", date.today().isoformat())
    visits.complete_visit("alice", visit.id, summary="无辅具需求")
    return visit.id


def test_return_correct_resubmit_approve(console_any, page, make_profile, shots):
    console = console_any
    console.create_user("alice", PASSWORD, role="worker", regions=("330802",))
    console.create_user("chen", PASSWORD, role="supervisor", regions=("330802",))
    store = make_profile("laptop")
    laptop = SyncClient(store, console.url)
    laptop.transport.backoff = 0.01
    laptop.login("alice", PASSWORD, device_name="laptop")
    visit_id = _completed_visit(store)
    first = laptop.sync()
    assert first.rejected == 0 and first.uploaded_files == 1
    service = ReviewService(store)
    assert service.state_of(visit_id).state == "pending"

    # The supervisor returns it in the browser.
    sign_in(page, console, "chen")
    page.goto(f"{console.url}/console/review")
    row = page.locator(f"#visits tr[data-visit='{visit_id}']")
    assert row.locator(".review-state").get_attribute("data-state") == "pending"
    with page.expect_navigation():
        row.locator("a").first.click()
    page.fill("#review-form textarea", "签名不清楚，请重新请本人签字")
    submit(page, "#review-form button[value=returned]")
    assert page.locator("#review-state").get_attribute("data-state") == "returned"
    page.screenshot(path=str(shots / "review-returned-zh.png"), full_page=False)

    # The laptop's next sync: returned, with the comment, on the worker's to-do list.
    laptop.sync()
    state = service.state_of(visit_id)
    assert (state.state, state.decision, state.reviewer) == ("returned", "returned", "chen")
    (returned,) = service.returned_visits("alice")
    assert returned.visit_id == visit_id and returned.comment == "签名不清楚，请重新请本人签字"
    assert returned.person_name == "李秀英" and returned.status == "completed"
    assert service.returned_visits("someone_else") == []

    # The worker reopens it (the comment is the reason), corrects it and completes it again.
    reopened = service.reopen_returned("alice", visit_id)
    assert reopened.status == "draft" and reopened.reopen_reason == "审核退回：签名不清楚，请重新请本人签字"
    assert service.returned_visits("alice")[0].status == "draft"  # still on the list while corrected
    visits = VisitService(store)
    rid = visits.responses(visit_id)[0].id
    visits.save_answer("alice", rid, "signer_relation", "self")
    visits.save_answer("alice", rid, "has_need", False)
    visits.complete_visit("alice", visit_id, summary="已请本人重新签字")
    assert service.state_of(visit_id).state == "resubmitted"
    assert service.returned_visits("alice") == []
    assert laptop.sync().rejected == 0

    # The console shows it resubmitted, waiting again; the supervisor approves it.
    page.goto(f"{console.url}/console/review?state=resubmitted")
    row = page.locator(f"#visits tr[data-visit='{visit_id}']")
    assert row.locator(".review-state").get_attribute("data-state") == "resubmitted"
    assert "已重新提交" in row.inner_text()
    page.goto(f"{console.url}/console/review")  # still to review
    assert page.locator(f"#visits tr[data-visit='{visit_id}']").count() == 1
    page.screenshot(path=str(shots / "review-resubmitted-list-zh.png"), full_page=False)
    page.goto(f"{console.url}/console/review/{visit_id}")
    assert page.locator("#review-state").get_attribute("data-state") == "resubmitted"
    assert "已请本人重新签字" in page.locator(".facts").inner_text()
    submit(page, "#review-form button[value=approved]")
    assert page.locator("#review-state").get_attribute("data-state") == "approved"
    assert len(page.locator(".history li").all_inner_texts()) == 2

    laptop.sync()
    assert service.state_of(visit_id).state == "approved"
    with Session(console.engine) as s:
        made = reviews.reviews_in(s, "")[visit_id]
    assert [r.decision for r in made] == ["approved", "returned"]

    # A worker may not write a review: the server refuses the push.
    with store.unit_of_work("alice") as uow:
        uow.add(
            VisitReview(
                visit_id=visit_id,
                region_code=reopened.region_code,
                decision="approved",
                reviewer="alice",
                reviewed_at="2026-12-01T00:00:00.000Z",
                visit_ended_at="",
            )
        )
    refused = laptop.sync()
    assert refused.rejected >= 1
    with store.session() as s:
        reasons = {r.code for r in s.exec(select(RejectedChange))}
    assert "forbidden" in reasons
    with Session(console.engine) as s:
        assert len(reviews.reviews_in(s, "")[visit_id]) == 2
