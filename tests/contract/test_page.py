"""The columnar pull layout (``app.contract.page``): it carries exactly what the row layout carries."""

from __future__ import annotations

import json

import pytest

from app.contract.errors import SyncError
from app.contract.page import ABSENT, TableEncoder, parse_page, row_fields, stored_fragment, tables_from_rows

C1, C2 = "1795634675717-00001-dev1", "1795634675717-00002-dev1"


def test_rows_survive_the_columnar_layout_unchanged():
    records = [
        ("household", "h1", 1, {"region_code": ["330802001001", C1], "address": ["府山路8号", C2]}),
        (
            "formresponse",
            "f1",
            2,
            {"form_id": ["needs", C1], "answers.age": [30, C1], "answers.note": [None, C2]},
        ),
        ("household", "h2", 3, {"region_code": ["330802001001", C1], "phone": [None, C1], "floor": [3, C2]}),
    ]
    tables = tables_from_rows(records)
    got = {(t.tbl, r[0], r[1]): row_fields(t, r) for t in tables for r in t.rows}
    assert got == {(tbl, row_id, seq): fields for tbl, row_id, seq, fields in records}


def test_sparse_rows_list_their_absent_columns_and_a_newer_field_extends_the_header():
    (table,) = tables_from_rows(
        [
            ("household", "h1", 1, {"region_code": ["330802001001", C1]}),
            ("household", "h2", 2, {"region_code": ["330802001001", C1], "floor": [3, C2]}),
        ]
    )
    width = TableEncoder("household").schema_width
    assert table.columns[width:] == ["floor"]
    first, second = table.rows
    assert len(first[4]) == width and 0 not in first[ABSENT]  # shorter than the header: floor absent
    assert second[4][width] == 3 and second[2] == C2  # the newest clock of the row


def test_a_null_map_value_keeps_its_clock_but_not_a_key():
    (table,) = tables_from_rows([("formresponse", "f1", 1, {"answers.a": [None, C1], "answers.b": [1, C2]})])
    row = table.rows[0]
    assert json.loads(row[5][0]) == {"b": 1}
    assert json.loads(row[3]) == {"answers.a": C1, "answers.b": C2}


def test_a_stored_fragment_is_the_row_after_its_id_and_seq():
    fields = {"region_code": ["330802001001", C1], "address": ["府山路8号", C2]}
    key, fragment = stored_fragment("household", fields, 7)
    (table,) = tables_from_rows([("household", "h1", 7, fields)])
    assert json.loads(f'["h1",7,{fragment}]') == json.loads(json.dumps(table.rows[0]))
    assert fragment.isascii()  # a non-ASCII character would widen the whole page string on the server
    assert key == TableEncoder("household").key(7) != TableEncoder("household").key(8)
    assert stored_fragment("household", {**fields, "floor": [3, C1]}, 7) == (None, None)


def test_both_layouts_parse_to_the_same_page():
    rows = [{"tbl": "household", "row_id": "h1", "seq": 5, "fields": {"address": ["府山路8号", C1]}}]
    tail = {"next": 5, "more": False, "server_time": 1}
    by_rows = parse_page(json.dumps({"rows": rows, **tail}).encode())
    columns = json.dumps({"tables": [t.as_json() for t in by_rows.tables], **tail}).encode()
    by_columns = parse_page(columns)
    assert by_rows == by_columns
    assert (by_columns.next, by_columns.more) == (5, False)


@pytest.mark.parametrize("body", [b"", b"{", b'{"rows": 3, "next": 1}', b'{"tables": [{"tbl": "x"}]}', b"[]"])
def test_a_malformed_page_is_a_sync_error_with_a_chinese_message(body):
    with pytest.raises(SyncError, match="格式不正确"):
        parse_page(body)
