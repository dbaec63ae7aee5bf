"""The household page's need-alert box (需求预警), where each alert can be marked handled with a note.

An alert marked handled stays listed, greyed, with who handled it, when and the note;
the registry-wide alert list leaves it out (``AlertService.over_registry``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.forms.alerts import Alert
from app.services.alerts import MAX_NOTE
from app.services.user_names import UserNames
from app.store.models import HandledAlert
from app.ui import form_text, service_text
from app.ui.visits.visits_screen import SEVERITY_COLOURS
from app.ui.widgets.message_line import MessageLine

ERROR_STYLE = "color: #c62828; font-size: 11px;"


class HandleAlertDialog(QDialog):
    """Asks how the alert was dealt with; ``note()`` once accepted. 保存 stays put while a message shows."""

    def __init__(self, alert: Alert, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handle_alert")
        self.setWindowTitle(self.tr("标记已处理"))
        self.setMinimumWidth(460)
        title = QLabel(f"<b>{form_text.alert_title(alert)}</b>")
        title.setWordWrap(True)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("alert_note")
        self.edit.setPlaceholderText(self.tr("处理情况，如：已协助申请护理补贴，县残联已受理"))
        self.edit.setFixedHeight(90)
        self.error = MessageLine(ERROR_STYLE)
        self.error.setObjectName("error_note")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(lambda: self.error.setText(self._problem(final=False)))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(QLabel(self.tr("处理说明")))
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def note(self) -> str:
        return self.edit.toPlainText().strip()

    def _problem(self, final: bool) -> str:
        text = self.note()
        if len(text) > MAX_NOTE:
            return (
                self.tr("处理说明最多 %1 字，现在是 %2 字")
                .replace("%1", str(MAX_NOTE))
                .replace("%2", str(len(text)))
            )
        if final and not text:
            return self.tr("请写明处理情况（如：已协助申请护理补贴）")
        return ""

    def _save(self) -> None:
        problem = self._problem(final=True)
        self.error.setText(problem)
        if not problem:
            self.accept()


class PersonAlertsBox(QGroupBox):
    """The selected person's alerts, each with 标记已处理; ``handle_requested(alert)`` on a click."""

    handle_requested = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("需求预警"))
        self.setObjectName("person_alerts")
        self.rows = QVBoxLayout(self)
        self.rows.setSpacing(4)
        self.text = QLabel()  # every alert's text in one place (the tests and screen readers read it)
        self.text.setVisible(False)
        self.rows.addWidget(self.text)
        self.setVisible(False)
        self.can_handle = True

    def show_alerts(
        self,
        alerts: list[Alert],
        marks: dict[str, HandledAlert] | None = None,
        names: UserNames | None = None,
    ) -> None:
        """``marks`` by rule id; ``names`` turn the handler's user name into their display name."""
        marks, names = marks or {}, names or UserNames()
        while self.rows.count() > 1:
            item = self.rows.takeAt(1)
            if item.widget() is not None:
                item.widget().deleteLater()
        open_lines = []
        for alert in alerts:
            mark = marks.get(alert.rule_id)
            row = QWidget()
            row.setObjectName(f"alert_{alert.rule_id}")
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel()
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            if mark is None:
                colour = SEVERITY_COLOURS.get(alert.severity, "#607d8b")
                title, message = form_text.alert_title(alert), form_text.alert_message(alert)
                colon = form_text.colon()
                label.setText(f"<span style='color:{colour}'>●</span> <b>{title}</b>{colon}{message}")
                open_lines.append(f"{title}{colon}{message}")
            else:
                handled = (
                    self.tr("已处理（%1，%2）：%3")
                    .replace("%1", service_text.translate(names(mark.handled_by)))
                    .replace("%2", mark.handled_at[:10])
                    .replace("%3", mark.note)
                )
                label.setText(
                    f"<span style='color:#8a939c'>✓ <s>{form_text.alert_title(alert)}</s>　{handled}</span>"
                )
                row.setProperty("handled", True)
            line.addWidget(label, 1)
            if mark is None and self.can_handle:
                button = QPushButton(self.tr("标记已处理"))
                button.setObjectName("mark_handled")
                button.clicked.connect(lambda _=False, a=alert: self.handle_requested.emit(a))
                line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(row)
        self.text.setText("<br>".join(open_lines))
        self.setVisible(bool(alerts))


def ask_note(alert: Alert, parent: QWidget | None, run: Callable[[str], None]) -> None:
    """Open the note dialog for ``alert``; ``run(note)`` once it is saved."""
    dialog = HandleAlertDialog(alert, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        run(dialog.note())
