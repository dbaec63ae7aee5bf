"""The 访视 screen: 待办访视 (to-do list), 未完成 (drafts to resume), 需求预警 (need alerts).

Every list is computed in the database worker; the screen only shows it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import DisabilityCategory, DisabilityLevel
from app.domain.localtime import local_day, local_minute
from app.domain.regions import UnknownRegion, default_catalog
from app.services.alerts import AlertFilters, AlertService, PersonAlert
from app.services.visits import TodoFilters, TodoItem, VisitService, VisitSummary
from app.ui import form_text
from app.ui.context import AppContext
from app.ui.labels import label_of
from app.ui.region_picker import RegionPicker
from app.ui.widgets.reason_prompt import ask_required_reason
from app.ui.widgets.tables import rows_table

SEVERITY_COLOURS = {"high": "#c62828", "medium": "#a15c00", "low": "#2e6da4"}


def region_name(code: str) -> str:
    try:
        return default_catalog().name(code)
    except UnknownRegion:
        return code


def make_table(headers: Sequence[str], name: str) -> QTableWidget:
    return rows_table(headers, name)


def fill_table(table: QTableWidget, rows: list[tuple[object, list[str]]]) -> None:
    """Rows of (data kept in UserRole, cell texts)."""
    table.setUpdatesEnabled(False)
    table.setRowCount(len(rows))
    for r, (data, cells) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, data)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(table.columnCount() - 1):
        table.setColumnWidth(c, min(table.columnWidth(c) + 12, 260))
    table.setUpdatesEnabled(True)


def forms_progress(visit: VisitSummary) -> str:
    """Each of the visit's forms as "title answered/required", titles in the interface's language."""
    return form_text.semicolon().join(
        f"{form_text.pick(r.title, r.title_en)} {r.answered}/{r.total}" for r in visit.responses
    )


def selected_data(table: QTableWidget) -> object:
    items = table.selectedItems()
    return items[0].data(Qt.ItemDataRole.UserRole) if items else None


class TodoTab(QWidget):
    """Registered persons of a region, narrowed by the usual to-do filters."""

    open_household = Signal(str, str)

    def __init__(self, ctx: AppContext, service: VisitService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.service = ctx, service
        self.region = RegionPicker()
        self.not_visited = QCheckBox(self.tr("今年未访视"))
        self.not_visited.setObjectName("not_visited")
        self.not_visited.setChecked(True)
        self.severe = QCheckBox(self.tr("一、二级"))
        self.severe.setObjectName("severe")
        self.dangerous = QCheckBox(self.tr("C/D 级危房"))
        self.dangerous.setObjectName("dangerous")
        self.alerts = QCheckBox(self.tr("有需求预警"))
        self.alerts.setObjectName("has_alerts")
        self.count = QLabel()
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.refresh)
        for box in (self.not_visited, self.severe, self.dangerous, self.alerts):
            box.toggled.connect(self.refresh)
        self.region.changed.connect(lambda _c: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.region)
        for w in (self.not_visited, self.severe, self.dangerous, self.alerts):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.count)
        filters.addWidget(refresh)
        self.table = make_table(
            [
                self.tr("姓名"),
                self.tr("类别"),
                self.tr("等级"),
                self.tr("村（社区）"),
                self.tr("住址"),
                self.tr("危房等级"),
                self.tr("上次访视"),
            ],
            "todo_table",
        )
        self.table.doubleClicked.connect(self._open)
        hint = QLabel(self.tr("双击打开户档，在户档页点击“开始访视”。"))
        hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        if ctx.user and ctx.user.regions:
            self.region.set_code(ctx.user.regions[0])

    def filters(self) -> TodoFilters:
        return TodoFilters(
            not_visited_this_year=self.not_visited.isChecked(),
            severe_only=self.severe.isChecked(),
            dangerous_house=self.dangerous.isChecked(),
            has_open_alerts=self.alerts.isChecked(),
        )

    def refresh(self) -> None:
        region, filters = self.region.code(), self.filters()
        self.count.setText(self.tr("正在查询…"))
        self.ctx.tasks.run_db(lambda: self.service.todo_list(region, filters), self._show)

    def _show(self, items: list[TodoItem]) -> None:
        rows = [
            (
                (i.household_id, i.person_id),
                [
                    i.name,
                    label_of(DisabilityCategory, i.category),
                    label_of(DisabilityLevel, i.level),
                    region_name(i.region_code),
                    i.address,
                    i.house_grade,
                    local_day(i.last_visit) or self.tr("从未"),
                ],
            )
            for i in items
        ]
        fill_table(self.table, rows)
        self.count.setText(self.tr("共 %1 人").replace("%1", str(len(items))))

    def _open(self) -> None:
        data = selected_data(self.table)
        if data:
            self.open_household.emit(*data)


def ask_discard_reason(parent: QWidget, who: str) -> str:
    """Ask why a draft is given up; "" when cancelled. An empty reason is refused and asked again."""
    title = QCoreApplication.translate("DraftsTab", "放弃访视")
    prompt = QCoreApplication.translate(
        "DraftsTab", "放弃 %1 的未完成访视。请填写原因（将记录在案，不能为空）："
    )
    retry = QCoreApplication.translate("DraftsTab", "原因不能为空。请填写放弃这次访视的原因：")
    return ask_required_reason(parent, title, prompt.replace("%1", who), retry)


class DraftsTab(QWidget):
    """This worker's unfinished visits; "继续访视" resumes one, "放弃…" discards it with a reason."""

    resume = Signal(str)
    counted = Signal(int)

    def __init__(self, ctx: AppContext, service: VisitService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.service = ctx, service
        self.table = make_table(
            [self.tr("开始时间"), self.tr("访视对象"), self.tr("住址"), self.tr("表单（已填/必填）")],
            "drafts_table",
        )
        self.table.doubleClicked.connect(self._resume)
        button = QPushButton(self.tr("继续访视"))
        button.setObjectName("resume")
        button.clicked.connect(self._resume)
        discard = QPushButton(self.tr("放弃…"))
        discard.setObjectName("discard_draft")
        discard.clicked.connect(lambda: self.discard_selected())
        self.drafts: list[VisitSummary] = []
        row = QHBoxLayout()
        row.addWidget(
            QLabel(self.tr("未完成的访视会一直保留，可随时继续填写；不再需要的可以填写原因后放弃。"))
        )
        row.addStretch(1)
        row.addWidget(discard)
        row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def refresh(self) -> None:
        actor = self.ctx.actor
        self.ctx.tasks.run_db(lambda: self.service.unfinished_drafts(actor), self._show)

    def _show(self, drafts: list[VisitSummary]) -> None:
        self.drafts = drafts
        rows = [
            (
                d.visit.id,
                [
                    local_minute(d.visit.started_at),
                    d.person_name,
                    d.address,
                    forms_progress(d),
                ],
            )
            for d in drafts
        ]
        fill_table(self.table, rows)
        self.counted.emit(len(drafts))

    def _resume(self) -> None:
        visit_id = selected_data(self.table)
        if visit_id:
            self.resume.emit(str(visit_id))

    def discard_selected(self, reason: str | None = None) -> None:
        """Discard the selected draft; ``reason`` None asks for it (required)."""
        visit_id = selected_data(self.table)
        if not visit_id:
            return
        who = next((d.person_name for d in self.drafts if d.visit.id == visit_id), "")
        if reason is None:
            reason = ask_discard_reason(self, who)
        if not reason:
            return
        actor = self.ctx.actor
        self.ctx.tasks.run_db(
            lambda: self.service.discard_visit(actor, str(visit_id), str(reason)),
            lambda _v: self.ctx.events.visits_changed.emit(),
            lambda e: QMessageBox.warning(self, self.tr("放弃访视"), str(e)),
        )


class AlertsTab(QWidget):
    """Need alerts over the registry, filterable by region, severity and rule."""

    open_household = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._service: AlertService | None = None
        self.region = RegionPicker()
        self.severity = QComboBox()
        self.severity.setObjectName("severity")
        for value, label in (
            ("", self.tr("全部等级")),
            ("high", self.tr("高")),
            ("medium", self.tr("中")),
            ("low", self.tr("低")),
        ):
            self.severity.addItem(label, value)
        self.rule = QComboBox()
        self.rule.setObjectName("rule")
        self.rule.addItem(self.tr("全部预警"), "")
        self.rule.setMinimumContentsLength(14)
        self.count = QLabel()
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.refresh)
        self.region.changed.connect(lambda _c: self.refresh())
        self.severity.currentIndexChanged.connect(lambda _i: self.refresh())
        self.rule.currentIndexChanged.connect(lambda _i: self.refresh())
        filters = QHBoxLayout()
        filters.addWidget(self.region)
        filters.addWidget(self.severity)
        filters.addWidget(self.rule)
        filters.addStretch(1)
        filters.addWidget(self.count)
        filters.addWidget(refresh)
        self.table = make_table(
            [
                self.tr("等级"),
                self.tr("预警"),
                self.tr("姓名"),
                self.tr("村（社区）"),
                self.tr("住址"),
                self.tr("说明"),
            ],
            "alerts_table",
        )
        self.table.doubleClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        if ctx.user and ctx.user.regions:
            self.region.set_code(ctx.user.regions[0])

    def _alerts(self) -> AlertService:
        if self._service is None:
            self._service = AlertService(self.ctx.store)
        return self._service

    def refresh(self) -> None:
        filters = AlertFilters(self.region.code(), self.severity.currentData(), self.rule.currentData())
        self.count.setText(self.tr("正在计算…"))

        def work() -> tuple[list[tuple[str, str]], list[PersonAlert]]:
            service = self._alerts()
            return [
                (r.id, form_text.pick(r.title, r.title_en)) for r in service.rules
            ], service.over_registry(filters)

        self.ctx.tasks.run_db(work, self._show)

    def _show(self, result: tuple[list[tuple[str, str]], list[PersonAlert]]) -> None:
        titles, alerts = result
        if self.rule.count() == 1:
            self.rule.blockSignals(True)
            for rule_id, title in titles:
                self.rule.addItem(title, rule_id)
            self.rule.blockSignals(False)
        severity = {"high": self.tr("高"), "medium": self.tr("中"), "low": self.tr("低")}
        rows = [
            (
                (a.household_id, a.person_id),
                [
                    severity[a.alert.severity],
                    form_text.alert_title(a.alert),
                    a.name,
                    region_name(a.region_code),
                    a.address,
                    form_text.alert_message(a.alert),
                ],
            )
            for a in alerts
        ]
        fill_table(self.table, rows)
        for r, a in enumerate(alerts):
            item = self.table.item(r, 0)
            item.setForeground(Qt.GlobalColor.white)
            item.setBackground(_colour(a.alert.severity))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setText(self.tr("共 %1 条").replace("%1", str(len(alerts))))

    def _open(self) -> None:
        data = selected_data(self.table)
        if data:
            self.open_household.emit(*data)


def _colour(severity: str) -> object:
    from PySide6.QtGui import QColor

    return QColor(SEVERITY_COLOURS.get(severity, "#666"))


class VisitsScreen(QWidget):
    """The three tabs plus a banner offering to resume unfinished drafts."""

    open_household = Signal(str, str)
    resume_visit = Signal(str)

    def __init__(self, ctx: AppContext, service: VisitService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tabs.setObjectName("visit_tabs")
        self.todo = TodoTab(ctx, service)
        self.drafts = DraftsTab(ctx, service)
        self.alerts = AlertsTab(ctx)
        self.tabs.addTab(self.todo, self.tr("待办访视"))
        self.tabs.addTab(self.drafts, self.tr("未完成"))
        self.tabs.addTab(self.alerts, self.tr("需求预警"))
        self.todo.open_household.connect(self.open_household)
        self.alerts.open_household.connect(self.open_household)
        self.drafts.resume.connect(self.resume_visit)
        self.drafts.counted.connect(self.show_drafts_banner)
        self.banner = QWidget()
        self.banner.setObjectName("drafts_banner")
        self.banner.setStyleSheet("#drafts_banner { background: #fff4e0; border: 1px solid #f0c36d; }")
        self.banner_text = QLabel()
        show = QPushButton(self.tr("查看并继续"))
        show.setObjectName("show_drafts")
        show.clicked.connect(lambda: self.tabs.setCurrentWidget(self.drafts))
        hide = QPushButton(self.tr("稍后"))
        hide.clicked.connect(lambda: self.banner.setVisible(False))
        row = QHBoxLayout(self.banner)
        row.addWidget(self.banner_text, 1)
        row.addWidget(show)
        row.addWidget(hide)
        self.banner.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        # --- visit review (issue 17): visits a supervisor returned, above the tabs ---
        from app.ui.visits.returned_panel import ReturnedPanel  # it uses this module's table helpers

        self.returned = ReturnedPanel(ctx)
        self.returned.open_visit.connect(self.resume_visit)
        layout.addWidget(self.returned)
        # --- end visit review ---
        layout.addWidget(self.tabs, 1)
        self._loaded: set[int] = set()
        self.tabs.currentChanged.connect(self._tab_shown)

    def show_drafts_banner(self, count: int) -> None:
        self.banner_text.setText(self.tr("您有 %1 个未完成的访视，可继续填写。").replace("%1", str(count)))
        self.banner.setVisible(count > 0)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self._tab_shown(self.tabs.currentIndex())
        self.returned.refresh()  # visit review (issue 17)

    def _tab_shown(self, index: int) -> None:
        # Lists load when first seen, so the app starts without computing them.
        if index not in self._loaded:
            self._loaded.add(index)
            self.refresh_tab(index)

    def refresh_tab(self, index: int) -> None:
        [self.todo.refresh, self.drafts.refresh, self.alerts.refresh][index]()

    def refresh_all(self) -> None:
        """After a visit changes: refresh the tabs already loaded."""
        for index in self._loaded:
            self.refresh_tab(index)
        self.returned.refresh()  # visit review (issue 17)
