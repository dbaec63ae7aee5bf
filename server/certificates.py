"""Server-side certificate verification: rebuild a certificate's content from the synced records.

A printed 验收单 carries a serial and a verification code, the hash of its
essential content (``app.contract.certificate.content``). The server recomputes that
code from the records it holds — certificate, acceptance, project, items,
household, person — exactly as the laptop's ``CertificateService`` filled them
when it printed (masked numbers, item names and amounts, checklist lines from
the same checklist), so:

* ``unknown``: no certificate with this serial was synced, or the code typed is not
  the one issued (nothing more is said without the right code);
* ``tampered``: the right code, but the stored records changed since issuance (the
  recomputed code differs from the one stored at issuance) or cannot be rebuilt;
* ``genuine``: typed code, recomputed code and issued code all agree.

Only pure modules are imported here (``app.domain``, ``app.contract.certificate.content``
and ``.verification``): the server never imports the store or the PDF renderer.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from sqlmodel import Session, select

from app.contract.certificate.model import CertificateData, CertificateItem, CheckLine
from app.contract.certificate.records import (
    ISSUER_KEY,
    RoundRecord,
    facts_from,
    parties_from,
    rectifications_from,
    split_team,
)
from app.contract.certificate.verification import matching_code, normalize_code
from app.domain.acceptance import Check, checklist_for
from app.domain.enums import CheckResult, ProjectKind
from app.domain.ids import mask_cert_number, mask_id_number
from app.domain.regions import UnknownRegion, default_catalog
from app.domain.renovation import money, to_decimal
from server.fragments import serial_key
from server.models import Record

# As in ``app.services.acceptance``: an item's result is stored under ``checks.item:<item id>.result``.
ITEM_PREFIX = "item:"
ISSUER = "残疾人联合会"

Status = Literal["genuine", "unknown", "tampered"]


class IncompleteCertificate(ValueError):
    """The records a certificate was printed from have not all reached the server."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check, with the records it was made from (for the answer's details)."""

    status: Status
    message: str
    certificate: Record | None = None
    acceptance: Record | None = None


def value(rec: Record | None, name: str, default: Any = "") -> Any:
    """The current value of one field of a record (``default`` when absent or null)."""
    if rec is None:
        return default
    pair = rec.fields.get(name)
    return default if pair is None or pair[0] is None else pair[0]


def _map(rec: Record, column: str) -> dict[str, Any]:
    """A JSON map column (``checks``) from its per-key fields ``checks.<key>``."""
    prefix = f"{column}."
    return {
        name[len(prefix) :]: pair[0]
        for name, pair in rec.fields.items()
        if name.startswith(prefix) and pair[0] is not None
    }


def _record(session: Session, tbl: str, row_id: str) -> Record | None:
    if not row_id:
        return None
    # Deleted rows count too: the laptop printed from whatever its database held.
    return session.exec(select(Record).where(Record.tbl == tbl, Record.row_id == row_id)).first()


def find_certificate(session: Session, serial: str) -> Record | None:
    """The live certificate record with this serial (case and spaces ignored), found by index.

    Rows written before the index existed have no ``lookup``; only those are scanned.
    """
    wanted = serial_key(serial)
    live = (Record.tbl == "certificate", Record.deleted == False)  # noqa: E712
    found = session.exec(select(Record).where(*live, Record.lookup == wanted)).first()
    if found is not None:
        return found
    for rec in session.exec(select(Record).where(*live, Record.lookup.is_(None))):  # type: ignore[union-attr]
        if serial_key(str(value(rec, "serial"))) == wanted:
            return rec
    return None


def _items(session: Session, project: Record) -> list[Record]:
    """The project's live plan lines in plan order (they share the project's region)."""
    rows = session.exec(
        select(Record).where(
            Record.tbl == "renovationitem",
            Record.region_code == project.region_code,
            Record.deleted == False,  # noqa: E712
        )
    )
    mine = [r for r in rows if value(r, "project_id") == project.row_id and not value(r, "deleted", False)]
    return sorted(mine, key=lambda r: (int(value(r, "position", 0) or 0), r.row_id))


def _rounds(session: Session, project: Record) -> list[Record]:
    """The project's live acceptance rounds, first round first."""
    rows = session.exec(
        select(Record).where(
            Record.tbl == "acceptance",
            Record.region_code == project.region_code,
            Record.deleted == False,  # noqa: E712
        )
    )
    mine = [r for r in rows if value(r, "project_id") == project.row_id and not value(r, "deleted", False)]
    return sorted(mine, key=lambda r: int(value(r, "round", 0) or 0))


def _round(rec: Record) -> RoundRecord:
    return RoundRecord(
        int(value(rec, "round", 0) or 0),
        str(value(rec, "accepted_on")),
        str(value(rec, "conclusion")),
        str(value(rec, "opinion")),
        str(value(rec, "rectification_deadline")),
        str(value(rec, "status")),
    )


def _lines(checks: tuple[Check, ...], answers: dict[str, Any]) -> list[CheckLine]:
    out = []
    for check in checks:
        raw = answers.get(f"{check.code}.result")
        out.append(
            CheckLine(
                check.name,
                CheckResult(raw) if raw else CheckResult.FAIL,
                str(answers.get(f"{check.code}.value") or ""),
                str(answers.get(f"{check.code}.note") or ""),
            )
        )
    return out


def _decimal(raw: Any, what: str) -> Decimal:
    return to_decimal(raw if raw is not None else 0, what)


def certificate_data(session: Session, cert: Record) -> CertificateData:
    """The content the certificate was printed with, rebuilt from the synced records.

    Raises ``IncompleteCertificate`` when its acceptance, project or household is missing.
    """
    acceptance = _record(session, "acceptance", str(value(cert, "acceptance_id")))
    if acceptance is None:
        raise IncompleteCertificate("验收记录尚未同步到服务器")
    project = _record(session, "renovationproject", str(value(acceptance, "project_id")))
    if project is None:
        raise IncompleteCertificate("改造项目尚未同步到服务器")
    household = _record(session, "household", str(value(project, "household_id")))
    if household is None:
        raise IncompleteCertificate("家庭户信息尚未同步到服务器")
    person = _record(session, "person", str(value(project, "person_id", "")))
    answers = _map(acceptance, "checks")
    item_rows = _items(session, project)
    kind = ProjectKind(value(project, "kind"))
    checklist = checklist_for(
        kind, [str(value(r, "catalog_code")) for r in item_rows if value(r, "catalog_code")]
    )
    items = []
    for row in item_rows:
        actual_raw = value(row, "actual_qty", None)
        actual = None if actual_raw is None else to_decimal(actual_raw, "实际数量")
        price = money(_decimal(value(row, "unit_price", 0), "单价"))
        raw = answers.get(f"{ITEM_PREFIX}{row.row_id}.result")
        items.append(
            CertificateItem(
                name=str(value(row, "description") or value(row, "catalog_code")),
                unit=str(value(row, "unit")),
                unit_price=price,
                planned_qty=_decimal(value(row, "planned_qty", 0), "计划数量"),
                actual_qty=actual,
                amount=None if actual is None else money(price * actual),
                result=CheckResult(raw) if raw else None,
            )
        )
    region_code = str(value(household, "region_code"))
    try:
        region = default_catalog().full_name(region_code, with_province=False)
    except UnknownRegion:
        region = region_code
    accepted_on = str(value(acceptance, "accepted_on"))
    issued_on = str(value(cert, "issued_at"))[:10]
    deadline = str(value(acceptance, "rectification_deadline"))
    id_number = str(value(person, "id_number")) if person else ""
    cert_number = str(value(person, "cert_number")) if person else ""
    rounds = _rounds(session, project)
    team = str(value(acceptance, "team"))
    return CertificateData(
        issuer=str(answers.get(ISSUER_KEY) or ISSUER),
        serial=str(value(cert, "serial")),
        household_head=str(value(household, "head_name")),
        person_name=str(value(person, "name")) if person else "",
        person_id_masked=mask_id_number(id_number) if person else "",
        disability_cert_masked=mask_cert_number(cert_number) if cert_number else "",
        address=str(value(household, "address")),
        region_name=region,
        project_kind=kind,
        acceptance_date=date.fromisoformat(accepted_on or issued_on),
        conclusion=CheckResult(value(acceptance, "conclusion") or CheckResult.RECTIFY.value),
        items=items,
        checks=_lines(checklist.checks, answers),
        records_checks=_lines(checklist.records_checks, answers),
        onsite_checks=_lines(checklist.onsite_checks, answers),
        opinion=str(value(acceptance, "opinion")),
        rectify_by=date.fromisoformat(deadline) if deadline else None,
        satisfaction=str(value(acceptance, "satisfaction")),
        contractor=str(value(project, "contractor")),
        verification_code=str(value(cert, "verification_code")),
        signatures=parties_from(checklist.signers, answers, team, checklist.team_label),
        team_members=split_team(team),
        facts=facts_from(checklist.facts, [_map(r, "checks") for r in rounds]),
        rectifications=rectifications_from(
            [_round(r) for r in rounds], int(value(acceptance, "round", 0) or 0)
        ),
    )


UNKNOWN_MESSAGE = "查无此验收单，或校验码不符；请核对验收单上的编号和校验码，或联系当地残联"


def verify(session: Session, serial: str, code: str) -> Verdict:
    """``genuine`` / ``unknown`` / ``tampered`` for a serial and the code printed next to it.

    Without the right code the answer is only ``unknown``, with nothing of the certificate:
    a serial alone tells a stranger neither that it exists nor what was concluded.
    """
    cert = find_certificate(session, serial)
    typed = normalize_code(code)
    issued = normalize_code(str(value(cert, "verification_code"))) if cert is not None else ""
    if cert is None or not typed or not issued or not hmac.compare_digest(issued, typed):
        return Verdict("unknown", UNKNOWN_MESSAGE)
    acceptance = _record(session, "acceptance", str(value(cert, "acceptance_id")))
    try:
        # A certificate issued under an older content version verifies against that version.
        recomputed = matching_code(certificate_data(session, cert), str(value(cert, "verification_code")))
    except (IncompleteCertificate, ValueError) as exc:
        return Verdict(
            "tampered",
            f"无法核实此验收单（{exc}），请稍后再试或联系当地残联",
            cert,
            acceptance,
        )
    if not hmac.compare_digest(recomputed, issued):
        return Verdict(
            "tampered",
            "登记的验收内容在出具后被改动过，此验收单无法确认，请联系当地残联核实",
            cert,
            acceptance,
        )
    return Verdict("genuine", "验收单真实有效", cert, acceptance)
