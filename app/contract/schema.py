"""The tables and fields that travel in sync, with their JSON types.

Both sides read this: the server validates pushed values against it without
knowing anything of the local store, and a test checks that it agrees with
``app.store.table_registry`` so the two cannot drift. Type codes: ``str``, ``int``,
``float``, ``bool``; a trailing ``?`` allows ``null``. Map columns (a form's
``answers``, an acceptance's ``checks``) travel one key per field,
``answers.<question>``, and their values may be any JSON within ``app.contract.values``'s
bounds.

The value rules beyond the JSON type (ranges, enums, dates, ASCII codes, lengths) live
in ``app.contract.values``, keyed by table and field, so entries added here keep their
shape: one type code per field.
"""

from __future__ import annotations

from typing import Any

_COMMON: dict[str, str] = {"region_code": "str", "created_at": "str", "deleted": "bool"}


def _table(**fields: str) -> dict[str, str]:
    return {**_COMMON, **fields}


TABLES: dict[str, dict[str, str]] = {
    "household": _table(
        address="str",
        phone="str",
        economic_status="str",
        head_name="str",
        house_grade="str?",
        housing_type="str",
        note="str",
    ),
    "person": _table(
        household_id="str",
        name="str",
        id_number="str",
        gender="str",
        birth_date="str",
        cert_number="str",
        category="str",
        level="str",
        status="str",
        phone="str",
        relation="str",
        has_living_subsidy="bool",
        has_care_subsidy="bool",
    ),
    "visit": _table(
        household_id="str",
        person_id="str?",
        worker="str",
        started_at="str",
        ended_at="str",
        status="str",
        place="str",
        summary="str",
        reopen_reason="str",
    ),
    "formresponse": _table(
        visit_id="str", form_id="str", form_version="int", status="str", completed_at="str"
    ),
    "attachment": _table(media_type="str", size="int"),
    "attachmentlink": _table(owner_tbl="str", owner_id="str", role="str", sha256="str", position="int"),
    "renovationproject": _table(
        household_id="str",
        person_id="str?",
        kind="str",
        status="str",
        title="str",
        contractor="str",
        budget="float",
        source_visit_id="str?",
        due_date="str",
        note="str",
    ),
    "renovationitem": _table(
        project_id="str",
        catalog_code="str",
        description="str",
        unit="str",
        unit_price="float",
        planned_qty="float",
        actual_qty="float?",
        position="int",
    ),
    "projectevent": _table(
        project_id="str", from_status="str", to_status="str", actor="str", at="str", note="str"
    ),
    "acceptance": _table(
        project_id="str",
        round="int",
        accepted_on="str",
        team="str",
        conclusion="str",
        opinion="str",
        satisfaction="str",
        rectification_deadline="str",
        status="str",
        certificate_serial="str",
    ),
    # A supervisor's review of a completed visit: written on the server only (the console),
    # by the federation's roles; ``visit_ended_at`` is the visit's ``ended_at`` the reviewer
    # judged, so a visit completed again after a return shows as resubmitted (no clock compared).
    "visitreview": _table(
        visit_id="str",
        decision="str",
        comment="str",
        reviewer="str",
        reviewed_at="str",
        visit_ended_at="str",
    ),
    "certificate": _table(
        serial="str",
        acceptance_id="str",
        project_id="str",
        verification_code="str",
        pdf_sha256="str",
        issued_at="str",
    ),
    "needitem": _table(
        household_id="str",
        person_id="str?",
        source_visit_id="str?",
        need_type="str",
        detail="str",
        referral_to="str",
        status="str",
        opened_on="str",
        due_on="str",
        closed_on="str",
        closed_kind="str",
        closed_ref="str",
        close_reason="str",
    ),
}

MAP_COLUMNS: dict[str, tuple[str, ...]] = {"formresponse": ("answers",), "acceptance": ("checks",)}

MAX_TEXT = 20_000  # characters of one text value; a long visit summary fits many times over (values.MAX_TEXT)
MAX_KEY = 200  # characters of one map key (``devices[e1].device``)


class SchemaError(ValueError):
    """A pushed table, field or value that the protocol does not allow."""


def field_type(tbl: str, field: str) -> str:
    """The type code of ``tbl.field`` (``any`` for a map key); raises ``SchemaError`` if unknown."""
    fields = TABLES.get(tbl)
    if fields is None:
        raise SchemaError(f"未知的数据表“{tbl}”，请升级客户端或联系管理员")
    if field in fields:
        return fields[field]
    head, _, key = field.partition(".")
    if key and head in MAP_COLUMNS.get(tbl, ()):
        if len(key) > MAX_KEY:
            raise SchemaError(f"字段名“{field[:40]}…”过长")
        return "any"
    raise SchemaError(f"数据表“{tbl}”没有字段“{field}”")


def check_value(tbl: str, field: str, value: Any) -> None:
    """Raise ``SchemaError`` unless ``value`` may be stored in the field (``app.contract.values``)."""
    from app.contract.values import check_field

    error = check_field(tbl, field, value)
    if error is not None:
        raise SchemaError(error.message)
