"""Shared helpers: fresh profiles and a valid household/person to edit."""

from __future__ import annotations

from app.domain.regions import default_catalog

VALID_ID = "11010519491231002X"
VALID_ID_2 = "440524188001010014"


def a_village() -> str:
    return default_catalog().villages_under("330802")[0].code


def household_data(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "address": "信安街道 12幢3单元501",
        "region_code": a_village(),
        "phone": "13905701234",
        "economic_status": "dibao",
        "head_name": "王建国",
    }
    data.update(kw)
    return data


def person_data(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "王芳",
        "id_number": VALID_ID,
        "cert_number": VALID_ID + "42",
        "category": "4",
        "level": "2",
        "relation": "户主",
    }
    data.update(kw)
    return data
