"""The household page: the family's facts, its members with their certificates, and visit history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import (
    DisabilityCategory,
    DisabilityLevel,
    EconomicStatus,
    Gender,
    HouseGrade,
    HousingType,
    PersonStatus,
    VisitStatus,
)
from app.domain.ids import mask_cert_number, mask_id_number, parse_id_number
from app.domain.localtime import local_minute
from app.domain.regions import UnknownRegion, default_catalog
from app.forms.definition import get_form
from app.services.registry import HouseholdDetail
from app.services.user_names import UserNames
from app.store.models import Person
from app.ui import form_text, permissions, service_text
from app.ui.context import AppContext
from app.ui.labels import label_of
from app.ui.registry.dialogs import HouseholdDialog, PersonDialog
from app.ui.registry.need_items_panel import NeedItemsPanel
from app.ui.widgets.tables import setup_rows_view


def form_title(form_id: str) -> str:
    try:
        return form_text.form_title(get_form(form_id))
    except ValueError:
        return form_id


ID_COLUMN = 3  # 身份证号 in the members table


class HouseholdPage(QWidget):
    """Shows one household; edits go through the dialogs, visits through ``start_visit``."""

    back = Signal()
    start_visit = Signal(str, str)  # household id, person id
    open_visit = Signal(str)
    shown = Signal(str)  # household id, after each render (the projects box reloads on it)
    person_shown = Signal(str)  # the selected member's id ("" for none), after each render and selection

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: HouseholdDetail | None = None
        self.selected_person_id = ""
        self._loading = ""
        self.user_names = UserNames()  # username -> display name, for the visit history

        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.back_button = QPushButton(self.tr("← 返回列表"))
        self.back_button.clicked.connect(self.back.emit)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back.emit)
        self.edit_button = QPushButton(self.tr("编辑家庭…"))
        self.edit_button.clicked.connect(self.edit_household)
        self.visit_button = QPushButton(self.tr("开始访视"))
        self.visit_button.setObjectName("start_visit")
        self.visit_button.setStyleSheet("font-weight: bold;")
        self.visit_button.clicked.connect(self._start_visit)

        self.facts = QFormLayout()
        facts_box = QGroupBox(self.tr("家庭信息"))
        facts_box.setLayout(self.facts)

        self.members = QTableWidget(0, 9)
        self.members.setObjectName("members")
        self.members.setHorizontalHeaderLabels(
            [
                self.tr("姓名"),
                self.tr("性别"),
                self.tr("年龄"),
                self.tr("身份证号"),
                self.tr("残疾人证号"),
                self.tr("类别"),
                self.tr("等级"),
                self.tr("状态"),
                self.tr("两项补贴"),
            ]
        )
        self._setup_table(self.members)
        self.members.itemSelectionChanged.connect(self._member_selected)
        self.members.doubleClicked.connect(lambda _: self.edit_person())
        self.add_person_button = QPushButton(self.tr("新增人员…"))
        self.add_person_button.clicked.connect(lambda: self.edit_person(new=True))
        self.edit_person_button = QPushButton(self.tr("编辑人员…"))
        self.edit_person_button.clicked.connect(lambda: self.edit_person())
        self.reveal_button = QPushButton(self.tr("显示完整身份证号"))
        self.reveal_button.setObjectName("reveal_id")
        self.reveal_button.setToolTip(self.tr("身份证号默认隐去中间几位；显示完整号码会记入审计日志"))
        self.reveal_button.clicked.connect(self.reveal_id_number)
        members_box = QGroupBox(self.tr("家庭成员与残疾人证"))
        mb = QVBoxLayout(members_box)
        mb.addWidget(self.members)
        row = QHBoxLayout()
        row.addWidget(self.add_person_button)
        row.addWidget(self.edit_person_button)
        row.addWidget(self.reveal_button)
        row.addStretch(1)
        mb.addLayout(row)

        self.visits = QTableWidget(0, 5)
        self.visits.setObjectName("visits")
        self.visits.setHorizontalHeaderLabels(
            [self.tr("日期"), self.tr("访视对象"), self.tr("专职委员"), self.tr("状态"), self.tr("表单")]
        )
        self._setup_table(self.visits)
        self.visits.doubleClicked.connect(self._open_visit)
        visits_box = QGroupBox(self.tr("访视记录"))
        QVBoxLayout(visits_box).addWidget(self.visits)

        self.extra = QVBoxLayout()  # alerts plug in here
        self.beside_visits = QVBoxLayout()  # the projects box plugs in here, right of the visit history
        history = QHBoxLayout()
        history.addWidget(visits_box, 3)
        history.addLayout(self.beside_visits, 2)

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)
        header.addWidget(self.edit_button)
        header.addWidget(self.visit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(facts_box)
        layout.addWidget(members_box, 2)
        layout.addLayout(self.extra)
        layout.addLayout(history, 2)
        self.need_items = NeedItemsPanel(ctx, self)  # 需求台账: the family's need items and their follow-up
        layout.addWidget(self.need_items, 3)
        self.shown.connect(self.need_items.load)

    @staticmethod
    def _setup_table(table: QTableWidget) -> None:
        setup_rows_view(table, fit_contents=True)

    def show_household(
        self, household_id: str, person_id: str = "", then: Callable[[], None] | None = None
    ) -> None:
        """Load the household in the database worker (an audited read), then show it.

        Until it arrives the page shows nothing of the previous household, so
        no fact or alert of one family is ever seen under another's name.
        """
        if self.detail is not None and self.detail.household.id != household_id:
            self.detail = None
            self._clear()
        self._loading = household_id
        registry, store, actor = self.ctx.registry, self.ctx.store, self.ctx.actor

        def load() -> tuple[HouseholdDetail, UserNames]:
            names = UserNames.load(store)
            return registry.household_detail(actor, household_id), names

        self.ctx.tasks.run_db(load, lambda loaded: self._loaded(*loaded, person_id, then))

    def _loaded(
        self,
        detail: HouseholdDetail,
        names: UserNames,
        person_id: str,
        then: Callable[[], None] | None,
    ) -> None:
        if detail.household.id != self._loading:
            return  # the user has opened another household meanwhile
        self.detail = detail
        self.user_names = names
        self.selected_person_id = person_id
        self._render()
        if then is not None:
            then()

    def _clear(self) -> None:
        self.title.setText("")
        while self.facts.rowCount():
            self.facts.removeRow(0)
        self.members.setRowCount(0)
        self.visits.setRowCount(0)
        self.selected_person_id = ""
        self.person_shown.emit("")

    def reveal_id_number(self) -> None:
        """Show the selected member's full ID number in place of the masked one (audited, in the worker)."""
        person_id = self.selected_person_id
        if not person_id:
            return
        registry, actor = self.ctx.registry, self.ctx.actor
        self.ctx.tasks.run_db(
            lambda: registry.reveal_id_number(actor, person_id),
            lambda number: self._revealed(person_id, number),
        )

    def _revealed(self, person_id: str, number: str) -> None:
        for r in range(self.members.rowCount()):
            item = self.members.item(r, ID_COLUMN)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == person_id:
                item.setText(number)

    def refresh(self) -> None:
        if self.detail:
            self.show_household(self.detail.household.id, self.selected_person_id)

    def _render(self) -> None:
        assert self.detail is not None
        h = self.detail.household
        self.title.setText(self.tr("%1 户").replace("%1", h.head_name or self.tr("（未填户主）")))
        while self.facts.rowCount():
            self.facts.removeRow(0)
        try:
            region = default_catalog().full_name(h.region_code, with_province=False)
        except UnknownRegion:
            region = h.region_code
        for label, value in (
            (self.tr("所属村（社区）"), region),
            (self.tr("住址"), h.address),
            (self.tr("联系电话"), h.phone),
            (self.tr("经济状况"), label_of(EconomicStatus, h.economic_status)),
            (
                self.tr("住房"),
                " ".join(
                    filter(None, [label_of(HousingType, h.housing_type), label_of(HouseGrade, h.house_grade)])
                ),
            ),
        ):
            value_label = QLabel(value or "—")
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(label, value_label)

        today = date.today()
        self.members.setRowCount(len(self.detail.members))
        select_row = 0
        for r, p in enumerate(self.detail.members):
            try:
                age = str(parse_id_number(p.id_number).age_on(today))
            except ValueError:
                age = ""
            subsidies = self.tr("、").join(
                s
                for s, on in ((self.tr("生活"), p.has_living_subsidy), (self.tr("护理"), p.has_care_subsidy))
                if on
            )
            values = [
                p.name,
                label_of(Gender, p.gender),
                age,
                mask_id_number(p.id_number),
                mask_cert_number(p.cert_number),
                label_of(DisabilityCategory, p.category),
                label_of(DisabilityLevel, p.level),
                label_of(PersonStatus, p.status),
                subsidies or self.tr("无"),
            ]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                self.members.setItem(r, c, item)
            if p.id == self.selected_person_id:
                select_row = r
        self.members.blockSignals(True)  # one person_shown below, not one per row change
        self.members.clearSelection()
        if self.detail.members:
            self.members.selectRow(select_row)
            self.selected_person_id = self.detail.members[select_row].id
        else:
            self.selected_person_id = ""
        self.members.blockSignals(False)

        names = {p.id: p.name for p in self.detail.members}
        self.visits.setRowCount(len(self.detail.visits))
        for r, v in enumerate(self.detail.visits):
            forms = form_text.enumeration().join(
                form_title(resp.form_id) for resp in self.detail.responses.get(v.id, [])
            )
            values = [
                local_minute(v.started_at),
                names.get(v.person_id or "", ""),
                service_text.translate(self.user_names(v.worker)),  # people, not login names
                label_of(VisitStatus, v.status),
                forms,
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, v.id)
                self.visits.setItem(r, c, item)
        self.shown.emit(h.id)
        self.person_shown.emit(self.selected_person_id)

    def selected_visit_id(self) -> str:
        """The id of the visit selected in the history, or ""."""
        items = self.visits.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else ""

    def current_person(self) -> Person | None:
        if not self.detail:
            return None
        for p in self.detail.members:
            if p.id == self.selected_person_id:
                return p
        return None

    def _member_selected(self) -> None:
        items = self.members.selectedItems()
        if items:
            person_id = items[0].data(Qt.ItemDataRole.UserRole)
            if person_id != self.selected_person_id:
                self.selected_person_id = person_id
                self.person_shown.emit(person_id)

    def edit_household(self) -> None:
        assert self.detail is not None
        if not permissions.may_write(self.ctx, "household"):  # the server would refuse the change
            return
        dialog = HouseholdDialog(self.ctx, self.detail.household, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.ctx.events.households_changed.emit()
            self.refresh()

    def edit_person(self, new: bool = False) -> None:
        assert self.detail is not None
        person = None if new else self.current_person()
        if not new and person is None:
            return
        if not permissions.may_write(self.ctx, "person"):
            # A role that may not change the registry (the acceptance team): double-clicking a
            # member opens nothing; the member's facts are already shown on the page.
            return
        dialog = PersonDialog(self.ctx, self.detail.household.id, person, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved:
            self.selected_person_id = dialog.saved.id
            self.ctx.events.households_changed.emit()
            self.refresh()

    def _start_visit(self) -> None:
        if self.detail:
            self.start_visit.emit(self.detail.household.id, self.selected_person_id)

    def _open_visit(self) -> None:
        items = self.visits.selectedItems()
        if items:
            self.open_visit.emit(items[0].data(Qt.ItemDataRole.UserRole))
