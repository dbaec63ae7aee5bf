"""Certificate PDFs: every field printed, numbers masked, QR decodable, batches safe to cancel."""

import dataclasses
import io
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from app.certificates.render import ExportCancelled, render_batch, render_certificate
from app.certificates.sample import SAMPLE_CERT, SAMPLE_ID, sample_certificate
from app.certificates.template import TEMPLATE_PATH, load_template, parse_template
from app.contract.certificate.model import CertificateItem, CheckLine
from app.contract.certificate.verification import format_code, verification_code
from app.domain.enums import CheckResult


def _text(pdf) -> str:
    reader = PdfReader(pdf)
    # Cells wrap long text across lines; compare without any whitespace.
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


def _pdf(data, tmp_path, name="c.pdf") -> Path:
    out = tmp_path / name
    render_certificate(data, out)
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_field_is_printed(lighting, tmp_path):
    text = _text(_pdf(lighting, tmp_path))
    code = verification_code(lighting)
    expected = [
        lighting.issuer,
        "“美丽家园”室内照明线路改造竣工验收单",
        lighting.serial,
        format_code(code),
        "2026年5月12日",
        lighting.household_head,
        lighting.person_name,
        lighting.disability_cert_masked[:18],
        lighting.address,
        lighting.region_name,
        lighting.project_kind.label,
        lighting.contractor,
        lighting.opinion,
        *lighting.team_members,
        "人民币壹仟壹佰肆拾元整",
        "1,162.00",
        "1,140.00",
        "第1页共3页",
        "一式四份",
    ]
    for fact in lighting.facts:
        expected += [fact.label, fact.value]
    for item in lighting.items:
        expected += [item.name, item.unit, f"{item.unit_price:.2f}", f"{item.amount:,.2f}"]
    for line in [*lighting.records_checks, *lighting.onsite_checks, *lighting.checks]:
        expected += [line.name, line.measured, line.note]
    for sig in lighting.signatures:
        expected += [sig.role, sig.name, sig.relation]
    missing = [e for e in expected if e and _squash(e) not in text]
    assert not missing


def test_no_full_identity_number_is_printed(lighting, tmp_path):
    text = _text(_pdf(lighting, tmp_path))
    assert SAMPLE_ID not in text and SAMPLE_CERT not in text
    assert "330802********0027" in text
    assert not re.search(r"\d{15,}", text.replace(",", ""))
    # One masked number, printed once: no repeated ID row, no category and level digits.
    assert text.count("330802********0027") == 1 and "330802********002742" not in text


def test_rectification_shows_deadline_and_results(accessibility, tmp_path):
    text = _text(_pdf(accessibility, tmp_path))
    assert "■需整改" in text and "□验收合格" in text
    assert "整改期限：2026年5月27日前" in text
    assert "930mm" in text and "整改" in text
    assert "■基本满意" in text


def _qr_texts(pdf: Path, tmp_path: Path) -> list[str]:
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True)
    (png,) = tmp_path.glob("page*.png")
    return [b.text for b in zxingcpp.read_barcodes(Image.open(png))]


def test_qr_code_carries_serial_and_code(accessibility, tmp_path):
    pdf = _pdf(accessibility, tmp_path)
    assert _qr_texts(pdf, tmp_path) == [f"HV1|{accessibility.serial}|{verification_code(accessibility)}"]


def test_qr_code_opens_the_check_page(accessibility, tmp_path):
    accessibility.check_url = "https://hv.qzdpf.example.cn/"
    pdf = _pdf(accessibility, tmp_path)
    code = verification_code(accessibility)
    assert _qr_texts(pdf, tmp_path) == [
        f"https://hv.qzdpf.example.cn/check/{accessibility.serial}?code={code}"
    ]


def test_category_and_level_only_where_the_template_asks(lighting, tmp_path):
    raw = json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))
    out = tmp_path / "cl.pdf"
    render_certificate(lighting, out, template=parse_template({**raw, "show_category_level": True}))
    assert "330802********002742" in _text(out)


@pytest.mark.parametrize("kind", ["lighting", "accessibility", "dangerous_house"])
def test_parties_sign_and_seal_and_copies_match(pictures, tmp_path, kind):
    data = sample_certificate(kind, pictures, photos=0, signatures=0)
    text = _text(_pdf(data, tmp_path))
    keepers = [s.role for s in data.signatures if s.keeps_copy]
    assert "一式" + "一二三四五六七八九十"[len(keepers) - 1] + "份" in text
    assert _squash("、".join(keepers) + "各执一份") in text
    assert "施工单位（签字盖章）" in text and "县（市、区）残联（签字盖章）" in text
    assert "与残疾人关系：子女" in text
    assert text.count("验收组成员（签字）") == len(data.team_members)
    assert ("住建部门（签字盖章）" in text) is (kind == "dangerous_house")


def test_dangerous_house_prints_appraisal_and_grades(pictures, tmp_path):
    data = sample_certificate("dangerous_house", pictures, photos=0)
    text = _text(_pdf(data, tmp_path))
    for label in ("鉴定机构", "鉴定报告编号", "改造前危房等级", "改造后房屋等级", "衢州市房屋安全鉴定中心"):
        assert label in text
    assert "已掌握使用方法" not in text and "住建部门同意验收" in text


def test_rectification_history_is_printed(pictures, tmp_path):
    data = sample_certificate("accessibility", pictures, photos=0, history_rounds=True)
    text = _text(_pdf(data, tmp_path))
    assert "整改记录" in text and "第1轮" in text and "2026年4月28日" in text
    assert _squash(data.rectifications[0].findings) in text
    # Sections are numbered as they appear.
    assert "五、整改记录" in text and "七、签字确认" in text
    without = _text(_pdf(sample_certificate("accessibility", pictures, photos=0), tmp_path, "n.pdf"))
    assert "整改记录" not in without and "六、签字确认" in without


def test_rectification_notice(accessibility, tmp_path):
    from app.certificates.notice import notice_from, render_rectification_notice

    out = tmp_path / "notice.pdf"
    render_rectification_notice(notice_from(accessibility, 1), out)
    text = _text(out)
    for expected in ("整改通知单", accessibility.contractor, "2026年5月27日前", "930mm", "扶手偏高",
                     "施工单位签收（签字盖章）", "周建华", "13857012345", "一式三份"):  # fmt: skip
        assert _squash(expected) in text, expected
    assert not re.search(r"\d{15,}", text) and "330802" not in text


def test_render_to_file_object(lighting):
    buf = io.BytesIO()
    render_certificate(lighting, buf)
    assert buf.getvalue().startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(buf.getvalue())).pages) == 3


def test_cjk_font_is_embedded_as_subset(lighting, tmp_path):
    reader = PdfReader(_pdf(lighting, tmp_path))
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    cjk = [f for f in fonts if "WenQuanYiMicroHei" in f["/BaseFont"]]
    assert cjk
    for font in cjk:
        assert "/FontFile2" in font["/FontDescriptor"]
        assert "/ToUnicode" in font


def test_template_wording_is_used(lighting, tmp_path):
    raw = {
        "titles": {"lighting": "千户万灯照明改造验收单"},
        "labels": dict(load_template().labels, household_head="户主"),
        "footer_note": "自定义页脚",
    }
    out = tmp_path / "t.pdf"
    render_certificate(lighting, out, template=parse_template(raw))
    text = _text(out)
    assert "千户万灯照明改造验收单" in text and "自定义页脚" in text and "户主姓名" not in text


def test_missing_picture_does_not_stop_the_certificate(lighting, tmp_path):
    lighting.photos_after = [tmp_path / "gone.jpg"]
    lighting.signatures[0].image = tmp_path / "gone.png"
    assert "照片缺失" in _text(_pdf(lighting, tmp_path))


def test_long_certificate_flows_over_pages(lighting, tmp_path):
    extra = CertificateItem("附加项目" * 6, "项", Decimal("10"), Decimal("1"), Decimal("1"), Decimal("10.00"),
                            CheckResult.PASS)  # fmt: skip
    lighting.items = lighting.items + [dataclasses.replace(extra) for _ in range(60)]
    lighting.checks = lighting.checks + [CheckLine(f"补充检查{i}", CheckResult.PASS) for i in range(40)]
    lighting.photos_before = lighting.photos_before * 3
    pdf = _pdf(lighting, tmp_path)
    pages = len(PdfReader(pdf).pages)
    assert pages >= 4
    assert f"第{pages}页共{pages}页" in _text(pdf)


def test_batch_writes_one_pdf_and_reports_progress(pictures, tmp_path):
    certs = [sample_certificate("lighting", pictures, seq=n, photos=1, signatures=2) for n in (1, 2, 3)]
    seen = []
    out = tmp_path / "all.pdf"
    assert render_batch(certs, out, progress=lambda d, t: seen.append((d, t))) == 3
    assert seen == [(1, 3), (2, 3), (3, 3)]
    text = _text(out)
    for c in certs:
        assert c.serial in text
    assert not list(tmp_path.glob(".*.part"))


def test_batch_from_generator_reports_unknown_total(pictures, tmp_path):
    gen = (sample_certificate("accessibility", pictures, seq=n, photos=0, signatures=1) for n in (1, 2))
    seen = []
    assert render_batch(gen, tmp_path / "g.pdf", progress=lambda d, t: seen.append((d, t))) == 2
    assert seen == [(1, 0), (2, 0)]


@pytest.mark.parametrize("stop_after", [0, 2])
def test_cancelled_batch_leaves_no_file(pictures, tmp_path, stop_after):
    certs = [sample_certificate("lighting", pictures, seq=n, photos=1, signatures=1) for n in (1, 2, 3)]
    calls = iter(range(100))
    out = tmp_path / "cancel.pdf"
    with pytest.raises(ExportCancelled):
        render_batch(certs, out, cancelled=lambda: next(calls) >= stop_after)
    assert list(tmp_path.iterdir()) == []


def test_cancel_keeps_an_earlier_export(pictures, tmp_path):
    out = tmp_path / "keep.pdf"
    out.write_bytes(b"old export")
    with pytest.raises(ExportCancelled):
        render_batch([sample_certificate("lighting", pictures, photos=0)], out, cancelled=lambda: True)
    assert out.read_bytes() == b"old export"


def test_empty_batch_is_refused(tmp_path):
    with pytest.raises(ValueError, match="没有可导出"):
        render_batch([], tmp_path / "none.pdf")
    assert list(tmp_path.iterdir()) == []
