"""A ``Ledger`` as one Excel sheet: title, export time, bold frozen header with filters, widths that fit.

Written with openpyxl's write-only mode (50,000 rows in seconds); real dates and
amounts with number formats; text that looks like a formula stays text; the
file appears under its name only when complete. ``write_ledger_to`` writes to a
binary stream (the server console's download); that is all the I/O here.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from app.contract.ledger.columns import Column, Ledger, LedgerCancelled, Progress
from app.domain.localtime import CHINA_TIME

PROGRESS_EVERY = 500

_FORMATS = {"date": "yyyy-mm-dd", "money": "#,##0.00", "int": "0"}
_TITLE_FONT = Font(bold=True, size=16)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_FIXED_WIDTHS = {"date": 12.0, "money": 13.0}
HEADER_ROW = 3  # title, export time, then the column headers


def _display_width(value: object) -> int:
    """Columns a value takes in Excel: a Chinese character counts two."""
    s = str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> list[float]:
    widths = []
    for i, col in enumerate(columns):
        if col.kind in _FIXED_WIDTHS:
            widths.append(max(_FIXED_WIDTHS[col.kind], _display_width(col.header) + 2.0))
            continue
        # Distinct values first: most columns (villages, labels, yes/no) repeat a few texts many times.
        distinct = {r[i] for r in rows} - {None, ""}
        longest = max((_display_width(v) for v in distinct), default=0)
        widths.append(float(min(max(longest, _display_width(col.header), 4) + 2, 60)))
    return widths


def _cell(ws: WriteOnlyWorksheet, value: Any, number_format: str | None = None) -> Any:
    """A value ready for ``append``: text kept as text (never a formula), dates and amounts formatted."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("="):
            # An address typed as "=..." must stay text, not become a formula in the clerk's Excel.
            cell = WriteOnlyCell(ws, value)
            cell.data_type = "s"
            return cell
        return value
    if number_format and value is not None:
        cell = WriteOnlyCell(ws, value)
        cell.number_format = number_format
        return cell
    return value


def _styled(ws: WriteOnlyWorksheet, value: str, font: Font, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.font = font
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def _sheet(ledger: Ledger, exported_at: datetime | None) -> tuple[Workbook, WriteOnlyWorksheet, int]:
    """The workbook with its title, export time and header written; the data rows still to come."""
    exported_at = exported_at or datetime.now(CHINA_TIME).replace(tzinfo=None)
    columns = (Column("序号", lambda n: n, "int"), *ledger.columns)
    total = len(ledger.rows)
    title = ledger.kind.label
    wb = Workbook(write_only=True)
    wb.properties.title = title
    wb.properties.creator = "HomeVisit"
    ws = wb.create_sheet(title)
    last = get_column_letter(len(columns))
    for i, width in enumerate(_widths(columns, [(n, *r) for n, r in enumerate(ledger.rows, 1)]), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(total, 1)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.append([_styled(ws, title, _TITLE_FONT, alignment=_CENTRE)])
    ws.row_dimensions[1].height = 28
    scope = f"{ledger.scope}　" if ledger.scope else ""
    ws.append([f"{scope}导出时间：{exported_at:%Y-%m-%d %H:%M}（北京时间）　共 {total} 条"])
    ws.append(
        [
            _styled(ws, c.header, _HEADER_FONT, fill=_HEADER_FILL, border=_HEADER_BORDER, alignment=_CENTRE)
            for c in columns
        ]
    )
    return wb, ws, total


def _rows(
    ledger: Ledger,
    ws: WriteOnlyWorksheet,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    formats = [_FORMATS.get(c.kind) for c in ledger.columns]
    total = len(ledger.rows)
    if cancelled is not None and cancelled():
        raise LedgerCancelled("已取消导出")
    for n, row in enumerate(ledger.rows, 1):
        ws.append([n, *(_cell(ws, v, f) for v, f in zip(row, formats, strict=True))])
        if n % PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise LedgerCancelled("已取消导出")
            if progress is not None:
                progress(n, total)


def _discard(ws: WriteOnlyWorksheet) -> None:
    """Close an unfinished sheet and remove openpyxl's temporary file (a cancelled export leaves nothing)."""
    writer = ws._writer  # openpyxl keeps the rows of a write-only sheet in a temporary file until save
    if writer is None:
        return
    try:
        ws.close()
    except Exception:
        pass
    writer.cleanup()


def write_ledger_to(
    ledger: Ledger,
    stream: BinaryIO,
    *,
    exported_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write ``ledger`` as one sheet to a binary ``stream``; returns the number of data rows."""
    wb, ws, total = _sheet(ledger, exported_at)
    try:
        _rows(ledger, ws, progress, cancelled)
    except BaseException:
        _discard(ws)
        raise
    wb.save(stream)
    if progress is not None:
        progress(total, total)
    return total


def write_ledger(
    ledger: Ledger,
    out_path: Path | str,
    *,
    exported_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write ``ledger`` as one sheet to ``out_path``; returns the number of data rows.

    The workbook goes to a temporary file next to ``out_path`` that is renamed over
    it at the end, so an error, a cancel (``cancelled()`` true: ``LedgerCancelled``)
    or a killed process never leaves a half-written file under the target name.
    ``progress`` gets ``(rows written, total)``.
    """
    out_path = Path(out_path)
    wb, ws, total = _sheet(ledger, exported_at)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    try:
        _rows(ledger, ws, progress, cancelled)
    except BaseException:
        _discard(ws)
        raise
    try:
        wb.save(tmp)
        os.replace(tmp, out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(total, total)
    return total
