"""Issue 15 item 9 (finding 12): a need alert can be marked handled with a note; handled alerts
are greyed on the household page and left out of the registry-wide list; the mark is audited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QPushButton, QWidget
from sqlmodel import select

from app.services.alerts import AlertNoteMissing, AlertService
from app.store.models import AuditEvent, HandledAlert
from app.ui.visits.alert_handled import HandleAlertDialog
from tests.ui.helpers import open_household
from tests.ui.test_household_alerts import CARE_ALERT, _alerts_text, _family

CARE_RULE = "care_subsidy_missing"


def _rule_id(ctx, person_id: str) -> str:
    alerts = AlertService(ctx.store).for_person(person_id)
    return next(a.rule_id for a in alerts if a.title == CARE_ALERT)


def _fill_note(note: str, seen: list[str]) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, HandleAlertDialog):
            QTimer.singleShot(20, answer)
            return
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.click()  # empty: refused with a message, the dialog stays
        seen.append(dialog.error.text())
        dialog.edit.setPlainText(note)
        save.click()

    QTimer.singleShot(0, answer)


def test_marking_an_alert_handled_greys_it_and_hides_it_from_the_list(qtbot, ctx, main_window):
    household_id, person_id = _family(ctx, "李哲", "1", 11)
    rule = _rule_id(ctx, person_id)
    open_household(qtbot, main_window, household_id, person_id)
    qtbot.waitUntil(lambda: CARE_ALERT in _alerts_text(qtbot, main_window), timeout=20000)
    box = main_window.visits_feature.alerts_box
    row = box.findChild(QWidget, f"alert_{rule}")
    button = row.findChild(QPushButton, "mark_handled")
    seen: list[str] = []
    _fill_note("已协助申请护理补贴，县残联已受理", seen)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    main_window.ctx.tasks.wait()

    def handled_row():
        rows = [r for r in box.findChildren(QWidget, f"alert_{rule}") if r.property("handled") is True]
        return rows[0] if rows else None

    qtbot.waitUntil(lambda: handled_row() is not None, timeout=20000)
    assert seen == ["请写明处理情况（如：已协助申请护理补贴）"]
    assert CARE_ALERT not in _alerts_text(qtbot, main_window)  # no longer among the open alerts
    row = handled_row()
    assert row.findChild(QPushButton, "mark_handled") is None
    shown = " ".join(w.text() for w in row.findChildren(QLabel))
    assert "已处理" in shown and "县残联已受理" in shown and "张丽" in shown  # a display name, not a login

    service = AlertService(ctx.store)
    assert (person_id, rule) not in {(a.person_id, a.alert.rule_id) for a in service.over_registry()}
    assert (person_id, rule) in {
        (a.person_id, a.alert.rule_id) for a in service.over_registry(include_handled=True)
    }
    with ctx.store.session() as s:
        assert s.exec(select(HandledAlert).where(HandledAlert.person_id == person_id)).one().note
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "alert_handled")).all()
    assert [(e.actor, e.row_id, e.detail) for e in events] == [("zhangli", person_id, rule)]


@pytest.mark.parametrize("note", ["", "   ", "长" * 501])
def test_a_mark_needs_a_note(ctx, note):
    household_id, person_id = _family(ctx, "李哲", "1", 11)
    with pytest.raises(AlertNoteMissing):
        AlertService(ctx.store).mark_handled("zhangli", person_id, _rule_id(ctx, person_id), note)
