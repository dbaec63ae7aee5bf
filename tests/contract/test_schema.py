"""The wire schema (app.contract.schema) agrees with the local models (app.store.table_registry)."""

import types
import typing

import pytest

from app.contract import schema
from app.store import table_registry

_PY = {str: "str", int: "int", float: "float", bool: "bool"}


def _type_code(annotation) -> str:
    args = typing.get_args(annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        inner = [a for a in args if a is not type(None)]
        return _PY[inner[0]] + "?"
    return _PY[annotation]


def test_same_tables():
    assert set(schema.TABLES) == set(table_registry.SYNCED_MODELS)
    assert schema.MAP_COLUMNS == table_registry.MAP_COLUMNS


@pytest.mark.parametrize("tbl", sorted(table_registry.SYNCED_MODELS))
def test_same_fields_and_types(tbl):
    model = table_registry.SYNCED_MODELS[tbl]
    expected = {c: _type_code(model.model_fields[c].annotation) for c in table_registry.column_names(tbl)}
    assert schema.TABLES[tbl] == expected


@pytest.mark.parametrize(
    "tbl,field,value",
    [
        ("household", "phone", "13905701234"),
        ("household", "house_grade", None),
        ("person", "has_care_subsidy", True),
        ("renovationitem", "planned_qty", 2),
        ("formresponse", "answers.devices[e1].device", {"any": ["json"]}),
        ("formresponse", "form_version", 3),
    ],
)
def test_accepted_values(tbl, field, value):
    schema.check_value(tbl, field, value)


@pytest.mark.parametrize(
    "tbl,field,value",
    [
        ("nosuch", "x", 1),
        ("household", "colour", "blue"),
        ("household", "id", "x"),
        ("household", "phone", None),
        ("household", "phone", 139),
        ("formresponse", "form_version", True),
        ("formresponse", "form_version", 1.5),
        ("person", "has_care_subsidy", "yes"),
        ("household", "note", "长" * (schema.MAX_TEXT + 1)),
        ("household", "answers.q1", "x"),
    ],
)
def test_refused_values(tbl, field, value):
    with pytest.raises(schema.SchemaError):
        schema.check_value(tbl, field, value)
