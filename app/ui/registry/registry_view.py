"""户档: the person list with type-as-you-go search and filters."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import DisabilityCategory, DisabilityLevel, EconomicStatus
from app.services.registry import PersonHit, SearchFilters
from app.ui.context import AppContext
from app.ui.labels import enum_choices
from app.ui.region_picker import RegionPicker
from app.ui.registry.person_table_model import PersonTableModel
from app.ui.widgets.tables import setup_rows_view

SEARCH_DELAY_MS = 120


class RegistryView(QWidget):
    """Search box, filters and the person table; emits ``open_household`` on Enter or double-click."""

    open_household = Signal(str, str)  # household id, person id
    new_household = Signal()
    results_shown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("搜索：姓名、拼音首字母（如 zsf）、身份证号或残疾证号任意3位、住址、电话")
        )
        self.region = RegionPicker()
        self.category = self._combo(self.tr("全部类别"), enum_choices(DisabilityCategory), "category")
        self.level = self._combo(self.tr("全部等级"), enum_choices(DisabilityLevel), "level")
        self.economic = self._combo(self.tr("全部经济状况"), enum_choices(EconomicStatus), "economic")
        self.not_visited = QCheckBox(self.tr("今年未访视"))
        self.not_visited.setObjectName("not_visited")
        self.add_button = QPushButton(self.tr("新建家庭…"))
        self.add_button.clicked.connect(self.new_household.emit)
        self.import_button = QPushButton(self.tr("导入花名册…"))
        self.import_button.setObjectName("import_roster")
        self.import_button.clicked.connect(self.import_roster)
        self.count = QLabel()
        self.count.setObjectName("count")

        self.model = PersonTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        # Wide enough for the English labels too (Female, Psychosocial, Extreme poverty).
        setup_rows_view(
            self.table, name="persons", widths=(80, 60, 160, 96, 60, 110, 110, 210, 110), row_height=26
        )
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        open_row = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        open_row.setContext(Qt.ShortcutContext.WidgetShortcut)
        open_row.activated.connect(lambda: self._open_row(self.table.currentIndex().row()))

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("地区")))
        filters.addWidget(self.region)
        filters.addWidget(self.category)
        filters.addWidget(self.level)
        filters.addWidget(self.economic)
        filters.addWidget(self.not_visited)
        filters.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self._focus_results)
        self.region.changed.connect(lambda _: self._timer.start())
        for box in (self.category, self.level, self.economic):
            box.currentIndexChanged.connect(lambda _: self._timer.start())
        self.not_visited.toggled.connect(lambda _: self._timer.start())
        ctx.events.households_changed.connect(self.run_search)
        ctx.events.visits_changed.connect(self.run_search)

    def import_roster(self) -> None:
        """Open the roster import (花名册导入) screen; the list refreshes when rows are imported."""
        from app.ui.roster_import_dialog import RosterImportDialog

        dialog = RosterImportDialog(self.ctx, self)
        dialog.open()

    def _combo(self, any_label: str, choices: list[tuple[str, str]], name: str) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        box.addItem(any_label, "")
        for value, label in choices:
            box.addItem(label, value)
        return box

    def filters(self) -> SearchFilters:
        return SearchFilters(
            region_prefix=self.region.code(),
            category=self.category.currentData() or "",
            level=self.level.currentData() or "",
            economic_status=self.economic.currentData() or "",
            not_visited_since=date(date.today().year, 1, 1) if self.not_visited.isChecked() else None,
        )

    def run_search(self) -> None:
        """Search in the database worker; results of an outdated query are dropped."""
        self._generation += 1
        generation = self._generation
        query, filters, registry = self.search.text(), self.filters(), self.ctx.registry

        def done(rows: list[PersonHit]) -> None:
            if generation == self._generation:
                self.model.set_rows(rows)
                self.count.setText(self.tr("共 %n 人", "", len(rows)))
                self.results_shown.emit(len(rows))

        self.ctx.tasks.run_db(lambda: registry.search(query, filters, limit=None), done)

    def _focus_results(self) -> None:
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            hit = self.model.hit(row)
            self.open_household.emit(hit.household_id, hit.person_id)
