"""Form answers checked against the question types of their form version.

An answer travels as the field ``answers.<key>`` of a ``formresponse`` (SYNC.md): ``key``
is a question id, a repeat's id (its value is the list of entry ids), or
``<repeat>[<entry>].<question>``. ``check_answer(definition, key, value)`` works on the
form definition as published (``resources/forms/*.json``, also served at ``GET /forms``),
so the server and the laptop's form engine refuse the same values. Empty values (null,
"" or []) are always accepted: they clear an answer. Choice lists that name a catalogue
are checked for type only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.contract.values import BAD_ANSWER, INT_MAX, INT_MIN, FieldError, check_json

_ENTRY_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_]*)\[([A-Za-z0-9_-]{1,64})\]\.([A-Za-z][A-Za-z0-9_]*)")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ENTRY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass
class FormIndex:
    """A form version's questions by id, with each repeat's own questions."""

    questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    repeats: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    choice_lists: dict[str, Any] = field(default_factory=dict)


def index_form(definition: dict[str, Any]) -> FormIndex:
    """Index a definition once; ``check_answer`` takes the index."""
    index = FormIndex(choice_lists=dict(definition.get("choice_lists") or {}))
    for page in definition.get("pages") or []:
        for q in page.get("questions") or []:
            if not isinstance(q, dict) or "id" not in q:
                continue
            index.questions[str(q["id"])] = q
            if q.get("type") == "repeat":
                index.repeats[str(q["id"])] = {
                    str(c["id"]): c for c in q.get("questions") or [] if isinstance(c, dict) and "id" in c
                }
    return index


def _bad(key: str, what: str) -> FieldError:
    return FieldError(BAD_ANSWER, f"表单题目“{key}”的答案{what}")


def _choices(index: FormIndex, q: dict[str, Any]) -> set[str] | None:
    """The allowed values of a choice question, or ``None`` when they come from a catalogue."""
    choices = q.get("choices")
    if isinstance(choices, str):
        choices = index.choice_lists.get(choices)
    if isinstance(choices, list):
        return {str(c.get("value")) for c in choices if isinstance(c, dict)}
    return None


def check_answer(index: FormIndex, key: str, value: Any) -> FieldError | None:
    """``None`` if ``value`` fits the question ``key`` of the indexed form, else why not."""
    error = check_json(value, f"answers.{key}")
    if error is not None:
        return error
    if value is None or value == "" or value == []:
        return None
    if key in index.repeats:
        if not isinstance(value, list) or not all(
            isinstance(v, str) and _ENTRY_ID.fullmatch(v) for v in value
        ):
            return _bad(key, "应为条目编号的列表")
        return None
    m = _ENTRY_KEY.fullmatch(key)
    if m:
        q = index.repeats.get(m.group(1), {}).get(m.group(3))
    else:
        q = index.questions.get(key)
    if q is None:
        return FieldError(BAD_ANSWER, f"该表单版本没有题目“{key[:60]}”，请升级客户端或使用已发布的表单")
    return _check_typed(index, key, q, value)


def _check_typed(index: FormIndex, key: str, q: dict[str, Any], value: Any) -> FieldError | None:
    kind = q.get("type")
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or not INT_MIN <= value <= INT_MAX:
            return _bad(key, "应为整数")
    elif kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return _bad(key, "应为数字")
    elif kind == "text":
        if not isinstance(value, str):
            return _bad(key, "应为文字")
    elif kind == "yes_no":
        if not isinstance(value, bool):
            return _bad(key, "应为“是”或“否”")
    elif kind == "date":
        if not isinstance(value, str) or not _real_date(value):
            return _bad(key, "应为真实存在的日期（YYYY-MM-DD）")
    elif kind == "select_one":
        allowed = _choices(index, q)
        if not isinstance(value, str) or (allowed is not None and value not in allowed):
            return _bad(key, f"“{str(value)[:20]}”不是可选项")
    elif kind == "select_multiple":
        allowed = _choices(index, q)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return _bad(key, "应为可选项的列表")
        if allowed is not None and not set(value) <= allowed:
            return _bad(key, "含有不在可选范围内的选项")
    elif kind in ("photo", "signature"):
        shas = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and _SHA256.fullmatch(v) for v in shas):
            return _bad(key, "应为附件的校验值")
    return None


def _real_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
