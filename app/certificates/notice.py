"""The rectification notice (整改通知单) a failed acceptance hands the contractor.

It lists what failed with the measured value and the team's note, the
deadline, and signature spaces for the team, the accepting body (seal) and the
contractor's receipt. It carries no verification code: it is an instruction,
not a record the family keeps, and it prints no identity number at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer

from app.certificates.render import (
    FRAME_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    _BoldTitle,
    _cn_date,
    _fill,
    _get_styles,
    _grid,
    _new_canvas,
    _p,
    _SealSpace,
    _section,
)
from app.certificates.template import CertificateTemplate, load_template
from app.contract.certificate.model import CertificateData
from app.domain.enums import CheckResult, ProjectKind

_OPEN = (CheckResult.FAIL, CheckResult.RECTIFY)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing to put right: what, the value measured, the team's note."""

    name: str
    measured: str = ""
    note: str = ""


@dataclass(slots=True)
class RectificationNotice:
    """Everything printed on one 整改通知单."""

    issuer: str
    reference: str
    contractor: str
    household_head: str
    address: str
    project_kind: ProjectKind
    round: int
    accepted_on: date
    deadline: date | None
    findings: list[Finding] = field(default_factory=list)
    team_members: list[str] = field(default_factory=list)
    contractor_contact: str = ""
    contractor_phone: str = ""
    opinion: str = ""


def notice_from(data: CertificateData, round_no: int) -> RectificationNotice:
    """The notice for a round whose content is ``data`` (built like a certificate; conclusion 整改)."""
    findings = [
        Finding(line.name, line.measured, line.note)
        for line in [*data.records_checks, *data.onsite_checks, *data.checks]
        if line.result in _OPEN
    ]
    findings += [Finding(item.name) for item in data.items if item.result in _OPEN]
    reference = data.fact("project_number") or data.serial
    return RectificationNotice(
        issuer=data.issuer,
        reference=f"{reference}-整改{round_no}" if reference else f"整改{round_no}",
        contractor=data.contractor,
        household_head=data.household_head,
        address=data.address,
        project_kind=data.project_kind,
        round=round_no,
        accepted_on=data.acceptance_date,
        deadline=data.rectify_by,
        findings=findings,
        team_members=list(data.team_members),
        contractor_contact=data.fact("contractor_contact"),
        contractor_phone=data.fact("contractor_phone"),
        opinion=data.opinion,
    )


def _story(n: RectificationNotice, tpl: CertificateTemplate) -> list[Flowable]:
    st = _get_styles()
    t = tpl.notice_text
    deadline = _cn_date(n.deadline) if n.deadline else "＿＿年＿＿月＿＿日"
    intro = (
        t("intro")
        .replace("{date}", _cn_date(n.accepted_on))
        .replace("{round}", str(n.round))
        .replace("{deadline}", deadline)
    )
    contact = "　".join(x for x in (n.contractor_contact, n.contractor_phone) if x)
    story: list[Flowable] = [
        _p(n.issuer, st.issuer),
        Spacer(1, 2 * mm),
        _BoldTitle(t("title"), st.font, 16, FRAME_W),
        Spacer(1, 2 * mm),
        _p(f"{tpl.label('serial')}：{n.reference}", st.meta_r),
        Spacer(1, 2 * mm),
        _p(f"{t('to')}：{n.contractor}{('（' + contact + '）') if contact else ''}", st.meta),
        Spacer(1, 2 * mm),
        Paragraph("　　" + escape(intro), st.meta),
        Spacer(1, 3 * mm),
    ]
    lab = lambda text: _p(text, st.cell_c)  # noqa: E731
    facts = [
        [lab(t("household")), _p(f"{n.household_head}　{n.address}", st.cell)],
        [lab(t("project")), _p(n.project_kind.label, st.cell)],
        [lab(t("deadline")), _p(deadline, st.cell)],
    ]
    story.append(_grid([30 * mm, FRAME_W - 30 * mm], facts))
    story.append(Spacer(1, 3 * mm))
    rows: list[list[object]] = [[_p(h, st.head) for h in t_list(tpl, "columns")]]
    for i, f in enumerate(n.findings, 1):
        rows.append([_p(i, st.cell_c), _p(f.name, st.cell), _p(f.measured, st.cell_c), _p(f.note, st.cell)])
    story.append(_grid([10 * mm, 70 * mm, 28 * mm, FRAME_W - 108 * mm], rows, repeat=1))
    if n.opinion:
        story += [Spacer(1, 2 * mm), _p(n.opinion, st.meta)]
    story += [Spacer(1, 4 * mm), _section(t("signatures"), st)]
    seal = lambda: _SealSpace(20 * mm, tpl.label("seal"), st.font)  # noqa: E731
    team = [_p(f"{t('team')}：", st.cell)]
    team += [_p(f"{name}　＿＿＿＿＿＿", st.cell) for name in n.team_members] or [Spacer(1, 12 * mm)]
    team.append(_p(_cn_date(n.accepted_on), st.cell_r))
    issuer = [_p(f"{t('issuer_sign')}：{n.issuer}", st.cell), seal(), _p(_cn_date(n.accepted_on), st.cell_r)]
    receiver = [
        _p(f"{t('receiver')}：", st.cell),
        seal(),
        _p(f"{t('received_on')}：{tpl.label('sign_date')}", st.cell_r),
    ]
    sign_rows = [[team, issuer], [receiver, ""]]
    story.append(
        _grid(
            [FRAME_W / 2, FRAME_W / 2],
            sign_rows,
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("SPAN", (0, 1), (1, 1)),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ],
        )
    )
    holders = t_list(tpl, "holders")
    note = t("footer_note").replace("{copies}", _count(len(holders))).replace("{holders}", "、".join(holders))
    story += [Spacer(1, 2 * mm), _p(note, st.note)]
    return story


def t_list(tpl: CertificateTemplate, key: str) -> list[str]:
    return tpl.notice_list(key)


def _count(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def render_rectification_notice(
    notice: RectificationNotice, out: Path | BinaryIO, template: CertificateTemplate | None = None
) -> None:
    """Write one 整改通知单 as a PDF (one page; a long list flows onto more)."""
    tpl = template or load_template()
    canv = _new_canvas(out, f"{tpl.notice_text('title')} {notice.reference}")
    story = _story(notice, tpl)
    while story:
        frame = Frame(
            MARGIN_X, MARGIN_BOTTOM, FRAME_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        _fill(frame, story, canv)
        canv.showPage()
    canv.save()
