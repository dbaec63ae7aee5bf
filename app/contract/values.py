"""The value rules of synced fields: one function the server runs on every pushed change and
the laptop runs when a value is typed.

``check_field(table, field, value)`` returns ``None`` for an acceptable value, else a
``FieldError`` with a stable ``reason`` code and a Chinese message a caseworker can act on.
It needs no database: rules that do (references to rows that exist and are in scope, form
answers against their form version) are applied by the server with ``references`` and
``app.contract.answers``.

What each rule guards against (measured with hostile pushes, issue 14):

- 64-bit integers: SQLite cannot bind a larger ``int`` (``OverflowError``), and a laptop
  that pulled one failed on every sync after;
- finite numbers: NaN is invalid JSON for PostgreSQL (a 500) and was stored on SQLite;
- nesting depth and string lengths: a 300-deep JSON answer gave a 500;
- ASCII codes: a region code in full-width digits was hidden from every reader while its
  writer kept changing it, and a clock in full-width digits sorted above every real clock;
- enums and real dates: values outside them were stored and shown.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from app.domain.enums import (
    CheckResult,
    DisabilityCategory,
    DisabilityLevel,
    EconomicStatus,
    Gender,
    HouseGrade,
    PersonStatus,
    ProjectKind,
    ProjectStatus,
    ReviewDecision,
    VisitStatus,
)
from app.domain.ids import InvalidIdNumber, parse_id_number
from app.domain.needs import NeedClosedKind, NeedStatus, NeedType

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
MAX_TEXT = 20_000  # characters of one free-text value
MAX_DEPTH = 16  # nesting of a JSON map value (an answer inside a repeat is 3 deep)
MAX_ITEMS = 2_000  # list items or object keys in one map value, all levels together

# Reason codes of ``FieldError`` (and of ``Rejected.reason``).
UNKNOWN_FIELD = "unknown_field"
WRONG_TYPE = "wrong_type"
REQUIRED = "required"
OUT_OF_RANGE = "out_of_range"
NOT_FINITE = "not_finite"
TOO_LONG = "too_long"
TOO_DEEP = "too_deep"
CONTROL_CHARACTER = "control_character"
NOT_IN_ENUM = "not_in_enum"
BAD_DATE = "bad_date"
BAD_DATETIME = "bad_datetime"
BAD_REGION_CODE = "bad_region_code"
BAD_CLOCK = "bad_clock"
BAD_CODE = "bad_code"
BAD_ID_NUMBER = "bad_id_number"
BAD_REFERENCE = "bad_reference"
BAD_ANSWER = "bad_answer"


@dataclass(frozen=True, slots=True)
class FieldError:
    """Why a value is refused: ``reason`` (stable code) and ``message`` (Chinese)."""

    reason: str
    message: str


_CLOCK = re.compile(r"[0-9]{13}-[0-9]{5}-[A-Za-z0-9_]{1,64}")
_REGION = re.compile(r"[0-9]{12}")
_ROW_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_ASCII_CODE = re.compile(r"[\x21-\x7e]*")  # printable ASCII, no spaces


def check_clock(text: object) -> FieldError | None:
    """A clock value must be exactly ``PPPPPPPPPPPPP-CCCCC-DEVICE`` in ASCII (``app.contract.hlc``)."""
    if not isinstance(text, str) or not _CLOCK.fullmatch(text):
        return FieldError(
            BAD_CLOCK, "时钟值格式错误（应为13位毫秒-5位计数-设备编号，仅限半角字符），请升级客户端"
        )
    return None


@lru_cache(maxsize=16_384)  # a push names each row several times, once per field
def check_row_id(text: object) -> FieldError | None:
    """A row id: a UUID or a SHA-256 (attachments), in ASCII."""
    if not isinstance(text, str) or not _ROW_ID.fullmatch(text):
        return FieldError(BAD_CODE, "记录编号格式错误（仅限半角字母、数字和 - _ . :），请升级客户端")
    return None


# --- per-field rules ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rule:
    """Extra checks of one field beyond its JSON type (``app.contract.schema``)."""

    enum: type[StrEnum] | None = None
    blank: bool = True  # "" accepted (unset) for enums, dates and codes
    kind: str = ""  # date, datetime, region, sha256, ascii, id_number, table
    max_len: int = MAX_TEXT
    minimum: float | None = None


_DATETIME_FIELDS = (
    "created_at",
    "started_at",
    "ended_at",
    "completed_at",
    "at",
    "issued_at",
    "reviewed_at",
    "visit_ended_at",
)
_DATE_FIELDS = (
    "birth_date",
    "due_date",
    "accepted_on",
    "rectification_deadline",
    "opened_on",
    "due_on",
    "closed_on",
)

# Rules by field name, for every table that has the field; ``_BY_TABLE`` overrides them.
_BY_FIELD: dict[str, _Rule] = {
    "region_code": _Rule(kind="region", blank=False),
    **{name: _Rule(kind="datetime", max_len=40) for name in _DATETIME_FIELDS},
    **{name: _Rule(kind="date", max_len=10) for name in _DATE_FIELDS},
    "phone": _Rule(max_len=40),
    "name": _Rule(max_len=100),
    "head_name": _Rule(max_len=100),
    "relation": _Rule(max_len=40),
    "worker": _Rule(max_len=100),
    "actor": _Rule(max_len=100),
    "title": _Rule(max_len=200),
    "contractor": _Rule(max_len=200),
    "place": _Rule(max_len=200),
    "unit": _Rule(max_len=20),
    "team": _Rule(max_len=1_000),
    "satisfaction": _Rule(max_len=200),
    "housing_type": _Rule(max_len=100),
    "catalog_code": _Rule(kind="ascii", max_len=64),
    "form_id": _Rule(kind="ascii", max_len=64, blank=False),
    "media_type": _Rule(kind="ascii", max_len=100),
    "role": _Rule(kind="ascii", max_len=64),
    "serial": _Rule(kind="ascii", max_len=64),
    "certificate_serial": _Rule(kind="ascii", max_len=64),
    "verification_code": _Rule(kind="ascii", max_len=64),
    "pdf_sha256": _Rule(kind="sha256"),
    "sha256": _Rule(kind="sha256", blank=False),
    "owner_tbl": _Rule(kind="table", blank=False),
    "id_number": _Rule(kind="id_number"),
    "cert_number": _Rule(kind="ascii", max_len=20),
    "economic_status": _Rule(enum=EconomicStatus, blank=False),
    "house_grade": _Rule(enum=HouseGrade),
    "gender": _Rule(enum=Gender),
    "category": _Rule(enum=DisabilityCategory),
    "level": _Rule(enum=DisabilityLevel),
    "kind": _Rule(enum=ProjectKind, blank=False),
    "from_status": _Rule(enum=ProjectStatus),
    "to_status": _Rule(enum=ProjectStatus, blank=False),
    "conclusion": _Rule(enum=CheckResult),
    "form_version": _Rule(minimum=1),
    "round": _Rule(minimum=1),
    "position": _Rule(minimum=0),
    "size": _Rule(minimum=0),
    "budget": _Rule(minimum=0),
    "unit_price": _Rule(minimum=0),
    "planned_qty": _Rule(minimum=0),
    "actual_qty": _Rule(minimum=0),
    "need_type": _Rule(enum=NeedType, blank=False),
    "detail": _Rule(max_len=500),
    "referral_to": _Rule(max_len=200),
    "closed_kind": _Rule(enum=NeedClosedKind),
    "closed_ref": _Rule(kind="ascii", max_len=100),
    "close_reason": _Rule(max_len=1_000),
}
_BY_TABLE: dict[tuple[str, str], _Rule] = {
    ("person", "status"): _Rule(enum=PersonStatus, blank=False),
    ("visit", "status"): _Rule(enum=VisitStatus, blank=False),
    ("renovationproject", "status"): _Rule(enum=ProjectStatus, blank=False),
    ("formresponse", "status"): _Rule(max_len=40),
    ("acceptance", "status"): _Rule(max_len=40),
    ("needitem", "status"): _Rule(enum=NeedStatus, blank=False),
    ("visitreview", "decision"): _Rule(enum=ReviewDecision, blank=False),
    ("visitreview", "comment"): _Rule(max_len=2000),
    ("visitreview", "reviewer"): _Rule(max_len=100),
}

# Reference fields: (table, field) -> the table the value names (a row id there).
REFERENCES: dict[tuple[str, str], str] = {
    ("person", "household_id"): "household",
    ("visit", "household_id"): "household",
    ("visit", "person_id"): "person",
    ("formresponse", "visit_id"): "visit",
    ("visitreview", "visit_id"): "visit",
    ("renovationproject", "household_id"): "household",
    ("renovationproject", "person_id"): "person",
    ("renovationproject", "source_visit_id"): "visit",
    ("renovationitem", "project_id"): "renovationproject",
    ("projectevent", "project_id"): "renovationproject",
    ("acceptance", "project_id"): "renovationproject",
    ("certificate", "acceptance_id"): "acceptance",
    ("certificate", "project_id"): "renovationproject",
    ("attachmentlink", "sha256"): "attachment",
    ("needitem", "household_id"): "household",
    ("needitem", "person_id"): "person",
    ("needitem", "source_visit_id"): "visit",
}


def rule_for(table: str, field: str) -> _Rule | None:
    return _BY_TABLE.get((table, field)) or _BY_FIELD.get(field)


def _label(table: str, field: str) -> str:
    return f"“{table}.{field}”"


def check_field(table: str, field: str, value: Any) -> FieldError | None:
    """``None`` if ``value`` may be stored in ``table.field``, else why not.

    The laptop calls this when a value is typed (the UI shows ``message`` beside the
    field), the server on every pushed change: the same rule in both places.
    """
    spec = _spec(table, field)
    if isinstance(spec, FieldError):
        return spec
    base, nullable, rule = spec
    if base == "any":
        return check_json(value, f"{table}.{field}")
    if value is None:
        return None if nullable else FieldError(REQUIRED, f"字段{_label(table, field)}不能为空")
    if base == "str" and type(value) is str:
        return _check_text(table, field, value, rule)
    error = _check_type(table, field, base, value)
    if error is not None:
        return error
    if base in ("int", "float") and rule.minimum is not None and value < rule.minimum:
        return FieldError(OUT_OF_RANGE, f"字段{_label(table, field)}不能小于 {rule.minimum:g}")
    return None


_PLAIN = _Rule()


@lru_cache(maxsize=4096)
def _spec(table: str, field: str) -> tuple[str, bool, _Rule] | FieldError:
    """(JSON type, null allowed, rule) of a field, looked up once per field name."""
    from app.contract.schema import SchemaError, field_type

    try:
        kind = field_type(table, field)
    except SchemaError as exc:
        return FieldError(UNKNOWN_FIELD, str(exc))
    return kind.rstrip("?"), kind.endswith("?"), rule_for(table, field) or _PLAIN


_TYPE_NAMES = {"str": "文本", "int": "整数", "float": "数字", "bool": "是/否"}


def _check_type(table: str, field: str, base: str, value: Any) -> FieldError | None:
    if base == "str":
        ok = isinstance(value, str)
    elif base == "bool":
        ok = isinstance(value, bool)
    elif isinstance(value, bool):
        ok = False
    elif base == "int":
        ok = isinstance(value, int)
    else:
        ok = isinstance(value, int | float)
    if not ok:
        return FieldError(
            WRONG_TYPE,
            f"字段{_label(table, field)}应为{_TYPE_NAMES[base]}，收到的是 {type(value).__name__}",
        )
    if isinstance(value, int) and not isinstance(value, bool) and not INT_MIN <= value <= INT_MAX:
        return FieldError(OUT_OF_RANGE, f"字段{_label(table, field)}的数值超出范围（须在 ±9.2×10¹⁸ 以内）")
    if isinstance(value, float) and not math.isfinite(value):
        return FieldError(NOT_FINITE, f"字段{_label(table, field)}不是有效数字（NaN 或无穷大）")
    return None


def _check_text(table: str, field: str, value: str, rule: _Rule) -> FieldError | None:
    where = _label(table, field)
    if "\x00" in value:
        return FieldError(CONTROL_CHARACTER, "内容含有不可见的控制字符（NUL），请删除后重新保存")
    if len(value) > rule.max_len:
        return FieldError(TOO_LONG, f"字段{where}内容过长（{len(value)} 字，最多 {rule.max_len} 字）")
    if value == "":
        if rule.blank:
            return None
        if rule.kind == "region":
            return FieldError(BAD_REGION_CODE, "区划代码不能为空，应为12位村（社区）代码")
        return FieldError(REQUIRED, f"字段{where}不能为空")
    if rule.enum is not None:
        if value not in rule.enum._value2member_map_:
            allowed = "、".join(f"{m.value}（{getattr(m, 'label', m.value)}）" for m in rule.enum)
            return FieldError(NOT_IN_ENUM, f"字段{where}的值“{value[:20]}”不在可选范围内：{allowed}")
        return None
    check = _KINDS.get(rule.kind)
    return check(where, value) if check else None


def _region(where: str, value: str) -> FieldError | None:
    if not _REGION.fullmatch(value):
        return FieldError(BAD_REGION_CODE, f"区划代码“{value[:20]}”应为12位半角数字的村（社区）代码")
    return None


def _date(where: str, value: str) -> FieldError | None:
    try:
        if _DATE.fullmatch(value):
            date.fromisoformat(value)
            return None
    except ValueError:
        pass
    return FieldError(BAD_DATE, f"字段{where}的日期“{value[:20]}”无效（应为真实存在的日期，格式 YYYY-MM-DD）")


def _datetime(where: str, value: str) -> FieldError | None:
    try:
        if _DATETIME.fullmatch(value):
            datetime.fromisoformat(value.replace("Z", "+00:00"))
            return None
    except ValueError:
        pass
    return FieldError(BAD_DATETIME, f"字段{where}的时间“{value[:30]}”无效（应为 ISO 8601 时间）")


def _sha256(where: str, value: str) -> FieldError | None:
    if not _SHA256.fullmatch(value):
        return FieldError(BAD_CODE, f"字段{where}应为64位小写十六进制的文件校验值")
    return None


def _ascii(where: str, value: str) -> FieldError | None:
    if not _ASCII_CODE.fullmatch(value):
        return FieldError(BAD_CODE, f"字段{where}只能包含半角字母、数字和符号（不能有全角字符或空格）")
    return None


def _table(where: str, value: str) -> FieldError | None:
    from app.contract.schema import TABLES

    if value not in TABLES:
        return FieldError(BAD_REFERENCE, f"字段{where}指向未知的数据表“{value[:40]}”")
    return None


def _id_number(where: str, value: str) -> FieldError | None:
    try:
        parse_id_number(value)
    except InvalidIdNumber as exc:
        return FieldError(BAD_ID_NUMBER, str(exc))
    return None


_KINDS = {
    "region": _region,
    "date": _date,
    "datetime": _datetime,
    "sha256": _sha256,
    "ascii": _ascii,
    "table": _table,
    "id_number": _id_number,
}


def check_json(value: Any, where: str = "") -> FieldError | None:
    """A free JSON value (a form answer, a checklist entry): bounded depth, size and numbers.

    Walks with an explicit stack, so no nesting makes it recurse.
    """
    kind = type(value)
    if value is None or kind is bool or (kind is str and len(value) <= MAX_TEXT and "\x00" not in value):
        return None  # the common answer, without the walk
    stack: list[tuple[Any, int]] = [(value, 1)]
    items = 0
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return FieldError(TOO_DEEP, f"字段“{where}”的内容嵌套过深（最多 {MAX_DEPTH} 层）")
        if node is None or isinstance(node, bool):
            continue
        if isinstance(node, str):
            if len(node) > MAX_TEXT:
                return FieldError(TOO_LONG, f"字段“{where}”内容过长（{len(node)} 字）")
            if "\x00" in node:
                return FieldError(CONTROL_CHARACTER, "内容含有不可见的控制字符（NUL），请删除后重新保存")
        elif isinstance(node, int):
            if not INT_MIN <= node <= INT_MAX:
                return FieldError(OUT_OF_RANGE, f"字段“{where}”的数值超出范围（须在 ±9.2×10¹⁸ 以内）")
        elif isinstance(node, float):
            if not math.isfinite(node):
                return FieldError(NOT_FINITE, f"字段“{where}”不是有效数字（NaN 或无穷大）")
        elif isinstance(node, list):
            items += len(node)
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, dict):
            items += len(node)
            for k, v in node.items():
                if not isinstance(k, str) or len(k) > 200 or "\x00" in k:
                    return FieldError(WRONG_TYPE, f"字段“{where}”含有无效的键名")
                stack.append((v, depth + 1))
        else:
            return FieldError(WRONG_TYPE, f"字段“{where}”含有无法保存的值（{type(node).__name__}）")
        if items > MAX_ITEMS:
            return FieldError(TOO_LONG, f"字段“{where}”包含的项目过多（最多 {MAX_ITEMS} 项）")
    return None
