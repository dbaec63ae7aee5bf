"""``GET /certificates/{serial}?code=…``: is a printed acceptance certificate genuine?

Opened from the QR code on paper, so it needs neither login nor the protocol
header, and answers with no personal data. The code is checked against one the
server recomputes from the synced records (``server.certificates``): a paper
whose records were changed after printing is reported as tampered.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from app.contract import protocol as p
from server.api.deps import SessionDep
from server.certificates import value, verify
from server.errors import ApiError
from server.throttle import RateLimit

router = APIRouter(tags=["certificates"])


@router.get(
    "/certificates/{serial}", response_model=p.CertificateCheck, responses={429: {"model": p.ErrorBody}}
)
def check_certificate(
    serial: Annotated[str, Path(max_length=64)],
    request: Request,
    session: SessionDep,
    code: str = Query(default="", max_length=64),
) -> p.CertificateCheck:
    """Anonymous, so rate-limited per address (``server.throttle.RateLimit``)."""
    limiter: RateLimit = request.app.state.certificate_limiter
    wait = limiter.wait_s(request.client.host if request.client else "")
    if wait:
        raise ApiError(
            429, p.TOO_MANY_ATTEMPTS, f"查询过于频繁，请 {wait} 秒后再试", headers={"Retry-After": str(wait)}
        )
    verdict = verify(session, serial, code)
    extra = {}
    if verdict.certificate is not None:
        extra = {
            "issued_at": str(value(verdict.certificate, "issued_at")),
            "conclusion": str(value(verdict.acceptance, "conclusion")),
            "accepted_on": str(value(verdict.acceptance, "accepted_on")),
        }
    return p.CertificateCheck(serial=serial, status=verdict.status, message=verdict.message, **extra)
