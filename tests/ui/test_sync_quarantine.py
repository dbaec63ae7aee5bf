"""Issue 14 item 2 on the laptop: a pulled row that cannot be stored is visible on the sync screen —
what was received (field labels and values) and why it could not be stored — in the UI's language."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from app.services.settings import Settings
from app.ui.context import AppContext
from app.ui.sync.sync_view import SyncView
from app.ui.tasks import TaskRunner
from server import sync_service
from server.validation import BatchChecks
from tests.server.test_hostile_device import push_raw, row, token_for


def _quarantined_laptop(live_server, laptop, monkeypatch):
    live_server.create_user("legacy", regions=("330802",))
    headers = token_for(live_server, "legacy", "hostile1")
    monkeypatch.setattr(sync_service, "static_refusal", lambda ch, device: None)
    monkeypatch.setattr(BatchChecks, "refusal", lambda self, ch: None)
    bad = row("household", "h-bad", address="信安街道2号", phone=2**64)  # SQLite cannot bind it
    push_raw(live_server, headers, bad)
    monkeypatch.undo()
    honest = laptop("honest")
    assert honest.sync().quarantined == 1
    return honest.store


def _view(qtbot, store):
    ctx = AppContext(store=store, settings=Settings(), tasks=TaskRunner())
    view = SyncView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitUntil(lambda: view.quarantine.rowCount() == 1, timeout=10000)
    return view


def _row(view):
    return [view.quarantine.item(0, c).text() for c in range(view.quarantine.columnCount())]


def test_quarantined_rows_are_shown_with_what_arrived_and_why(qtbot, live_server, laptop, monkeypatch):
    store = _quarantined_laptop(live_server, laptop, monkeypatch)
    view = _view(qtbot, store)
    table, record, received, reason, _when = _row(view)
    assert table == "家庭" and record == "h-bad"
    assert "住址：信安街道2号" in received and "电话" in received
    assert reason.startswith("数值超出本机能保存的范围") and "OverflowError" in reason
    assert view.quarantine.item(0, 3).toolTip() == reason
    assert "（1）" in view.tabs.tabText(3)


def test_quarantined_rows_in_english(qtbot, live_server, laptop, monkeypatch, qapp):
    from app.ui.i18n import install_translators

    store = _quarantined_laptop(live_server, laptop, monkeypatch)
    before = QLocale()
    translators = install_translators(qapp, "en")
    try:
        view = _view(qtbot, store)
        table, _record, received, reason, _when = _row(view)
        assert table == "Household" and "Address: 信安街道2号" in received
        assert reason.startswith("A number is too large")
        assert "Downloads not stored" in view.tabs.tabText(3)
    finally:
        for t in translators:
            qapp.removeTranslator(t)
        QLocale.setDefault(before)
