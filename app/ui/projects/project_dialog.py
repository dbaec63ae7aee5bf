"""新建改造项目 / 修改改造方案: one dialog for a new project (by hand or from a visit's needs) and plan edits.

The household is preset when the dialog opens from a household or a visit;
from the projects screen the caseworker finds it by a name or ID-number
fragment. The plan's running total is held against the kind's per-household
cap: over the cap the dialog warns and saves only once "超出限额，确认申请" is
ticked (``allow_over_cap``). Every field is checked before the service is
called, so nothing is written while anything is wrong; the service checks once
more and its refusal is shown the same way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import DisabilityCategory, DisabilityLevel, ProjectKind, ProjectStatus
from app.domain.ids import mask_id_number
from app.domain.renovation import load_catalog, money
from app.services.projects import (
    BEFORE_PHOTO_STATUSES,
    PlanLine,
    ProjectDetail,
    ProjectService,
    RenovationNeed,
)
from app.services.registry import HouseholdDetail, PersonHit
from app.store.models import RenovationProject
from app.ui import form_text
from app.ui.context import AppContext
from app.ui.labels import enum_choices, label_of
from app.ui.projects.labels import yuan
from app.ui.projects.plan_table import PlanTable
from app.ui.registry.dialogs import ERROR_STYLE, ValidatingDialog, select_data

WARNING_STYLE = "color: #c62828; font-weight: bold;"


class ProjectDialog(ValidatingDialog):
    """Create a project, or (with ``project``) edit the plan of one whose works have not started."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        household: HouseholdDetail | None = None,
        person_id: str = "",
        needs: list[RenovationNeed] | None = None,
        source_visit_id: str | None = None,
        project: ProjectDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household = household
        self.needs = {n.kind: n for n in needs or []}
        self.source_visit_id = source_visit_id
        self.project = project
        self.saved: RenovationProject | None = None
        self.warnings: list[str] = []
        self._search_generation = 0
        if project is not None:
            self.setWindowTitle(self.tr("修改改造方案"))
        elif source_visit_id:
            self.setWindowTitle(self.tr("由访视需求创建改造项目"))
        else:
            self.setWindowTitle(self.tr("新建改造项目"))
        self.setMinimumSize(980, 560)
        self.buttons.button(self.buttons.StandardButton.Save).setText(
            self.tr("保存方案") if project else self.tr("创建项目")
        )

        # Left column: who, what kind, and the project's facts.
        self.household_label = QLabel()
        self.household_label.setObjectName("household")
        self.household_label.setWordWrap(True)
        household_box = QWidget()
        hb = QVBoxLayout(household_box)
        hb.setContentsMargins(0, 0, 0, 0)
        hb.setSpacing(2)
        self.search = QLineEdit()
        self.search.setObjectName("household_search")
        self.search.setPlaceholderText(self.tr("输入姓名、拼音首字母或身份证号片段查找"))
        self.search.setClearButtonEnabled(True)
        self.hits = QListWidget()
        self.hits.setObjectName("household_hits")
        self.hits.setFixedHeight(96)
        self.hits.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hits.setTextElideMode(Qt.TextElideMode.ElideRight)
        hb.addWidget(self.search)
        hb.addWidget(self.hits)
        hb.addWidget(self.household_label)
        searching = household is None and project is None
        self.search.setVisible(searching)
        self.hits.setVisible(searching)
        self.search.textChanged.connect(self._search)
        self.hits.currentItemChanged.connect(self._hit_chosen)

        self.person = QComboBox()
        self.person.setObjectName("person")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for value, text in enum_choices(ProjectKind):
            self.kind.addItem(text, value)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.title_edit.setPlaceholderText(self.tr("留空则为“户主户+改造类别”"))
        self.contractor = QLineEdit()
        self.contractor.setObjectName("contractor")
        self.budget = QLineEdit()
        self.budget.setObjectName("budget")
        self.budget.setPlaceholderText(self.tr("留空则按计划合计"))
        self.due_set = QCheckBox(self.tr("设定"))
        self.due_set.setObjectName("due_set")
        self.due = QDateEdit()
        self.due.setObjectName("due_date")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setDate(QDate.currentDate().addMonths(3))
        self.due.setEnabled(False)
        self.due_set.toggled.connect(self.due.setEnabled)
        due_box = QWidget()
        db = QHBoxLayout(due_box)
        db.setContentsMargins(0, 0, 0, 0)
        db.addWidget(self.due_set)
        db.addWidget(self.due, 1)
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setFixedHeight(54)

        self.add_field("household", self.tr("家庭"), household_box)
        self.add_field("person", self.tr("残疾人"), self.person)
        self.add_field("kind", self.tr("改造类别"), self.kind)
        self.add_field("title", self.tr("项目名称"), self.title_edit)
        self.add_field("contractor", self.tr("施工单位"), self.contractor)
        self.add_field("budget", self.tr("预算（元）"), self.budget)
        self.add_field("due_date", self.tr("完成期限"), due_box)
        self.add_field("note", self.tr("备注"), self.note)

        # Right column: the plan against the cap.
        self.plan = PlanTable()
        self.plan.changed.connect(self._update_total)
        self.total = QLabel()
        self.total.setObjectName("total")
        self.cap_warning = QLabel()
        self.cap_warning.setObjectName("cap_warning")
        self.cap_warning.setStyleSheet(WARNING_STYLE)
        self.cap_warning.setWordWrap(True)
        self.over_cap = QCheckBox(self.tr("超出限额，确认申请"))
        self.over_cap.setObjectName("over_cap")
        self.over_cap.setToolTip(self.tr("超出每户上限的项目须报县残联审批"))
        items_error = QLabel()
        items_error.setObjectName("error_items")
        items_error.setStyleSheet(ERROR_STYLE)
        items_error.setWordWrap(True)
        items_error.hide()
        self.errors["items"] = items_error
        self.fields["items"] = self.plan
        hint = QLabel(self.tr("勾选改造内容，双击数量或单价可修改"))
        hint.setStyleSheet("color: #555;")
        right = QVBoxLayout()
        right.addWidget(hint)
        right.addWidget(self.plan, 1)
        right.addWidget(items_error)
        right.addWidget(self.total)
        right.addWidget(self.cap_warning)
        right.addWidget(self.over_cap)

        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.removeItem(self.form)
        left = QVBoxLayout()
        left.addLayout(self.form)
        left.addStretch(1)  # the fields keep their height when the plan column is taller
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        outer.insertLayout(0, columns, 1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.budget.textChanged.connect(self._update_total)
        self._prefill()

    # --- filling ------------------------------------------------------------------------

    def _prefill(self) -> None:
        if self.project is not None:
            p = self.project.project
            self.kind.setEnabled(False)
            self.person.setEnabled(False)
            select_data(self.kind, p.kind)
            self._show_household(self.project.household.head_name, self.project.household.address)
            self.person.addItem(
                self.project.person.name if self.project.person else self.tr("（未指定）"), ""
            )
            lines = [PlanLine(i.item.code, i.item.planned_qty, i.item.unit_price) for i in self.project.items]
            self.plan.set_kind(ProjectKind(p.kind), lines)
            self.title_edit.setText(p.title)
            self.contractor.setText(p.contractor)
            self.budget.setText(format(money(Decimal(str(p.budget))), "f"))
            if p.due_date:
                self.due_set.setChecked(True)
                self.due.setDate(QDate.fromString(p.due_date, "yyyy-MM-dd"))
            self.note.setPlainText(p.note)
            return
        if self.needs:
            select_data(self.kind, next(iter(self.needs)).value)
        if self.household is not None:
            self._set_household(self.household)
        self._kind_changed()

    def _show_household(self, head: str, address: str) -> None:
        self.household_label.setText(self.tr("%1 户").replace("%1", head) + f"  {address}".rstrip())

    def _set_household(self, detail: HouseholdDetail, person_id: str = "") -> None:
        self.household = detail
        h = detail.household
        self._show_household(h.head_name, h.address)
        self.person.clear()
        self.person.addItem(self.tr("（不指定）"), "")
        for p in detail.members:
            disability = [label_of(DisabilityCategory, p.category), label_of(DisabilityLevel, p.level)]
            self.person.addItem("  ".join(filter(None, [p.name, " ".join(filter(None, disability))])), p.id)
        disabled = [p.id for p in detail.members if p.category]
        select_data(self.person, person_id or (disabled[0] if disabled else ""))
        self.show_errors({}, {"household"})

    def preset_person(self, person_id: str) -> None:
        """Select ``person_id`` in the person list (used when opened from a household page)."""
        if person_id and self.person.findData(person_id) >= 0:
            select_data(self.person, person_id)

    def _kind_changed(self, *_: object) -> None:
        if self.project is not None:
            return
        kind = self.current_kind()
        need = self.needs.get(kind)
        lines = [PlanLine(code, 1) for code in need.item_codes] if need else []
        self.plan.set_kind(kind, lines)

    def current_kind(self) -> ProjectKind:
        return ProjectKind(self.kind.currentData())

    # --- household search (projects screen) -----------------------------------------------

    def _search(self, text: str) -> None:
        self._search_generation += 1
        generation, query, registry = self._search_generation, text.strip(), self.ctx.registry
        if not query:
            self.hits.clear()
            return

        def done(hits: list[PersonHit]) -> None:
            if generation != self._search_generation:
                return
            self.hits.clear()
            for hit in hits:
                item = QListWidgetItem(f"{hit.name}  {mask_id_number(hit.id_number)}  {hit.address}")
                item.setData(Qt.ItemDataRole.UserRole, (hit.household_id, hit.person_id))
                self.hits.addItem(item)
            if not hits:
                self.hits.addItem(self.tr("没有找到匹配的人员"))

        self.ctx.tasks.run_db(lambda: registry.search(query, limit=30), done)

    def _hit_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not data:
            return
        household_id, person_id = data
        registry, actor = self.ctx.registry, self.ctx.actor
        self.ctx.tasks.run_db(
            lambda: registry.household_detail(actor, household_id),
            lambda detail: self._set_household(detail, person_id),
        )

    # --- totals and cap -----------------------------------------------------------------

    def cap(self) -> Decimal | None:
        return load_catalog().cap_for(self.current_kind())

    def _budget_value(self) -> Decimal | None:
        """The typed budget, ``None`` when blank; raises ``ValueError`` when it is not an amount."""
        text = self.budget.text().strip().replace(",", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(text) from None
        if not value.is_finite() or value < 0:
            raise ValueError(text)
        return money(value)

    def over_cap_amount(self) -> Decimal | None:
        """How far the plan total or the budget goes past the cap, or ``None`` when within it."""
        cap = self.cap()
        if cap is None:
            return None
        try:
            budget = self._budget_value() or Decimal(0)
        except ValueError:
            budget = Decimal(0)
        highest = max(self.plan.total(), budget)
        return highest - cap if highest > cap else None

    def _update_total(self, *_: object) -> None:
        cap = self.cap()
        text = self.tr("计划合计 %1 元").replace("%1", yuan(self.plan.total()))
        if cap is not None:
            text += self.tr("，每户上限 %1 元").replace("%1", yuan(cap))
        self.total.setText(text)
        over = self.over_cap_amount()
        if over is None:
            self.cap_warning.hide()
            self.over_cap.hide()
            self.over_cap.setChecked(False)
            self.show_errors({}, {"items"})
            return
        self.cap_warning.setText(
            self.tr("⚠ 超出每户上限 %1 元（%2 元）。超出限额须报县残联审批，确认后勾选下方选项。")
            .replace("%1", yuan(over))
            .replace("%2", yuan(cap))
        )
        self.cap_warning.show()
        self.over_cap.show()

    # --- saving -------------------------------------------------------------------------

    def validate(self) -> dict[str, str]:
        """Messages by field for everything that stops a save (empty when all is well)."""
        errors: dict[str, str] = {}
        if self.household is None and self.project is None:
            errors["household"] = self.tr("请先查找并选择家庭")
        if self.plan.bad_rows:
            errors["items"] = form_text.semicolon().join(self.plan.bad_rows.values())
        elif not self.plan.ticked_rows() and self.current_kind() is not ProjectKind.DANGEROUS_HOUSE:
            errors["items"] = self.tr("请至少勾选一项改造内容")
        try:
            self._budget_value()
        except ValueError:
            errors["budget"] = self.tr("预算须为不小于0的金额，如 5800 或 5800.50")
        if "items" not in errors and self.over_cap_amount() is not None and not self.over_cap.isChecked():
            errors["items"] = self.tr("金额超出每户上限：请调整方案，或勾选“超出限额，确认申请”")
        if self.project is not None and "budget" not in errors:
            budget, cap = self._budget_value(), self.cap()
            stored = money(Decimal(str(self.project.project.budget)))
            if budget is not None and budget != stored and cap is not None and budget > cap:
                errors["budget"] = self.tr("修改后的预算不能超过每户上限 %1 元").replace("%1", yuan(cap))
        return errors

    def save(self) -> None:
        errors = self.validate()
        if errors:
            self._refuse(errors)
            return
        try:
            self._write()
        except ValueError as exc:  # ProjectError, OverBudget, InvalidQuantity, UnknownItem
            self.banner.setText(self.tr("未保存：%1").replace("%1", str(exc)))
            return
        self.ctx.events.projects_changed.emit()
        self.accept()

    def _refuse(self, errors: dict[str, str]) -> None:
        self.show_errors(errors)
        self.banner.setText(self.tr("有 %n 项需要修改，未保存", "", len(errors)))
        self.fields[next(iter(errors))].setFocus(Qt.FocusReason.OtherFocusReason)

    def _due(self) -> date | None:
        return self.due.date().toPython() if self.due_set.isChecked() else None  # type: ignore[return-value]

    def _write(self) -> None:
        service, actor = ProjectService(self.ctx.store), self.ctx.actor
        allow = self.over_cap.isChecked()
        budget = self._budget_value()
        if self.project is None:
            assert self.household is not None
            self.saved = service.create_project(
                actor,
                household_id=self.household.household.id,
                person_id=self.person.currentData() or None,
                kind=self.current_kind(),
                lines=self.plan.lines(),
                title=self.title_edit.text().strip(),
                contractor=self.contractor.text().strip(),
                budget=budget,
                due_date=self._due(),
                note=self.note.toPlainText().strip(),
                source_visit_id=self.source_visit_id,
                allow_over_cap=allow,
            )
            return
        project_id = self.project.project.id
        values: dict[str, object] = {
            "title": self.title_edit.text().strip(),
            "contractor": self.contractor.text().strip(),
            "due_date": self._due() or "",
            "note": self.note.toPlainText().strip(),
            "budget": self.plan.total() if budget is None else budget,
        }
        if money(Decimal(str(values["budget"]))) == money(Decimal(str(self.project.project.budget))):
            del values["budget"]  # unchanged: an approved over-cap budget stays as it was
        if ProjectStatus(service.get(project_id).status) not in BEFORE_PHOTO_STATUSES:
            # Works have started: the service refuses the plan (its message says why) and nothing
            # else is written either.
            service.set_plan(actor, project_id, self.plan.lines(), allow_over_cap=allow)
        # set_plan checks the stored budget against the cap, so a lowered budget goes in first.
        service.update_project(actor, project_id, allow_over_cap=allow, **values)
        self.warnings = service.set_plan(actor, project_id, self.plan.lines(), allow_over_cap=allow)

    # --- convenience constructors --------------------------------------------------------

    @classmethod
    def for_household(
        cls, ctx: AppContext, detail: HouseholdDetail, person_id: str = "", parent: QWidget | None = None
    ) -> ProjectDialog:
        """A new project for a household, the selected member preset."""
        dialog = cls(ctx, household=detail, parent=parent)
        dialog.preset_person(person_id)
        return dialog

    @classmethod
    def from_visit(
        cls,
        ctx: AppContext,
        detail: HouseholdDetail,
        visit_id: str,
        person_id: str,
        needs: list[RenovationNeed],
        parent: QWidget | None = None,
    ) -> ProjectDialog:
        """A new project prefilled with the items a visit's housing form asked for."""
        dialog = cls(ctx, household=detail, needs=needs, source_visit_id=visit_id, parent=parent)
        dialog.preset_person(person_id)
        return dialog

    @classmethod
    def edit_plan(
        cls, ctx: AppContext, detail: ProjectDetail, parent: QWidget | None = None
    ) -> ProjectDialog:
        """Edit the plan and facts of an existing project (before works start)."""
        return cls(ctx, project=detail, parent=parent)
