"""The 改造项目 screen: the list, and a project's page in front of it."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from app.ui.context import AppContext
from app.ui.projects.certificate_dialogs import BatchExportDialog, VerifyDialog
from app.ui.projects.project_list import ProjectListView
from app.ui.projects.project_page import ProjectPage


class ProjectsScreen(QStackedWidget):
    """List ⇄ project page; refreshes when projects change elsewhere (an acceptance, a pull)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list_view = ProjectListView(ctx)
        self.page = ProjectPage(ctx)
        self.addWidget(self.list_view)
        self.addWidget(self.page)
        self.list_view.open_project.connect(self.open_project)
        self.list_view.batch_export.connect(self.open_batch_export)
        self.list_view.verify.connect(self.open_verify)
        self.page.back.connect(lambda: self.setCurrentWidget(self.list_view))
        ctx.events.projects_changed.connect(self.list_view.refresh)
        ctx.events.sync_state_changed.connect(self.list_view.refresh)
        self.list_view.refresh()

    def open_project(self, project_id: str) -> None:
        self.page.show_project(project_id)
        self.setCurrentWidget(self.page)

    def open_batch_export(self) -> BatchExportDialog:
        dialog = BatchExportDialog(self.ctx, self)
        dialog.open()
        return dialog

    def open_verify(self) -> VerifyDialog:
        dialog = VerifyDialog(self.ctx, self)
        dialog.open()
        return dialog
