"""Each record's row in the columnar pull layout, made when the record is written (``app.contract.page``)."""

from __future__ import annotations

from typing import Any

from app.contract.page import stored_fragment


def fragment_columns(tbl: str, fields: dict[str, Any], seq: int) -> dict[str, str | None]:
    """``wire_key`` and ``wire`` for a record about to be written with ``fields`` and ``seq``.

    Every writer of ``records.fields`` goes through here or clears ``wire``; one that
    changed ``fields`` without a new ``seq`` would be invisible to laptops anyway.
    """
    key, wire = stored_fragment(tbl, fields, seq)
    return {"wire_key": key, "wire": wire, "lookup": lookup_key(tbl, fields)}


def lookup_key(tbl: str, fields: dict[str, Any]) -> str | None:
    """The indexed lookup value of a record: a certificate's serial, upper-cased, spaces removed."""
    if tbl != "certificate":
        return None
    serial = (fields.get("serial") or [None])[0]
    return serial_key(serial) if isinstance(serial, str) and serial else None


def serial_key(serial: str) -> str:
    return "".join(serial.split()).upper()[:100]
