"""Run-time value helpers: truthiness, coercion and comparison with empty values.

An unanswered question is ``None``. Arithmetic on ``None`` gives ``None``;
ordering comparisons with ``None`` are false; ``None`` equals ``''``. Nothing
here raises: bad data gives ``None`` so a half-filled form never crashes.
"""

from __future__ import annotations

import datetime as dt
import math


def truthy(value: object) -> bool:
    """XPath-like truth: empty, zero, false and None are false."""
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


def to_number(value: object) -> int | float | None:
    """A number from a number, bool or numeric string; None otherwise."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 40:
            return None
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
            return None if math.isnan(number) else number
    return None


def to_string(value: object) -> str:
    """Display string of a value; lists are space-separated like XLSForm."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return " ".join(to_string(v) for v in value)
    return str(value)


def to_date(value: object) -> dt.date | None:
    """A date from an ISO string or date; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def as_list(value: object) -> list[object]:
    """A list from a list, a space-separated string or a single value."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        return value.split()
    return [value]


def _normalise(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return value


def equal(a: object, b: object) -> bool:
    """``=`` with None treated as '' and numbers compared by value."""
    a, b = _normalise(a), _normalise(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return truthy(a) == truthy(b) if isinstance(a, bool) and isinstance(b, bool) else a == b
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        x, y = to_number(a), to_number(b)
        return x is not None and y is not None and x == y
    return a == b


def order(op: str, a: object, b: object) -> bool:
    """``< <= > >=``; false when either side is empty or they do not compare."""
    if a is None or b is None or a == "" or b == "":
        return False
    x: object
    y: object
    if isinstance(a, str) and isinstance(b, str):
        x, y = a, b
    else:
        x, y = to_number(a), to_number(b)
        if x is None or y is None:
            return False
    try:
        if op == "<":
            return x < y  # type: ignore[operator]
        if op == "<=":
            return x <= y  # type: ignore[operator]
        if op == ">":
            return x > y  # type: ignore[operator]
        return x >= y  # type: ignore[operator]
    except TypeError:
        return False


def arithmetic(op: str, a: object, b: object) -> int | float | None:
    """``+ - * div mod``; None on empty input, division by zero or overflow."""
    x, y = to_number(a), to_number(b)
    if x is None or y is None:
        return None
    try:
        if op == "+":
            result: float = x + y
        elif op == "-":
            result = x - y
        elif op == "*":
            result = x * y
        elif op == "div":
            if y == 0:
                return None
            result = x / y
            if isinstance(result, float) and result.is_integer() and abs(result) < 1e15:
                result = int(result)
        else:
            if y == 0:
                return None
            result = x % y
    except OverflowError:
        return None
    if isinstance(result, float) and (math.isinf(result) or math.isnan(result)):
        return None
    if isinstance(result, int) and abs(result) > 10**18:
        return None
    return result
