"""Issue 15 item 8: a date is read the same way wherever it is typed (one parser, core)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.forms.answer_values import DATE_MESSAGE, date_message, normalise, parse_date
from app.forms.errors import AnswerError
from app.forms.model import Question


@pytest.mark.parametrize(
    "text",
    [
        "2020-01-05",
        "2020/1/5",
        "20200105",
        "2020.1.5",
        "2020-1-5",
        " 2020/01/05 ",
        "２０２０/１/５",
        "2020年1月5日",
    ],
)
def test_the_ways_a_date_is_typed_read_as_one_day(text):
    assert parse_date(text) == dt.date(2020, 1, 5)
    assert normalise(Question(id="d", type="date", label="日期"), "d", text) == "2020-01-05"


@pytest.mark.parametrize("text", ["2020/2/30", "2020/13/1", "2020/1", "abc", "202015", "٢٠٢٠-٠١-٠٥"])
def test_a_wrong_date_gives_one_message(text):
    assert parse_date(text) is None
    assert date_message(text) == DATE_MESSAGE
    with pytest.raises(AnswerError) as info:
        normalise(Question(id="d", type="date", label="日期"), "d", text)
    assert info.value.message == DATE_MESSAGE


def test_empty_is_not_wrong():
    assert date_message("  ") is None
