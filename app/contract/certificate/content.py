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

# 2: every printed field (issuer, region, contractor, notes, opinion, satisfaction, team,
# signers with relation, project facts, rectification history). 1 stays for certificates
# issued before it: their stored code was computed over the shorter content.
CONTENT_VERSION = 2
SUPPORTED_VERSIONS = (2, 1)


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


def canonical_content(data: CertificateData, version: int = CONTENT_VERSION) -> dict[str, object]:
    """The fields a verification code covers.

    Version 2: every field printed as text — only the pictures (photos and
    signature images) are left out, and the wording of the template. Version 1
    (serial, household, masked person data, kind, items, check results,
    conclusion, dates) is kept so certificates issued under it still verify.
    """
    content = _content_v1(data)
    if version == 1:
        return content
    if version != 2:
        raise ValueError(f"未知的验收单内容版本 {version}")
    content.update(
        v=2,
        issuer=_text(data.issuer),
        region=_text(data.region_name),
        contractor=_text(data.contractor),
        opinion=_text(data.opinion),
        satisfaction=_text(data.satisfaction),
        team=[_text(t) for t in data.team_members],
        signers=[
            {"role": _text(s.role), "name": _text(s.name), "relation": _text(s.relation)}
            for s in data.signatures
        ],
        facts=[{"key": f.key, "value": _text(f.value)} for f in data.facts],
        rectifications=[
            {
                "round": r.round,
                "date": r.accepted_on.isoformat(),
                "findings": _text(r.findings),
                "deadline": None if r.deadline is None else r.deadline.isoformat(),
            }
            for r in data.rectifications
        ],
        notes=[_text(c.note) for c in [*data.records_checks, *data.onsite_checks, *data.checks]],
    )
    return content


def _content_v1(data: CertificateData) -> dict[str, object]:
    return {
        "v": 1,
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


def canonical_bytes(data: CertificateData, version: int = CONTENT_VERSION) -> bytes:
    """UTF-8 JSON of ``canonical_content`` with sorted keys and no spaces."""
    return json.dumps(
        canonical_content(data, version), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")
