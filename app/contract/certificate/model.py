"""What an acceptance certificate (竣工验收单) shows: a plain dataclass, no rendering.

Identity numbers arrive already masked: the certificate never holds a full ID
number, so it cannot print one by mistake (PIPL: print no more than needed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.domain.enums import CheckResult, ProjectKind

# 15 to 18 digits in a row means a resident ID number that was not masked.
_UNMASKED = re.compile(r"\d{15,}")


class UnmaskedNumber(ValueError):
    """A full identity number was put where a masked one belongs."""


@dataclass(slots=True)
class CertificateItem:
    """One work item: planned versus done, with its amount and result."""

    name: str
    unit: str
    unit_price: Decimal
    planned_qty: Decimal
    actual_qty: Decimal | None = None
    amount: Decimal | None = None
    result: CheckResult | None = None

    @property
    def planned_amount(self) -> Decimal:
        return (self.unit_price * self.planned_qty).quantize(Decimal("0.01"))


@dataclass(slots=True)
class CheckLine:
    """One check the team made: result, measured value as written on site, note."""

    name: str
    result: CheckResult
    measured: str = ""
    note: str = ""


@dataclass(slots=True)
class SignatureLine:
    """A signature box: who signs (role label), the signature image, and a printed name.

    ``relation`` is printed for the household's signer (本人, 配偶, 监护人 …); ``seal`` adds a
    盖章 space for a body that stamps (contractor, federation).
    """

    role: str
    image: Path | None = None
    name: str = ""
    relation: str = ""
    seal: bool = False
    asks_relation: bool = False
    keeps_copy: bool = False


@dataclass(frozen=True, slots=True)
class Fact:
    """One project fact read from the records at acceptance (合同编号, 开工日期, 鉴定机构 …)."""

    key: str
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Rectification:
    """An earlier round that sent the works back: when, what failed, by when it was to be fixed."""

    round: int
    accepted_on: date
    findings: str
    deadline: date | None = None


@dataclass(slots=True)
class CertificateData:
    """Everything printed on one 验收单."""

    issuer: str
    serial: str
    household_head: str
    person_name: str
    person_id_masked: str
    disability_cert_masked: str
    address: str
    region_name: str
    project_kind: ProjectKind
    acceptance_date: date
    conclusion: CheckResult
    items: list[CertificateItem] = field(default_factory=list)
    checks: list[CheckLine] = field(default_factory=list)
    records_checks: list[CheckLine] = field(default_factory=list)
    onsite_checks: list[CheckLine] = field(default_factory=list)
    photos_before: list[Path] = field(default_factory=list)
    photos_after: list[Path] = field(default_factory=list)
    opinion: str = ""
    rectify_by: date | None = None
    satisfaction: str = ""
    signatures: list[SignatureLine] = field(default_factory=list)
    team_members: list[str] = field(default_factory=list)
    contractor: str = ""
    verification_code: str = ""
    # Project facts in print order (project number, contract, dates, funding, warranty, contact …).
    facts: list[Fact] = field(default_factory=list)
    rectifications: list[Rectification] = field(default_factory=list)
    # Where the QR code points (the server's address); empty prints the bare ``HV1|serial|code``.
    check_url: str = ""

    def fact(self, key: str) -> str:
        """The value of one fact ("" when not recorded)."""
        return next((f.value for f in self.facts if f.key == key), "")

    def __post_init__(self) -> None:
        for label, value in (
            ("身份证号", self.person_id_masked),
            ("残疾人证号", self.disability_cert_masked),
        ):
            if _UNMASKED.search(value):
                raise UnmaskedNumber(f"验收单上的{label}必须脱敏（如 330802********123X），不能打印完整号码")
        self.project_kind = ProjectKind(self.project_kind)
        self.conclusion = CheckResult(self.conclusion)
