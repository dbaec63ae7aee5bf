"""The plan table of the project dialog: a kind's catalogue items, ticked, with quantity and unit price.

Every catalogue item of the chosen kind is a row; ticking a row puts it in the
plan with quantity 1 and the catalogue price, both editable (the price may be a
tender price). Cells that are not usable numbers turn red; the running total is
announced by ``changed`` so the dialog can hold it against the cap.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.domain.enums import ProjectKind
from app.domain.renovation import (
    CatalogItem,
    InvalidQuantity,
    format_quantity,
    load_catalog,
    money,
    to_decimal,
)
from app.services.projects import PlanLine
from app.ui import form_text

NAME, UNIT, QTY, PRICE, AMOUNT = range(5)
BAD_CELL = QColor("#fdecea")
CODE_ROLE = Qt.ItemDataRole.UserRole


class PlanTable(QTableWidget):
    """Catalogue items of one kind; ``lines()`` gives the ticked ones as ``PlanLine``."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("plan_items")
        self.setHorizontalHeaderLabels(
            [
                self.tr("改造内容"),
                self.tr("单位"),
                self.tr("数量"),
                self.tr("单价（元）"),
                self.tr("金额（元）"),
            ]
        )
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((UNIT, 56), (QTY, 64), (PRICE, 84), (AMOUNT, 90)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(col, width)
        self.items_by_code: dict[str, CatalogItem] = {}
        self.bad_rows: dict[int, str] = {}
        self._filling = False
        self.itemChanged.connect(self._item_changed)

    # --- filling --------------------------------------------------------------------------

    def set_kind(self, kind: ProjectKind, lines: list[PlanLine] | None = None) -> None:
        """Show the catalogue of ``kind``; rows named in ``lines`` are ticked with their values."""
        chosen = {line.code: line for line in lines or []}
        catalogue = load_catalog().items_for(kind)
        self.items_by_code = {item.code: item for item in catalogue}
        self._filling = True
        self.setRowCount(len(catalogue))
        for row, item in enumerate(catalogue):
            line = chosen.get(item.code)
            name = QTableWidgetItem(item.name)
            name.setData(CODE_ROLE, item.code)
            name.setFlags(
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
            )
            name.setCheckState(Qt.CheckState.Checked if line else Qt.CheckState.Unchecked)
            self.setItem(row, NAME, name)
            self.setItem(row, UNIT, self._fixed(form_text.unit(item.unit)))
            qty = format_quantity(to_decimal(line.planned_qty)) if line else ""
            price = item.unit_price if line is None or line.unit_price is None else line.unit_price
            self.setItem(row, QTY, self._number(qty))
            self.setItem(row, PRICE, self._number(format_quantity(to_decimal(price))))
            self.setItem(row, AMOUNT, self._fixed(""))
        self._filling = False
        self._recompute()

    @staticmethod
    def _fixed(text: str) -> QTableWidgetItem:
        cell = QTableWidgetItem(text)
        cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return cell

    @staticmethod
    def _number(text: str) -> QTableWidgetItem:
        cell = QTableWidgetItem(text)
        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return cell

    def row_of(self, code: str) -> int:
        """The row of catalogue item ``code``; raises ``KeyError`` when the kind has no such item."""
        for row in range(self.rowCount()):
            if self.item(row, NAME).data(CODE_ROLE) == code:
                return row
        raise KeyError(code)

    def set_line(self, code: str, qty: object = 1, price: object | None = None) -> None:
        """Tick ``code`` with a quantity (and a price, when given), as a user would type them."""
        row = self.row_of(code)
        self.item(row, QTY).setText(str(qty))
        if price is not None:
            self.item(row, PRICE).setText(str(price))
        self.item(row, NAME).setCheckState(Qt.CheckState.Checked)

    # --- reading --------------------------------------------------------------------------

    def _item_changed(self, cell: QTableWidgetItem) -> None:
        if self._filling:
            return
        row = cell.row()
        ticked = self.item(row, NAME).checkState() == Qt.CheckState.Checked
        self._filling = True
        if cell.column() == NAME and ticked and not self.item(row, QTY).text().strip():
            self.item(row, QTY).setText("1")  # ticking means "one of it" until told otherwise
        elif cell.column() == QTY and cell.text().strip() and not ticked:
            self.item(row, NAME).setCheckState(Qt.CheckState.Checked)  # typing a quantity picks the item
        self._filling = False
        self._recompute()

    def _row_values(self, row: int) -> tuple[Decimal, Decimal]:
        """Quantity and price of a ticked row; raises ``InvalidQuantity`` with a caseworker's message."""
        name = self.item(row, NAME).text()
        try:
            qty = to_decimal(self.item(row, QTY).text() or "0")
        except InvalidQuantity:
            qty = Decimal(0)
        if qty <= 0:
            raise InvalidQuantity(self.tr("“%1”：数量须为大于0的数字").replace("%1", name))
        try:
            price = to_decimal(self.item(row, PRICE).text() or "0")
        except InvalidQuantity:
            raise InvalidQuantity(self.tr("“%1”：单价须为不小于0的数字").replace("%1", name)) from None
        return qty, price

    def _recompute(self) -> None:
        self._filling = True
        self.bad_rows = {}
        for row in range(self.rowCount()):
            ticked = self.item(row, NAME).checkState() == Qt.CheckState.Checked
            amount = ""
            bad = False
            if ticked:
                try:
                    qty, price = self._row_values(row)
                    amount = f"{money(qty * price):,.2f}"
                except InvalidQuantity as exc:
                    self.bad_rows[row] = str(exc)
                    bad = True
            for col in (QTY, PRICE):
                self.item(row, col).setBackground(QBrush(BAD_CELL) if bad else QBrush())
            self.item(row, AMOUNT).setText(amount)
        self._filling = False
        self.changed.emit()

    def ticked_rows(self) -> list[int]:
        return [r for r in range(self.rowCount()) if self.item(r, NAME).checkState() == Qt.CheckState.Checked]

    def total(self) -> Decimal:
        """The planned total of the ticked, valid rows, in yuan."""
        out = Decimal("0.00")
        for row in self.ticked_rows():
            if row not in self.bad_rows:
                qty, price = self._row_values(row)
                out += money(qty * price)
        return money(out)

    def lines(self) -> list[PlanLine]:
        """The ticked rows as plan lines (call only when ``bad_rows`` is empty)."""
        out = []
        for row in self.ticked_rows():
            qty, price = self._row_values(row)
            out.append(PlanLine(self.item(row, NAME).data(CODE_ROLE), qty, price))
        return out
