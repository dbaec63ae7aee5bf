"""Shared fixtures for the form tests: a scope and environment with a few fixed names."""

from __future__ import annotations

import datetime as dt

from app.forms.expr import types as T

TYPES = {
    "age": T.NUMBER,
    "needs": T.LIST,
    "category": T.STRING,
    "level": T.STRING,
    "since": T.DATE,
    "life": T.NUMBER,
    "ok": T.BOOL,
    "name": T.STRING,
    "entries": T.REPEAT,
    "amounts": T.LIST,
}


class Scope:
    """A checker scope over TYPES; ``.`` is a number."""

    def ref_type(self, name: str) -> str | None:
        return TYPES.get(name)

    def current_type(self) -> str | None:
        return T.NUMBER

    def attr_type(self, name: str) -> str | None:
        return T.STRING if name == "kind" else None

    def catalog_field_type(self, catalog: str, field: str) -> str | None:
        return T.NUMBER if (catalog, field) == ("devices", "service_life_years") else None


class Env:
    """Run-time values for the same names."""

    def __init__(self, values: dict[str, object] | None = None, current: object = None) -> None:
        self.values = values or {}
        self.value = current

    def ref(self, name: str) -> object:
        return self.values.get(name)

    def current(self) -> object:
        return self.value

    def attr(self, name: str) -> object:
        return self.values.get(f"attr:{name}")

    def today(self) -> dt.date:
        return dt.date(2026, 11, 1)

    def catalog(self, catalog: str, key: object, field: str) -> object:
        return {"D01": 3}.get(str(key))
