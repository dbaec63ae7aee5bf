"""``app.contract.values.check_field``: the one value rule the laptop (typing) and the server (push) share."""

from __future__ import annotations

import pytest

from app.contract import values as v
from app.contract.answers import check_answer, index_form


@pytest.mark.parametrize(
    ("tbl", "field", "value"),
    [
        ("household", "region_code", "330802001001"),
        ("household", "economic_status", "dibao"),
        ("household", "house_grade", None),
        ("household", "house_grade", "C"),
        ("person", "gender", ""),
        ("person", "birth_date", "1949-12-31"),
        ("person", "id_number", "11010519491231002X"),
        ("visit", "started_at", "2026-11-25T14:49:36.123Z"),
        ("visit", "started_at", ""),
        ("formresponse", "form_version", 2**63 - 1),
        ("renovationproject", "budget", 6000),
        ("renovationproject", "status", "awaiting_acceptance"),
        ("formresponse", "answers.devices[e1].quantity", [[{"a": 1.5}]]),
        ("attachmentlink", "owner_tbl", "visit"),
    ],
)
def test_accepted(tbl, field, value):
    assert v.check_field(tbl, field, value) is None


@pytest.mark.parametrize(
    ("tbl", "field", "value", "reason"),
    [
        ("formresponse", "form_version", 2**63, v.OUT_OF_RANGE),
        ("renovationproject", "budget", float("nan"), v.NOT_FINITE),
        ("renovationproject", "budget", -1, v.OUT_OF_RANGE),
        ("household", "region_code", "３３０８０２００１００１", v.BAD_REGION_CODE),
        ("household", "region_code", "", v.BAD_REGION_CODE),
        ("person", "gender", "男", v.NOT_IN_ENUM),
        ("person", "birth_date", "2023-02-29", v.BAD_DATE),
        ("visit", "ended_at", "2026-13-01T00:00:00Z", v.BAD_DATETIME),
        ("household", "phone", "1" * 41, v.TOO_LONG),
        ("formresponse", "answers.x", [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]], v.TOO_DEEP),
        ("formresponse", "answers.x", [1] * (v.MAX_ITEMS + 1), v.TOO_LONG),
        ("certificate", "pdf_sha256", "A" * 64, v.BAD_CODE),
        ("renovationitem", "catalog_code", "ＡＢ", v.BAD_CODE),
        ("attachmentlink", "owner_tbl", "users", v.BAD_REFERENCE),
        ("person", "has_care_subsidy", 1, v.WRONG_TYPE),
        ("household", "phone", None, v.REQUIRED),
        ("nosuch", "x", 1, v.UNKNOWN_FIELD),
    ],
)
def test_refused_with_reason_and_chinese_message(tbl, field, value, reason):
    error = v.check_field(tbl, field, value)
    assert error is not None and error.reason == reason
    assert any("\u4e00" <= c <= "\u9fff" for c in error.message)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("1764600000000-00000-abc_123", True),
        ("１７６４６００００００００-00000-abc", False),
        ("1764600000000-00000-", False),
        ("1764600000000-00000-a-b", False),
        ("176460000000-00000-abc", False),
    ],
)
def test_clock_format(text, ok):
    assert (v.check_clock(text) is None) is ok


FORM = {
    "id": "f",
    "version": 1,
    "choice_lists": {"yn": [{"value": "a"}, {"value": "b"}], "cat": {"catalog": "devices"}},
    "pages": [
        {
            "questions": [
                {"id": "age", "type": "integer"},
                {"id": "income", "type": "decimal"},
                {"id": "pick", "type": "select_one", "choices": "yn"},
                {"id": "many", "type": "select_multiple", "choices": [{"value": "x"}]},
                {"id": "when", "type": "date"},
                {"id": "ok", "type": "yes_no"},
                {
                    "id": "rows",
                    "type": "repeat",
                    "questions": [{"id": "dev", "type": "select_one", "choices": "cat"}],
                },
            ]
        }
    ],
}


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("age", 3, True),
        ("age", "3", False),
        ("age", None, True),
        ("income", 1.5, True),
        ("income", float("inf"), False),
        ("pick", "a", True),
        ("pick", "z", False),
        ("many", ["x"], True),
        ("many", ["x", "y"], False),
        ("when", "2024-02-29", True),
        ("when", "2023-02-29", False),
        ("ok", True, True),
        ("ok", "yes", False),
        ("rows", ["e1", "e2"], True),
        ("rows[e1].dev", "anything_in_the_catalogue", True),
        ("rows[e1].nosuch", 1, False),
        ("nosuch", 1, False),
    ],
)
def test_answers_against_question_types(key, value, ok):
    assert (check_answer(index_form(FORM), key, value) is None) is ok
