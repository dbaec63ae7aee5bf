"""Issue 15 finding 1 and "what to build" 1: what the server refuses is shown where the user works.

A worker's laptop (an old version, say) sends an on-site acceptance: the server refuses every field
(an acceptance is the acceptance team's). The status bar counts the refusals beside 待同步; the sync
screen names fields by label (not ``region_code``), values by label (not ``draft``), the whole
reason, in English in the English UI (translated by the server's reason code); discarding asks for a
reason and records it. A worker's app offers no acceptance in the first place.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QInputDialog
from sqlmodel import select

from app.services.acceptance import AcceptanceService
from app.services.auth import AuthService
from app.services.settings import Settings
from app.services.sync import SyncService
from app.store.models import AuditEvent
from app.ui.context import AppContext
from app.ui.sync.sync_view import SyncView
from app.ui.tasks import TaskRunner
from tests.services.test_acceptance_service import awaiting_project


@pytest.fixture
def refused(live_server, make_profile):
    live_server.create_user("zhangli", "secret123", role="worker", regions=("3308",))
    store = make_profile("laptop")
    AuthService(store).create_user(
        "zhangli", "secret123", role="worker", regions=["3308"], display_name="张丽"
    )
    service = SyncService(store)
    service.login(live_server.url, "zhangli", "secret123")
    project = awaiting_project(store)
    AcceptanceService(store).start("zhangli", project.id)
    service.sync()
    store.refused_project_id = project.id  # type: ignore[attr-defined]
    return store, service


def _view(qtbot, store):
    ctx = AppContext(store=store, settings=Settings(), tasks=TaskRunner())
    ctx.user = AuthService(store).get_user("zhangli")
    view = SyncView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitUntil(lambda: view.rejected.rowCount() > 0, timeout=10000)
    return view


def _cells(view):
    t = view.rejected
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_refusals_are_counted_and_shown_with_labels_and_whole_reasons(qtbot, refused):
    store, service = refused
    status = service.status()
    assert status.pending == 0 and status.rejected > 0  # "待同步 0 项" alone would hide them
    view = _view(qtbot, store)
    rows = _cells(view)
    fields = {r[1] for r in rows}
    assert "所属村（社区）" in fields and "region_code" not in fields
    assert any(r[1] == "状态" and r[2] == "草稿" for r in rows)  # not `draft`
    # Rows of one refusal come in no set order: some row says why in full, every tooltip holds it whole.
    reasons = [view.rejected.item(r, 3) for r in range(view.rejected.rowCount())]
    assert any("验收" in item.text() for item in reasons), [i.text() for i in reasons]
    assert all(item.toolTip() == item.text() for item in reasons)
    assert view.rejected.wordWrap()


def test_refusals_in_english(qtbot, refused, qapp):
    from app.ui.i18n import install_translators

    store, _ = refused
    before = QLocale()
    translators = install_translators(qapp, "en")
    try:
        view = _view(qtbot, store)
        rows = _cells(view)
        fields = {r[1] for r in rows}
        assert "Village (community)" in fields
        assert any(r[2] == "Draft" for r in rows)
        assert all("role" in r[3] for r in rows), rows[0]  # "forbidden", translated by its code
    finally:
        for t in translators:
            qapp.removeTranslator(t)
        QLocale.setDefault(before)


def test_discarding_refusals_needs_a_reason_and_records_it(qtbot, refused, monkeypatch):
    store, service = refused
    view = _view(qtbot, store)
    count = view.rejected.rowCount()
    replies = [("", True), ("旧版本误录的验收，由验收组重新录入", True)]
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: replies.pop(0))
    view.rejected.selectAll()
    view.discard_selected()
    qtbot.waitUntil(lambda: service.rejected_count() == 0, timeout=10000)
    with store.session() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "discard_rejected")).all()
    assert len(events) == count and all("旧版本误录" in e.detail for e in events)


def test_status_bar_shows_the_refusals_beside_pending(qtbot, refused):
    from app.ui.main import build_main_window

    store, _ = refused
    ctx = AppContext(store=store, settings=Settings(idle_lock_minutes=0), tasks=TaskRunner())
    ctx.user = AuthService(store).get_user("zhangli")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "被拒收" in window.sync_label.text(), timeout=10000)
    assert "待同步 0 项" in window.sync_label.text()
    ctx.tasks.wait()


def test_the_project_page_shows_its_refusals_with_a_way_forward(qtbot, refused, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from app.ui.projects.screen import ProjectsScreen

    store, service = refused
    ctx = AppContext(store=store, settings=Settings(), tasks=TaskRunner())
    ctx.user = AuthService(store).get_user("zhangli")
    screen = ProjectsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    screen.open_project(store.refused_project_id)
    page = screen.page
    qtbot.waitUntil(lambda: page.rejected.isVisible(), timeout=10000)
    text = page.rejected.text.text()
    assert "所属村（社区）" in text and "region_code" not in text and "草稿" in text
    assert page.findChild(QPushButton, "start_acceptance") is None  # a worker is offered no acceptance
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("误录，由验收组录入", True))
    qtbot.mouseClick(page.rejected.discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.rejected_count() == 0, timeout=10000)
    qtbot.waitUntil(lambda: not page.rejected.isVisible())
    ctx.tasks.wait()
