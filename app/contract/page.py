"""Pull pages in the columnar layout (``GET /sync/pull?layout=columns``), shared by server and client.

SYNC.md's page is a list of rows, each ``{field: [value, hlc]}``. A first pull
brings millions of such pairs, and the laptop spent most of it making a Python
list and two strings per field, then writing the clocks back out as JSON text.
The columnar layout carries the same facts grouped by table, in the shape the
laptop stores them::

    {"tables": [{"tbl": "formresponse",
                 "columns": ["region_code", "created_at", ...],   # plain fields
                 "maps": ["answers"],                              # map columns
                 "rows": [[row_id, seq, newest_hlc, clocks_json, [value per column], [map_json per map],
                           absent?], ...]}],
     "next": 123, "more": true, "server_time": 1795634675717}

``clocks_json`` is ``{field: hlc}`` for every field the record holds (the text a
laptop keeps in ``rowclock``); ``map_json`` holds a map's keys whose value is not
null; ``newest_hlc`` is the highest clock of the row. A column the record does
not hold is listed in the optional ``absent`` (indexes into ``columns``; its
value is ``null``), and a row shorter than ``columns`` lacks the columns past its
end. Rows keep seq order within a table. ``tables_from_rows`` turns the row
layout into this one, so a laptop merges pages of either layout the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from pydantic_core import from_json, to_json

from app.contract.errors import SyncError
from app.contract.schema import MAP_COLUMNS, TABLES

# Positions in a columnar row.
ROW_ID, SEQ, NEWEST, CLOCKS, VALUES, MAPS, ABSENT = range(7)

_ABSENT = object()


@dataclass
class TablePage:
    """One table's rows of a page, in the columnar layout."""

    tbl: str
    columns: list[str]
    maps: list[str]
    rows: list[list[Any]]

    def as_json(self) -> dict[str, Any]:
        return {"tbl": self.tbl, "columns": self.columns, "maps": self.maps, "rows": self.rows}

    @cached_property
    def column_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.columns)}


@dataclass
class Page:
    """A parsed pull answer, whichever layout the server sent."""

    tables: list[TablePage]
    next: int
    more: bool
    server_time: int


class MalformedPage(SyncError):
    """A pull answer that is not a page of either layout."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "malformed_page")


def parse_page(body: bytes) -> Page:
    """A pull answer as sent (JSON bytes) → ``Page``; raises ``MalformedPage``."""
    try:
        doc = from_json(body)
        if "tables" in doc:
            tables = [TablePage(t["tbl"], t["columns"], t["maps"], t["rows"]) for t in doc["tables"]]
        else:
            tables = tables_from_rows((r["tbl"], r["row_id"], r["seq"], r["fields"]) for r in doc["rows"])
        return Page(tables, int(doc["next"]), bool(doc["more"]), int(doc["server_time"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedPage(f"服务器返回的同步数据格式不正确，请稍后重试或联系管理员（{exc}）") from exc


@cache
def _layout(tbl: str) -> str:
    """The hash of a table's starting header; a row encoded under another is encoded again."""
    return hashlib.sha1(
        to_json([tbl, list(TABLES.get(tbl, ())), list(MAP_COLUMNS.get(tbl, ()))])
    ).hexdigest()[:8]


class TableEncoder:
    """Encodes one table's records as columnar rows, under a header that only grows.

    The header starts as this side's schema (``app.contract.schema``); a record with a
    field outside it (a newer peer's) adds that field as a new column at the end, so
    rows encoded before it are shorter than the header, which the layout allows.
    """

    def __init__(self, tbl: str) -> None:
        self.tbl = tbl
        self.columns = list(TABLES.get(tbl, ()))
        self.maps = list(MAP_COLUMNS.get(tbl, ()))
        self.schema_width = len(self.columns)
        self.layout = _layout(tbl)
        # Where each field name goes: a column index, or (map index, key). Cached per
        # name: the server answers this for every field of a first pull.
        self.slots: dict[str, int | tuple[int, str]] = {c: i for i, c in enumerate(self.columns)}

    def _slot(self, name: str) -> int | tuple[int, str]:
        head, _, key = name.partition(".")
        if key and head in self.maps:
            slot: int | tuple[int, str] = (self.maps.index(head), key)
        else:  # a field outside this side's schema: a new column, absent from earlier rows
            slot = len(self.columns)
            self.columns.append(name)
        self.slots[name] = slot
        return slot

    def tail(self, fields: Mapping[str, Any]) -> list[Any]:
        """A record's ``[newest_hlc, clocks_json, values, map_jsons(, absent)]``: its row after id and seq."""
        slots = self.slots
        values: list[Any] = [_ABSENT] * len(self.columns)
        maps: list[dict[str, Any]] = [{} for _ in self.maps]
        clocks: dict[str, str] = {}
        for name, (value, hlc) in fields.items():
            clocks[name] = hlc
            slot = slots.get(name)
            if slot is None:
                slot = self._slot(name)
            if slot.__class__ is int:
                if slot >= len(values):
                    values.extend([_ABSENT] * (slot + 1 - len(values)))
                values[slot] = value  # type: ignore[index]
            elif value is not None:
                i, key = slot  # type: ignore[misc]
                maps[i][key] = value
        tail = [
            max(clocks.values(), default=""),
            to_json(clocks).decode(),
            values,
            [to_json(m).decode() for m in maps],
        ]
        if _ABSENT in values:
            absent = [i for i, v in enumerate(values) if v is _ABSENT]
            for i in absent:
                values[i] = None
            tail.append(absent)
        return tail

    def key(self, seq: int) -> str:
        """What a fragment stored with the record's version ``seq`` is filed under, for this header."""
        return f"{self.layout}:{seq}"


def stored_fragment(tbl: str, fields: Mapping[str, Any], seq: int) -> tuple[str | None, str | None]:
    """``(key, fragment)`` to keep beside a server record written with ``fields`` and ``seq``.

    The fragment is the record's columnar row after ``row_id, seq`` as JSON text, so a
    pull splices it instead of taking the record apart again. The key ties it to the
    header and to the record's ``seq``: every change of a record must take a new seq
    (or no laptop that has the row would ever see it), so a fragment filed under
    another seq or header is stale and is encoded afresh. ``(None, None)`` for a
    record with a field outside the schema (its columns depend on the page).
    """
    encoder = TableEncoder(tbl)
    tail = encoder.tail(fields)
    if len(encoder.columns) != encoder.schema_width:
        return None, None
    return encoder.key(seq), fragment_text(tail)


def fragment_text(tail: list[Any]) -> str:
    """A row's tail as the JSON text spliced into a page (without its brackets).

    ASCII, like the rows' stored text: one non-ASCII character makes Python widen the
    whole page string, which then costs more to join and to encode.
    """
    return json.dumps(tail, separators=(",", ":"))[1:-1]


def tables_from_rows(rows: Iterable[tuple[str, str, int, Mapping[str, Any]]]) -> list[TablePage]:
    """Records ``(tbl, row_id, seq, {field: [value, hlc]})`` in seq order → one ``TablePage`` per table."""
    pages: dict[str, tuple[TableEncoder, TablePage]] = {}
    for tbl, row_id, seq, fields in rows:
        found = pages.get(tbl)
        if found is None:
            encoder = TableEncoder(tbl)
            found = pages[tbl] = (encoder, TablePage(tbl, encoder.columns, encoder.maps, []))
        found[1].rows.append([row_id, seq, *found[0].tail(fields)])
    return [page for _, page in pages.values()]


def row_fields(table: TablePage, row: list[Any]) -> dict[str, list[Any]]:
    """One columnar row back in the row layout's ``{field: [value, hlc]}``."""
    index = table.column_index
    values = row[VALUES]
    maps = {m: from_json(text) for m, text in zip(table.maps, row[MAPS], strict=True)}
    fields: dict[str, list[Any]] = {}
    for name, hlc in from_json(row[CLOCKS]).items():
        i = index.get(name)
        if i is not None:
            fields[name] = [values[i] if i < len(values) else None, hlc]
        else:
            head, _, key = name.partition(".")
            fields[name] = [maps.get(head, {}).get(key), hlc]
    return fields
