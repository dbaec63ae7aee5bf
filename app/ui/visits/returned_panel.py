"""被退回的访视: visits a supervisor returned, shown above the to-do list with the comment.

The list comes from ``app.services.reviews`` in the database worker; "按意见修改" reopens
the visit (the comment becomes the reopening reason) and opens it for correction.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.domain.localtime import local_minute
from app.services.reviews import ReturnedVisit, ReviewService
from app.services.user_names import UserNames
from app.ui import service_text
from app.ui.context import AppContext
from app.ui.visits.visits_screen import fill_table, make_table, selected_data


class ReturnedPanel(QWidget):
    """The worker's returned visits; hidden while there are none."""

    open_visit = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returned_panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#returned_panel { background: #fdecea; border: 1px solid #e57373; }")
        self.ctx = ctx
        self.service = ReviewService(ctx.store)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; color: #b71c1c;")
        self.table = make_table(
            [
                self.tr("访视对象"),
                self.tr("退回意见"),
                self.tr("审核人"),
                self.tr("退回时间"),
                self.tr("状态"),
            ],
            "returned_table",
        )
        self.table.setMaximumHeight(120)
        self.table.doubleClicked.connect(self._correct)
        button = QPushButton(self.tr("按意见修改"))
        button.setObjectName("correct_returned")
        button.clicked.connect(self._correct)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.table)
        self.setVisible(False)

    def refresh(self) -> None:
        actor, service, store = self.ctx.actor, self.service, self.ctx.store
        self.ctx.tasks.run_db(lambda: (service.returned_visits(actor), UserNames.load(store)), self._show)

    def _show(self, loaded: tuple[list[ReturnedVisit], UserNames]) -> None:
        items, names = loaded
        self.title.setText(
            self.tr("%1 个访视被审核退回，请按意见修改后重新完成").replace("%1", str(len(items)))
        )
        status = {"completed": self.tr("待修改"), "draft": self.tr("修改中")}
        rows = [
            (
                i.visit_id,
                [
                    i.person_name,
                    i.comment,
                    service_text.translate(names(i.reviewer)),  # people, not login names
                    local_minute(i.reviewed_at),
                    status.get(i.status, i.status),
                ],
            )
            for i in items
        ]
        fill_table(self.table, rows)
        self.setVisible(bool(items))

    def _correct(self) -> None:
        visit_id = selected_data(self.table)
        if not visit_id:
            return
        actor = self.ctx.actor
        self.ctx.tasks.run_db(
            lambda: self.service.reopen_returned(actor, str(visit_id)),
            lambda visit: self._reopened(visit.id),
            lambda error: QMessageBox.warning(self, self.tr("访视"), str(error)),
        )

    def _reopened(self, visit_id: str) -> None:
        self.ctx.events.visits_changed.emit()
        self.open_visit.emit(visit_id)
