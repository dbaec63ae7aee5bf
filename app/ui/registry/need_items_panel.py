"""The household page's "需求事项" box: the family's need items with their follow-up state,
and a dialog to refer, follow up or close one by hand (a reason is required to close).

Reads and writes run in the database worker (``app.ui.tasks``); the rules are
``app.services.needs``'s (the same moves the server accepts).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.needs import FINAL_STATUSES, NeedClosedKind, NeedStatus, NeedType
from app.services.needs import NeedError, NeedItemView, NeedService
from app.ui.context import AppContext
from app.ui.labels import label_of
from app.ui.widgets.tables import setup_rows_view

OVERDUE = QColor("#b3261e")


class NeedItemDialog(QDialog):
    """Change one need item's status or referral; 已办结 / 无法办理 need a reason."""

    def __init__(self, item: NeedItemView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setWindowTitle(self.tr("跟进需求事项"))
        self.setObjectName("need_item_dialog")
        what = label_of(NeedType, item.need_type)
        if item.detail:
            what = self.tr("%1：%2").replace("%1", what).replace("%2", item.detail)
        self.status = QComboBox()
        self.status.setObjectName("need_status")
        for code in (item.status, *item.next_statuses):
            self.status.addItem(label_of(NeedStatus, code), code)
        self.referral = QLineEdit(item.referral_to)
        self.referral.setObjectName("need_referral")
        self.referral.setMaxLength(200)
        self.referral.setPlaceholderText(self.tr("如：县残疾人康复中心"))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("need_reason")
        self.reason.setPlaceholderText(self.tr("办结或无法办理时必填：办理结果或原因"))
        self.reason.setFixedHeight(72)
        self.error = QLabel()
        self.error.setObjectName("need_error")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("需求"), QLabel(what))
        form.addRow(self.tr("对象"), QLabel(item.person_name or self.tr("全户")))
        form.addRow(self.tr("办理期限"), QLabel(item.due_on or "—"))
        form.addRow(self.tr("跟进状态"), self.status)
        form.addRow(self.tr("转介去向（责任单位）"), self.referral)
        form.addRow(self.tr("原因或办理结果"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        final = item.status in FINAL_STATUSES
        if final:
            self.status.setEnabled(False)
            self.referral.setEnabled(False)
            self.reason.setPlainText(item.close_reason)
            self.reason.setReadOnly(True)
            self.error.setText(self.tr("该需求已办结，如需重新开启请联系县区残联"))
            buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, 0)

    def chosen_status(self) -> str:
        return str(self.status.currentData())

    def _check(self) -> None:
        if self.chosen_status() in FINAL_STATUSES and not self.reason.toPlainText().strip():
            self.error.setText(self.tr("标为“已办结”或“无法办理”必须填写原因或办理结果"))
            self.reason.setFocus()
            return
        self.accept()

    def changes(self) -> dict[str, str]:
        """What to pass to ``NeedService.change``."""
        return {
            "status": self.chosen_status(),
            "referral_to": self.referral.text().strip(),
            "reason": self.reason.toPlainText().strip(),
        }


class NeedItemsPanel(QGroupBox):
    """Lists the shown household's need items (overdue ones in red) and follows one up."""

    changed = Signal(str)  # need item id, after a saved change

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household_id = ""
        self.items: list[NeedItemView] = []
        self.dialog: NeedItemDialog | None = None
        self.setTitle(self.tr("需求事项"))
        self.setObjectName("need_items")
        headers = [
            self.tr("对象"),
            self.tr("需求类型"),
            self.tr("需求内容"),
            self.tr("转介去向"),
            self.tr("状态"),
            self.tr("登记日期"),
            self.tr("办理期限"),
            self.tr("办结"),
        ]
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName("need_item_list")
        self.table.setHorizontalHeaderLabels(headers)
        setup_rows_view(
            self.table, fit_contents=True, row_height=24
        )  # compact: several items on a small screen
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _: self.follow_up())
        self.table.itemSelectionChanged.connect(self._selected)
        self.summary = QLabel()
        self.summary.setObjectName("need_summary")
        self.follow_button = QPushButton(self.tr("跟进…"))
        self.follow_button.setObjectName("need_follow_up")
        self.follow_button.clicked.connect(self.follow_up)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.follow_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self._selected()

    def _service(self) -> NeedService:
        return NeedService(self.ctx.store)

    def load(self, household_id: str) -> None:
        """Show the need items of ``household_id`` (read in the database worker)."""
        self.household_id = household_id
        service = self._service()

        def done(items: list[NeedItemView]) -> None:
            if household_id == self.household_id:
                self.show_items(items)

        self.ctx.tasks.run_db(lambda: service.for_household(household_id), done)

    def show_items(self, items: list[NeedItemView]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            closed = ""
            if item.closed_kind:
                closed = f"{item.closed_on} {label_of(NeedClosedKind, item.closed_kind)}".strip()
            due = item.due_on + (self.tr("（逾期）") if item.overdue else "")
            cells = (
                item.person_name or self.tr("全户"),
                label_of(NeedType, item.need_type),
                item.detail,
                item.referral_to,
                label_of(NeedStatus, item.status),
                item.opened_on,
                due,
                closed,
            )
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.id)
                if item.close_reason:
                    cell.setToolTip(item.close_reason)
                if item.overdue:
                    cell.setForeground(QBrush(OVERDUE))
                self.table.setItem(r, c, cell)
        open_count = sum(1 for i in items if i.status not in FINAL_STATUSES)
        overdue = sum(1 for i in items if i.overdue)
        if not items:
            self.summary.setText(self.tr("暂无需求事项（访视完成后由需求评估生成）"))
        else:
            self.summary.setText(
                self.tr("共 %1 项，未办结 %2 项，逾期 %3 项")
                .replace("%1", str(len(items)))
                .replace("%2", str(open_count))
                .replace("%3", str(overdue))
            )
        self._selected()

    def selected_item(self) -> NeedItemView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def _selected(self) -> None:
        self.follow_button.setEnabled(self.selected_item() is not None)

    def follow_up(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        self.dialog = NeedItemDialog(item, self)
        self.dialog.accepted.connect(lambda: self._save(item, self.dialog))
        self.dialog.open()

    def _save(self, item: NeedItemView, dialog: NeedItemDialog | None) -> None:
        if dialog is None:
            return
        changes = dialog.changes()
        service, actor = self._service(), self.ctx.actor

        def failed(error: BaseException) -> None:
            message = str(error) if isinstance(error, NeedError) else self.tr("保存失败，请重试")
            self.summary.setText(message)

        def saved(view: NeedItemView) -> None:
            self.changed.emit(view.id)
            self.load(self.household_id)

        self.ctx.tasks.run_db(lambda: service.change(actor, item.id, **changes), saved, failed)
