"""The public certificate check: what a phone opens from the QR code on a printed 验收单.

No sign-in. The verdict is ``server.certificates.verify`` (the API's own check);
for a genuine paper the page repeats what the paper prints, less every personal
detail (names, identity and certificate numbers, address, signatures, photos).
Checks are limited per address so the page cannot be used to guess serials.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.contract.certificate.verification import CHECK_PATH, InvalidQrPayload, parse_qr_payload
from server.api.deps import SessionDep
from server.certificates import IncompleteCertificate, certificate_data, verify
from server.console.throttle import Throttle
from server.console.web import client_ip, render, tr

router = APIRouter()
PATH = CHECK_PATH
CHECKS = Throttle(limit=30, window_s=60)  # a person scans a handful; a guesser needs thousands

_STATUS = {"genuine": "真实有效", "unknown": "查无此证", "tampered": "内容已被改动"}


def _public(data: Any) -> dict[str, Any]:
    """What the certificate prints, without personal data."""
    return {
        "issuer": data.issuer,
        "region": data.region_name,
        "kind": data.project_kind.label,
        "accepted_on": data.acceptance_date.isoformat(),
        "conclusion": data.conclusion.value,
        "contractor": data.contractor,
        "lines": [
            {
                "name": i.name,
                "qty": i.actual_qty if i.actual_qty is not None else i.planned_qty,
                "unit": i.unit,
                "amount": i.amount if i.amount is not None else i.planned_amount,
            }
            for i in data.items
        ],
    }


def _page(request: Request, db: Any, serial: str, code: str) -> Response:
    if not CHECKS.hit(client_ip(request)):
        context = {
            "result": None,
            "serial": serial,
            "code": code,
            "error": tr(request, "查询过于频繁，请稍后再试"),
        }
        return render(request, "check.html", context, status=429)
    verdict = verify(db, serial, code)
    shown = None
    if verdict.status == "genuine" and verdict.certificate is not None:
        try:
            shown = _public(certificate_data(db, verdict.certificate))
        except (IncompleteCertificate, ValueError):
            shown = None
    result = {
        "status": verdict.status,
        "title": tr(request, _STATUS[verdict.status]),
        "message": verdict.message,
        "shown": shown,
    }
    return render(request, "check.html", {"result": result, "serial": serial, "code": code, "error": ""})


@router.get(PATH, include_in_schema=False)
def check_form(request: Request, db: SessionDep, serial: str = "", code: str = "", qr: str = "") -> Response:
    """The form, or a check of what was typed (``serial`` and ``code``) or scanned (``qr``)."""
    if qr:
        try:
            serial, code = parse_qr_payload(qr)
        except InvalidQrPayload as exc:
            return render(
                request,
                "check.html",
                {"result": None, "serial": "", "code": "", "error": str(exc)},
                status=422,
            )
    if serial.strip():
        return _page(request, db, serial.strip()[:64], code.strip()[:64])
    return render(request, "check.html", {"result": None, "serial": "", "code": "", "error": ""})


@router.get(PATH + "/{serial}", include_in_schema=False)
def check(request: Request, db: SessionDep, serial: str, code: str = "") -> Response:
    return _page(request, db, serial[:64], code[:64])
