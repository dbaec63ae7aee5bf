"""The roster import screen: load, adjust the mapping, read the report, confirm, cancel."""

from __future__ import annotations

from sqlalchemy import text

from app.domain.roster.mapping import RosterField
from app.domain.roster.sample import sample_rows, write_sample
from app.ui.roster_import_dialog import RosterImportDialog


def persons(ctx) -> int:
    with ctx.store.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM person")).scalar_one())


def planted_file(tmp_path):
    rows = sample_rows(6, seed=21, regions=["330802"])
    rows[1][2] = rows[1][2][:17] + ("0" if rows[1][2][17] != "0" else "1")
    rows[3][4] = "心理"
    return write_sample(tmp_path / "花名册.xlsx", rows), rows


def load(qtbot, dialog, path):
    with qtbot.wait_signal(dialog.checked, timeout=10000):
        dialog.load(path)


def test_report_then_confirm_imports_only_clean_rows(qtbot, ctx, tmp_path):
    path, rows = planted_file(tmp_path)
    dialog = RosterImportDialog(ctx)
    qtbot.addWidget(dialog)
    before = persons(ctx)
    load(qtbot, dialog, path)
    assert dialog.report.rowCount() == 2
    assert [dialog.report.item(r, 0).text() for r in range(2)] == ["3", "5"]
    assert dialog.report.item(0, 1).text() == "身份证号"
    assert persons(ctx) == before  # nothing until confirmed
    assert dialog.import_button.isEnabled()
    with qtbot.wait_signal(dialog.imported, timeout=10000) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].persons == len(rows) - 2
    assert persons(ctx) == before + len(rows) - 2
    assert not dialog.import_button.isEnabled()


def test_mapping_change_needs_a_recheck_and_is_remembered(qtbot, ctx, tmp_path):
    path, _ = planted_file(tmp_path)
    dialog = RosterImportDialog(ctx)
    qtbot.addWidget(dialog)
    load(qtbot, dialog, path)
    box = dialog.mapping_boxes[RosterField.PHONE]
    box.setCurrentIndex(0)  # (不导入)
    assert not dialog.import_button.isEnabled() and dialog.report.rowCount() == 0
    with qtbot.wait_signal(dialog.checked, timeout=10000):
        dialog.recheck_button.click()
    with qtbot.wait_signal(dialog.imported, timeout=10000):
        dialog.import_button.click()
    again = RosterImportDialog(ctx)
    qtbot.addWidget(again)
    load(qtbot, again, path)
    assert again.mapping.column_of(RosterField.PHONE) is None
    assert again.check.new_persons == 0  # the same file again: nothing new


def test_cancelled_import_writes_nothing(qtbot, ctx, tmp_path):
    path = write_sample(tmp_path / "big.csv", sample_rows(700, seed=5, regions=["330802"]))
    dialog = RosterImportDialog(ctx)
    qtbot.addWidget(dialog)
    load(qtbot, dialog, path)
    before = persons(ctx)
    with qtbot.wait_signal(dialog.checked, timeout=10000) as blocker:
        dialog.import_button.click()
        # At once, not from the progress signal: under load the worker could finish before that arrives.
        dialog.cancel()
    assert "取消" in dialog.status.text() and blocker.args[0].__class__.__name__ == "RosterCancelled"
    assert persons(ctx) == before


def test_registry_has_the_import_button(qtbot, main_window):
    assert main_window.registry_view.import_button.text() == "导入花名册…"
