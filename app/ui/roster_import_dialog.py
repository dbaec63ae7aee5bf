"""导入花名册: pick a roster file, adjust the column mapping, read the report, confirm, watch it import.

Only shows what ``app.services.roster_import`` does: reading and checking run in
the database worker (``ctx.tasks.run_db``) with progress and a cancel button;
nothing is written until the user presses the confirm button, and then only the
clean rows. The mapping the user settles on is remembered in the profile's settings.
The reasons in the report are the core's Chinese messages (data, like names).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.roster.mapping import ADDRESS_FIELDS, REQUIRED, ColumnMapping, RosterField
from app.domain.roster.reader import RosterTable
from app.domain.roster.validate import RosterCancelled, RosterCheck
from app.services.roster_import import (
    ImportResult,
    check_roster_file,
    import_checked,
    open_roster,
    remember_mapping,
)
from app.ui.context import AppContext
from app.ui.widgets.job import CancellableJob, Cancelled, Progress
from app.ui.widgets.tables import rows_table

FIELD_LABELS = {
    RosterField.NAME: QT_TRANSLATE_NOOP("RosterImportDialog", "姓名"),
    RosterField.ID_NUMBER: QT_TRANSLATE_NOOP("RosterImportDialog", "身份证号"),
    RosterField.CERT_NUMBER: QT_TRANSLATE_NOOP("RosterImportDialog", "残疾证号"),
    RosterField.CATEGORY: QT_TRANSLATE_NOOP("RosterImportDialog", "残疾类别"),
    RosterField.LEVEL: QT_TRANSLATE_NOOP("RosterImportDialog", "残疾等级"),
    RosterField.HUKOU_ADDRESS: QT_TRANSLATE_NOOP("RosterImportDialog", "户籍地址"),
    RosterField.ADDRESS: QT_TRANSLATE_NOOP("RosterImportDialog", "现住址"),
    RosterField.PHONE: QT_TRANSLATE_NOOP("RosterImportDialog", "联系电话"),
    RosterField.REGION: QT_TRANSLATE_NOOP("RosterImportDialog", "所属村(社区)"),
    RosterField.HEAD_NAME: QT_TRANSLATE_NOOP("RosterImportDialog", "户主"),
    RosterField.RELATION: QT_TRANSLATE_NOOP("RosterImportDialog", "与户主关系"),
    RosterField.HOUSEHOLD_KEY: QT_TRANSLATE_NOOP("RosterImportDialog", "户编号"),
    RosterField.ECONOMIC_STATUS: QT_TRANSLATE_NOOP("RosterImportDialog", "家庭经济状况"),
}


class RosterImportDialog(QDialog):
    """The whole import on one screen; ``imported`` carries the ``ImportResult`` when rows were written."""

    imported = Signal(object)
    checked = Signal(object)  # RosterCheck, or the exception that stopped the check

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table_data: RosterTable | None = None
        self.mapping: ColumnMapping | None = None
        self.check: RosterCheck | None = None
        self.path: Path | None = None
        self.job = CancellableJob(ctx.tasks, self)
        self.job.busy_changed.connect(lambda _busy: self._update_buttons())
        self.progress, self.status, self.cancel_button = (
            self.job.progress,
            self.job.status,
            self.job.cancel_button,
        )
        self.setWindowTitle(self.tr("导入花名册"))
        self.resize(1100, 680)

        self.file = QLineEdit()
        self.file.setObjectName("file")
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(self.tr("选择 Excel（.xlsx）或 CSV 文件"))
        pick = QPushButton(self.tr("选择文件…"))
        pick.setObjectName("pick")
        pick.clicked.connect(self.choose_file)
        self.file_info = QLabel()
        self.file_info.setObjectName("file_info")

        self.mapping_table = rows_table([self.tr("字段"), self.tr("文件中的列")], name="mapping")
        self.mapping_table.setRowCount(len(RosterField))
        self.mapping_boxes: dict[RosterField, QComboBox] = {}
        for row, fld in enumerate(RosterField):
            self.mapping_table.setItem(row, 0, QTableWidgetItem(self.tr(FIELD_LABELS[fld])))
            box = QComboBox()
            box.setObjectName(f"map_{fld.value}")
            box.currentIndexChanged.connect(lambda _, f=fld: self._remap(f))
            self.mapping_boxes[fld] = box
            self.mapping_table.setCellWidget(row, 1, box)
        self.mapping_table.setColumnWidth(0, 130)
        self.mapping_table.setMinimumWidth(340)
        self.mapping_table.verticalHeader().setDefaultSectionSize(30)

        self.report = rows_table(
            [self.tr("行号"), self.tr("列"), self.tr("值"), self.tr("原因")], name="report", single=False
        )
        for column, width in enumerate((60, 110, 170)):
            self.report.setColumnWidth(column, width)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)

        self.recheck_button = QPushButton(self.tr("重新检查"))
        self.recheck_button.setObjectName("recheck")
        self.recheck_button.clicked.connect(self.run_check)
        self.import_button = QPushButton(self.tr("确认导入"))
        self.import_button.setObjectName("confirm")
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("文件")))
        top.addWidget(self.file, 1)
        top.addWidget(pick)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("列对应（可调整，下次自动沿用）")))
        left.addWidget(self.mapping_table, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("检查结果")))
        right.addWidget(self.summary)
        right.addWidget(self.report, 1)
        middle = QHBoxLayout()
        middle.addLayout(left)
        middle.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.recheck_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.file_info)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._update_buttons()

    # --- the file and its mapping ----------------------------------------------------

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择花名册"), "", self.tr("花名册 (*.xlsx *.csv);;所有文件 (*)")
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Read ``path`` and map its columns in the worker, then check it."""
        self.path = path
        self.file.setText(str(path))
        self.check = None
        self._show_check(None)
        home = self.ctx.store.home
        self.job.start(
            self.tr("正在读取文件…"),
            lambda _progress, _cancelled: open_roster(home, path),
            self._loaded,
            self._failed,
        )

    def _loaded(self, result: tuple[RosterTable, ColumnMapping]) -> None:
        self.table_data, self.mapping = result
        table = self.table_data
        info = self.tr("第 %1 行为表头，共 %2 行数据").replace("%1", str(table.header_row))
        info = info.replace("%2", str(len(table.rows)))
        if table.encoding:
            info += self.tr("；编码：%1").replace("%1", table.encoding.upper())
        self.file_info.setText(info)
        for fld, box in self.mapping_boxes.items():
            box.blockSignals(True)
            box.clear()
            box.addItem(self.tr("（不导入）"), -1)
            for i, header in enumerate(table.headers):
                box.addItem(header or self.tr("第%1列").replace("%1", str(i + 1)), i)
            index = self.mapping.column_of(fld)
            box.setCurrentIndex(0 if index is None else index + 1)
            box.blockSignals(False)
        self.run_check()

    def _remap(self, fld: RosterField) -> None:
        if self.mapping is None:
            return
        index = self.mapping_boxes[fld].currentData()
        self.mapping.assign(fld, None if index is None or index < 0 else int(index))
        # A column holds one field: show the field it was taken from as unmapped.
        for other, box in self.mapping_boxes.items():
            if (
                other is not fld
                and self.mapping.column_of(other) is None
                and box.currentData() not in (-1, None)
            ):
                box.blockSignals(True)
                box.setCurrentIndex(0)
                box.blockSignals(False)
        self.check = None
        self._show_check(None)
        self._update_buttons()
        self.job.say(self.tr("列对应已改变，请点“重新检查”"))

    # --- check and import ------------------------------------------------------------

    def run_check(self) -> None:
        """Check every row in the worker; nothing is written."""
        if self.table_data is None or self.mapping is None:
            return
        if self.mapping.missing():
            missing = [self.tr(FIELD_LABELS[f]) for f in REQUIRED if self.mapping.column_of(f) is None]
            if all(self.mapping.column_of(f) is None for f in ADDRESS_FIELDS):
                missing.append(self.tr("现住址或户籍地址"))
            self._show_check(None)
            self.job.say(self.tr("请先为以下字段选择对应的列：%1").replace("%1", "、".join(missing)), "error")
            self._update_buttons()
            return
        store, table, mapping = self.ctx.store, self.table_data, self.mapping
        regions = list(self.ctx.user.regions) if self.ctx.user and self.ctx.user.role != "admin" else []
        self.job.start(
            self.tr("正在检查…"),
            lambda progress, cancelled: check_roster_file(
                store, table, mapping, scope=regions, progress=progress, cancelled=cancelled
            ),
            self._checked,
            self._failed,
        )

    def _checked(self, check: RosterCheck) -> None:
        self.check = check
        self._show_check(check)
        self.job.say(
            self.tr("检查完成：请核对问题行，确认后只导入无问题的行")
            if check.errors
            else self.tr("检查完成：所有行均无问题")
        )
        self._update_buttons()
        self.checked.emit(check)

    def run_import(self) -> None:
        """Write the clean rows of the check the user has seen (the confirmation is this button)."""
        if self.check is None or not self.check.households or self.mapping is None:
            return
        store, check, actor = self.ctx.store, self.check, self.ctx.actor
        home, mapping, source = store.home, self.mapping, str(self.path or "")

        def work(progress: Progress, cancelled: Cancelled) -> ImportResult:
            result = import_checked(
                store, check, actor=actor, source=source, progress=progress, cancelled=cancelled
            )
            remember_mapping(home, mapping)
            return result

        self.job.start(self.tr("正在导入…"), work, self._imported, self._failed)

    def _imported(self, result: ImportResult) -> None:
        self.check = None
        self.job.say(
            self.tr("已导入 %1 人、新建 %2 户")
            .replace("%1", str(result.persons))
            .replace("%2", str(result.households)),
            "done",
        )
        self._update_buttons()
        self.ctx.events.households_changed.emit()
        self.imported.emit(result)

    def cancel(self) -> None:
        self.job.cancel()

    # --- showing ---------------------------------------------------------------------

    def _show_check(self, check: RosterCheck | None) -> None:
        self.report.setRowCount(0)
        if check is None:
            self.summary.setText("")
            return
        self.summary.setText(
            self.tr("共 %1 行：可导入 %2 人（%3 户），已在册 %4 人，有问题 %5 行")
            .replace("%1", str(check.rows))
            .replace("%2", str(check.new_persons))
            .replace("%3", str(len(check.households)))
            .replace("%4", str(len(check.already_registered)))
            .replace("%5", str(len(check.bad_rows)))
        )
        self.report.setRowCount(len(check.errors))
        for row, error in enumerate(check.errors):
            for column, value in enumerate((str(error.row), error.column, error.value, error.reason)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.report.setItem(row, column, item)

    def _failed(self, exc: BaseException) -> None:
        cancelled = isinstance(exc, RosterCancelled)
        self.job.say(
            self.tr("已取消，未写入任何记录") if cancelled else str(exc), "" if cancelled else "error"
        )
        self.checked.emit(exc)

    def _update_buttons(self) -> None:
        ready = self.check is not None and bool(self.check.households)
        self.import_button.setEnabled(ready and not self.job.running)
        if ready and self.check is not None:
            self.import_button.setText(self.tr("确认导入 %1 人").replace("%1", str(self.check.new_persons)))
        else:
            self.import_button.setText(self.tr("确认导入"))
        self.recheck_button.setEnabled(self.mapping is not None and not self.job.running)

    def reject(self) -> None:
        if self.job.running:
            self.cancel()
            return
        super().reject()
