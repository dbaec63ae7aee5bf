"""A ``Ledger`` as one Excel sheet: title, export time, bold frozen header with filters, widths that fit.

The .xlsx (Office Open XML) is written here directly with the standard library:
one sheet with inline strings, six cell styles, frozen header, autofilter,
merged title lines, print titles and an A4 landscape page fitted to the width.
openpyxl took ~19 CPU seconds for 50,000 persons (a cell object per value, the
pure-Python XML writer); this takes a few, and needs no package on the server.
Real dates and amounts carry number formats; text is always a string cell, so
an address typed as ``=…`` never becomes a formula; the file appears under its
name only when complete. ``write_ledger_to`` writes to a binary stream (the
server console's download); that is all the I/O here.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, BinaryIO

from app.contract.ledger.columns import Column, Ledger, LedgerCancelled, Progress
from app.domain.localtime import CHINA_TIME
from app.domain.xlsx import EXCEL_EPOCH

PROGRESS_EVERY = 500
HEADER_ROW = 3  # title, export time, then the column headers
_FIXED_WIDTHS = {"date": 12.0, "money": 13.0}
# Cell styles (cellXfs of styles.xml): 0 plain, 1 title, 2 header, then the number formats.
# The title is left-aligned in its merged row: centred across a ledger's 15-20 columns it sat
# beyond the right edge of a 1366-pixel screen, so the frozen title row showed nothing.
_TITLE, _HEADER, _DATE, _MONEY, _INT = 1, 2, 3, 4, 5
_STYLE_OF_KIND = {"date": _DATE, "money": _MONEY, "int": _INT}
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EPOCH_DAY = EXCEL_EPOCH.date()
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


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


def _letter(n: int) -> str:
    """Column letters of the 1-based column ``n``: 1 → A, 27 → AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _esc(text: str) -> str:
    text = _ILLEGAL.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


def _text_cell(ref: str, text: str, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    text = _esc(text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell(ref: str, value: Any, style: int) -> str:
    """One cell; text is always a string (never a formula), numbers and dates keep their format."""
    if isinstance(value, str):
        return _text_cell(ref, value) if value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _text_cell(ref, "是" if value else "否")
    if isinstance(value, datetime):
        day = value.replace(tzinfo=None) - EXCEL_EPOCH
        serial = day.days + day.seconds / 86400
        return f'<c r="{ref}" s="{style or _DATE}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{style or _DATE}"><v>{(value - _EPOCH_DAY).days}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>' if style else f'<c r="{ref}"><v>{value}</v></c>'
    return _text_cell(ref, str(value))


_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>
<fonts count="3">
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="16"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>
</fonts>
<fills count="3">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>
</fills>
<borders count="2">
<border><left/><right/><top/><bottom/><diagonal/></border>
<border><left style="thin"><color rgb="FF808080"/></left><right style="thin"><color rgb="FF808080"/></right>\
<top style="thin"><color rgb="FF808080"/></top><bottom style="thin"><color rgb="FF808080"/></bottom><diagonal/></border>
</borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment horizontal="left" vertical="center"/></xf>
<xf numFmtId="0" fontId="2" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" \
applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""

_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG_REL}">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""

_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG_REL}">
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>
</Relationships>"""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>HomeVisit</Application></Properties>"""


def _core(title: str, at: datetime) -> str:
    stamp = f"{at.astimezone(CHINA_TIME) if at.tzinfo else at:%Y-%m-%dT%H:%M:%S}+08:00"  # China time
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
<dc:title>{_esc(title)}</dc:title><dc:creator>HomeVisit</dc:creator>\
<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created></cp:coreProperties>"""


def _workbook(title: str, last: str, filter_end: int) -> str:
    sheet = "'" + _attr(title).replace("'", "''") + "'"
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">
<bookViews><workbookView/></bookViews>
<sheets><sheet name="{_attr(title[:31])}" sheetId="1" r:id="rId1"/></sheets>
<definedNames>\
<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">{sheet}!$A${HEADER_ROW}:${last}${filter_end}</definedName>\
<definedName name="_xlnm.Print_Titles" localSheetId="0">{sheet}!${HEADER_ROW}:${HEADER_ROW}</definedName>\
</definedNames>
</workbook>"""


def _write(
    ledger: Ledger,
    target: str | IO[bytes],
    exported_at: datetime | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    exported_at = exported_at or datetime.now(CHINA_TIME).replace(tzinfo=None)
    columns = (Column("序号", lambda n: n, "int"), *ledger.columns)
    total = len(ledger.rows)
    title = ledger.kind.label
    letters = [_letter(i) for i in range(1, len(columns) + 1)]
    last = letters[-1]
    filter_end = HEADER_ROW + max(total, 1)
    styles = [_STYLE_OF_KIND.get(c.kind, 0) for c in columns]
    widths = _widths(columns, [(n, *r) for n, r in enumerate(ledger.rows, 1)])
    scope = f"{ledger.scope}　" if ledger.scope else ""
    head = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="A1:{last}{HEADER_ROW + total}"/>',
        f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{HEADER_ROW}" topLeftCell="A{HEADER_ROW + 1}" '
        f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A{HEADER_ROW + 1}" '
        f'sqref="A{HEADER_ROW + 1}"/></sheetView></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/>',
        "<cols>"
        + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
        + "</cols>",
        "<sheetData>",
        f'<row r="1" ht="28" customHeight="1">{_text_cell("A1", title, _TITLE)}</row>',
        f'<row r="2">{_text_cell("A2", f"{scope}导出时间：{exported_at:%Y-%m-%d %H:%M}（北京时间）　共 {total} 条")}</row>',
        f'<row r="{HEADER_ROW}">'
        + "".join(
            _text_cell(f"{x}{HEADER_ROW}", c.header, _HEADER) for x, c in zip(letters, columns, strict=True)
        )
        + "</row>",
    ]
    tail = (
        f'</sheetData><autoFilter ref="A{HEADER_ROW}:{last}{filter_end}"/>'
        f'<mergeCells count="2"><mergeCell ref="A1:{last}1"/><mergeCell ref="A2:{last}2"/></mergeCells>'
        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>'
    )
    data_cols = list(zip(letters[1:], styles[1:], strict=True))
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("docProps/app.xml", _APP)
        z.writestr("docProps/core.xml", _core(title, exported_at))
        z.writestr("xl/workbook.xml", _workbook(title, last, filter_end))
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/styles.xml", _STYLES)
        if cancelled is not None and cancelled():
            raise LedgerCancelled("已取消导出")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write("".join(head).encode())
            chunk: list[str] = []
            for n, row in enumerate(ledger.rows, 1):
                r = n + HEADER_ROW
                cells = "".join(
                    [f'<c r="A{r}" s="{_INT}"><v>{n}</v></c>']
                    + [_cell(f"{x}{r}", v, s) for (x, s), v in zip(data_cols, row, strict=True)]
                )
                chunk.append(f'<row r="{r}">{cells}</row>')
                if n % PROGRESS_EVERY == 0:
                    sheet.write("".join(chunk).encode())
                    chunk.clear()
                    if cancelled is not None and cancelled():
                        raise LedgerCancelled("已取消导出")
                    if progress is not None:
                        progress(n, total)
            sheet.write(("".join(chunk) + tail).encode())
    if progress is not None:
        progress(total, total)
    return total


def write_ledger_to(
    ledger: Ledger,
    stream: BinaryIO,
    *,
    exported_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write ``ledger`` as one sheet to a binary ``stream``; returns the number of data rows."""
    return _write(ledger, stream, exported_at, progress, cancelled)


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
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    try:
        count = _write(ledger, str(tmp), exported_at, progress, cancelled)
        os.replace(tmp, out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count
