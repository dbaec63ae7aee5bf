"""Static value types of the expression language and the scope interfaces.

Dates travel as ISO strings (``YYYY-MM-DD``), so ``date`` and ``string`` compare
with each other; ``any`` is compatible with everything (unknown context values).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

NUMBER = "number"
STRING = "string"
BOOL = "bool"
DATE = "date"
LIST = "list"
REPEAT = "repeat"
ANY = "any"

TYPE_LABELS = {
    NUMBER: "数字",
    STRING: "文字",
    BOOL: "是/否",
    DATE: "日期",
    LIST: "多选列表",
    REPEAT: "重复组",
    ANY: "任意值",
}


def label(type_: str) -> str:
    """Chinese name of a type for error messages."""
    return TYPE_LABELS.get(type_, type_)


def fits(actual: str, *expected: str) -> bool:
    """Whether a value of ``actual`` type may stand where one of ``expected`` is wanted."""
    if actual == ANY or ANY in expected:
        return True
    if actual in expected:
        return True
    # Dates are ISO strings: a string literal may be compared with or passed as a date.
    return (actual == STRING and DATE in expected) or (actual == DATE and STRING in expected)


def comparable(a: str, b: str) -> bool:
    """Whether ``=``/``<`` between the two types makes sense."""
    if ANY in (a, b) or a == b:
        return True
    return {a, b} == {STRING, DATE} or (LIST in (a, b) and STRING in (a, b))


class TypeScope(Protocol):
    """What the checker needs to know about the names an expression uses."""

    def ref_type(self, name: str) -> str | None:
        """Type of ``${name}``, or None when the name is unknown."""

    def current_type(self) -> str | None:
        """Type of ``.``, or None when ``.`` is not allowed here."""

    def attr_type(self, name: str) -> str | None:
        """Type of a bare choice attribute, or None when unknown or not allowed."""

    def catalog_field_type(self, catalog: str, field: str) -> str | None:
        """Type of a catalogue field for ``catalog()``, or None when unknown."""


class Environment(Protocol):
    """What the evaluator needs at run time."""

    def ref(self, name: str) -> object:
        """Value of ``${name}``."""

    def current(self) -> object:
        """Value of ``.``."""

    def attr(self, name: str) -> object:
        """Value of a choice attribute."""

    def today(self) -> dt.date:
        """Today's date (context may fix it for tests and back-dated visits)."""

    def catalog(self, catalog: str, key: object, field: str) -> object:
        """A field of one catalogue entry."""
