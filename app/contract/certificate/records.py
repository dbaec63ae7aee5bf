"""The parts of a certificate read from an acceptance's ``checks`` map, built the same on both sides.

The laptop (``app.services.certificates``) prints from these and the server
(``server.certificates``) rebuilds them to recompute the verification code, so
both call the functions here with the plain values they hold: the map of each
acceptance round, the team text and the checklist's fact and signer
definitions (``resources/catalogs/acceptance_checklists.json``). Keys in the map:

* ``fact.<key>``: a project fact (合同编号, 开工日期, 鉴定机构 …), latest round first;
* ``signer.<role>.name`` / ``signer.<role>.relation``: who signed for a party;
* ``cert.issuer``: the issuing federation's name, written once when the serial is given.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.contract.certificate.model import Fact, Rectification, SignatureLine
from app.domain.acceptance import FACT_PREFIX, FactSpec, SignerSpec

__all__ = [
    "FACT_PREFIX", "ISSUER_KEY", "RoundRecord", "facts_from", "parties_from", "rectifications_from", "split_team",
]  # fmt: skip
ISSUER_KEY = "cert.issuer"


def split_team(text: str) -> list[str]:
    """Team members from the stored text (separated by 、 , ， ; or spaces)."""
    for sep in ("，", ",", " ", "；", ";"):
        text = text.replace(sep, "、")
    return [t for t in (p.strip() for p in (text or "").split("、")) if t]


def _clean(value: object) -> str:
    return unicodedata.normalize("NFC", "" if value is None else str(value)).strip()


def facts_from(specs: Sequence[FactSpec], rounds: Iterable[Mapping[str, object]]) -> list[Fact]:
    """Facts in definition order; a later round's value wins, an empty one is skipped."""
    values: dict[str, str] = {}
    for answers in rounds:
        for spec in specs:
            text = _clean(answers.get(FACT_PREFIX + spec.key))
            if text:
                values[spec.key] = text
    return [Fact(spec.key, spec.label, _show(spec, values[spec.key])) for spec in specs if spec.key in values]


def _show(spec: FactSpec, value: str) -> str:
    """Dates as printed on a Chinese form (2026年5月8日); anything else as recorded."""
    if spec.type == "date":
        try:
            d = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{d.year}年{d.month}月{d.day}日"
    return value


def parties_from(
    signers: Sequence[SignerSpec], answers: Mapping[str, object], team: str, team_label: str
) -> list[SignatureLine]:
    """Signature boxes: each party of the checklist, then one per acceptance-team member."""
    lines = [
        SignatureLine(
            role=spec.label,
            name=_clean(answers.get(f"signer.{spec.role}.name")),
            relation=_clean(answers.get(f"signer.{spec.role}.relation")) if spec.relation else "",
            seal=spec.seal,
            asks_relation=spec.relation,
            keeps_copy=spec.keeps_copy,
        )
        for spec in signers
    ]
    lines += [SignatureLine(role=team_label, name=member) for member in split_team(team)]
    return lines


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """What the history needs of one earlier acceptance round."""

    round: int
    accepted_on: str
    conclusion: str
    opinion: str
    deadline: str
    status: str


def rectifications_from(rounds: Iterable[RoundRecord], before_round: int) -> list[Rectification]:
    """Completed rounds before ``before_round`` that sent the works back, in round order."""
    out = []
    for r in sorted(rounds, key=lambda r: r.round):
        if r.round >= before_round or r.status != "completed" or r.conclusion == "pass" or not r.accepted_on:
            continue
        out.append(
            Rectification(
                round=r.round,
                accepted_on=date.fromisoformat(r.accepted_on[:10]),
                findings=_clean(r.opinion),
                deadline=date.fromisoformat(r.deadline[:10]) if r.deadline else None,
            )
        )
    return out
