"""Which spreadsheet column holds which roster field, guessed from its header.

Rosters come from the 残疾人证 database, from county ledgers and from hand-made
sheets, so one field has many headers (``身份证号``, ``身份证号码``, ``公民身份号码``…).
``auto_map`` picks a column for each field: first the choice the user made last
time for the same header (``remembered``, kept in the profile's settings), then an
exact synonym, then a header that contains a synonym. The user may change any
assignment (``ColumnMapping.assign``) before the check runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.enums import LabelledEnum


class RosterField(LabelledEnum):
    """A field of the roster; the label is the header the report shows when the file has none."""

    NAME = "name", "姓名"
    ID_NUMBER = "id_number", "身份证号"
    CERT_NUMBER = "cert_number", "残疾证号"
    CATEGORY = "category", "残疾类别"
    LEVEL = "level", "残疾等级"
    HUKOU_ADDRESS = "hukou_address", "户籍地址"
    ADDRESS = "address", "现住址"
    PHONE = "phone", "联系电话"
    REGION = "region", "所属村(社区)"
    HEAD_NAME = "head_name", "户主"
    RELATION = "relation", "与户主关系"
    HOUSEHOLD_KEY = "household_key", "户编号"
    ECONOMIC_STATUS = "economic_status", "家庭经济状况"


# Normalised headers (see ``normalise_header``), most specific first.
SYNONYMS: dict[RosterField, tuple[str, ...]] = {
    RosterField.NAME: ("姓名", "残疾人姓名", "持证人姓名", "持证人", "名字", "name"),
    RosterField.ID_NUMBER: (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号",
        "身份证",
        "证件号码",
        "idnumber",
    ),
    RosterField.CERT_NUMBER: ("残疾证号", "残疾人证号", "残疾证号码", "残疾人证号码", "残疾证编号", "证号"),
    RosterField.CATEGORY: ("残疾类别", "残疾类型", "类别", "残疾种类"),
    RosterField.LEVEL: ("残疾等级", "残疾级别", "等级", "级别"),
    RosterField.HUKOU_ADDRESS: ("户籍地址", "户籍地", "户口所在地", "户籍所在地", "户口地址"),
    RosterField.ADDRESS: ("现住址", "现居住地址", "居住地址", "家庭住址", "现住地址", "住址", "地址"),
    RosterField.PHONE: ("联系电话", "联系方式", "电话", "手机", "手机号码", "电话号码", "手机号"),
    RosterField.REGION: (
        "所属村(社区)",
        "所属村社区",
        "村(社区)",
        "村社区",
        "所属村",
        "所属社区",
        "村居",
        "社区",
        "村",
        "区划代码",
        "行政区划代码",
    ),
    RosterField.HEAD_NAME: ("户主", "户主姓名"),
    RosterField.RELATION: ("与户主关系", "与户主的关系", "家庭关系", "关系"),
    RosterField.HOUSEHOLD_KEY: ("户编号", "户号", "家庭编号", "户籍编号"),
    RosterField.ECONOMIC_STATUS: ("家庭经济状况", "经济状况", "低保情况", "困难类型"),
}

# Without these a row cannot become a person in a household; the address may come from either column.
REQUIRED = (RosterField.NAME, RosterField.ID_NUMBER)
ADDRESS_FIELDS = (RosterField.ADDRESS, RosterField.HUKOU_ADDRESS)

_PUNCT = str.maketrans({"（": "(", "）": ")", "：": "", ":": "", "*": "", "＊": "", "　": ""})


def normalise_header(text: str) -> str:
    """Header text as compared: no spaces, stars or colons, half-width brackets, lower case."""
    return re.sub(r"\s+", "", str(text).translate(_PUNCT)).lower()


_EXACT = {normalise_header(s): f for f, names in SYNONYMS.items() for s in names}


def _guess(header: str) -> RosterField | None:
    key = normalise_header(header)
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    # "申请人身份证号码" and "身份证号（18位）" contain a synonym; the longest one found wins.
    best: tuple[int, RosterField] | None = None
    for name, fld in _EXACT.items():
        if len(name) >= 2 and name in key and (best is None or len(name) > best[0]):
            best = (len(name), fld)
    return best[1] if best else None


def header_score(cells: Sequence[str]) -> int:
    """How many cells of a row read as roster headers (the reader looks for the header row with it)."""
    return sum(1 for c in cells if c and normalise_header(c) in _EXACT)


@dataclass
class ColumnMapping:
    """Field -> column index over one file's ``headers``; every column holds at most one field."""

    headers: list[str]
    columns: dict[RosterField, int] = field(default_factory=dict)

    def column_of(self, fld: RosterField) -> int | None:
        return self.columns.get(fld)

    def header_of(self, fld: RosterField) -> str:
        """The file's header for ``fld`` (the report names columns as the user sees them)."""
        index = self.columns.get(fld)
        return self.headers[index] if index is not None else fld.label

    def field_of(self, index: int) -> RosterField | None:
        return next((f for f, i in self.columns.items() if i == index), None)

    def assign(self, fld: RosterField, header: str | int | None) -> None:
        """Put ``fld`` on a column (by header text or index), or on none; the column's old field is cleared."""
        self.columns.pop(fld, None)
        if header is None or header == "":
            return
        index = header if isinstance(header, int) else self.headers.index(header)
        for other, i in list(self.columns.items()):
            if i == index:
                del self.columns[other]
        self.columns[fld] = index

    def missing(self) -> list[str]:
        """Chinese names of what must be mapped before rows can be checked (empty: ready)."""
        out = [f.label for f in REQUIRED if f not in self.columns]
        if not any(f in self.columns for f in ADDRESS_FIELDS):
            out.append("现住址或户籍地址")
        return out

    def remembered(self) -> dict[str, str]:
        """``{normalised header: field or ""}`` to keep in the profile's settings for next time."""
        out = {normalise_header(h): "" for h in self.headers if normalise_header(h)}
        out.update({normalise_header(self.headers[i]): f.value for f, i in self.columns.items()})
        return out


def auto_map(headers: Sequence[str], remembered: Mapping[str, str] | None = None) -> ColumnMapping:
    """Guess each field's column: remembered choices first, then exact synonyms, then containment."""
    mapping = ColumnMapping(list(headers))
    remembered = remembered or {}
    known = {f.value for f in RosterField}
    taken: set[int] = set()

    def put(fld: RosterField, index: int) -> None:
        if fld not in mapping.columns and index not in taken:
            mapping.columns[fld] = index
            taken.add(index)

    for i, h in enumerate(headers):
        choice = remembered.get(normalise_header(h))
        if choice in known:
            put(RosterField(choice), i)
        elif choice == "":  # the user said: this column is nothing
            taken.add(i)
    for i, h in enumerate(headers):
        if normalise_header(h) in _EXACT:
            put(_EXACT[normalise_header(h)], i)
    for i, h in enumerate(headers):
        if (fld := _guess(h)) is not None:
            put(fld, i)
    return mapping
