"""Issue 15 finding 5 and "what to build" 2: one open draft per person and form, offered by 开始访视;
discard with a required reason; resume on the page where the draft was left; resumption offered at
start; a review page before completing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QPushButton
from sqlmodel import select

from app.services.visits import VisitService
from app.store.models import AuditEvent, Visit
from app.ui.visits import feature as feature_module
from app.ui.visits.resume_prompt import DraftOffer
from app.ui.visits.visit_window import VisitWindow, load_visit


def _person(main_window):
    hit = main_window.registry_view.model.hit(0)
    return hit.household_id, hit.person_id


def _answers(monkeypatch, *replies):
    """QInputDialog.getMultiLineText answers, in order; records the prompts."""
    queue, prompts = list(replies), []

    def fake(_parent, _title, prompt, *a, **k):
        prompts.append(prompt)
        return queue.pop(0)

    monkeypatch.setattr(QInputDialog, "getMultiLineText", fake)
    return prompts


def _visit(store, visit_id):
    with store.session() as s:
        return s.get(Visit, visit_id)


def test_second_start_offers_the_unfinished_visit(qtbot, ctx, main_window, monkeypatch):
    household_id, person_id = _person(main_window)
    service = main_window.visits_feature.service
    draft = service.start_visit(ctx.actor, household_id, person_id, ["needs_assessment"])
    offered = []
    monkeypatch.setattr(DraftOffer, "exec", lambda self: offered.append(self.draft) or DraftOffer.RESUME)
    chooser = []
    monkeypatch.setattr(feature_module.FormChooser, "exec", lambda self: chooser.append(1) or 0)
    main_window.visits_feature.start_visit(household_id, person_id)
    qtbot.waitUntil(lambda: draft.id in main_window.visits_feature.windows)
    assert offered[0].visit.id == draft.id and not chooser  # no second, empty draft
    assert service.open_draft_for(person_id).visit.id == draft.id
    main_window.visits_feature.windows[draft.id].close()


def test_discard_from_the_offer_needs_a_reason_then_starts_afresh(qtbot, ctx, main_window, monkeypatch):
    household_id, person_id = _person(main_window)
    service = main_window.visits_feature.service
    draft = service.start_visit(ctx.actor, household_id, person_id, ["needs_assessment"])
    monkeypatch.setattr(DraftOffer, "exec", lambda self: DraftOffer.DISCARD)
    prompts = _answers(monkeypatch, ("   ", True), ("走错了户", True))
    chosen = []
    monkeypatch.setattr(
        feature_module.FormChooser, "exec", lambda self: chosen.append(1) or QDialog.DialogCode.Rejected
    )
    main_window.visits_feature.start_visit(household_id, person_id)
    qtbot.waitUntil(lambda: bool(chosen))  # after the discard, the form chooser of a new visit
    assert len(prompts) == 2 and "不能为空" in prompts[1]
    visit = _visit(ctx.store, draft.id)
    assert visit.deleted and "走错了户" in visit.summary
    with ctx.store.session() as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "discard")).one().detail == "走错了户"


def _window(qtbot, ctx, service, visit_id) -> VisitWindow:
    window = VisitWindow(ctx, service, load_visit(service, visit_id))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def _draft(ctx):
    from app.services.registry import RegistryService

    service = VisitService(ctx.store)
    hit = RegistryService(ctx.store).search("张三丰")[0]
    return service, service.start_visit(ctx.actor, hit.household_id, hit.person_id, ["needs_assessment"])


def test_resume_opens_the_page_where_the_draft_was_left(qtbot, ctx):
    service, draft = _draft(ctx)
    window = _window(qtbot, ctx, service, draft.id)
    assert window.current().page_index == 0
    pages = window._relevant_pages()
    form, page = pages[2]
    window.go_to(form, page)
    window.close()
    qtbot.waitUntil(
        lambda: (
            service.resume_point(draft.id) is not None
            and service.resume_point(draft.id).page_id == window.renderers[form].page.id
        )
    )
    again = _window(qtbot, ctx, service, draft.id)
    assert (again._form, again.current().page_index) == (form, page)


def test_discard_in_the_visit_window_requires_a_reason(qtbot, ctx, monkeypatch):
    service, draft = _draft(ctx)
    window = _window(qtbot, ctx, service, draft.id)
    _answers(monkeypatch, ("", True), ("", False))  # empty, then cancelled: nothing happens
    window.ask_discard()
    assert not _visit(ctx.store, draft.id).deleted and window.isVisible()
    _answers(monkeypatch, ("家属拒绝访视", True))
    qtbot.mouseClick(window.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _visit(ctx.store, draft.id).deleted)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert draft.id not in {d.visit.id for d in service.unfinished_drafts(ctx.actor)}


def test_unfinished_visits_are_offered_after_login(qtbot, ctx):
    from app.ui.main import build_main_window

    service, draft = _draft(ctx)
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    feature = window.visits_feature
    qtbot.waitUntil(lambda: feature.prompt is not None and feature.prompt.isVisible())
    table = feature.prompt.table
    ids = [table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(table.rowCount())]
    assert draft.id in ids
    table.selectRow(ids.index(draft.id))
    qtbot.mouseClick(feature.prompt.findChild(QPushButton, "prompt_resume"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: draft.id in feature.windows)
    feature.windows[draft.id].close()


def test_review_page_lists_answers_open_items_and_signatures(qtbot, ctx):
    from app.services.registry import RegistryService

    service = VisitService(ctx.store)
    hit = RegistryService(ctx.store).search("张三丰")[0]
    visit = service.start_visit(ctx.actor, hit.household_id, hit.person_id, ["assistive_devices"])
    window = _window(qtbot, ctx, service, visit.id)
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    review = window.review
    assert window.reviewing and not review.confirm_button.isEnabled()
    assert review.open_items.count() > 0
    assert "未签字" in review.signatures.text()
    assert "张三丰" in review.answers.toPlainText()  # prefilled answers, by section
    qtbot.mouseClick(review.back_button, Qt.MouseButton.LeftButton)
    assert not window.reviewing and window.complete_button.isEnabled()
