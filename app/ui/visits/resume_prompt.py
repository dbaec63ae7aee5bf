"""What 开始访视 and the start of the app offer when visits are unfinished.

- ``DraftOffer``: 开始访视 on a person who has an unfinished visit offers to continue it or to
  give it up (with a reason) instead of starting a second, empty one.
- ``ResumePrompt``: after login, a list of this worker's unfinished visits to continue.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.localtime import local_minute
from app.services.visits import VisitSummary
from app.ui.visits.visits_screen import fill_table, forms_progress, make_table, selected_data


class DraftOffer(QDialog):
    """The person has an unfinished visit: continue it (``RESUME``), discard it (``DISCARD``) or cancel."""

    RESUME, DISCARD = 10, 11

    def __init__(self, draft: VisitSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draft_offer")
        self.setWindowTitle(self.tr("开始访视"))
        self.draft = draft
        text = QLabel(
            self.tr("%1 有一次未完成的访视（%2 开始；%3）。\n继续填写这一次，还是放弃它？")
            .replace("%1", draft.person_name)
            .replace("%2", local_minute(draft.visit.started_at))
            .replace("%3", forms_progress(draft))
        )
        text.setWordWrap(True)
        text.setMinimumWidth(420)
        resume = QPushButton(self.tr("继续这次访视"))
        resume.setObjectName("offer_resume")
        resume.setDefault(True)
        resume.clicked.connect(lambda: self.done(self.RESUME))
        discard = QPushButton(self.tr("放弃它…"))
        discard.setObjectName("offer_discard")
        discard.clicked.connect(lambda: self.done(self.DISCARD))
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(discard)
        buttons.addWidget(cancel)
        buttons.addWidget(resume)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(buttons)


class ResumePrompt(QDialog):
    """After login: "您有 N 个未完成的访视" with the list; 继续 opens one (``resume``)."""

    resume = Signal(str)

    def __init__(self, drafts: list[VisitSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resume_prompt")
        self.setWindowTitle(self.tr("未完成的访视"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        intro = QLabel(
            self.tr("您有 %1 个未完成的访视。选中一个后点击“继续访视”，会回到上次停下的页面。").replace(
                "%1", str(len(drafts))
            )
        )
        intro.setWordWrap(True)
        self.table = make_table(
            [self.tr("开始时间"), self.tr("访视对象"), self.tr("住址"), self.tr("表单（已填/必填）")],
            "resume_table",
        )
        fill_table(
            self.table,
            [
                (d.visit.id, [local_minute(d.visit.started_at), d.person_name, d.address, forms_progress(d)])
                for d in drafts
            ],
        )
        if drafts:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(self._resume)
        later = QPushButton(self.tr("稍后"))
        later.clicked.connect(self.reject)
        go = QPushButton(self.tr("继续访视"))
        go.setObjectName("prompt_resume")
        go.setDefault(True)
        go.clicked.connect(self._resume)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(later)
        buttons.addWidget(go)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(760, 320)

    def _resume(self) -> None:
        visit_id = selected_data(self.table)
        if visit_id:
            self.resume.emit(str(visit_id))
            self.accept()
