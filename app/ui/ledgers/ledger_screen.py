"""台账: choose a ledger, a region and a period; preview its first rows; export it to Excel.

The ledger is built and written by ``app.services.ledger`` on the database worker
(``ctx.tasks.run_db``), with a progress bar and a cancel button; the GUI thread
only shows what comes back. The preview always masks ID numbers (a list on
screen); the export shows them whole only when the user's role may
(``app.contract.roles.may_unmask_id``) and the box is ticked, and the export's
audit entry says so.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.contract.ledger.columns import Ledger, LedgerCancelled, LedgerKind
from app.contract.ledger.definitions import DEFINITIONS, Scope
from app.contract.roles import may_unmask_id
from app.services.ledger import UnmaskRefused, build_ledger, export_ledger
from app.ui.context import AppContext
from app.ui.ledgers.headers import NUMBER, header_text, title_text
from app.ui.region_picker import RegionPicker
from app.ui.widgets.job import CancellableJob, Cancelled, Progress
from app.ui.widgets.tables import rows_table

PREVIEW_ROWS = 50


def cell_text(value: Any) -> str:
    """A ledger value as the preview shows it: dates as dates, amounts with two decimals."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


class LedgerScreen(QWidget):
    """One ledger at a time; ``exported`` carries the row count when a file was written."""

    previewed = Signal(object)  # the Ledger, or the exception that stopped it
    exported = Signal(object)  # the row count, or the exception

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job = CancellableJob(ctx.tasks, self)
        self.job.busy_changed.connect(lambda _busy: self._update_buttons())
        self.progress, self.status, self.cancel_button = (
            self.job.progress,
            self.job.status,
            self.job.cancel_button,
        )
        self.ledger: Ledger | None = None
        self.path: Path | None = None

        heading = QLabel(self.tr("台账"))
        heading.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in LedgerKind:
            self.kind.addItem(title_text(kind), kind.value)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.region = RegionPicker(allow_any=True)
        self.region.setObjectName("region")
        if ctx.user and ctx.user.regions:
            self.region.set_code(ctx.user.regions[0])
        self.region.changed.connect(lambda _code: self._update_buttons())
        self.by_period = QCheckBox(self.tr("按期间"))
        self.by_period.setObjectName("by_period")
        self.by_period.toggled.connect(lambda _on: self._update_buttons())
        today = QDate.currentDate()
        self.start = QDateEdit(QDate(today.year(), 1, 1))
        self.end = QDateEdit(today)
        for edit, name in ((self.start, "start"), (self.end, "end")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.period_note = QLabel()
        self.period_note.setObjectName("period_note")
        self.period_note.setStyleSheet("color: #666;")
        self.unmask = QCheckBox(self.tr("导出完整身份证号（仅限有权限的角色，将记入审计日志）"))
        self.unmask.setObjectName("unmask")

        form = QGridLayout()
        form.addWidget(QLabel(self.tr("台账")), 0, 0)
        form.addWidget(self.kind, 0, 1)
        form.addWidget(QLabel(self.tr("地区")), 1, 0)
        form.addWidget(self.region, 1, 1)
        period = QHBoxLayout()
        period.addWidget(self.by_period)
        period.addWidget(self.start)
        period.addWidget(QLabel(self.tr("至")))
        period.addWidget(self.end)
        period.addWidget(self.period_note)
        period.addStretch(1)
        form.addWidget(QLabel(self.tr("期间")), 2, 0)
        form.addLayout(period, 2, 1)
        form.addWidget(self.unmask, 3, 1)
        form.setColumnStretch(2, 1)

        self.preview_button = QPushButton(self.tr("预览"))
        self.preview_button.setObjectName("preview")
        self.preview_button.clicked.connect(self.run_preview)
        self.export_button = QPushButton(self.tr("导出 Excel…"))
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.choose_and_export)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.table = rows_table([], name="preview_table")

        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self._kind_changed()

    # --- choices ---------------------------------------------------------------------

    def chosen_kind(self) -> LedgerKind:
        return LedgerKind(self.kind.currentData())

    def scope(self) -> Scope:
        definition = DEFINITIONS.get(self.chosen_kind())
        dated = definition is not None and definition.day is not None and self.by_period.isChecked()
        return Scope(
            self.region.code(),
            self.start.date().toPython() if dated else None,
            self.end.date().toPython() if dated else None,
        )

    def may_unmask(self) -> bool:
        user = self.ctx.user
        return bool(user) and may_unmask_id(user.role, user.regions, self.region.code())

    def _kind_changed(self) -> None:
        definition = DEFINITIONS.get(self.chosen_kind())
        dated = definition is not None and definition.day is not None
        self.period_note.setText(
            self.tr("按%1筛选").replace("%1", header_text(definition.period_label))
            if dated and definition is not None
            else self.tr("此台账为当前在册情况，不按期间筛选")
        )
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.summary.setText("")
        self.ledger = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        definition = DEFINITIONS.get(self.chosen_kind())
        dated = definition is not None and definition.day is not None
        idle = not self.job.running
        self.by_period.setEnabled(dated and idle)
        for edit in (self.start, self.end):
            edit.setEnabled(dated and self.by_period.isChecked() and idle)
        allowed = self.may_unmask() and definition is not None and definition.has_ids
        self.unmask.setEnabled(allowed and idle)
        if not allowed:
            self.unmask.setChecked(False)
        self.unmask.setToolTip("" if self.may_unmask() else self.tr("您的角色不能导出完整身份证号"))
        for widget in (self.preview_button, self.export_button, self.kind, self.region):
            widget.setEnabled(idle)

    def _period_problem(self) -> str:
        scope = self.scope()
        if scope.start and scope.end and scope.start > scope.end:
            return self.tr("起始日期不能晚于截止日期")
        return ""

    # --- preview ---------------------------------------------------------------------

    def run_preview(self) -> None:
        if problem := self._period_problem():
            self._refuse(problem)
            return
        store, kind, scope = self.ctx.store, self.chosen_kind(), self.scope()
        self.job.start(
            self.tr("正在生成预览…"),
            lambda _progress, _cancelled: build_ledger(store, kind, scope=scope),
            self._show_preview,
            self._preview_failed,
        )

    def _show_preview(self, ledger: Ledger) -> None:
        self.ledger = ledger
        headers = [header_text(NUMBER), *(header_text(c.header) for c in ledger.columns)]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        shown = ledger.rows[:PREVIEW_ROWS]
        self.table.setRowCount(len(shown))
        for r, row in enumerate(shown):
            for c, value in enumerate((r + 1, *row)):
                item = QTableWidgetItem(cell_text(value))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        total = len(ledger.rows)
        self.summary.setText(
            self.tr("共 %1 条，显示前 %2 条（证件号已脱敏）")
            .replace("%1", str(total))
            .replace("%2", str(len(shown)))
        )
        self.job.say(ledger.scope)
        self.previewed.emit(ledger)

    def _preview_failed(self, exc: BaseException) -> None:
        self._refuse(str(exc))
        self.previewed.emit(exc)

    # --- export ----------------------------------------------------------------------

    def ask_path(self) -> Path | None:
        """The file to write, from the save dialog (None when the user closes it)."""
        kind = self.chosen_kind()
        suggested = (
            self.tr("%1_%2.xlsx").replace("%1", title_text(kind)).replace("%2", date.today().isoformat())
        )
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出台账"), suggested, self.tr("Excel 工作簿 (*.xlsx)")
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def choose_and_export(self) -> None:
        if problem := self._period_problem():
            self._refuse(problem)
            return
        path = self.ask_path()
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Build and write the chosen ledger to ``path`` on the database worker."""
        user = self.ctx.user
        store, kind, scope = self.ctx.store, self.chosen_kind(), self.scope()
        unmask = self.unmask.isChecked() and self.unmask.isEnabled()
        role, regions = (user.role, list(user.regions)) if user else (None, [])
        actor = self.ctx.actor
        self.path = path

        def work(progress: Progress, cancelled: Cancelled) -> int:
            return export_ledger(
                store,
                kind,
                path,
                actor=actor,
                scope=scope,
                unmask=unmask,
                role=role,
                regions=regions,
                progress=progress,
                cancelled=cancelled,
            )

        self.job.start(self.tr("正在导出…"), work, self._exported, self._export_failed)

    def _exported(self, count: int) -> None:
        self.job.say(
            self.tr("已导出 %1 条到 %2").replace("%1", str(count)).replace("%2", str(self.path)), "done"
        )
        self.exported.emit(count)

    def _export_failed(self, exc: BaseException) -> None:
        if isinstance(exc, LedgerCancelled):
            self.job.say(self.tr("已取消，未写入文件"))
        elif isinstance(exc, UnmaskRefused):
            self._refuse(self.tr("当前角色无权导出完整身份证号"))
        elif isinstance(exc, OSError):
            self._refuse(
                self.tr("无法写入“%1”：%2")
                .replace("%1", str(self.path))
                .replace("%2", exc.strerror or str(exc))
            )
        else:
            self._refuse(str(exc))
        self.exported.emit(exc)

    def cancel(self) -> None:
        self.job.cancel()

    def _refuse(self, message: str) -> None:
        self.job.say(message, "error")
