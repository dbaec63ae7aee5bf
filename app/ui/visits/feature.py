"""Plugs the visit workflow into the main window (``install(window)``).

Replaces the 访视 placeholder with the visits screen, starts visits from the
household page's "开始访视" (form chooser with suggestions), opens visits from
its history table, shows the selected person's need alerts there, and offers
unfinished drafts after start-up without delaying it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

from app.forms.alerts import Alert
from app.services.alerts import AlertService
from app.services.sync import SyncService
from app.services.visits import DraftExists, VisitService, VisitSummary
from app.store.models import HandledAlert, Person
from app.ui import permissions
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.sync.rejected_banner import RejectedBanner, rejected_of
from app.ui.visits.alert_handled import PersonAlertsBox, ask_note
from app.ui.visits.form_chooser import FormChooser
from app.ui.visits.resume_prompt import DraftOffer, ResumePrompt
from app.ui.visits.visits_screen import VisitsScreen, ask_discard_reason

if TYPE_CHECKING:  # the visit window (form renderer, signature pad) loads when the first visit opens
    from app.ui.visits.visit_window import VisitData, VisitWindow


class VisitsFeature(QObject):
    """Owns the visits screen and the open visit windows."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx: AppContext = window.ctx
        self.service = VisitService(self.ctx.store)
        self._alerts: AlertService | None = None
        self.windows: dict[str, VisitWindow] = {}
        self.prompt: ResumePrompt | None = None
        self._prompted = False

        self.screen = VisitsScreen(self.ctx, self.service)
        window.replace_screen("visits", self.screen)
        self.screen.open_household.connect(window.open_household)
        self.screen.resume_visit.connect(self.open_visit)

        page = window.household_page
        permissions.apply_to_household_page(page, self.ctx)  # e.g. no 开始访视 for the acceptance team
        page.start_visit.connect(self.start_visit)
        page.open_visit.connect(self.open_visit)
        self.alerts_box = PersonAlertsBox()
        self.alerts_box.handle_requested.connect(self.mark_handled)
        page.extra.addWidget(self.alerts_box)
        # What the server refused of this household, its members and their visits, on the page.
        self.rejected_banner = RejectedBanner(self.ctx)
        self.rejected_banner.changed.connect(page.refresh)
        page.extra.insertWidget(0, self.rejected_banner)
        page.shown.connect(self._household_shown)
        page.person_shown.connect(self._person_selected)
        self.ctx.events.visits_changed.connect(self._visits_changed)
        window.close_guards.append(self.may_close)
        # After the first frame: a count of drafts, then the banner if any; once per login,
        # a list of the unfinished visits to continue.
        QTimer.singleShot(0, self._check_drafts)
        QTimer.singleShot(0, self.offer_resumption)

    # -- drafts at start ------------------------------------------------------------

    def _check_drafts(self) -> None:
        actor = self.ctx.actor
        self.ctx.tasks.run_db(lambda: self.service.has_unfinished_drafts(actor), self._drafts_counted)

    def _drafts_counted(self, count: int) -> None:
        self.screen.show_drafts_banner(count)
        if count:
            self.window.statusBar().showMessage(
                self.tr("您有 %1 个未完成的访视，请到“访视 → 未完成”继续填写。").replace("%1", str(count)),
                15000,
            )

    def offer_resumption(self) -> None:
        """Once after login: list this worker's unfinished visits (non-modal; 稍后 closes it)."""
        if self._prompted:
            return
        self._prompted = True
        actor = self.ctx.actor
        self.ctx.tasks.run_db(lambda: self.service.unfinished_drafts(actor), self._show_prompt)

    def _show_prompt(self, drafts: list[VisitSummary]) -> None:
        if not drafts:
            return
        self.prompt = ResumePrompt(drafts, self.window)
        self.prompt.resume.connect(self.open_visit)
        self.prompt.show()

    # -- alerts on the household page -----------------------------------------------------

    def _alert_service(self) -> AlertService:
        if self._alerts is None:
            self._alerts = AlertService(self.ctx.store)
        return self._alerts

    def _household_shown(self, household_id: str) -> None:
        detail = self.window.household_page.detail
        if detail is None or detail.household.id != household_id:
            return
        keys = [("household", household_id)]
        keys += [("person", p.id) for p in detail.members]
        keys += [("visit", v.id) for v in detail.visits]
        keys += [("formresponse", r.id) for rs in detail.responses.values() for r in rs]
        sync = SyncService(self.ctx.store)
        self.ctx.tasks.run_db(
            lambda: rejected_of(sync, keys),
            lambda rows: self._rejected_loaded(household_id, rows),
        )

    def _rejected_loaded(self, household_id: str, rows: list) -> None:
        detail = self.window.household_page.detail
        if detail is not None and detail.household.id == household_id:
            self.rejected_banner.show_rows(rows)

    def _person_selected(self, person_id: str) -> None:
        """Another person shown (or the same one after a saved visit): never keep the old alerts."""
        self.alerts_box.show_alerts([])
        if not person_id:
            return
        self.ctx.tasks.run_db(
            lambda: self._alert_service().for_person_with_marks(person_id),
            lambda loaded: self._alerts_loaded(person_id, *loaded),
        )

    def _alerts_loaded(self, person_id: str, alerts: list[Alert], marks: dict[str, HandledAlert]) -> None:
        if person_id == self.window.household_page.selected_person_id:
            self.alerts_box.show_alerts(alerts, marks, self.window.household_page.user_names)

    def mark_handled(self, alert: Alert) -> None:
        """标记已处理: ask for the note, store it (audited), show the box again."""
        person_id, actor = self.window.household_page.selected_person_id, self.ctx.actor
        if not person_id:
            return

        def store(note: str) -> None:
            self.ctx.tasks.run_db(
                lambda: self._alert_service().mark_handled(actor, person_id, alert.rule_id, note),
                lambda _mark: self._person_selected(person_id),
                lambda exc: QMessageBox.warning(self.window, self.tr("标记已处理"), str(exc)),
            )

        ask_note(alert, self.window, store)

    # -- starting and opening visits ----------------------------------------------------------

    def start_visit(self, household_id: str, person_id: str) -> None:
        if not person_id:
            QMessageBox.information(
                self.window, self.tr("开始访视"), self.tr("请先在家庭成员中选择访视对象。")
            )
            return

        def work() -> tuple[Person, list[str], VisitSummary | None]:
            with self.ctx.store.session() as s:
                person = s.get(Person, person_id)
            assert person is not None
            return person, self.service.suggest_forms(person), self.service.open_draft_for(person_id)

        self.ctx.tasks.run_db(work, lambda result: self._offer_or_choose(household_id, *result))

    def _offer_or_choose(
        self, household_id: str, person: Person, suggested: list[str], draft: VisitSummary | None
    ) -> None:
        """One open draft per person: offer to continue (or give up) the unfinished visit first."""
        if draft is None:
            self._choose_forms(household_id, person, suggested)
            return
        answer = DraftOffer(draft, self.window).exec()
        if answer == DraftOffer.RESUME:
            self.open_visit(draft.visit.id)
        elif answer == DraftOffer.DISCARD:
            reason = ask_discard_reason(self.window, draft.person_name)
            if not reason:
                return
            actor = self.ctx.actor

            def discard() -> None:
                self.service.discard_visit(actor, draft.visit.id, reason)

            def discarded(_: object) -> None:
                self.ctx.events.visits_changed.emit()
                self._choose_forms(household_id, person, suggested)

            self.ctx.tasks.run_db(discard, discarded, self._error)

    def _choose_forms(self, household_id: str, person: Person, suggested: list[str]) -> None:
        chooser = FormChooser(person.name, suggested, self.window)
        if chooser.exec() != QDialog.DialogCode.Accepted:
            return
        forms, actor = chooser.chosen(), self.ctx.actor
        from app.ui.visits.visit_window import load_visit  # imported here, on the GUI thread

        def work() -> VisitData:
            visit = self.service.start_visit(actor, household_id, person.id, forms)
            return load_visit(self.service, visit.id)

        self.ctx.tasks.run_db(work, self._show_window, self._error)

    def open_visit(self, visit_id: str) -> None:
        existing = self.windows.get(visit_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return
        actor = self.ctx.actor
        from app.ui.visits.visit_window import load_visit  # imported here, on the GUI thread

        self.ctx.tasks.run_db(
            lambda: load_visit(self.service, visit_id, actor), self._show_window, self._error
        )

    def _show_window(self, data: VisitData) -> VisitWindow:
        from app.ui.visits.visit_window import VisitWindow

        window = VisitWindow(self.ctx, self.service, data)
        self.windows[data.visit.id] = window
        window.closed.connect(self._window_closed)
        window.show()
        self.ctx.events.visits_changed.emit()
        return window

    def _window_closed(self, visit_id: str) -> None:
        window = self.windows.pop(visit_id, None)
        if window is not None:
            window.deleteLater()
        self.ctx.events.visits_changed.emit()

    def may_close(self) -> bool:
        """Closing the main window with visit windows open: ask, then close them (answers are saved)."""
        if not self.windows:
            return True
        answer = QMessageBox.question(
            self.window,
            self.tr("退出"),
            self.tr("还有 %1 个访视窗口开着。已填写的内容都已保存，关闭这些窗口并退出吗？").replace(
                "%1", str(len(self.windows))
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        for visit_window in list(self.windows.values()):
            visit_window.close()  # flushes the last typed word first
        return True

    def _error(self, error: BaseException) -> None:
        if isinstance(error, DraftExists):  # started elsewhere meanwhile: offer it
            self.open_visit(error.visit_id)
            return
        QMessageBox.warning(self.window, self.tr("访视"), str(error))

    def _visits_changed(self) -> None:
        self.screen.refresh_all()
        page = self.window.household_page
        if page.detail is not None and page.isVisible():
            page.refresh()
        self._check_drafts()


def install(window: MainWindow) -> VisitsFeature:
    """Install the visit workflow into ``window`` (called by ``app.ui.features``)."""
    feature = VisitsFeature(window)
    window.visits_feature = feature  # type: ignore[attr-defined]
    return feature
