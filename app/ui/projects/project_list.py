"""The project list: filters (kind, status, region, overdue) over a table of projects."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import ProjectKind, ProjectStatus
from app.services.projects import ProjectFilters, ProjectRow, ProjectService
from app.ui.context import AppContext
from app.ui.labels import enum_choices
from app.ui.projects.labels import STATUS_COLOURS, kind_label, region_name, status_label, yuan
from app.ui.region_picker import RegionPicker
from app.ui.widgets.tables import setup_rows_view

_Index = QModelIndex | QPersistentModelIndex


class ProjectTableModel(QAbstractTableModel):
    """Rows of ``ProjectRow``; overdue due dates in red."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ProjectRow] = []
        self.headers = [
            self.tr("户主"),
            self.tr("残疾人"),
            self.tr("改造类别"),
            self.tr("状态"),
            self.tr("村（社区）"),
            self.tr("计划金额（元）"),
            self.tr("施工单位"),
            self.tr("完成期限"),
        ]

    def set_rows(self, rows: list[ProjectRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 7 and row.overdue:
                return QBrush(QColor("#c62828"))
            if col == 3:
                colour = STATUS_COLOURS.get(ProjectStatus(row.status))
                return QBrush(QColor(colour)) if colour else None
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.address
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            row.head_name,
            row.person_name,
            kind_label(row.kind),
            status_label(row.status),
            region_name(row.region_code),
            yuan(row.planned_total),
            row.contractor,
            row.due_date + (self.tr("（已逾期）") if row.overdue else ""),
        )
        return values[col]


class ProjectListView(QWidget):
    """Filters and the table; emits ``open_project`` on double-click or Enter."""

    open_project = Signal(str)
    new_project = Signal()
    batch_export = Signal()
    verify = Signal()
    shown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.kind = QComboBox()
        self.kind.setObjectName("kind_filter")
        self.kind.addItem(self.tr("全部类别"), "")
        for value, text in enum_choices(ProjectKind):
            self.kind.addItem(text, value)
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem(self.tr("全部状态"), "")
        for value, text in enum_choices(ProjectStatus):
            self.status.addItem(text, value)
        self.region = RegionPicker()
        self.overdue = QCheckBox(self.tr("仅显示逾期"))
        self.overdue.setObjectName("overdue_filter")
        self.export_button = QPushButton(self.tr("批量导出验收单…"))
        self.export_button.setObjectName("batch_export")
        self.export_button.clicked.connect(self.batch_export)
        self.verify_button = QPushButton(self.tr("验证验收单…"))
        self.verify_button.setObjectName("verify")
        self.verify_button.clicked.connect(self.verify)
        self.new_button = QPushButton(self.tr("新建改造项目…"))
        self.new_button.setObjectName("new_project")
        self.new_button.clicked.connect(self.new_project)
        self.count = QLabel()
        self.count.setObjectName("count")

        self.model = ProjectTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_rows_view(
            self.table, name="projects", widths=(80, 80, 130, 80, 170, 110, 230, 130), row_height=26
        )
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.activated.connect(lambda index: self._open(index.row()))

        filters = QHBoxLayout()
        filters.addWidget(self.kind)
        filters.addWidget(self.status)
        filters.addWidget(QLabel(self.tr("地区")))
        filters.addWidget(self.region)
        filters.addWidget(self.overdue)
        filters.addStretch(1)
        title = QLabel(self.tr("改造项目"))
        title.setStyleSheet("font-size: 17px; font-weight: bold;")
        # The buttons sit by the title so the filter row fits 1366 px in English too.
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.new_button)
        top.addWidget(self.verify_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        for box in (self.kind, self.status):
            box.currentIndexChanged.connect(lambda _: self.refresh())
        self.region.changed.connect(lambda _: self.refresh())
        self.overdue.toggled.connect(lambda _: self.refresh())

    def filters(self) -> ProjectFilters:
        return ProjectFilters(
            kind=self.kind.currentData() or "",
            status=self.status.currentData() or "",
            region_prefix=self.region.code(),
            overdue=self.overdue.isChecked(),
        )

    def refresh(self) -> None:
        """Reload in the database worker; answers to outdated filters are dropped."""
        self._generation += 1
        generation, filters, service = self._generation, self.filters(), ProjectService(self.ctx.store)

        def done(rows: list[ProjectRow]) -> None:
            if generation != self._generation:
                return
            self.model.set_rows(rows)
            for col in (2, 3):  # kind and status: English labels are longer than the Chinese
                self.table.setColumnWidth(col, max(self.table.sizeHintForColumn(col) + 12, 80))
            overdue = sum(r.overdue for r in rows)
            text = self.tr("共 %1 个项目").replace("%1", str(len(rows)))
            if overdue:
                text += self.tr("，其中逾期 %1 个").replace("%1", str(overdue))
            self.count.setText(text)
            self.shown.emit(len(rows))

        self.ctx.tasks.run_db(lambda: service.list_projects(filters), done)

    def _open(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.open_project.emit(self.model.rows[row].id)
