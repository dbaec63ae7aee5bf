"""``GET /certificates/{serial}?code=…``: is a printed acceptance certificate genuine?

Opened from the QR code on paper, so it needs neither login nor the protocol
header, and answers with no personal data. The check compares the typed code
with the verification code the certificate record carried when it was synced
(computed on the laptop by ``app.certificates.verification``); recomputing it
here from the synced acceptance is left for later.
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from sqlmodel import select

from app.sync import protocol as p
from server.api.deps import SessionDep
from server.models import Record

router = APIRouter(tags=["certificates"])

_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def normalise_code(text: str) -> str:
    """Upper-case, drop spaces and dashes, and read look-alike letters as digits."""
    return "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)


def _value(rec: Record, field: str) -> str:
    value = rec.fields.get(field, [""])[0]
    return "" if value is None else str(value)


@router.get("/certificates/{serial}", response_model=p.CertificateCheck)
def check_certificate(
    serial: str, session: SessionDep, code: str = Query(default="", max_length=64)
) -> p.CertificateCheck:
    found = None
    # Certificates are few (one per accepted project); a scan keeps the record store schema-agnostic.
    for rec in session.exec(select(Record).where(Record.tbl == "certificate", Record.deleted == False)):  # noqa: E712
        if _value(rec, "serial") == serial:
            found = rec
            break
    if found is None:
        return p.CertificateCheck(
            serial=serial, status="unknown", message="查无此验收单编号，请核对编号或联系当地残联"
        )
    acceptance = session.exec(
        select(Record).where(Record.tbl == "acceptance", Record.row_id == _value(found, "acceptance_id"))
    ).first()
    extra = {
        "issued_at": _value(found, "issued_at"),
        "conclusion": _value(acceptance, "conclusion") if acceptance else "",
        "accepted_on": _value(acceptance, "accepted_on") if acceptance else "",
    }
    stored = normalise_code(_value(found, "verification_code"))
    if not stored or normalise_code(code) != stored:
        return p.CertificateCheck(
            serial=serial,
            status="tampered",
            message="校验码与登记的不一致，此验收单可能被改动，请联系当地残联核实",
            **extra,
        )
    return p.CertificateCheck(serial=serial, status="genuine", message="验收单真实有效", **extra)
