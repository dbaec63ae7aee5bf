"""Acts on screen that change no row are audited where they happen: showing a full ID number, locking."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QTranslator
from sqlalchemy import text

from app.paths import resources_dir
from tests.helpers.profiles import VALID_ID
from tests.ui.helpers import open_household

SHOTS = os.environ.get("HOMEVISIT_SHOTS")


def _events(store, action: str) -> list[tuple[str, str, str]]:
    with store.engine.connect() as conn:
        sql = "SELECT actor, tbl, row_id FROM auditevent WHERE action = :a ORDER BY seq"
        return [tuple(r) for r in conn.execute(text(sql), {"a": action})]


def _zhang(window):
    hits = window.ctx.registry.search("张三丰")
    return hits[0]


def test_showing_a_full_id_number_is_audited(qtbot, main_window):
    window = main_window
    window.resize(1366, 768)
    hit = _zhang(window)
    open_household(qtbot, window, hit.household_id, hit.person_id)
    page = window.household_page
    id_cell = next(
        page.members.item(r, 3)
        for r in range(page.members.rowCount())
        if page.members.item(r, 0).text() == "张三丰"
    )
    assert id_cell.text() != VALID_ID and "*" in id_cell.text()  # masked until asked
    assert _events(window.ctx.store, "unmask") == []
    if SHOTS:
        window.grab().save(os.path.join(SHOTS, "household_reveal_zh.png"))
    page.reveal_button.click()
    qtbot.waitUntil(lambda: id_cell.text() == VALID_ID)
    assert _events(window.ctx.store, "unmask") == [("zhangli", "person", hit.person_id)]


def test_the_reveal_button_in_english(qtbot, ctx):
    translator = QTranslator()
    assert translator.load(str(resources_dir() / "i18n" / "homevisit_en.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        from app.ui.main import build_main_window

        window = build_main_window(ctx)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitUntil(lambda: window.registry_view.model.rowCount() > 0)
        hit = _zhang(window)
        open_household(qtbot, window, hit.household_id, hit.person_id)
        assert window.household_page.reveal_button.text() == "Show full ID number"
        if SHOTS:
            window.grab().save(os.path.join(SHOTS, "household_reveal_en.png"))
    finally:
        QCoreApplication.removeTranslator(translator)


def test_locking_is_audited_off_the_gui_thread(qtbot, main_window):
    window = main_window
    window.session_lock.lock()
    window.ctx.tasks.wait()
    qtbot.waitUntil(lambda: _events(window.ctx.store, "lock") == [("zhangli", "user", "")])
    window.session_lock._unlocked()
