"""The canonical essential content of a certificate, as bytes to hash.

Both the desktop app (when it prints) and the server (when it checks a code a
citizen typed in) build this from the same acceptance record, so the rules
here are the contract: keep them stable and bump ``CONTENT_VERSION`` if they
must change. Only light imports: the server imports this module.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal

from app.contract.certificate.model import CertificateData, CheckLine
from app.domain.enums import CheckResult, ProjectKind

CONTENT_VERSION = 1


def _text(value: str) -> str:
    # NFC and trimmed, so a re-typed name with the same characters hashes the same.
    return unicodedata.normalize("NFC", value or "").strip()


def _dec(value: Decimal | None, places: bool = False) -> str | None:
    if value is None:
        return None
    if places:
        return format(value.quantize(Decimal("0.01")), "f")
    return format(value.normalize(), "f")


def _checks(lines: list[CheckLine]) -> list[dict[str, str]]:
    return [
        {"name": _text(c.name), "result": CheckResult(c.result).value, "measured": _text(c.measured)}
        for c in lines
    ]


def canonical_content(data: CertificateData) -> dict[str, object]:
    """The fields a verification code covers.

    Serial, household, masked person data, project kind, items, every check
    result, conclusion and date. Photos, signatures and free-text opinion are
    left out: they are not synced as text and the conclusion already covers
    the verdict.
    """
    return {
        "v": CONTENT_VERSION,
        "serial": _text(data.serial).upper(),
        "household_head": _text(data.household_head),
        "person_name": _text(data.person_name),
        "person_id": _text(data.person_id_masked).upper(),
        "cert_no": _text(data.disability_cert_masked).upper(),
        "address": _text(data.address),
        "kind": ProjectKind(data.project_kind).value,
        "items": [
            {
                "name": _text(i.name),
                "unit": _text(i.unit),
                "price": _dec(i.unit_price, places=True),
                "planned": _dec(i.planned_qty),
                "actual": _dec(i.actual_qty),
                "amount": _dec(i.amount, places=True),
                "result": None if i.result is None else CheckResult(i.result).value,
            }
            for i in data.items
        ],
        "records": _checks(data.records_checks),
        "onsite": _checks(data.onsite_checks),
        "checks": _checks(data.checks),
        "conclusion": CheckResult(data.conclusion).value,
        "rectify_by": None if data.rectify_by is None else data.rectify_by.isoformat(),
        "date": data.acceptance_date.isoformat(),
    }


def canonical_bytes(data: CertificateData) -> bytes:
    """UTF-8 JSON of ``canonical_content`` with sorted keys and no spaces."""
    return json.dumps(
        canonical_content(data), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")
