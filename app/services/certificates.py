"""Acceptance certificates (验收单) from the database: issue, render, export in batches, verify.

A serial is ``<device prefix>-<year>-<sequence>``: the prefix is the profile's
configured ``device_prefix`` or, when none is set, ``D`` plus the first five
hex digits of the device id; the per-year sequence lives in ``sync_state``
(``cert_seq_<year>``, never synced) and moves in the same transaction that
inserts the ``Certificate`` row, so two offline laptops never issue the same
serial and one laptop never issues one twice. The issued PDF is kept in the
file store (and linked, so it syncs); its SHA-256 and the verification code go
on the certificate row.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from sqlalchemy import text
from sqlmodel import select

from app.certificates.errors import ExportCancelled
from app.certificates.serial import InvalidSerial, make_serial, parse_serial, random_tag
from app.contract.certificate.model import CertificateData, CertificateItem, CheckLine
from app.contract.certificate.records import (
    ISSUER_KEY,
    RoundRecord,
    facts_from,
    parties_from,
    rectifications_from,
    split_team,
)
from app.contract.certificate.verification import matching_code, normalize_code, verification_code
from app.domain.enums import CheckResult, ProjectKind
from app.domain.ids import mask_cert_number, mask_id_number
from app.domain.regions import UnknownRegion, default_catalog
from app.services.acceptance import ACCEPTANCE_TBL, AcceptanceService
from app.services.projects import PROJECT_TBL, ProjectError, item_from_row
from app.services.settings import Settings
from app.store import audit, sync_state
from app.store.models import (
    Acceptance,
    Attachment,
    AttachmentLink,
    Certificate,
    Household,
    Person,
    RenovationProject,
)
from app.store.read import attachments, projects
from app.store.read.live import live_sql
from app.store.row_ids import utc_now
from app.store.store import Store
from app.store.sync_state import StateKey, certificate_seq_key

CERT_TBL = "certificate"
Status = Literal["genuine", "unknown", "tampered", "error"]

if TYPE_CHECKING:  # reportlab and the layout code load when the first certificate is rendered
    from app.certificates.notice import RectificationNotice

__all__ = ["CertificateService", "ExportCancelled", "IssuedCertificate", "Verification", "device_prefix"]


def _render_certificate(data: CertificateData, out: BinaryIO) -> None:
    """Lay out one certificate PDF (the renderer and reportlab are imported on the first call)."""
    from app.certificates.render import render_certificate

    render_certificate(data, out)


class CertificateError(ProjectError):
    """A certificate request a caseworker must correct."""


class UnknownCertificate(CertificateError):
    """No certificate with this serial on this device."""


@dataclass(frozen=True, slots=True)
class IssuedCertificate:
    """A certificate row and where its PDF is."""

    serial: str
    verification_code: str
    pdf_sha256: str
    pdf_path: Path
    acceptance_id: str
    project_id: str


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """One line of the certificate list (batch export)."""

    serial: str
    project_id: str
    acceptance_id: str
    kind: str
    head_name: str
    person_name: str
    region_code: str
    accepted_on: str
    issued_at: str


@dataclass(frozen=True, slots=True)
class Verification:
    """The answer to "is this paper genuine?": status, message and where it was checked."""

    status: Status
    message: str
    source: str = "local"


def device_prefix(store: Store, settings: Settings | None = None) -> str:
    """The serial prefix of this device: configured, or ``D`` + five hex digits of the device id."""
    configured = (settings.device_prefix if settings else "").strip().upper()
    return configured or ("D" + store.device_id[:5].upper())


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class CertificateService:
    """Issues and prints the certificates of one profile."""

    def __init__(self, store: Store, settings: Settings | None = None, today: date | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self._today = today

    @property
    def today(self) -> date:
        return self._today or date.today()

    # --- issuing ------------------------------------------------------------------------

    def issue(self, actor: str, acceptance_id: str) -> IssuedCertificate:
        """Give a passed acceptance its serial, code and PDF (once; later calls return the same)."""
        existing = self._by_acceptance(acceptance_id)
        if existing is not None:
            return self._issued(existing)
        acceptance = AcceptanceService(self.store).get(acceptance_id)
        if acceptance.status != "completed" or acceptance.conclusion != CheckResult.PASS.value:
            raise CertificateError("只有验收合格的项目才能出具验收单")
        prefix = device_prefix(self.store, self.settings)
        year = self.today.year
        key = certificate_seq_key(year)
        with self.store.unit_of_work(actor) as uow:
            s = uow.session
            seq = int(sync_state.read(s, key) or 0)
            while True:  # skip sequence numbers already used (a restored backup), never reuse one
                seq += 1
                serial = make_serial(prefix, year, seq, random_tag())
                stem = make_serial(prefix, year, seq)
                taken = select(Certificate.id).where(
                    (Certificate.serial == stem) | Certificate.serial.startswith(stem + "-")  # type: ignore[attr-defined]
                )
                if s.exec(taken).first() is None:
                    break
            sync_state.write(s, {key: seq})
            acc = uow.get(Acceptance, acceptance_id)
            uow.update(acc, certificate_serial=serial)
            # The issuer printed is part of the record (and of the code), not this laptop's setting.
            uow.set_map_value(acc, "checks", ISSUER_KEY, self.settings.federation_name)
            data = self._data(s, acc, serial)
            code = verification_code(data)
            data.verification_code = code
            buffer = io.BytesIO()
            _render_certificate(data, buffer)
            pdf = buffer.getvalue()
            sha = self.store.files.put_bytes(pdf)
            cert = uow.add(
                Certificate(
                    serial=serial,
                    acceptance_id=acceptance_id,
                    project_id=acc.project_id,
                    verification_code=code,
                    pdf_sha256=sha,
                    issued_at=utc_now(),
                    region_code=acc.region_code,
                )
            )
            if s.get(Attachment, sha) is None:
                uow.add(
                    Attachment(
                        id=sha, media_type="application/pdf", size=len(pdf), region_code=acc.region_code
                    )
                )
            uow.add(
                AttachmentLink(
                    owner_tbl=CERT_TBL,
                    owner_id=cert.id,
                    role="certificate_pdf",
                    sha256=sha,
                    region_code=acc.region_code,
                )  # fmt: skip
            )
        return self._issued(cert)

    def _issued(self, cert: Certificate) -> IssuedCertificate:
        return IssuedCertificate(
            cert.serial,
            cert.verification_code,
            cert.pdf_sha256,
            self.store.files.path(cert.pdf_sha256),
            cert.acceptance_id,
            cert.project_id,
        )

    def _by_acceptance(self, acceptance_id: str) -> Certificate | None:
        with self.store.session() as s:
            return projects.certificate_of_acceptance(s, acceptance_id)

    def get(self, serial: str) -> Certificate:
        """The certificate with ``serial``; raises ``UnknownCertificate``."""
        try:
            serial = str(parse_serial(serial))
        except InvalidSerial as exc:
            raise UnknownCertificate(str(exc)) from None
        with self.store.session() as s:
            cert = projects.certificate_by_serial(s, serial)
        if cert is None:
            raise UnknownCertificate(f"本机没有编号为“{serial}”的验收单")
        return cert

    def for_project(self, project_id: str) -> list[Certificate]:
        with self.store.session() as s:
            return projects.certificates_of_project(s, project_id)

    # --- content ------------------------------------------------------------------------

    def data(self, serial: str) -> CertificateData:
        """The certificate's content rebuilt from the database (with its stored code)."""
        cert = self.get(serial)
        with self.store.session() as s:
            acc = s.get(Acceptance, cert.acceptance_id)
            if acc is None:
                raise UnknownCertificate(f"验收单“{serial}”的验收记录不在本机")
            data = self._data(s, acc, cert.serial)
        data.verification_code = cert.verification_code
        return data

    def _data(self, s: Any, acc: Acceptance, serial: str) -> CertificateData:
        project = s.get(RenovationProject, acc.project_id)
        household = s.get(Household, project.household_id)
        person = s.get(Person, project.person_id) if project.person_id else None
        view = AcceptanceService(self.store).view(acc.id)
        answers = acc.checks or {}

        def lines(key: str) -> list[CheckLine]:
            section = next(sec for sec in view.sections if sec.key == key)
            out = []
            for check in section.checks:
                st = view.states[check.code]
                out.append(CheckLine(check.name, st.result or CheckResult.FAIL, st.value, st.note))
            return out

        items = []
        for code, row in view.items:
            it = item_from_row(row)
            raw = answers.get(f"{code}.result")
            items.append(
                CertificateItem(
                    name=it.name,
                    unit=it.unit,
                    unit_price=it.unit_price,
                    planned_qty=it.planned_qty,
                    actual_qty=it.actual_qty,
                    amount=it.actual_amount,
                    result=CheckResult(raw) if raw else None,
                )  # fmt: skip
            )
        before = self._paths(s, PROJECT_TBL, project.id, "photo_before")
        after = self._paths(s, ACCEPTANCE_TBL, acc.id, "photo_after")
        rounds = projects.acceptances(s, project.id)
        signatures = parties_from(view.checklist.signers, answers, acc.team, view.checklist.team_label)
        for spec, line in zip(view.checklist.signers, signatures, strict=False):
            sha = view.signatures.get(spec.role)
            if sha and self.store.files.has(sha):
                line.image = self.store.files.source(sha)  # type: ignore[assignment]
        try:
            region = default_catalog().full_name(household.region_code, with_province=False)
        except UnknownRegion:
            region = household.region_code
        return CertificateData(
            issuer=str(answers.get(ISSUER_KEY) or self.settings.federation_name),
            serial=serial,
            household_head=household.head_name,
            person_name=person.name if person else "",
            person_id_masked=mask_id_number(person.id_number) if person else "",
            disability_cert_masked=mask_cert_number(person.cert_number)
            if person and person.cert_number
            else "",
            address=household.address,
            region_name=region,
            project_kind=ProjectKind(project.kind),
            acceptance_date=date.fromisoformat(acc.accepted_on) if acc.accepted_on else self.today,
            conclusion=CheckResult(acc.conclusion or CheckResult.RECTIFY.value),
            items=items,
            checks=lines("quality"),
            records_checks=lines("records"),
            onsite_checks=lines("onsite"),
            photos_before=before,
            photos_after=after,
            opinion=acc.opinion,
            rectify_by=date.fromisoformat(acc.rectification_deadline) if acc.rectification_deadline else None,
            satisfaction=acc.satisfaction,
            signatures=signatures,
            team_members=split_team(acc.team),
            contractor=project.contractor,
            facts=facts_from(
                view.checklist.facts, [r.checks or {} for r in sorted(rounds, key=lambda r: r.round)]
            ),
            rectifications=rectifications_from(
                [
                    RoundRecord(
                        r.round, r.accepted_on, r.conclusion, r.opinion, r.rectification_deadline, r.status
                    )
                    for r in rounds
                ],
                acc.round,
            ),
            check_url=self.settings.server_url,
        )

    def rectification_notice(self, acceptance_id: str, out: Path | BinaryIO) -> RectificationNotice:
        """Print the 整改通知单 of a round that sent the works back; returns what was printed."""
        with self.store.session() as s:
            acc = s.get(Acceptance, acceptance_id)
            if acc is None or acc.deleted:
                raise UnknownCertificate(f"找不到验收记录 {acceptance_id}")
            if acc.status != "completed" or acc.conclusion == CheckResult.PASS.value:
                raise CertificateError("只有已完成且需整改的验收才能出具整改通知单")
            data = self._data(s, acc, "")
        data.issuer = data.issuer or self.settings.federation_name
        from app.certificates.notice import notice_from, render_rectification_notice

        notice = notice_from(data, acc.round)
        render_rectification_notice(notice, out)
        return notice

    def _paths(self, s: Any, tbl: str, owner_id: str, role: str) -> list[Path]:
        rows = [link.sha256 for link in attachments.links(s, [(tbl, owner_id)], role)]
        # A photo not yet downloaded to this laptop prints as an empty box rather than failing.
        return [self.store.files.source(sha) for sha in rows if self.store.files.has(sha)]  # type: ignore[misc]

    # --- output -------------------------------------------------------------------------

    def pdf_bytes(self, serial: str) -> bytes:
        """The PDF as issued (decrypted in memory on an encrypted profile)."""
        cert = self.get(serial)
        if cert.pdf_sha256 and self.store.files.has(cert.pdf_sha256):
            return self.store.files.read(cert.pdf_sha256)
        buffer = io.BytesIO()
        _render_certificate(self.data(serial), buffer)
        return buffer.getvalue()

    def pdf_path(self, serial: str) -> Path:
        """The PDF as issued; re-rendered from the database when its file is not on this device."""
        cert = self.get(serial)
        if cert.pdf_sha256 and self.store.files.has(cert.pdf_sha256):
            return self.store.files.path(cert.pdf_sha256)
        buffer = io.BytesIO()
        _render_certificate(self.data(serial), buffer)
        return self.store.files.path(self.store.files.put_bytes(buffer.getvalue()))

    def save_pdf(self, serial: str, out: Path) -> Path:
        """Copy the certificate's PDF to ``out`` (written whole, then renamed)."""
        out = Path(out)
        tmp = out.with_name(f".{out.name}.part")
        tmp.write_bytes(self.pdf_bytes(serial))
        tmp.replace(out)
        return out

    def list_certificates(
        self, *, month: str = "", region_prefix: str = "", limit: int | None = None
    ) -> list[CertificateRow]:
        """Issued certificates, optionally of acceptances in ``month`` (YYYY-MM) and under a region prefix."""
        where = [live_sql("c")]
        params: dict[str, Any] = {}
        if month:
            where.append("a.accepted_on LIKE :month")
            params["month"] = month + "%"
        if region_prefix:
            where.append("c.region_code LIKE :region")
            params["region"] = region_prefix + "%"
        sql = f"""
            SELECT c.serial, c.project_id, c.acceptance_id, p.kind, h.head_name, COALESCE(pe.name, ''),
                   c.region_code, a.accepted_on, c.issued_at
            FROM certificate c
            JOIN acceptance a ON a.id = c.acceptance_id
            JOIN renovationproject p ON p.id = c.project_id
            JOIN household h ON h.id = p.household_id
            LEFT JOIN person pe ON pe.id = p.person_id
            WHERE {" AND ".join(where)}
            ORDER BY c.region_code, c.serial
        """
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self.store.engine.connect() as conn:
            return [CertificateRow(*row) for row in conn.execute(text(sql), params).all()]

    def export_batch(
        self,
        serials: Sequence[str],
        out: Path,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """All ``serials`` in one PDF; cancelling (``ExportCancelled``) leaves no file at ``out``."""
        if not serials:
            raise CertificateError("没有符合条件的验收单可导出")

        class _Lazy:
            # Sized so the progress bar knows the total; loads each record only when drawn.
            def __init__(self, owner: CertificateService) -> None:
                self.owner = owner

            def __len__(self) -> int:
                return len(serials)

            def __iter__(self) -> Iterator[CertificateData]:
                return (self.owner.data(s) for s in serials)

        from app.certificates.render import render_batch

        return render_batch(_Lazy(self), Path(out), progress=progress, cancelled=cancelled)

    def audit_export(self, actor: str, serials: Sequence[str], out: Path, *, printed: bool = False) -> None:
        """Record who exported (or ``printed``) which certificates where (PIPL: every export and print is audited)."""
        shown = ",".join(serials[:20]) + (f"…(+{len(serials) - 20})" if len(serials) > 20 else "")
        with self.store.session() as s:
            action = "print" if printed else "export"
            audit.record(s, actor, action, CERT_TBL, detail=f"{shown} -> {Path(out).name}")
            s.commit()

    # --- verification -------------------------------------------------------------------

    def verify_local(self, serial: str, code: str) -> Verification:
        """Check a typed serial and code against this device's data (recomputed, not just stored)."""
        try:
            cert = self.get(serial)
        except UnknownCertificate:
            return Verification("unknown", f"本机没有编号为“{serial.strip().upper()}”的验收单")
        typed = normalize_code(code)
        if typed != cert.verification_code:
            return Verification("tampered", "校验码与本机登记的不一致，此验收单可能被改动")
        recomputed = matching_code(self.data(cert.serial), cert.verification_code)
        if recomputed != cert.verification_code:
            return Verification("tampered", "本机的验收记录在出具验收单后被修改过，纸质验收单与记录不一致")
        return Verification("genuine", "验收单真实有效（本机记录一致）")

    def verify_remote(
        self, serial: str, code: str, server_url: str = "", token: str = ""
    ) -> Verification | None:
        """Ask the county server; ``None`` when no server is configured."""
        server_url = server_url or self.settings.server_url
        token = token or self.store.get_state(StateKey.TOKEN)
        if not server_url:
            return None
        from app.contract import protocol as p
        from app.sync.transport import Transport

        transport = Transport(server_url, token or None, timeout=(3.0, 10.0), retries=1)
        try:
            resp = transport.request(
                "GET", f"/certificates/{serial.strip().upper()}", params={"code": normalize_code(code)}
            )
            answer = p.CertificateCheck.model_validate(resp.json())
        except Exception as exc:
            return Verification("error", f"无法向服务器核验：{exc}", "server")
        finally:
            transport.close()
        return Verification(answer.status, answer.message, "server")


def sha256_of(path: Path) -> str:
    """SHA-256 hex of a file (tests compare it with the stored hash)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
