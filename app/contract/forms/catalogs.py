"""Catalogues in resources/catalogs used by forms as choice lists and lookups.

A catalogue file is JSON with at least ``{"id": ..., "items": [{...}, ...]}``;
each item is a flat object. ``devices.json`` also has ``classes`` (ISO 9999
main classes) which forms reach as the catalogue ``devices.classes``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from app.contract.forms.errors import FormDefinitionError
from app.contract.forms.expr import types as T
from app.paths import resources_dir

RESOURCES = resources_dir()
CATALOG_DIR = RESOURCES / "catalogs"


def value_type(value: object) -> str:
    """Static expression type of a JSON value from a catalogue or choice."""
    if isinstance(value, bool):
        return T.BOOL
    if isinstance(value, (int, float)):
        return T.NUMBER
    if isinstance(value, list):
        return T.LIST
    return T.STRING


@dataclass(frozen=True)
class Catalog:
    """Rows of one catalogue, indexed by their key field (``code`` by default)."""

    id: str
    items: tuple[dict[str, object], ...]
    key: str = "code"
    by_key: dict[str, dict[str, object]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.by_key.update({str(item.get(self.key)): item for item in self.items})

    def field_type(self, name: str) -> str | None:
        """Type of a field, or None when no item has it."""
        for item in self.items:
            if name in item and item[name] is not None:
                return value_type(item[name])
        return None

    def lookup(self, key: object, name: str) -> object:
        """One field of the item with this key; None if there is no such item."""
        item = self.by_key.get(str(key))
        return None if item is None else item.get(name)


def _load_file(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FormDefinitionError(f"目录文件无法读取：{path.name}（{exc}）") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FormDefinitionError(f"目录文件格式不对：{path.name} 缺少 items 列表")
    return data


@cache
def load_catalog(name: str, directory: Path = CATALOG_DIR) -> Catalog:
    """Catalogue ``name``; ``devices.classes`` is the ``classes`` list of devices.json."""
    base, _, part = name.partition(".")
    path = directory / f"{base}.json"
    if not path.is_file():
        raise FormDefinitionError(f"找不到目录 {name}（{path}）")
    data = _load_file(path)
    rows = data.get(part or "items")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise FormDefinitionError(f"目录 {name} 中没有列表 {part or 'items'}")
    key = str(data.get("key", "code"))
    return Catalog(name, tuple(rows), key)
