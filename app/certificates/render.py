"""A4 acceptance certificates (竣工验收单) as PDF, one at a time or many in one file.

Layout is built from reportlab platypus flowables and laid into frames page by
page by hand (not with a DocTemplate), so each certificate's flowables are
dropped as soon as it is drawn and a batch of hundreds needs no more Python
objects than one certificate. Pages of one certificate carry "第 x 页 共 y
页": y is a PDF form drawn on every page and defined once the certificate ends.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sized
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

import segno
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, Spacer, Table, TableStyle

from app.certificates.errors import ExportCancelled
from app.certificates.fonts import register_cjk_font
from app.certificates.images import Picture, ReaderCache
from app.certificates.rmb import rmb_upper
from app.certificates.template import CertificateTemplate, load_template
from app.contract.certificate.model import CertificateData, CheckLine
from app.contract.certificate.verification import check_url, format_code, qr_payload, verification_code
from app.domain.enums import CheckResult

PAGE_W, PAGE_H = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 13 * mm
MARGIN_BOTTOM = 17 * mm
CONT_HEADER = 9 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
PHOTO_W, PHOTO_H = 38 * mm, 28.5 * mm
PHOTOS_PER_ROW = 4
SIG_W, SIG_H = 42 * mm, 14 * mm
SEAL_SIG_W, SEAL_D = 30 * mm, 20 * mm
QR_SIZE = 25 * mm
# Keep a section title with at least this much of its table on the same page.
MIN_AFTER_TITLE = 28 * mm

_form_ids = itertools.count(1)


class LayoutError(RuntimeError):
    """A part of the certificate is too large for an empty page."""


# --- styles and small flowables ------------------------------------------------------------


class _Styles:
    """Paragraph styles in the certificate font, made once per process."""

    def __init__(self, font: str) -> None:
        base = ParagraphStyle("hv", fontName=font, fontSize=9, leading=12.5, wordWrap="CJK")
        self.font = font
        self.cell = base
        self.cell_c = ParagraphStyle("hv_c", parent=base, alignment=TA_CENTER)
        self.cell_r = ParagraphStyle("hv_r", parent=base, alignment=TA_RIGHT)
        self.head = ParagraphStyle("hv_h", parent=base, alignment=TA_CENTER, fontSize=8.5, leading=11)
        self.section = ParagraphStyle("hv_s", parent=base, fontSize=10.5, leading=14)
        self.issuer = ParagraphStyle("hv_i", parent=base, fontSize=11.5, leading=15, alignment=TA_CENTER)
        self.small = ParagraphStyle("hv_sm", parent=base, fontSize=7.5, leading=10)
        self.small_c = ParagraphStyle("hv_smc", parent=self.small, alignment=TA_CENTER)
        self.meta = ParagraphStyle("hv_m", parent=base, fontSize=9.5, leading=13)
        self.meta_r = ParagraphStyle("hv_mr", parent=self.meta, alignment=TA_RIGHT)
        self.note = ParagraphStyle(
            "hv_n", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#333333")
        )
        self.left = ParagraphStyle("hv_l", parent=base, alignment=TA_LEFT)


_styles: _Styles | None = None


def _get_styles() -> _Styles:
    global _styles
    if _styles is None:
        _styles = _Styles(register_cjk_font())
    return _styles


class _BoldTitle(Flowable):
    """A centred title in fill-and-stroke mode: the only CJK font has no bold face."""

    def __init__(self, text: str, font: str, size: float, width: float) -> None:
        super().__init__()
        self.text, self.font, self.size, self.width = text, font, size, width
        self.lines = self._wrap_chars(text)
        self.height = len(self.lines) * size * 1.3

    def _wrap_chars(self, text: str) -> list[str]:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        lines, line = [], ""
        for ch in text:
            if line and stringWidth(line + ch, self.font, self.size) > self.width:
                lines.append(line)
                line = ""
            line += ch
        return [*lines, line] if line else lines

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setLineWidth(self.size * 0.03)
        for i, line in enumerate(self.lines):
            t = c.beginText()
            t.setTextRenderMode(2)
            t.setFont(self.font, self.size)
            y = self.height - (i + 1) * self.size * 1.3 + self.size * 0.3
            t.setTextOrigin((self.width - c.stringWidth(line, self.font, self.size)) / 2, y)
            t.textOut(line)
            c.drawText(t)
        c.restoreState()


class _QrCode(Flowable):
    """The verification QR code drawn as vector squares (crisp at any zoom, tiny in the file)."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.qr = segno.make(payload, error="m", micro=False)
        self.size = size

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        rows = [list(r) for r in self.qr.matrix_iter(scale=1, border=4)]
        n = len(rows)
        cell = self.size / n
        c = self.canv
        c.saveState()
        c.setFillColor(colors.black)
        path = c.beginPath()
        for r, row in enumerate(rows):
            y = self.size - (r + 1) * cell
            # One rectangle per run of dark modules keeps the content stream short.
            for dark, run in itertools.groupby(enumerate(row), key=lambda t: bool(t[1])):
                run = list(run)
                if dark:
                    path.rect(run[0][0] * cell, y, len(run) * cell, cell)
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()


class _Picture(Flowable):
    """A downscaled image centred in a fixed box, or a text placeholder when it is missing."""

    def __init__(self, reader: Picture | None, width: float, height: float, missing: str, font: str) -> None:
        super().__init__()
        self.reader, self.width, self.height, self.missing, self.font = reader, width, height, missing, font

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        if self.reader is None:
            c.setFont(self.font, 8)
            c.setFillColor(colors.grey)
            c.drawCentredString(self.width / 2, self.height / 2 - 3, self.missing)
            return
        iw, ih = self.reader.getSize()
        scale = min(self.width / iw, self.height / ih)
        w, h = iw * scale, ih * scale
        c.drawImage(self.reader, (self.width - w) / 2, (self.height - h) / 2, w, h)


class _SealSpace(Flowable):
    """A dashed circle marking where a body's seal goes (the stamp is about 40 mm; it may overlap)."""

    def __init__(self, diameter: float, text: str, font: str) -> None:
        super().__init__()
        self.d, self.text, self.font = diameter, text, font

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.d, self.d

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(colors.HexColor("#B0B0B0"))
        c.setDash(2, 2)
        c.setLineWidth(0.6)
        c.circle(self.d / 2, self.d / 2, self.d / 2 - 0.5, stroke=1, fill=0)
        c.setFillColor(colors.HexColor("#A0A0A0"))
        c.setFont(self.font, 7.5)
        c.drawCentredString(self.d / 2, self.d / 2 - 2.5, self.text)
        c.restoreState()


# --- story -------------------------------------------------------------------------------


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _qty(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(Decimal('0.01')):,.2f}"


def _cn_date(d: object) -> str:
    return f"{d.year}年{d.month}月{d.day}日"  # type: ignore[attr-defined]


def _grid(
    widths: list[float], rows: list[list[object]], extra: list[tuple] | None = None, repeat: int = 0
) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=repeat, hAlign="CENTER")
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                *(extra or []),
            ]
        )
    )
    return t


class _SectionTitle(Paragraph):
    """A section heading; the page filler keeps it with the start of its table."""


def _section(text: str, st: _Styles) -> _SectionTitle:
    return _SectionTitle(escape(text), st.section)


_LABEL_BG = colors.HexColor("#F2F2F2")


def _header(data: CertificateData, tpl: CertificateTemplate, code: str, st: _Styles) -> list[Flowable]:
    side = QR_SIZE + 4 * mm
    centre_w = FRAME_W - 2 * side
    issuer = data.issuer or tpl.issuer_default
    centre = [
        _p(issuer, st.issuer),
        Spacer(1, 2 * mm),
        _BoldTitle(tpl.title(data.project_kind), st.font, 16, centre_w - 4),
    ]
    qr = [_QrCode(qr_text(data, tpl, code), QR_SIZE), _p(tpl.label("scan"), st.small_c)]
    head = Table([["", centre, qr]], colWidths=[side, centre_w, side])
    head.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (2, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    meta = Table(
        [
            [
                _p(f"{tpl.label('serial')}：{data.serial}", st.meta),
                _p(f"{tpl.label('code')}：{format_code(code)}", st.meta),
                _p(f"{tpl.label('date')}：{_cn_date(data.acceptance_date)}", st.meta_r),
            ]
        ],
        colWidths=[FRAME_W * 0.36, FRAME_W * 0.34, FRAME_W * 0.30],
    )
    meta.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [head, Spacer(1, 2 * mm), meta]


def qr_text(data: CertificateData, tpl: CertificateTemplate, code: str) -> str:
    """What the QR code holds: the check page's address, or ``HV1|serial|code`` when no server is known."""
    base = data.check_url or tpl.check_url_base
    return check_url(base, data.serial, code) if base else qr_payload(data.serial, code)


def printed_cert_number(data: CertificateData, tpl: CertificateTemplate) -> str:
    """The masked certificate number as printed: without the category and level digits
    (a copy the contractor keeps need not say them) unless the template asks for them."""
    masked = data.disability_cert_masked
    return masked if tpl.show_category_level or len(masked) <= 18 else masked[:18]


def _basic(data: CertificateData, tpl: CertificateTemplate, st: _Styles) -> list[Flowable]:
    lab = lambda key: _p(tpl.label(key), st.cell_c)  # noqa: E731
    val = lambda text: _p(text, st.cell)  # noqa: E731
    rows: list[list[object]] = [
        [lab("household_head"), val(data.household_head), lab("person_name"), val(data.person_name)],
        [lab("cert_number"), val(printed_cert_number(data, tpl)), lab("kind"), val(data.project_kind.label)],
        [lab("address"), val(data.address), "", ""],
        [lab("region"), val(data.region_name), "", ""],
        [lab("contractor"), val(data.contractor), "", ""],
    ]
    extra: list[tuple] = [
        ("SPAN", (1, 2), (3, 2)),
        ("SPAN", (1, 3), (3, 3)),
        ("SPAN", (1, 4), (3, 4)),
        ("BACKGROUND", (0, 0), (0, -1), _LABEL_BG),
        ("BACKGROUND", (2, 0), (2, 1), _LABEL_BG),
    ]
    # Project facts two to a row, in the order the checklist lists them.
    facts = list(data.facts)
    for i in range(0, len(facts), 2):
        pair = facts[i : i + 2]
        r = len(rows)
        row: list[object] = [_p(pair[0].label, st.cell_c), val(pair[0].value)]
        if len(pair) == 2:
            row += [_p(pair[1].label, st.cell_c), val(pair[1].value)]
            extra.append(("BACKGROUND", (2, r), (2, r), _LABEL_BG))
        else:
            row += ["", ""]
            extra.append(("SPAN", (1, r), (3, r)))
        rows.append(row)
    w = [26 * mm, FRAME_W / 2 - 26 * mm, 26 * mm, FRAME_W / 2 - 26 * mm]
    return [_section(tpl.label("section_basic"), st), _grid(w, rows, extra)]


def _history(data: CertificateData, tpl: CertificateTemplate, st: _Styles) -> list[Flowable]:
    """Earlier rounds that sent the works back: an inspector signs knowing what was put right."""
    if not data.rectifications:
        return []
    rows: list[list[object]] = [[_p(h, st.head) for h in tpl.columns("history_columns")]]
    for r in data.rectifications:
        rows.append(
            [
                _p(tpl.label("round").replace("{round}", str(r.round)), st.cell_c),
                _p(_cn_date(r.accepted_on), st.cell_c),
                _p(r.findings, st.cell),
                _p("" if r.deadline is None else _cn_date(r.deadline), st.cell_c),
            ]
        )
    w = [16 * mm, 30 * mm, FRAME_W - 76 * mm, 30 * mm]
    extra = [("BACKGROUND", (0, 0), (-1, 0), _LABEL_BG)]
    return [_section(tpl.label("section_history"), st), _grid(w, rows, extra, repeat=1)]


def _items(data: CertificateData, tpl: CertificateTemplate, st: _Styles) -> list[Flowable]:
    head = [_p(h, st.head) for h in tpl.columns("item_columns")]
    rows: list[list[object]] = [head]
    planned_total = actual_total = Decimal("0")
    for n, it in enumerate(data.items, 1):
        planned_total += it.planned_amount
        actual_total += it.amount or Decimal("0")
        rows.append(
            [
                _p(n, st.cell_c),
                _p(it.name, st.cell),
                _p(it.unit, st.cell_c),
                _p(_money(it.unit_price), st.cell_r),
                _p(_qty(it.planned_qty), st.cell_r),
                _p(_money(it.planned_amount), st.cell_r),
                _p(_qty(it.actual_qty), st.cell_r),
                _p(_money(it.amount), st.cell_r),
                _p("" if it.result is None else it.result.label, st.cell_c),
            ]
        )
    total_row = len(rows)
    rows.append(
        [_p(tpl.label("total"), st.cell_c), "", "", "", "", _p(_money(planned_total), st.cell_r), "",
         _p(_money(actual_total), st.cell_r), ""]
    )  # fmt: skip
    rows.append(
        [_p(tpl.label("amount_in_words"), st.cell_c), "", "", _p(rmb_upper(actual_total), st.cell)] + [""] * 5
    )
    w = [9 * mm, 47 * mm, 14 * mm, 18 * mm, 16 * mm, 21 * mm, 16 * mm, 21 * mm, 18 * mm]
    extra = [
        ("BACKGROUND", (0, 0), (-1, 0), _LABEL_BG),
        ("SPAN", (0, total_row), (4, total_row)),
        ("SPAN", (0, total_row + 1), (2, total_row + 1)),
        ("SPAN", (3, total_row + 1), (-1, total_row + 1)),
        ("BACKGROUND", (0, total_row), (-1, -1), _LABEL_BG),
    ]
    return [_section(tpl.label("section_items"), st), _grid(w, rows, extra, repeat=1)]


def _checks(data: CertificateData, tpl: CertificateTemplate, st: _Styles) -> list[Flowable]:
    rows: list[list[object]] = [[_p(h, st.head) for h in tpl.columns("check_columns")]]
    extra: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), _LABEL_BG)]
    groups: list[tuple[str, list[CheckLine]]] = [
        (tpl.label("records"), data.records_checks),
        (tpl.label("onsite"), data.onsite_checks),
        (tpl.label("quality"), data.checks),
    ]
    n = 0
    for title, lines in groups:
        if not lines:
            continue
        r = len(rows)
        rows.append([_p(title, st.cell), "", "", "", ""])
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#FAFAFA"))]
        for line in lines:
            n += 1
            rows.append(
                [
                    _p(n, st.cell_c),
                    _p(line.name, st.cell),
                    _p(line.measured, st.cell_c),
                    _p(line.result.label, st.cell_c),
                    _p(line.note, st.cell),
                ]
            )
    w = [9 * mm, 86 * mm, 30 * mm, 16 * mm, FRAME_W - 141 * mm]
    return [_section(tpl.label("section_checks"), st), _grid(w, rows, extra, repeat=1)]


def _photos(
    data: CertificateData, tpl: CertificateTemplate, st: _Styles, cache: ReaderCache
) -> list[Flowable]:
    label_w = FRAME_W - PHOTOS_PER_ROW * (PHOTO_W + 4 * mm)
    rows: list[list[object]] = []
    missing = "照片缺失"
    for key, paths in (("before", data.photos_before), ("after", data.photos_after)):
        pics: list[object] = [
            _Picture(cache.get("photo", p, PHOTO_W / mm, PHOTO_H / mm), PHOTO_W, PHOTO_H, missing, st.font)
            for p in paths
        ]
        if not pics:
            rows.append([_p(tpl.label(key), st.cell_c), _p(tpl.label("no_photo"), st.cell_c), "", "", ""])
            continue
        for start in range(0, len(pics), PHOTOS_PER_ROW):
            chunk = pics[start : start + PHOTOS_PER_ROW]
            chunk += [""] * (PHOTOS_PER_ROW - len(chunk))
            rows.append([_p(tpl.label(key) if start == 0 else "", st.cell_c), *chunk])
    w = [label_w] + [PHOTO_W + 4 * mm] * PHOTOS_PER_ROW
    extra = [("ALIGN", (1, 0), (-1, -1), "CENTER"), ("BACKGROUND", (0, 0), (0, -1), _LABEL_BG)]
    for r, row in enumerate(rows):
        if isinstance(row[1], Paragraph):  # "no photo" row spans the picture columns
            extra.append(("SPAN", (1, r), (-1, r)))
    return [_section(tpl.label("section_photos"), st), _grid(w, rows, extra)]


def _ticks(options: Iterable[str], chosen: str) -> str:
    """Paragraph markup of tick boxes; the font's box glyphs are small, so they are set larger."""
    return "　　".join(f"<font size=12>{'■' if o == chosen else '□'}</font> {escape(o)}" for o in options)


def _opinion(data: CertificateData, tpl: CertificateTemplate, st: _Styles) -> list[Flowable]:
    passed = data.conclusion is CheckResult.PASS
    verdict = _ticks(
        [tpl.label("passed"), tpl.label("rectify")], tpl.label("passed" if passed else "rectify")
    )
    if not passed and data.rectify_by is not None:
        verdict += escape(f"　　（{tpl.label('rectify_by')}：{_cn_date(data.rectify_by)}前）")
    lab = lambda key: _p(tpl.label(key), st.cell_c)  # noqa: E731
    rows = [
        [lab("conclusion"), Paragraph(verdict, st.cell)],
        [lab("opinion"), _p(data.opinion or " ", st.cell)],
        [lab("satisfaction"), Paragraph(_ticks(tpl.satisfaction_options, data.satisfaction), st.cell)],
        [lab("team"), _p("、".join(data.team_members), st.cell)],
    ]
    extra = [
        ("BACKGROUND", (0, 0), (0, -1), _LABEL_BG),
        ("TOPPADDING", (1, 1), (1, 1), 5),
        ("BOTTOMPADDING", (1, 1), (1, 1), 12),
    ]
    return [_section(tpl.label("section_opinion"), st), _grid([26 * mm, FRAME_W - 26 * mm], rows, extra)]


def _signatures(
    data: CertificateData, tpl: CertificateTemplate, st: _Styles, cache: ReaderCache
) -> list[Flowable]:
    """One box per party: who, 签字 or 签字盖章, the drawn signature or room for one, name, relation, date."""
    per_row = 3
    cells: list[object] = []
    for sig in data.signatures:
        reader = None if sig.image is None else cache.get("signature", sig.image, SIG_W / mm, SIG_H / mm)
        how = tpl.label("sign_seal" if sig.seal else "sign")
        drawn: Flowable = _Picture(reader, SIG_W, SIG_H, "", st.font)
        if sig.seal:
            drawn = Table(
                [[_Picture(reader, SEAL_SIG_W, SIG_H, "", st.font), _SealSpace(SEAL_D, tpl.label("seal"), st.font)]],
                colWidths=[SEAL_SIG_W + 2 * mm, SEAL_D + 1 * mm],
                style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 0)],
            )  # fmt: skip
        box: list[object] = [_p(f"{sig.role}（{how}）：", st.cell), drawn, _p(sig.name, st.cell_r)]
        if sig.asks_relation:
            box.append(_p(f"{tpl.label('relation')}：{sig.relation or '＿＿＿＿'}", st.cell_r))
        box.append(_p(_cn_date(data.acceptance_date), st.cell_r))
        cells.append(box)
    if not cells:
        return []
    while len(cells) % per_row:
        cells.append("")
    rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    extra = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4)]
    return [_section(tpl.label("section_signatures"), st), _grid([FRAME_W / per_row] * per_row, rows, extra)]


def copies_note(data: CertificateData, text: str) -> str:
    """The footer with ``{copies}`` and ``{holders}`` filled from the parties that keep a copy."""
    holders = [s.role for s in data.signatures if s.keeps_copy]
    count = len(holders) or 1
    return text.replace("{copies}", _CN_DIGITS.get(count, str(count))).replace(
        "{holders}", "、".join(holders)
    )


_CN_DIGITS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


_NUMERALS = "一二三四五六七八九十"
_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


def _number_sections(story: list[Flowable], st: _Styles) -> None:
    """Number the section titles present (一、二、…): a certificate without history has no gap."""
    n = 0
    for i, f in enumerate(story):
        if isinstance(f, _SectionTitle):
            text = f.getPlainText()
            if _NUMBERED.match(text):
                n += 1
                story[i] = _SectionTitle(escape(_NUMBERED.sub(f"{_NUMERALS[n - 1]}、", text)), st.section)


def build_story(
    data: CertificateData, tpl: CertificateTemplate, code: str, cache: ReaderCache | None = None
) -> list[Flowable]:
    """The flowables of one certificate, top to bottom."""
    st = _get_styles()
    cache = cache or ReaderCache()
    gap = Spacer(1, 3 * mm)
    story: list[Flowable] = [*_header(data, tpl, code, st)]
    for part in (
        _basic(data, tpl, st),
        _items(data, tpl, st),
        _checks(data, tpl, st),
        _photos(data, tpl, st, cache),
        _history(data, tpl, st),
        _opinion(data, tpl, st),
        _signatures(data, tpl, st, cache),
    ):
        if part:
            story += [gap, *part]
    _number_sections(story, st)
    story += [Spacer(1, 2 * mm), _p(copies_note(data, tpl.footer_note), st.note)]
    return story


# --- pages -------------------------------------------------------------------------------


def _decorate(
    canv: Canvas, data: CertificateData, tpl: CertificateTemplate, page: int, pages_form: str
) -> None:
    """Running header (continuation pages) and footer (every page)."""
    st = _get_styles()
    canv.saveState()
    canv.setFont(st.font, 8)
    canv.setFillColor(colors.black)
    if page > 1:
        y = PAGE_H - MARGIN_TOP - 4 * mm
        canv.drawString(MARGIN_X, y, tpl.title(data.project_kind) + tpl.continued)
        canv.drawRightString(PAGE_W - MARGIN_X, y, f"{tpl.label('serial')}：{data.serial}")
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, y - 2 * mm, PAGE_W - MARGIN_X, y - 2 * mm)
    y = MARGIN_BOTTOM - 8 * mm
    canv.setLineWidth(0.5)
    canv.line(MARGIN_X, y + 4 * mm, PAGE_W - MARGIN_X, y + 4 * mm)
    canv.drawString(MARGIN_X, y, f"{tpl.label('serial')}：{data.serial}")
    before, _, after = tpl.label("page").partition("{pages}")
    before = before.replace("{page}", str(page))
    after = after.replace("{page}", str(page))
    # Drawn left to right so text extraction reads "第 1 页  共 2 页" in order.
    digits_w = canv.stringWidth("99", st.font, 8)
    x = (
        PAGE_W
        - MARGIN_X
        - canv.stringWidth(after, st.font, 8)
        - digits_w
        - canv.stringWidth(before, st.font, 8)
    )
    canv.drawString(x, y, before)
    x += canv.stringWidth(before, st.font, 8)
    canv.saveState()
    canv.translate(x, y)
    canv.doForm(pages_form)
    canv.restoreState()
    canv.drawString(x + digits_w, y, after)
    canv.restoreState()


def _fill(frame: Frame, story: list[Flowable], canv: Canvas) -> None:
    """Lay flowables from the front of ``story`` into ``frame``, splitting the one that does not fit."""
    while story:
        f = story[0]
        if isinstance(f, _SectionTitle) and len(story) > 1:
            _, h = f.wrap(frame._aW, frame._y)
            if frame._y - frame._y1p - h < MIN_AFTER_TITLE and not frame._atTop:
                return
        if frame.add(f, canv, trySplit=0):
            del story[0]
            continue
        parts = frame.split(f, canv)
        if parts and frame.add(parts[0], canv, trySplit=0):
            story[0:1] = parts[1:]
        elif frame._atTop:
            raise LayoutError(f"验收单内容过大，无法排入一页：{type(f).__name__}")
        return


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Embed images as raw binary: reportlab's default ASCII85 makes them 25% larger."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _compress_last_page(canv: Canvas) -> None:
    """Deflate the page just finished now rather than when the whole file is saved.

    reportlab keeps every page's drawing operators as text until ``save``
    (~25 KB a certificate page); compressing each page as it ends keeps a
    batch's memory near the size of the finished PDF.
    """
    page = canv._doc.Pages.pages[-1]
    if page.Contents or not page.stream:
        return
    stream = pdfdoc.PDFStream(content=pdfdoc.PDFZCompress.encode(page.stream), filters=[])
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    page.Contents = stream
    page.stream = None


def _draw_certificate(
    canv: Canvas, data: CertificateData, tpl: CertificateTemplate, cache: ReaderCache
) -> int:
    """Draw one certificate from the current page on; returns its page count."""
    with _binary_streams():
        return _draw_pages(canv, data, tpl, cache)


def _draw_pages(canv: Canvas, data: CertificateData, tpl: CertificateTemplate, cache: ReaderCache) -> int:
    """The page loop of ``_draw_certificate``."""
    code = data.verification_code or verification_code(data)
    story = build_story(data, tpl, code, cache)
    form = f"hvPages{next(_form_ids)}"
    page = 0
    while story:
        page += 1
        _decorate(canv, data, tpl, page, form)
        top = PAGE_H - MARGIN_TOP - (CONT_HEADER if page > 1 else 0)
        frame = Frame(
            MARGIN_X, MARGIN_BOTTOM, FRAME_W, top - MARGIN_BOTTOM,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        _fill(frame, story, canv)
        canv.showPage()
        _compress_last_page(canv)
    canv.beginForm(form)
    canv.setFont(_get_styles().font, 8)
    canv.drawCentredString(canv.stringWidth("99", _get_styles().font, 8) / 2, 0, str(page))
    canv.endForm()
    return page


def _new_canvas(out: Path | BinaryIO | str, title: str) -> Canvas:
    register_cjk_font()
    canv = Canvas(out if not isinstance(out, Path) else str(out), pagesize=A4, pageCompression=1)
    canv.setTitle(title)
    canv.setCreator("HomeVisit")
    canv.setAuthor("")
    return canv


def render_certificate(
    data: CertificateData, out: Path | BinaryIO, template: CertificateTemplate | None = None
) -> None:
    """Write one certificate as a PDF to a path or a binary file object."""
    tpl = template or load_template()
    canv = _new_canvas(out, f"{tpl.title(data.project_kind)} {data.serial}")
    _draw_certificate(canv, data, tpl, ReaderCache())
    canv.save()


def render_batch(
    items: Iterable[CertificateData],
    out_path: Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    template: CertificateTemplate | None = None,
) -> int:
    """Write all certificates into one PDF at ``out_path``; returns how many were written.

    ``items`` may be a generator (records loaded as they are drawn); ``progress``
    gets ``(done, total)`` with ``total`` 0 when ``items`` has no length.
    The PDF goes to a temporary file renamed over ``out_path`` at the end, so a
    cancel (``ExportCancelled``) or an error leaves no partial file.
    """
    tpl = template or load_template()
    out_path = Path(out_path)
    total = len(items) if isinstance(items, Sized) else 0
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
    cache = ReaderCache()
    done = 0
    try:
        canv = _new_canvas(tmp, tpl.label("batch_title") if "batch_title" in tpl.labels else "验收单")
        for data in items:
            if cancelled is not None and cancelled():
                raise ExportCancelled("已取消导出验收单")
            _draw_certificate(canv, data, tpl, cache)
            done += 1
            if progress is not None:
                progress(done, total)
        if done == 0:
            raise ValueError("没有可导出的验收单")
        if cancelled is not None and cancelled():
            raise ExportCancelled("已取消导出验收单")
        canv.save()
        os.replace(tmp, out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return done
