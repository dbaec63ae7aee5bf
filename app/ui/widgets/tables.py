"""The one way list screens set up their tables: whole rows, read-only, no row numbers."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTableWidget


def setup_rows_view(
    table: QTableView,
    *,
    name: str = "",
    widths: Sequence[int] = (),
    fit_contents: bool = False,
    single: bool = True,
    row_height: int = 0,
) -> QTableView:
    """Select whole rows (one, unless ``single`` is off), no editing, alternating colours, last column stretched."""
    if name:
        table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    table.setSelectionMode(mode.SingleSelection if single else mode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    if row_height:
        table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    resize = QHeaderView.ResizeMode.ResizeToContents if fit_contents else QHeaderView.ResizeMode.Interactive
    header.setSectionResizeMode(resize)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table


def rows_table(headers: Sequence[str], name: str = "", **options: object) -> QTableWidget:
    """A ``QTableWidget`` with these column headers, set up by ``setup_rows_view``."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    setup_rows_view(table, name=name, **options)  # type: ignore[arg-type]
    return table
