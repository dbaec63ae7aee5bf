"""The 改造项目 screen: the list, and a project's page in front of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QStackedWidget, QWidget

from app.ui.context import AppContext
from app.ui.projects.project_dialog import ProjectDialog
from app.ui.projects.project_list import ProjectListView
from app.ui.projects.project_page import ProjectPage

if TYPE_CHECKING:  # the certificate stack (reportlab) loads when a certificate dialog first opens
    from app.ui.projects.certificate_dialogs import BatchExportDialog, VerifyDialog


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
        self.list_view.new_project.connect(self.new_project)
        self.list_view.batch_export.connect(self.open_batch_export)
        self.list_view.verify.connect(self.open_verify)
        self.page.back.connect(lambda: self.setCurrentWidget(self.list_view))
        ctx.events.projects_changed.connect(self.list_view.refresh)
        ctx.events.sync_state_changed.connect(self.list_view.refresh)
        self.list_view.refresh()

    def open_project(self, project_id: str) -> None:
        self.page.show_project(project_id)
        self.setCurrentWidget(self.page)

    def new_project(self) -> ProjectDialog:
        """The new-project dialog with a household search; the new project opens when saved."""
        dialog = ProjectDialog(self.ctx, parent=self)

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dialog.saved is not None:
                self.open_project(dialog.saved.id)

        dialog.finished.connect(finished)
        dialog.open()
        self.new_dialog = dialog
        return dialog

    def open_batch_export(self) -> BatchExportDialog:
        from app.ui.projects.certificate_dialogs import BatchExportDialog

        dialog = BatchExportDialog(self.ctx, self)
        dialog.open()
        return dialog

    def open_verify(self) -> VerifyDialog:
        from app.ui.projects.certificate_dialogs import VerifyDialog

        dialog = VerifyDialog(self.ctx, self)
        dialog.open()
        return dialog
