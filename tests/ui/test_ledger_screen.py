"""The ledger screen: pick a ledger, region and period, preview, export in the worker, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate
from sqlmodel import select

from app.contract.ledger.definitions import DEFINITIONS
from app.contract.ledger.workbook import HEADER_ROW
from app.services.auth import AuthService
from app.services.ledger import build_ledger
from app.store.models import AuditEvent
from app.ui.ledgers import headers
from app.ui.ledgers.ledger_screen import LedgerScreen
from tests.helpers.profiles import VALID_ID

SHOTS = Path("/tmp/ledgers")


def _screen(qtbot, ctx) -> LedgerScreen:
    screen = LedgerScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1366 - 150, 768 - 60)
    screen.show()
    return screen


def _choose(screen: LedgerScreen, kind: str) -> None:
    screen.kind.setCurrentIndex(screen.kind.findData(kind))


def _exports(ctx) -> list[AuditEvent]:
    with ctx.store.session() as s:
        return list(
            s.exec(select(AuditEvent).where(AuditEvent.tbl == "ledger", AuditEvent.action == "export"))
        )


def test_preview_shows_the_first_rows_masked(qtbot, ctx):
    screen = _screen(qtbot, ctx)
    _choose(screen, "persons")
    screen.region.set_code("")  # everything on the laptop
    with qtbot.wait_signal(screen.previewed, timeout=20000) as blocker:
        screen.preview_button.click()
    ledger = blocker.args[0]
    assert ledger.rows == build_ledger(ctx.store, "persons").rows
    assert screen.table.rowCount() == min(len(ledger.rows), 50)
    id_column = [
        screen.table.horizontalHeaderItem(c).text() for c in range(screen.table.columnCount())
    ].index("身份证号")
    shown = {screen.table.item(r, id_column).text() for r in range(screen.table.rowCount())}
    assert VALID_ID not in shown and all("*" in s for s in shown if s)
    assert f"共 {len(ledger.rows)} 条" in screen.summary.text()
    assert not screen.unmask.isEnabled()  # a worker may not unmask


def test_export_in_the_worker_with_region_and_period(qtbot, ctx, tmp_path):
    screen = _screen(qtbot, ctx)
    _choose(screen, "visits")
    assert screen.by_period.isEnabled()
    screen.by_period.setChecked(True)
    all_visits = build_ledger(ctx.store, "visits").rows
    day_col = [c.header for c in DEFINITIONS["visits"].columns(False)].index("访视日期")
    days = sorted(r[day_col] for r in all_visits)
    start, end = days[len(days) // 4], days[3 * len(days) // 4]
    screen.start.setDate(QDate(start.year, start.month, start.day))
    screen.end.setDate(QDate(end.year, end.month, end.day))
    out = tmp_path / "访视.xlsx"
    with qtbot.wait_signal(screen.exported, timeout=20000) as blocker:
        screen.export_to(out)
    inside = [r for r in all_visits if start <= r[day_col] <= end]
    assert blocker.args[0] == len(inside) > 0
    assert screen.progress.value() == screen.progress.maximum()
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert len(rows) == len(inside)
    assert all(start <= r[day_col + 1].date() <= end for r in rows)
    assert "访视日期" in ws["A2"].value and "已导出" in screen.status.text()
    assert _exports(ctx)[-1].actor == "zhangli"

    # A ledger without a period (a register) turns the period off.
    _choose(screen, "households")
    assert not screen.by_period.isEnabled() and not screen.start.isEnabled()


def test_cancel_leaves_no_file(qtbot, ctx, tmp_path):
    screen = _screen(qtbot, ctx)
    _choose(screen, "persons")
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "残疾人.xlsx"
    before = len(_exports(ctx))
    with qtbot.wait_signal(screen.exported, timeout=20000) as blocker:
        screen.export_to(out)
        screen.cancel()  # at once: the worker is still reading the rows
    assert blocker.args[0].__class__.__name__ == "LedgerCancelled"
    assert "已取消" in screen.status.text()
    assert not out.exists() and list(folder.iterdir()) == []
    assert len(_exports(ctx)) == before


def test_save_dialog_path_gets_xlsx(qtbot, ctx, tmp_path, monkeypatch):
    screen = _screen(qtbot, ctx)
    seen = {}

    def fake(parent, caption, suggested, filters):
        seen.update(caption=caption, suggested=suggested, filters=filters)
        return str(tmp_path / "台账"), filters

    monkeypatch.setattr("app.ui.ledgers.ledger_screen.QFileDialog.getSaveFileName", fake)
    with qtbot.wait_signal(screen.exported, timeout=20000):
        screen.export_button.click()
    assert (tmp_path / "台账.xlsx").is_file()
    assert seen["caption"] == "导出台账" and seen["filters"] == "Excel 工作簿 (*.xlsx)"
    assert seen["suggested"].startswith("家庭户台账_")


def test_supervisor_may_export_whole_id_numbers_and_it_is_audited(qtbot, ctx, tmp_path):
    AuthService(ctx.store).create_user("wang", "demo1234", role="supervisor", regions=["3308"])
    ctx.user = AuthService(ctx.store).get_user("wang")
    screen = _screen(qtbot, ctx)
    _choose(screen, "persons")
    screen.region.set_code("3308")
    assert screen.unmask.isEnabled()
    screen.unmask.setChecked(True)
    out = tmp_path / "full.xlsx"
    with qtbot.wait_signal(screen.exported, timeout=20000):
        screen.export_to(out)
    ws = load_workbook(out).active
    header = [c.value for c in ws[HEADER_ROW]]
    ids = {r[header.index("身份证号")] for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert VALID_ID in ids
    entry = _exports(ctx)[-1]
    assert entry.actor == "wang" and "未脱敏" in entry.detail and "unmask_id" in entry.detail


def test_every_header_has_a_translation_entry():
    listed = set(headers.HEADERS)
    for definition in DEFINITIONS.values():
        assert {c.header for c in definition.columns(False)} <= listed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshot(qtbot, ctx, qapp, lang):
    from PySide6.QtWidgets import QApplication

    from app.ui.i18n import install_translators

    translators = install_translators(qapp, "en") if lang == "en" else []
    try:
        from app.ui.main import build_main_window

        window = build_main_window(ctx)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.show_screen("ledgers")
        screen = window.ledger_screen
        _choose(screen, "persons")
        screen.region.set_code("")
        with qtbot.wait_signal(screen.previewed, timeout=20000):
            screen.preview_button.click()
        SHOTS.mkdir(exist_ok=True)
        window.grab().save(str(SHOTS / f"screen_{lang}.png"))
        if lang == "en":
            assert window.nav.item(5).text() == "Ledgers"
            assert screen.preview_button.text() == "Preview"
            assert screen.table.horizontalHeaderItem(1).text() == "County"
    finally:
        for t in translators:
            QApplication.removeTranslator(t)
