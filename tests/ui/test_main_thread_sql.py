"""The GUI thread never touches the database once the main window is shown (issue 12, item 5).

An engine event listener records every statement run on the main thread while
the window is shown and every screen is walked; the test fails with the stack
of each one, so the offending call site is named.
"""

from __future__ import annotations

import threading
import traceback

import pytest
from sqlalchemy import event

from tests.ui.helpers import open_household


@pytest.fixture
def main_thread_sql(ctx):
    """Statements (with the UI frame that ran them) executed on the main thread."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread() is threading.main_thread():
            frames = [f for f in traceback.extract_stack() if "/app/ui/" in f.filename]
            where = "; ".join(f"{f.filename.rsplit('/app/', 1)[-1]}:{f.lineno} {f.name}" for f in frames[-3:])
            seen.append(f"{statement.split()[0]} … from {where or 'outside app/ui'}")

    event.listen(ctx.store.engine, "before_cursor_execute", record)
    yield seen
    event.remove(ctx.store.engine, "before_cursor_execute", record)


def _settle(qtbot, window) -> None:
    """Let queued background results arrive (the worker runs, its answer comes back by signal)."""
    for _ in range(3):
        window.ctx.tasks.wait()
        qtbot.wait(20)


def test_walking_every_screen_runs_no_sql_on_the_gui_thread(qtbot, ctx, main_thread_sql):
    from app.ui.main import build_main_window

    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.registry_view.model.rowCount() > 0)
    _settle(qtbot, window)

    # 户档: open a household, pick each member, go back.
    hit = window.registry_view.model.hit(0)
    open_household(qtbot, window, hit.household_id, hit.person_id)
    _settle(qtbot, window)
    page = window.household_page
    for row in range(page.members.rowCount()):
        page.members.selectRow(row)
        _settle(qtbot, window)
    page.back.emit()
    # Every other screen, and each of its tabs.
    for key in ("visits", "projects", "sync", "settings", "registry"):
        window.show_screen(key)
        _settle(qtbot, window)
    sync = window.sync_view
    for i in range(sync.tabs.count()):
        sync.tabs.setCurrentIndex(i)
        _settle(qtbot, window)
    ctx.events.sync_state_changed.emit()
    ctx.events.households_changed.emit()
    ctx.events.visits_changed.emit()
    ctx.events.projects_changed.emit()
    _settle(qtbot, window)

    assert main_thread_sql == [], "\n".join(dict.fromkeys(main_thread_sql))
