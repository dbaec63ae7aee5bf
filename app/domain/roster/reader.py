"""Read a roster file (xlsx or csv) into its header and rows of cell texts.

Chinese Excel saves csv as GBK unless asked for "UTF-8 (逗号分隔)", which adds a
BOM; both are read, and the encoding found is kept for the report. Row numbers are
the ones the user sees in Excel (the first line is row 1), so a reason in the report
can be looked up directly.

A long number typed into an Excel cell without the text format is stored as a
floating-point number and keeps only 15 significant digits: an ID number's last
digits are gone. Such cells are remembered in ``RosterTable.numeric`` so the check
can say so instead of reporting a wrong check digit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.domain.roster.mapping import header_score
from app.domain.xlsx import Workbook, XlsxError

HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common in exported ledgers
_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK and GB2312


class UnreadableRoster(ValueError):
    """The file is not a roster this reader understands; the message says why, in Chinese."""


@dataclass
class RosterTable:
    """A sheet as texts: ``rows`` are ``(excel_row_number, cells)`` below the header row."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]
    source: str = ""
    encoding: str = ""
    numeric: set[tuple[int, int]] = field(default_factory=set)  # (excel row, column index) of long numbers


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _is_long_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15


def _table(raw_rows: Iterable[tuple[int, list[object]]], source: str, encoding: str = "") -> RosterTable:
    """Find the header (the row, among the first few with content, that names most known fields) and cut the rows.

    ``raw_rows`` are ``(row number, values)``; rows left out or without any content are no rows.
    """
    found: list[tuple[int, list[object], list[str]]] = []
    for number, values in raw_rows:
        texts = [_text(v) for v in values]
        if any(texts):
            found.append((number, values, texts))
    header_index = 0
    best = 0
    for i, (_, _, texts) in enumerate(found[:HEADER_SEARCH_ROWS]):
        score = header_score(texts)
        if score > best:
            header_index, best = i, score
    if not found:
        raise UnreadableRoster(f"“{source}”是空表，没有找到表头")
    header_row, _, headers = found[header_index]
    headers = list(headers)
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    rows: list[tuple[int, list[str]]] = []
    numeric: set[tuple[int, int]] = set()
    for number, values, texts in found[header_index + 1 :]:
        cells = texts[:width] if len(texts) >= width else texts + [""] * (width - len(texts))
        if not any(cells):
            continue  # content only right of the header's last column
        rows.append((number, cells))
        for j, value in enumerate(values[:width]):
            if _is_long_number(value):
                numeric.add((number, j))
    return RosterTable(headers, header_row, rows, source, encoding, numeric)


def decode_csv(data: bytes, source: str = "") -> tuple[str, str]:
    """The text of a csv file and the encoding it was in (UTF-8 with or without BOM, else GBK)."""
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, (
            "utf-8-bom" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        ) if encoding == "utf-8-sig" else "gbk"
    raise UnreadableRoster(f"“{source}”既不是UTF-8也不是GBK编码的文本，请在Excel中另存为“CSV UTF-8”后再导入")


def _read_csv(data: bytes, source: str) -> RosterTable:
    text, encoding = decode_csv(data, source)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    return _table(((n, list(r)) for n, r in enumerate(rows, 1)), source, encoding)


def _read_xlsx(data: bytes, source: str) -> RosterTable:
    try:
        with Workbook(data) as workbook:
            return _table(workbook.iter_rows(0), source)
    except XlsxError as exc:
        raise UnreadableRoster(f"“{source}”不是有效的Excel（.xlsx）文件：{exc}") from None


def read_roster_bytes(data: bytes, filename: str) -> RosterTable:
    """Read an uploaded roster; the file name's extension says which format."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data, filename)
    if suffix in (".csv", ".txt"):
        return _read_csv(data, filename)
    if suffix == ".xls":
        raise UnreadableRoster(f"“{filename}”是旧版Excel（.xls）文件，请在Excel中另存为.xlsx后再导入")
    raise UnreadableRoster(f"“{filename}”不是.xlsx或.csv文件")


def read_roster(path: Path | str) -> RosterTable:
    """Read a roster file from disk; ``UnreadableRoster`` if it is missing or not a roster."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableRoster(f"找不到文件“{path}”")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableRoster(f"无法读取“{path}”：{exc.strerror or exc}") from None
    return read_roster_bytes(data, path.name)
