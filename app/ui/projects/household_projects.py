"""The household page's "改造项目" box: the family's projects, a new one, or one from a visit's needs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.projects import ProjectFilters, ProjectRow, ProjectService, RenovationNeed
from app.ui.context import AppContext
from app.ui.projects.labels import kind_label, project_title, status_label, yuan
from app.ui.projects.project_dialog import ProjectDialog
from app.ui.registry.household_page import HouseholdPage


class HouseholdProjectsBox(QGroupBox):
    """Lists the shown household's projects (double-click opens one) and starts new ones."""

    open_project = Signal(str)
    created = Signal(str)  # project id

    def __init__(self, ctx: AppContext, page: HouseholdPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.page = ctx, page
        self.household_id = ""
        self.dialog: ProjectDialog | None = None
        self.setTitle(self.tr("改造项目"))
        self.setObjectName("household_projects")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("household_project_list")
        self.table.setHorizontalHeaderLabels([self.tr("类别"), self.tr("状态"), self.tr("计划金额")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._open)
        self.new_button = QPushButton(self.tr("新建改造项目…"))
        self.new_button.setObjectName("new_project")
        self.new_button.clicked.connect(self.new_project)
        self.from_visit_button = QPushButton(self.tr("由访视需求创建…"))
        self.from_visit_button.setObjectName("project_from_visit")
        self.from_visit_button.setToolTip(self.tr("先在访视记录中选中一次访视"))
        self.from_visit_button.clicked.connect(self.project_from_visit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.from_visit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

        # The same action on the visit history's context menu.
        self.visit_action = QAction(self.tr("由访视需求创建项目…"), page.visits)
        self.visit_action.triggered.connect(self.project_from_visit)
        page.visits.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        page.visits.addAction(self.visit_action)
        page.visits.itemSelectionChanged.connect(self._visit_selected)
        page.shown.connect(self.load)
        ctx.events.projects_changed.connect(self.reload)
        self._visit_selected()

    def load(self, household_id: str) -> None:
        """Show the projects of ``household_id`` (read in the database worker)."""
        self.household_id = household_id
        service = ProjectService(self.ctx.store)

        def done(rows: list[ProjectRow]) -> None:
            if household_id == self.household_id:
                self.show_rows(rows)

        self.ctx.tasks.run_db(lambda: service.list_projects(ProjectFilters(household_id=household_id)), done)

    def reload(self) -> None:
        if self.household_id:
            self.load(self.household_id)

    def show_rows(self, rows: list[ProjectRow]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (kind_label(row.kind), status_label(row.status), yuan(row.planned_total))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                item.setToolTip(project_title(row.title, row.kind))
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        if not rows:
            self.table.setRowCount(1)
            empty = QTableWidgetItem(self.tr("暂无改造项目"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.table.setItem(0, 0, empty)

    def _open(self) -> None:
        items = self.table.selectedItems()
        project_id = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        if project_id:
            self.open_project.emit(project_id)

    def _visit_selected(self) -> None:
        enabled = bool(self.page.selected_visit_id())
        self.from_visit_button.setEnabled(enabled)
        self.visit_action.setEnabled(enabled)

    # --- creating ---------------------------------------------------------------------------

    def new_project(self) -> ProjectDialog | None:
        if self.page.detail is None:
            return None
        dialog = ProjectDialog.for_household(self.ctx, self.page.detail, self.page.selected_person_id, self)
        return self._show(dialog)

    def project_from_visit(self) -> None:
        visit_id = self.page.selected_visit_id()
        if not visit_id or self.page.detail is None:
            return
        service = ProjectService(self.ctx.store)
        self.ctx.tasks.run_db(
            lambda: service.needs_from_visit(visit_id), lambda needs: self._needs_found(visit_id, needs)
        )

    def _needs_found(self, visit_id: str, needs: list[RenovationNeed]) -> None:
        detail = self.page.detail
        if detail is None:
            return
        if not needs:
            QMessageBox.information(
                self,
                self.tr("由访视需求创建项目"),
                self.tr("这次访视的住房情况表没有登记无障碍、照明线路等改造需求。"),
            )
            return
        visit = next((v for v in detail.visits if v.id == visit_id), None)
        person_id = visit.person_id if visit and visit.person_id else ""
        self._show(ProjectDialog.from_visit(self.ctx, detail, visit_id, person_id, needs, self))

    def _show(self, dialog: ProjectDialog) -> ProjectDialog:
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._closed(dialog, result))
        dialog.open()
        return dialog

    def _closed(self, dialog: ProjectDialog, result: int) -> None:
        if result == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.created.emit(dialog.saved.id)
