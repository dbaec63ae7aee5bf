"""Check every row of a roster with the domain's rules and group the clean rows into households.

Each rule is the one the app already applies when a person is typed in:
``parse_id_number`` (length, date, check digit), ``parse_disability_cert`` (the
certificate agrees with ID number, category and level), the category and level
enums, the region catalogue. Nothing is re-implemented here; this module only
says which column a rule's complaint belongs to.

Duplicates are found in an in-memory sqlite-utils database where the parsed rows
are staged next to the registry's ID numbers: one ``GROUP BY`` finds the same
person twice in the file, one join finds persons already registered. A person
already registered under the same name is *already imported* (so importing the
same file again changes nothing); under another name it is an error.

Row numbers are Excel's (header = row 1 when the header is the first line).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlite_utils

from app.domain.enums import DisabilityCategory, DisabilityLevel, EconomicStatus
from app.domain.ids import (
    IdNumber,
    InvalidDisabilityCert,
    InvalidIdNumber,
    mask_id_number,
    normalise_id_text,
    parse_disability_cert,
    parse_id_number,
)
from app.domain.regions import RegionCatalog, RegionLevel, UnknownRegion, covers, default_catalog
from app.domain.roster.mapping import ADDRESS_FIELDS, ColumnMapping, RosterField
from app.domain.roster.reader import RosterTable
from app.domain.roster.values import is_head, parse_category, parse_economic_status, parse_level

PROGRESS_EVERY = 500

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class MappingIncomplete(ValueError):
    """A required field has no column; nothing can be checked until the user maps it."""


class RosterCancelled(Exception):
    """The user cancelled the check or the import; nothing was written."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One complaint about one cell: Excel row, the file's column header, the cell's value, why (Chinese)."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class RegisteredPerson:
    """A person already in the registry, as far as duplicate checks need to know."""

    id_number: str
    name: str
    household_id: str


@dataclass(frozen=True, slots=True)
class RosterPerson:
    """A clean row, as the values the registry stores (codes, not labels)."""

    row: int
    name: str
    id_number: str
    gender: str
    birth_date: str
    cert_number: str
    category: str
    level: str
    phone: str
    relation: str

    def columns(self) -> dict[str, str]:
        """The registry columns this row fills (the writer adds ids, household, region and defaults)."""
        return {
            "name": self.name,
            "id_number": self.id_number,
            "gender": self.gender,
            "birth_date": self.birth_date,
            "cert_number": self.cert_number,
            "category": self.category,
            "level": self.level,
            "phone": self.phone,
            "relation": self.relation,
        }


@dataclass
class RosterHousehold:
    """Clean rows of one family; ``existing_id`` when a member is already registered in a household."""

    key: tuple[str, ...]
    region_code: str
    address: str
    head_name: str = ""
    phone: str = ""
    economic_status: str = EconomicStatus.GENERAL.value
    note: str = ""
    persons: list[RosterPerson] = field(default_factory=list)
    existing_id: str | None = None

    def columns(self) -> dict[str, str]:
        """The household columns a new family gets from the roster."""
        return {
            "region_code": self.region_code,
            "address": self.address,
            "phone": self.phone,
            "economic_status": self.economic_status,
            "head_name": self.head_name,
            "note": self.note,
        }


@dataclass
class RosterCheck:
    """The outcome of checking a file: what would be imported, what is already there, what is wrong."""

    rows: int
    errors: list[RowError]
    households: list[RosterHousehold]
    already_registered: list[int]

    @property
    def bad_rows(self) -> set[int]:
        return {e.row for e in self.errors}

    @property
    def new_persons(self) -> int:
        return sum(len(h.persons) for h in self.households)

    @property
    def clean(self) -> bool:
        return not self.errors

    def report(self, imported: int) -> dict[str, Any]:
        """The JSON report (ARCHITECTURE.md): rows, imported, skipped as already registered, every error."""
        return {
            "rows": self.rows,
            "imported": imported,
            "already_registered": len(self.already_registered),
            "errors": [e.as_dict() for e in self.errors],
        }


@dataclass
class _Row:
    """A row being checked: its cells by field and the values parsed so far."""

    number: int
    cells: dict[RosterField, str]
    errors: list[RowError] = field(default_factory=list)
    id_number: str = ""
    region_code: str = ""
    values: dict[str, str] = field(default_factory=dict)


class _Regions:
    """Village lookups by code or name, cached per text (a roster repeats each village many times)."""

    def __init__(self, catalog: RegionCatalog, scope: Sequence[str]) -> None:
        self.catalog = catalog
        self.scope = [s for s in scope if s]
        self._cache: dict[str, tuple[str, str]] = {}

    def resolve(self, text: str) -> tuple[str, str]:
        """``(village code, "")`` or ``("", reason)``."""
        if text not in self._cache:
            self._cache[text] = self._resolve(text)
        return self._cache[text]

    def _resolve(self, text: str) -> tuple[str, str]:
        try:
            region = self.catalog.resolve(text)
        except UnknownRegion as exc:
            # A village name that repeats across the province is unique inside the import's scope.
            within = [
                r
                for prefix in self.scope
                for r in self.catalog.villages_under(prefix)
                if r.name == text or self.catalog.full_name(r.code).endswith(text)
            ]
            if len(within) != 1:
                return "", str(exc)
            region = within[0]
        if region.level is not RegionLevel.VILLAGE:
            return "", f"“{self.catalog.full_name(region.code)}”不是村（社区），请填写到村（社区）一级"
        if self.scope and not covers(self.scope, region.code):
            return "", f"“{self.catalog.full_name(region.code)}”不在本次导入的区划范围内"
        return region.code, ""


def _check_row(
    row: _Row,
    mapping: ColumnMapping,
    regions: _Regions,
    table: RosterTable,
    *,
    default_region: str,
    today: date | None,
    phone_rule: Callable[[str], str | None] | None,
) -> None:
    def fail(fld: RosterField, reason: str, value: str | None = None) -> None:
        text = row.cells.get(fld, "") if value is None else value
        row.errors.append(RowError(row.number, mapping.header_of(fld), text, reason))

    cells = row.cells
    name = cells.get(RosterField.NAME, "")
    if not name:
        fail(RosterField.NAME, "姓名为必填项")
    raw_id = cells.get(RosterField.ID_NUMBER, "")
    id_col = mapping.column_of(RosterField.ID_NUMBER)
    if (row.number, id_col) in table.numeric:
        fail(
            RosterField.ID_NUMBER, "身份证号被Excel存成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写"
        )
    else:
        try:
            row.id_number = parse_id_number(raw_id, today=today).value
        except InvalidIdNumber as exc:
            fail(RosterField.ID_NUMBER, str(exc))
    category: DisabilityCategory | None = None
    level: DisabilityLevel | None = None
    if text := cells.get(RosterField.CATEGORY, ""):
        try:
            category = parse_category(text)
        except ValueError as exc:
            fail(RosterField.CATEGORY, str(exc))
    if text := cells.get(RosterField.LEVEL, ""):
        try:
            level = parse_level(text)
        except ValueError as exc:
            fail(RosterField.LEVEL, str(exc))
    cert = normalise_id_text(cells.get(RosterField.CERT_NUMBER, ""))
    if cert and not any(
        e.column in (mapping.header_of(RosterField.CATEGORY), mapping.header_of(RosterField.LEVEL))
        for e in row.errors
    ):
        cert_col = mapping.column_of(RosterField.CERT_NUMBER)
        if (row.number, cert_col) in table.numeric:
            fail(
                RosterField.CERT_NUMBER,
                "残疾证号被Excel存成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写",
            )
        else:
            try:
                parsed = parse_disability_cert(
                    cert, id_number=row.id_number or None, category=category, level=level, today=today
                )
                category, level = category or parsed.category, level or parsed.level
            except InvalidDisabilityCert as exc:
                fail(RosterField.CERT_NUMBER, str(exc))
    region_text = cells.get(RosterField.REGION, "") or default_region
    if not region_text:
        fail(RosterField.REGION, "所属村(社区)为必填项")
    else:
        row.region_code, reason = regions.resolve(region_text)
        if reason:
            fail(RosterField.REGION, reason, region_text)
    address = cells.get(RosterField.ADDRESS, "") or cells.get(RosterField.HUKOU_ADDRESS, "")
    if not address:
        fld = next((f for f in ADDRESS_FIELDS if mapping.column_of(f) is not None), RosterField.ADDRESS)
        fail(fld, "现住址和户籍地址至少填写一项")
    phone = cells.get(RosterField.PHONE, "")
    if phone and phone_rule is not None and (reason := phone_rule(phone)):
        fail(RosterField.PHONE, reason)
    economic = EconomicStatus.GENERAL
    try:
        economic = parse_economic_status(cells.get(RosterField.ECONOMIC_STATUS, ""))
    except ValueError as exc:
        fail(RosterField.ECONOMIC_STATUS, str(exc))
    row.values = {
        "name": name,
        "cert_number": cert,
        "category": category.value if category else "",
        "level": level.value if level else "",
        "phone": phone,
        "relation": cells.get(RosterField.RELATION, ""),
        "address": address,
        "hukou_address": cells.get(RosterField.HUKOU_ADDRESS, ""),
        "head_name": cells.get(RosterField.HEAD_NAME, ""),
        "household_key": cells.get(RosterField.HOUSEHOLD_KEY, ""),
        "economic_status": economic.value,
    }


def _stage(rows: list[_Row], registry: Iterable[RegisteredPerson]) -> sqlite_utils.Database:
    """The file's parsed ID numbers and the registry's, side by side, for the duplicate queries."""
    db = sqlite_utils.Database(memory=True)
    staged = db.table("staged")
    staged.create({"row": int, "id_number": str, "name": str}, pk="row")
    staged.insert_all(
        {"row": r.number, "id_number": r.id_number, "name": r.values["name"]} for r in rows if r.id_number
    )
    staged.create_index(["id_number"])
    known = db.table("registry")
    known.create({"id_number": str, "name": str, "household_id": str})
    known.insert_all(
        ({"id_number": p.id_number, "name": p.name, "household_id": p.household_id} for p in registry),
        batch_size=5000,
    )
    known.create_index(["id_number"])
    return db


def _duplicates(db: sqlite_utils.Database) -> dict[int, list[int]]:
    """Row -> the other rows of the file with the same ID number."""
    out: dict[int, list[int]] = {}
    sql = "SELECT group_concat(row) AS rows FROM staged GROUP BY id_number HAVING count(*) > 1"
    for found in db.query(sql):
        numbers = sorted(int(n) for n in found["rows"].split(","))
        for n in numbers:
            out[n] = [m for m in numbers if m != n]
    return out


def _registered(db: sqlite_utils.Database) -> dict[int, tuple[str, str]]:
    """Row -> (registered name, household id) for rows whose ID number the registry holds."""
    sql = (
        "SELECT s.row, r.name, r.household_id FROM staged s"
        " JOIN registry r ON r.id_number = s.id_number GROUP BY s.row"
    )
    return {int(r["row"]): (r["name"], r["household_id"]) for r in db.query(sql)}


def _household_key(row: _Row, mapping: ColumnMapping) -> tuple[str, ...]:
    """A household is its 户编号 when the file has one, else village + address (+ head when named)."""
    v = row.values
    if v["household_key"]:
        return ("key", v["household_key"])
    if mapping.column_of(RosterField.HEAD_NAME) is not None:
        return ("address", row.region_code, " ".join(v["address"].split()), v["head_name"])
    return ("address", row.region_code, " ".join(v["address"].split()))


def _person(row: _Row) -> RosterPerson:
    idn = IdNumber(row.id_number)  # checked by ``_check_row``
    v = row.values
    return RosterPerson(
        row=row.number,
        name=v["name"],
        id_number=row.id_number,
        gender=idn.gender.value,
        birth_date=idn.birth_date.isoformat(),
        cert_number=v["cert_number"],
        category=v["category"],
        level=v["level"],
        phone=v["phone"],
        relation=v["relation"],
    )


def _group(
    clean: list[_Row], already: dict[tuple[str, ...], str], mapping: ColumnMapping
) -> tuple[list[RosterHousehold], list[RowError]]:
    households: dict[tuple[str, ...], RosterHousehold] = {}
    first_row: dict[tuple[str, ...], int] = {}
    errors: list[RowError] = []
    for row in clean:
        key = _household_key(row, mapping)
        v = row.values
        h = households.get(key)
        if h is None:
            note = ""
            if v["hukou_address"] and v["hukou_address"] != v["address"]:
                note = f"户籍地址：{v['hukou_address']}"
            h = households[key] = RosterHousehold(
                key, row.region_code, v["address"], note=note, existing_id=already.get(key)
            )
            first_row[key] = row.number
        elif h.region_code != row.region_code:
            errors.append(
                RowError(
                    row.number,
                    mapping.header_of(RosterField.REGION),
                    row.cells.get(RosterField.REGION, ""),
                    f"与同一户（第{first_row[key]}行）的所属村(社区)不一致",
                )
            )
            continue
        h.persons.append(_person(row))
        h.head_name = h.head_name or v["head_name"] or (v["name"] if is_head(v["relation"]) else "")
        h.phone = h.phone or v["phone"]
        if h.economic_status == EconomicStatus.GENERAL.value:
            h.economic_status = v["economic_status"]
    out = list(households.values())
    for h in out:
        if not h.head_name and len(h.persons) == 1:
            h.head_name = h.persons[0].name
    return out, errors


def check_roster(
    table: RosterTable,
    mapping: ColumnMapping,
    *,
    registry: Iterable[RegisteredPerson] = (),
    scope: Sequence[str] = (),
    default_region: str = "",
    catalog: RegionCatalog | None = None,
    today: date | None = None,
    phone_rule: Callable[[str], str | None] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RosterCheck:
    """Check every row of ``table`` read through ``mapping``; nothing is written anywhere.

    ``registry`` is who is already registered; ``scope`` the region prefixes rows must
    fall in (empty: any known village); ``default_region`` the village for rows whose
    region cell is empty (the server's ``--region`` when it names a village);
    ``phone_rule`` the caller's phone check, if it has one. Raises ``MappingIncomplete``
    when a required field has no column and ``RosterCancelled`` when ``cancelled()`` says so.
    """
    missing = mapping.missing()
    if missing and not (missing == [RosterField.REGION.label] and default_region):
        raise MappingIncomplete(f"请先为以下字段选择对应的列：{'、'.join(missing)}")
    regions = _Regions(catalog or default_catalog(), scope)
    total = len(table.rows)
    rows: list[_Row] = []
    for done, (number, cells) in enumerate(table.rows, 1):
        row = _Row(number, {f: cells[i].strip() for f, i in mapping.columns.items() if i < len(cells)})
        _check_row(
            row, mapping, regions, table, default_region=default_region, today=today, phone_rule=phone_rule
        )
        rows.append(row)
        if done % PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise RosterCancelled("已取消检查")
            if progress is not None:
                progress(done, total)
    db = _stage(rows, registry)
    duplicates = _duplicates(db)
    registered = _registered(db)
    id_header = mapping.header_of(RosterField.ID_NUMBER)
    already_rows: list[int] = []
    already_households: dict[tuple[str, ...], str] = {}
    clean: list[_Row] = []
    for row in rows:
        if row.number in duplicates:
            others = "、".join(str(n) for n in duplicates[row.number])
            row.errors.append(
                RowError(row.number, id_header, mask_id_number(row.id_number), f"身份证号与第{others}行重复")
            )
        elif row.number in registered:
            name, household_id = registered[row.number]
            if name != row.values["name"]:
                row.errors.append(
                    RowError(
                        row.number,
                        id_header,
                        mask_id_number(row.id_number),
                        f"该身份证号已登记为“{name}”，与本行姓名“{row.values['name']}”不一致",
                    )
                )
            elif not row.errors:
                already_rows.append(row.number)
                already_households.setdefault(_household_key(row, mapping), household_id)
                continue
        if not row.errors:
            clean.append(row)
    households, group_errors = _group(clean, already_households, mapping)
    errors = [e for r in rows for e in r.errors] + group_errors
    order = {h: i for i, h in enumerate(table.headers)}
    errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    if progress is not None:
        progress(total, total)
    return RosterCheck(total, errors, households, already_rows)
