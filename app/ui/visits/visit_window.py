"""The visit window: forms and pages with progress on the left, the current page on the right.

A draft visit is edited in place — every answer is saved as it is given — and reopens on the
page where it was left (``VisitService.save_position``). "完成访视" shows the review page
(answers by section, open items, signatures) before completing; "放弃访视…" discards the
draft with a reason. A completed visit opens read-only; "重新打开…" asks for a reason first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import DisabilityCategory, DisabilityLevel
from app.domain.localtime import local_day
from app.services.sync import RejectedRow, SyncService
from app.services.visits import VisitIncomplete, VisitService
from app.store.models import FormResponse, Person, Visit
from app.store.visit_resume import ResumePoint
from app.ui import form_text
from app.ui.context import AppContext
from app.ui.labels import label_of
from app.ui.sync.rejected_banner import RejectedBanner, rejected_of
from app.ui.visits.answer_saver import AnswerSaver
from app.ui.visits.form_renderer import FormRenderer
from app.ui.visits.review_page import ReviewPage
from app.ui.widgets.reason_prompt import ask_required_reason

if TYPE_CHECKING:
    from app.forms.engine import FormSession

ROLE_FORM, ROLE_PAGE, ROLE_KEY = (
    Qt.ItemDataRole.UserRole,
    Qt.ItemDataRole.UserRole + 1,
    Qt.ItemDataRole.UserRole + 2,
)


@dataclass
class VisitData:
    """Everything the window shows, loaded in the database worker."""

    visit: Visit
    person: Person | None
    responses: list[tuple[FormResponse, FormSession]]
    resume: ResumePoint | None = None
    rejected: list[RejectedRow] = field(default_factory=list)


def load_visit(service: VisitService, visit_id: str, actor: str | None = None) -> VisitData:
    """Read a visit and open each response on its own form version (worker side); with ``actor``, an
    existing visit opened by that user (the opening is audited)."""
    visit = service.open_visit(actor, visit_id) if actor else service.get_visit(visit_id)
    context = service.person_context(visit.person_id, visit.household_id, visit.worker)
    with service.store.session() as s:
        person = s.get(Person, visit.person_id) if visit.person_id else None
    responses = [(r, service.open_response(r.id, context)) for r in service.responses(visit_id)]
    resume = service.resume_point(visit_id) if visit.status != "completed" else None
    keys = [("visit", visit_id), *(("formresponse", r.id) for r, _ in responses)]
    return VisitData(visit, person, responses, resume, rejected_of(SyncService(service.store), keys))


class VisitWindow(QWidget):
    """One visit; ``closed`` when the window goes away, ``visit_changed`` after complete/reopen."""

    closed = Signal(str)
    visit_changed = Signal(str)

    def __init__(
        self, ctx: AppContext, service: VisitService, data: VisitData, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.service = service
        self.data = data
        self.saver = AnswerSaver(ctx, service, self)
        self.saver.pending_changed.connect(self._pending_changed)
        self.saver.failed.connect(lambda _k, msg: self._set_status(self.tr("保存失败：") + msg, error=True))
        self.setObjectName("visit_window")
        self.setWindowTitle(self._title())

        self.header = QLabel()
        self.header.setObjectName("visit_header")
        self.header.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.header.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)

        self.nav = QTreeWidget()
        self.nav.setObjectName("pages")
        self.nav.setHeaderLabels([self.tr("表单 / 页面"), self.tr("进度")])
        self.nav.setColumnWidth(0, 190)
        self.nav.itemClicked.connect(self._nav_clicked)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.open_list = QListWidget()
        self.open_list.setObjectName("open_items")
        self.open_list.itemClicked.connect(self._open_item_clicked)
        self.open_list.setWordWrap(True)
        self.open_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.open_title = QLabel(self.tr("待填必填项与错误（点击跳转）"))
        self.open_title.setStyleSheet("font-weight: bold; margin-top: 6px;")
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.nav, 3)
        lv.addWidget(self.open_title)
        lv.addWidget(self.open_list, 2)

        self.stack = QStackedWidget()
        self.renderers: list[FormRenderer] = []
        self._form = 0  # the form shown (or last shown, while the review page is up)
        self.review = ReviewPage()
        self.review.jump.connect(self._review_jump)
        self.review.confirm.connect(self.complete)
        self.review.back.connect(lambda: self.go_to(self._form, self.current().page_index))
        self.stack.addWidget(self.review)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 980])

        self.status = QLabel()
        self.status.setObjectName("save_status")
        self.prev_button = QPushButton(self.tr("上一页"))
        self.next_button = QPushButton(self.tr("下一页"))
        self.complete_button = QPushButton(self.tr("完成访视"))
        self.complete_button.setObjectName("complete")
        self.complete_button.setStyleSheet("font-weight: bold;")
        self.reopen_button = QPushButton(self.tr("重新打开…"))
        self.reopen_button.setObjectName("reopen")
        self.discard_button = QPushButton(self.tr("放弃访视…"))
        self.discard_button.setObjectName("discard")
        self.discard_button.setToolTip(self.tr("放弃这次未完成的访视（须填写原因，记录在案）"))
        self.discard_button.clicked.connect(self.ask_discard)
        self.close_button = QPushButton(self.tr("关闭"))
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.complete_button.clicked.connect(self.show_review)
        self.reopen_button.clicked.connect(self.ask_reopen)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, lambda: self._step(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, lambda: self._step(-1))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for b in (
            self.discard_button,
            self.prev_button,
            self.next_button,
            self.reopen_button,
            self.complete_button,
            self.close_button,
        ):
            buttons.addWidget(b)

        self.rejected = RejectedBanner(ctx)  # what the server refused of this visit
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.rejected)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self._build_renderers()
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(1300, screen.width()), min(740, screen.height() - 40))

    # -- set-up -------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.data.visit.status == "completed"

    def _title(self) -> str:
        name = self.data.person.name if self.data.person else ""
        return self.tr("入户访视 - %1").replace("%1", name)

    def _build_renderers(self) -> None:
        for r in self.renderers:
            self.stack.removeWidget(r)
            r.deleteLater()
        self.renderers = []
        for response, session in self.data.responses:
            renderer = FormRenderer(session, response.id, self.saver, read_only=self.read_only)
            renderer.changed.connect(self._refresh_side)
            self.stack.insertWidget(len(self.renderers), renderer)
            self.renderers.append(renderer)
        self._render_header()
        self.rejected.show_rows(self.data.rejected)
        self.complete_button.setVisible(not self.read_only)
        self.discard_button.setVisible(not self.read_only)
        self.reopen_button.setVisible(self.read_only)
        self._set_status(self.tr("已完成，只读") if self.read_only else self.tr("每项答案输入后即自动保存"))
        if self.renderers:
            self._form = 0
            self.go_to(*self._start_page())

    def _start_page(self) -> tuple[int, int]:
        """Where the draft was left on this laptop, else the first relevant page."""
        point = self.data.resume
        if point is not None and not self.read_only:
            for f, renderer in enumerate(self.renderers):
                if renderer.response_id != point.response_id:
                    continue
                pages = renderer.session.definition.pages
                p = next((i for i, page in enumerate(pages) if page.id == point.page_id), None)
                if p is not None and renderer.session.visible_questions(pages[p]):
                    return f, p
        return 0, self._first_relevant_page(0)

    def _render_header(self) -> None:
        v, p = self.data.visit, self.data.person
        parts = [p.name if p else self.tr("（未指定人员）")]
        if p and p.category:
            parts.append(
                " ".join(
                    filter(
                        None, [label_of(DisabilityCategory, p.category), label_of(DisabilityLevel, p.level)]
                    )
                )
            )
        parts.append(v.place)
        parts.append(local_day(v.started_at))
        parts.append(self.tr("已完成") if self.read_only else self.tr("草稿"))
        self.header.setText("  ·  ".join(x for x in parts if x))
        if v.reopen_reason and not self.read_only:
            self._show_banner(self.tr("已重新打开，原因：") + v.reopen_reason, "info")

    def _first_relevant_page(self, form: int) -> int:
        session = self.renderers[form].session
        for i, page in enumerate(session.definition.pages):
            if session.visible_questions(page):
                return i
        return 0

    # -- navigation --------------------------------------------------------------------

    def current(self) -> FormRenderer:
        return self.renderers[self._form]

    @property
    def reviewing(self) -> bool:
        return self.stack.currentWidget() is self.review

    def go_to(self, form: int, page: int) -> None:
        if self.renderers and self._form < len(self.renderers):
            self.current().flush()
        self._form = form
        self.stack.setCurrentIndex(form)
        self.renderers[form].show_page(page)
        self._set_nav_enabled(True)
        self._refresh_side()
        self._remember(form, page)

    def _remember(self, form: int, page: int, key: str = "") -> None:
        """Store the page shown with the draft, so it reopens here (a small write in the worker)."""
        if self.read_only:
            return
        visit_id, response_id = self.data.visit.id, self.renderers[form].response_id
        page_id = self.renderers[form].session.definition.pages[page].id
        self.ctx.tasks.run_db(
            lambda: self.service.save_position(visit_id, response_id, page_id, key), lambda _r: None
        )

    def _set_nav_enabled(self, enabled: bool) -> None:
        self.prev_button.setEnabled(enabled)
        self.next_button.setEnabled(enabled)
        self.complete_button.setEnabled(enabled)

    def _relevant_pages(self) -> list[tuple[int, int]]:
        out = []
        for f, renderer in enumerate(self.renderers):
            for p, page in enumerate(renderer.session.definition.pages):
                if renderer.session.visible_questions(page):
                    out.append((f, p))
        return out

    def _step(self, delta: int) -> None:
        pages = self._relevant_pages()
        here = (self._form, self.current().page_index)
        if here in pages:
            i = pages.index(here) + delta
        else:
            i = 0
        if 0 <= i < len(pages):
            self.go_to(*pages[i])

    def _nav_clicked(self, item: QTreeWidgetItem) -> None:
        form, page = item.data(0, ROLE_FORM), item.data(0, ROLE_PAGE)
        if form is not None:
            self.go_to(int(form), int(page) if page is not None else self._first_relevant_page(int(form)))

    def _open_item_clicked(self, item: QListWidgetItem) -> None:
        form, page, key = item.data(ROLE_FORM), item.data(ROLE_PAGE), item.data(ROLE_KEY)
        self._review_jump(int(form), int(page), str(key))

    def _review_jump(self, form: int, page: int, key: str) -> None:
        self.go_to(form, page)
        self.current().focus_key(key)
        self._remember(form, page, key)

    def _select_in_nav(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            self.nav.clearSelection()
            self.nav.setCurrentItem(None)  # type: ignore[arg-type]
            return
        self.nav.setCurrentItem(item)
        self.nav.scrollToItem(item)

    def nav_item(self, form: int, page: int) -> QTreeWidgetItem | None:
        """The progress tree's item of ``page`` of ``form``."""
        for i in range(self.nav.topLevelItemCount()):
            top = self.nav.topLevelItem(i)
            for j in range(top.childCount()):
                child = top.child(j)
                if child.data(0, ROLE_FORM) == form and child.data(0, ROLE_PAGE) == page:
                    return child
        return None

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The tree follows the question being answered: the page holding the focus is selected."""
        if new is None or self.reviewing or not self.renderers:
            return
        for f, renderer in enumerate(self.renderers):
            if renderer.isAncestorOf(new):
                item = self.nav_item(f, renderer.page_index)
                if item is not None and self.nav.currentItem() is not item:
                    self._select_in_nav(item)
                return

    def _page_of(self, session: FormSession, key: str) -> int:
        qid = key.rsplit(".", 1)[-1]
        page_id = (
            session.definition.repeats[key].page
            if key in session.definition.repeats
            else session.definition.questions[qid].page
        )
        return next(i for i, p in enumerate(session.definition.pages) if p.id == page_id)

    def _refresh_side(self) -> None:
        """Progress per form and page, and the list of what is still open."""
        current = (self._form, self.current().page_index if self.renderers else 0)
        if self.reviewing:
            current = (-1, -1)
        self.nav.clear()
        here: QTreeWidgetItem | None = None
        for f, renderer in enumerate(self.renderers):
            s = renderer.session
            done, total = s.progress()
            form_item = QTreeWidgetItem([form_text.form_title(s.definition), f"{done}/{total}"])
            form_item.setData(0, ROLE_FORM, f)
            font = form_item.font(0)
            font.setBold(True)
            form_item.setFont(0, font)
            open_by_page: dict[int, int] = {}
            for key in s.errors():
                p = self._page_of(s, key)
                open_by_page[p] = open_by_page.get(p, 0) + 1
            for p, page in enumerate(s.definition.pages):
                if not s.visible_questions(page):
                    continue
                count = open_by_page.get(p, 0)
                item = QTreeWidgetItem(
                    [
                        form_text.page_title(page),
                        self.tr("待填 %1").replace("%1", str(count)) if count else "✓",
                    ]
                )
                item.setData(0, ROLE_FORM, f)
                item.setData(0, ROLE_PAGE, p)
                if count:
                    item.setForeground(1, Qt.GlobalColor.darkRed)
                form_item.addChild(item)
                if (f, p) == current:
                    here = item
            self.nav.addTopLevelItem(form_item)
            form_item.setExpanded(True)
        # Selected once the item is in the tree (before, Qt ignored it and the old highlight stayed).
        self._select_in_nav(here)
        self.open_list.clear()
        if self.renderers and not self.read_only:
            s = self.current().session
            unanswered = set(s.open_required())
            for key, message in s.errors().items():
                label = form_text.item_label(
                    s.definition.repeats[key] if key in s.definition.repeats else s.question(key)
                )
                if key in unanswered:
                    message = form_text.required_message()
                else:
                    message = form_text.problem(s.definition, key, message)
                page = self._page_of(s, key)
                item = QListWidgetItem(
                    f"{form_text.page_title(s.definition.pages[page])} · {label}{form_text.colon()}{message}"
                )
                item.setData(ROLE_FORM, self._form)
                item.setData(ROLE_PAGE, page)
                item.setData(ROLE_KEY, key)
                self.open_list.addItem(item)
        beside = not self.read_only and not self.reviewing  # the review page lists them itself
        self.open_title.setVisible(beside)
        self.open_list.setVisible(beside)

    # -- saving, completing, reopening -----------------------------------------------------

    def _pending_changed(self, pending: int) -> None:
        if pending:
            self._set_status(self.tr("正在保存…"))
        else:
            self._set_status(self.tr("已保存"))

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c62828;" if error else "color: #2e7d32;")

    def _show_banner(self, text: str, kind: str = "error") -> None:
        colours = {"error": ("#fdecea", "#b71c1c"), "info": ("#e8f1fb", "#174a7c")}
        bg, fg = colours[kind]
        self.banner.setStyleSheet(f"background: {bg}; color: {fg}; padding: 8px; border-radius: 4px;")
        self.banner.setText(text)
        self.banner.setVisible(True)

    def flush(self) -> None:
        for renderer in self.renderers:
            renderer.flush()

    def show_review(self) -> None:
        """The review page before completing: answers by section, what is open, signatures."""
        self.flush()
        self.review.show_sessions([r.session for r in self.renderers])
        self.stack.setCurrentWidget(self.review)
        self._set_nav_enabled(False)
        self._refresh_side()

    def complete(self) -> None:
        """Queue completion after the pending saves; refused → messages at the questions."""
        self.flush()
        actor = self.ctx.actor
        visit_id = self.data.visit.id
        self.complete_button.setEnabled(False)

        def work() -> VisitData:
            self.service.complete_visit(actor, visit_id)
            return load_visit(self.service, visit_id)  # the saved state is what is shown from now on

        self.ctx.tasks.run_db(work, self._completed, self._complete_failed)

    def _completed(self, data: VisitData) -> None:
        self.complete_button.setEnabled(True)
        self.data = data
        visit = data.visit
        self.banner.setVisible(False)
        self._build_renderers()
        self._show_banner(self.tr("访视已完成。"), "info")
        self.visit_changed.emit(visit.id)
        self.ctx.events.visits_changed.emit()

    def _complete_failed(self, error: BaseException) -> None:
        self._set_nav_enabled(True)
        if not isinstance(error, VisitIncomplete):
            self._show_banner(str(error))
            return
        by_response = {p.response_id: p for p in error.problems}
        titles = form_text.enumeration().join(
            form_text.form_title(r.session.definition) for r in self.renderers if r.response_id in by_response
        )
        count = sum(len(p.errors) for p in error.problems)
        self._show_banner(
            self.tr("还有 %1 项未填或有误（%2），请补全后再完成访视")
            .replace("%1", str(count))
            .replace("%2", titles)
        )
        first: tuple[int, int, str] | None = None
        for f, renderer in enumerate(self.renderers):
            renderer.reveal_errors()
            problem = by_response.get(renderer.response_id)
            if problem and first is None:
                key = next(iter(problem.errors))
                first = (f, self._page_of(renderer.session, key), key)
        if first is not None:
            self.go_to(first[0], first[1])
            self.current().focus_key(first[2])
        elif self.reviewing:
            self.go_to(self._form, self.current().page_index)
        self._refresh_side()

    def ask_reopen(self) -> None:
        reason, ok = QInputDialog.getMultiLineText(
            self, self.tr("重新打开访视"), self.tr("请填写重新打开的原因（将记录在审计日志中）：")
        )
        if ok:
            self.reopen(reason)

    def reopen(self, reason: str) -> None:
        actor, visit_id = self.ctx.actor, self.data.visit.id
        self.ctx.tasks.run_db(
            lambda: load_visit(self.service, self.service.reopen_visit(actor, visit_id, reason).id),
            self._reopened,
            lambda e: self._show_banner(str(e)),
        )

    def ask_discard(self) -> None:
        """放弃访视: a reason is required (stored with the visit and audited); empty asks again."""
        reason = ask_required_reason(
            self,
            self.tr("放弃访视"),
            self.tr("请填写放弃这次访视的原因（将记录在案，不能为空）："),
            self.tr("原因不能为空。请填写放弃这次访视的原因："),
        )
        if reason:
            self.discard(reason)

    def discard(self, reason: str) -> None:
        actor, visit_id = self.ctx.actor, self.data.visit.id
        self.flush()
        self.ctx.tasks.run_db(
            lambda: self.service.discard_visit(actor, visit_id, reason),
            self._discarded,
            lambda e: self._show_banner(str(e)),
        )

    def _discarded(self, _visit: Visit) -> None:
        self.discarded = True
        self.ctx.events.visits_changed.emit()
        self.close()

    def _reopened(self, data: VisitData) -> None:
        self.data = data
        self._build_renderers()
        self.visit_changed.emit(data.visit.id)
        self.ctx.events.visits_changed.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not getattr(self, "discarded", False):
            self.flush()  # the last word typed is queued before the window goes
        app = QApplication.instance()
        if isinstance(app, QApplication):
            try:
                app.focusChanged.disconnect(self._focus_changed)
            except (RuntimeError, TypeError):  # already disconnected
                pass
        self.closed.emit(self.data.visit.id)
        super().closeEvent(event)
