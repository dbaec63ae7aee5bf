"""``GET /certificates/{serial}?code=…``: is a printed acceptance certificate genuine?

Opened from the QR code on paper, so it needs neither login nor the protocol
header, and answers with no personal data. The code is checked against one the
server recomputes from the synced records (``server.certificates``): a paper
whose records were changed after printing is reported as tampered.
"""

from __future__ import annotations

from fastapi import APIRouter, Query

from app.contract import protocol as p
from server.api.deps import SessionDep
from server.certificates import value, verify

router = APIRouter(tags=["certificates"])


@router.get("/certificates/{serial}", response_model=p.CertificateCheck)
def check_certificate(
    serial: str, session: SessionDep, code: str = Query(default="", max_length=64)
) -> p.CertificateCheck:
    verdict = verify(session, serial, code)
    extra = {}
    if verdict.certificate is not None:
        extra = {
            "issued_at": str(value(verdict.certificate, "issued_at")),
            "conclusion": str(value(verdict.acceptance, "conclusion")),
            "accepted_on": str(value(verdict.acceptance, "accepted_on")),
        }
    return p.CertificateCheck(serial=serial, status=verdict.status, message=verdict.message, **extra)
