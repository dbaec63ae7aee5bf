"""Checking and normalising answer values before they are stored.

Stored values are JSON-safe: str, int, float, bool, list[str] or None; dates as
ISO ``YYYY-MM-DD``; photos and signatures as SHA-256 hex digests of attachments
(a list of them for a multi-photo question).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from app.contract.forms.errors import AnswerError
from app.contract.forms.model import Question

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_empty(value: object) -> bool:
    """Unanswered: None, an empty string or an empty list."""
    return value is None or value == "" or value == []


def _integer(key: str, value: object) -> int:
    if isinstance(value, bool):
        raise AnswerError(key, "应填写整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d{1,15}\s*", value):
        return int(value)
    raise AnswerError(key, "应填写整数")


def _decimal(key: str, value: object) -> int | float:
    if isinstance(value, bool):
        raise AnswerError(key, "应填写数字")
    if isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return int(number) if number.is_integer() and "." not in value else number
    raise AnswerError(key, "应填写数字")


DATE_MESSAGE = "日期格式不正确，请按 2020-01-05、2020/1/5 或 20200105 填写"
_DATE_PARTS = re.compile(r"([0-9]{4}) *[-/.年] *([0-9]{1,2}) *[-/.月] *([0-9]{1,2}) *日?")
_DATE_DIGITS = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


def parse_date(text: str) -> dt.date | None:
    """The date a caseworker typed, or ``None`` when it is not one.

    Accepts ``2020-01-05``, ``2020/1/5``, ``2020.1.5``, ``2020年1月5日`` and ``20200105``
    (full-width digits too); the one place both the date field and validation parse dates.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    match = _DATE_PARTS.fullmatch(text) or _DATE_DIGITS.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def date_message(text: str) -> str | None:
    """Why ``text`` is not a date (Chinese), or ``None`` when it is one or is empty."""
    if not text.strip() or parse_date(text) is not None:
        return None
    return DATE_MESSAGE


def _date(key: str, value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return day.isoformat()
    raise AnswerError(key, DATE_MESSAGE)


def _digest(key: str, value: object) -> str:
    if isinstance(value, str) and _SHA256.match(value.lower()):
        return value.lower()
    raise AnswerError(key, "照片/签名应为附件的 SHA-256 值")


def _yes_no(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("yes", "true", "1", "是"):
        return True
    if isinstance(value, str) and value.lower() in ("no", "false", "0", "否"):
        return False
    raise AnswerError(key, "应选择“是”或“否”")


def normalise(question: Question, key: str, value: object) -> object:
    """The value to store for ``question``, or ``AnswerError`` when it does not fit."""
    if question.type in ("note", "calculate"):
        raise AnswerError(key, "此项为说明或自动计算，不能填写")
    if is_empty(value):
        return None
    kind = question.type
    if kind == "text":
        if not isinstance(value, str):
            raise AnswerError(key, "应填写文字")
        return value
    if kind == "integer":
        return _integer(key, value)
    if kind == "decimal":
        return _decimal(key, value)
    if kind == "date":
        return _date(key, value)
    if kind == "yes_no":
        return _yes_no(key, value)
    if kind == "select_one":
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise AnswerError(key, "应选择一个选项")
        return str(value)
    if kind == "select_multiple":
        items = value.split() if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
            raise AnswerError(key, "多选题的值应为选项列表")
        return list(dict.fromkeys(items))
    if kind == "photo" and question.max_count > 1:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)):
            raise AnswerError(key, "照片应为附件 SHA-256 值的列表")
        digests = list(dict.fromkeys(_digest(key, v) for v in items))
        if len(digests) > question.max_count:
            raise AnswerError(key, f"最多 {question.max_count} 张照片")
        return digests
    return _digest(key, value)
