"""Read the cell values of an .xlsx workbook, streaming, with the standard library only.

The counterpart of the ledger writer (``app.contract.ledger.workbook``), kept in the
domain because the roster reader (``app.domain.roster``) and the XLSForm converter
(``app.contract.forms``) both read workbooks. openpyxl took ~4 s of a 10,000-row roster
just to find the sheet's size when the file has no ``<dimension>``, and builds an
object per cell; this walks each sheet once with ``iterparse`` and keeps only values.

What it gives back is what openpyxl's ``values_only`` read gives: text as ``str``
(shared strings, inline strings, formula results, error codes), ``bool``, ``int``
when the stored number has no decimal point or exponent, else ``float``, and
``datetime`` for numbers whose number format is a date (the workbook's 1900 or 1904
date system). A long number stays the number Excel stored: an 18-digit ID number
typed without the text format is a float that has already lost its last digits,
and the caller must say so rather than guess. Formatting, merged cells and formulas
themselves are not read.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import XML, Element, ParseError, iterparse

EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of the 1900 date system, its 1900-02-29 quirk absorbed
EPOCH_1904 = datetime(1904, 1, 1)  # day 0 of the 1904 date system (old Mac Excel)
_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # Strict Open XML
)
_REL_ID = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORKSHEET_REL = "/worksheet"  # the end of a worksheet relationship's type (chartsheets are left out)
# Built-in number formats that show a date or time (zh-CN Excel: 27–36 and 50–58 are its 年月日 formats).
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)])
# Quoted text, escaped characters, fill/padding, and [...] other than elapsed time ([h], [mm], [ss]).
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|[_*].|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)
_DATE_TOKEN = re.compile(r"[dmyhs]|aaa", re.IGNORECASE)  # aaa(a): the weekday in zh-CN formats
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an .xls, or an .xlsx with an open password
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how Excel stores control characters in text


class XlsxError(ValueError):
    """Not a workbook this reader can read; the message says why, in Chinese."""


@dataclass(frozen=True)
class SheetEntry:
    """A worksheet of the workbook, in the order of its tabs."""

    name: str
    part: str  # the sheet's XML part inside the package
    hidden: bool


def is_date_format(code: str) -> bool:
    """Whether an Excel number format code shows a date or time (``yyyy-mm-dd``, ``yyyy"年"m"月"``, ``h:mm``)."""
    section = code.split(";", 1)[0]
    if section.lower() in ("general", "@"):
        return False
    return _DATE_TOKEN.search(_FORMAT_NOISE.sub("", section)) is not None


def from_serial(serial: float, *, date1904: bool = False) -> datetime | time:
    """The date of an Excel serial number (to the millisecond); a fraction of a day alone is a time."""
    days, fraction = divmod(serial, 1)
    clock = timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= serial < 1 and clock.days == 0:
        return (datetime.min + clock).time()
    if date1904:
        return EPOCH_1904 + timedelta(days=days) + clock
    if 0 < serial < 60:  # before Excel's fictitious 1900-02-29 the epoch is one day later
        days += 1
    return EXCEL_EPOCH + timedelta(days=days) + clock


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def column_index(ref: str) -> int:
    """The 0-based column of a cell reference: ``A1`` → 0, ``AB7`` → 27."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n - 1


class Workbook:
    """An .xlsx package opened for reading its sheets' values; use as a context manager or ``close()``."""

    def __init__(self, source: bytes | str | Path | IO[bytes]) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except zipfile.BadZipFile:
            if isinstance(source, bytes) and source.startswith(_OLE):
                raise XlsxError(
                    "文件设有打开密码，或实为旧版.xls；请在Excel中取消密码后另存为.xlsx"
                ) from None
            raise XlsxError("不是zip压缩包（.xlsx 文件是zip压缩包）") from None
        except OSError as exc:
            raise XlsxError(f"无法读取（{exc.strerror or exc}）") from None
        try:
            self._read_workbook()
        except (KeyError, ParseError, ValueError, IndexError, zipfile.BadZipFile) as exc:
            self._zip.close()
            raise XlsxError(_reason(exc)) from None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    # --- the package ------------------------------------------------------------------

    def _open(self, part: str) -> IO[bytes]:
        try:
            return self._zip.open(part)
        except KeyError:
            raise KeyError(part) from None  # zipfile's message names the part in English

    def _xml(self, part: str) -> Element:
        with self._open(part) as f:
            return XML(f.read())

    def _read_workbook(self) -> None:
        part = self._office_document()
        root = self._xml(part)
        ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        if ns[1:-1] not in _MAIN:
            raise ValueError(f"{part} 不是 SpreadsheetML 工作簿")
        self._ns = ns
        pr = root.find(f"{ns}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
        base = posixpath.dirname(part)
        targets = self._relationships(part)
        self.sheets: list[SheetEntry] = []
        for sheet in root.iter(f"{ns}sheet"):
            rid = next((sheet.get(a) for a in _REL_ID if sheet.get(a)), None)
            target = targets.get(rid or "")
            if target is None:
                continue  # a chartsheet or a dialog sheet: no cells
            hidden = sheet.get("state", "visible") != "visible"
            self.sheets.append(SheetEntry(sheet.get("name", ""), _join(base, target), hidden))
        self._strings_part = self._part_of(part, "/sharedStrings")
        self._styles_part = self._part_of(part, "/styles")
        self._shared: list[str] | None = None
        self._date_styles: frozenset[int] | None = None

    def _office_document(self) -> str:
        try:
            rels = self._xml("_rels/.rels")
        except KeyError:
            return "xl/workbook.xml"
        for rel in rels.iter(f"{_PKG_REL}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
        return "xl/workbook.xml"

    def _relationships(self, part: str, kind: str = _WORKSHEET_REL) -> dict[str, str]:
        """Relationship id -> target of ``part``'s relationships of ``kind``."""
        rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        try:
            rels = self._xml(rels_part)
        except KeyError:
            return {}
        return {
            r.get("Id", ""): r.get("Target", "")
            for r in rels.iter(f"{_PKG_REL}Relationship")
            if r.get("Type", "").endswith(kind) and r.get("TargetMode") != "External"
        }

    def _part_of(self, part: str, kind: str) -> str | None:
        targets = list(self._relationships(part, kind).values())
        return _join(posixpath.dirname(part), targets[0]) if targets else None

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if self._strings_part and self._strings_part in self._zip.namelist():
                ns = self._ns
                si, t, r = f"{ns}si", f"{ns}t", f"{ns}r"
                with self._open(self._strings_part) as f:
                    for _, elem in iterparse(f):
                        if elem.tag == si:
                            self._shared.append(_rich_text(elem, t, r))
                            elem.clear()
        return self._shared

    def _date_style_ids(self) -> frozenset[int]:
        """Positions in ``cellXfs`` (a cell's ``s``) whose number format shows a date."""
        if self._date_styles is None:
            found: set[int] = set()
            if self._styles_part and self._styles_part in self._zip.namelist():
                ns = self._ns
                root = self._xml(self._styles_part)
                codes = {
                    int(f.get("numFmtId", "-1")): f.get("formatCode", "") for f in root.iter(f"{ns}numFmt")
                }
                xfs = root.find(f"{ns}cellXfs")
                for i, xf in enumerate(xfs if xfs is not None else ()):
                    fmt = int(xf.get("numFmtId", "0"))
                    if (fmt in codes and is_date_format(codes[fmt])) or (
                        fmt not in codes and fmt in _DATE_FORMAT_IDS
                    ):
                        found.add(i)
            self._date_styles = frozenset(found)
        return self._date_styles

    # --- the cells ----------------------------------------------------------------------

    def sheet(self, which: int | str = 0) -> SheetEntry:
        """A worksheet by position or by name; ``XlsxError`` if there is none."""
        if isinstance(which, str):
            for entry in self.sheets:
                if entry.name == which:
                    return entry
            raise XlsxError(f"工作簿中没有名为“{which}”的工作表")
        if not 0 <= which < len(self.sheets):
            raise XlsxError("工作簿中没有工作表")
        return self.sheets[which]

    def iter_rows(self, which: int | str = 0) -> Iterator[tuple[int, list[object]]]:
        """``(Excel row number, values)`` of each row the sheet stores, in order; a gap is ``None``.

        Rows Excel left out (never touched) are not yielded; a stored row may still hold
        only ``None`` (formatted, empty cells).
        """
        entry = self.sheet(which)
        try:
            yield from self._rows(entry)
        except (KeyError, ParseError, ValueError, IndexError, zipfile.BadZipFile) as exc:
            raise XlsxError(f"工作表“{entry.name}”：{_reason(exc)}") from None

    def _rows(self, entry: SheetEntry) -> Iterator[tuple[int, list[object]]]:
        ns = self._ns
        row_tag, c_tag, v_tag, is_tag, t_tag, r_tag = (f"{ns}{x}" for x in ("row", "c", "v", "is", "t", "r"))
        shared = self._shared_strings()
        dates = self._date_style_ids()
        date1904 = self.date1904
        columns: dict[str, int] = {}  # cell reference letters -> index, e.g. "AB" -> 27
        last_row = 0
        with self._open(entry.part) as f:
            for _, row in iterparse(f):
                if row.tag != row_tag:
                    continue
                number = int(row.get("r") or last_row + 1)
                last_row = number
                values: list[object] = []
                for c in row:
                    if c.tag != c_tag:
                        continue
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        col = columns.get(letters)
                        if col is None:
                            col = columns[letters] = column_index(letters)
                        if col > len(values):
                            values.extend([None] * (col - len(values)))
                        elif col < len(values):  # out of order or repeated: keep the last
                            values[col:] = []
                            values.extend([None] * (col - len(values)))
                    kind = c.get("t", "n")
                    v = c.find(v_tag)
                    text = v.text if v is not None else None
                    value: object
                    if kind == "s":
                        value = shared[int(text)] if text else None
                    elif kind == "inlineStr":
                        inline = c.find(is_tag)
                        value = _rich_text(inline, t_tag, r_tag) if inline is not None else None
                    elif text is None:
                        value = None
                    elif kind == "n":
                        if "." in text or "E" in text or "e" in text:
                            value = float(text)
                        else:
                            value = int(text)
                        if dates and int(c.get("s") or 0) in dates:
                            value = from_serial(value, date1904=date1904)
                    elif kind == "b":
                        value = text.strip() in ("1", "true")
                    elif kind == "d":
                        value = datetime.fromisoformat(text.strip().removesuffix("Z"))
                    else:  # "str" (a formula's text), "e" (an error such as #N/A)
                        value = _unescape(text)
                    values.append(value)
                row.clear()
                yield number, values


def _rich_text(elem: Element, t_tag: str, r_tag: str) -> str:
    """The text of a string item: its ``<t>``, or its runs' ``<t>`` joined; phonetic runs (``<rPh>``) left out."""
    parts: list[str] = []
    for child in elem:
        if child.tag == t_tag:
            parts.append(child.text or "")
        elif child.tag == r_tag:
            for t in child.iter(t_tag):
                parts.append(t.text or "")
    return _unescape("".join(parts))


def _join(base: str, target: str) -> str:
    """A relationship target as a part name: relative to the source's folder, or absolute from the root."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _reason(exc: BaseException) -> str:
    """Why a part could not be read, in Chinese (the parser's own words in brackets)."""
    if isinstance(exc, KeyError):
        return "缺少工作簿的组成部分" + (f"（{exc.args[0]}）" if exc.args else "")
    if isinstance(exc, ParseError):
        return f"XML 格式有误（{exc}）"
    if isinstance(exc, zipfile.BadZipFile):
        return f"压缩包已损坏（{exc}）"
    return f"内容无法识别（{exc}）"
