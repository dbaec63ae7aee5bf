"""Issue 15 finding 5: closing the main window asks about open visit windows instead of leaving them."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.services.visits import VisitService
from app.ui.visits.visit_window import load_visit


def _open_visit(qtbot, main_window, ctx):
    hit = main_window.registry_view.model.hit(0)
    service = main_window.visits_feature.service
    visit = VisitService(ctx.store).start_visit(
        ctx.actor, hit.household_id, hit.person_id, ["needs_assessment"]
    )
    window = main_window.visits_feature._show_window(load_visit(service, visit.id))
    qtbot.addWidget(window)
    return window


def test_no_keeps_everything_open(qtbot, ctx, main_window, monkeypatch):
    visit_window = _open_visit(qtbot, main_window, ctx)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No
    )
    assert not main_window.close()
    assert asked and "1 个访视窗口" in asked[0][2]
    assert main_window.isVisible() and visit_window.isVisible()


def test_yes_closes_the_visit_windows_then_the_app(qtbot, ctx, main_window, monkeypatch):
    visit_window = _open_visit(qtbot, main_window, ctx)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert main_window.close()
    assert not visit_window.isVisible() and not main_window.visits_feature.windows


def test_without_visit_windows_nothing_is_asked(qtbot, ctx, main_window, monkeypatch):
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: (_ for _ in ()).throw(AssertionError("asked"))
    )
    assert main_window.close()
