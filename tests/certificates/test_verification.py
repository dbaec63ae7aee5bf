"""Verification codes: deterministic, tamper-evident, readable, and importable without reportlab."""

import dataclasses
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.contract.certificate.model import CertificateData, CheckLine, Rectification, UnmaskedNumber
from app.contract.certificate.verification import (
    ALPHABET,
    CODE_LENGTH,
    InvalidQrPayload,
    code_matches,
    format_code,
    matching_code,
    normalize_code,
    parse_qr_payload,
    qr_payload,
    verification_code,
)
from app.domain.enums import CheckResult


def test_code_shape_and_determinism(lighting, pictures):
    from app.certificates.sample import sample_certificate

    code = verification_code(lighting)
    assert len(code) == CODE_LENGTH
    assert set(code) <= set(ALPHABET)
    assert not set(code) & set("ILOU")
    assert verification_code(sample_certificate("lighting", pictures, photos=4, signatures=3)) == code


def _items_changed(d):
    d.items[0] = dataclasses.replace(d.items[0], actual_qty=d.items[0].actual_qty + 1)


def _result_changed(d):
    d.checks[0] = dataclasses.replace(d.checks[0], result=CheckResult.FAIL)


def _measured_changed(d):
    i = next(i for i, c in enumerate(d.checks) if c.measured)
    d.checks[i] = dataclasses.replace(d.checks[i], measured="0.1 MΩ")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: setattr(d, "serial", "QZ07-2026-000124"),
        lambda d: setattr(d, "household_head", "王建军"),
        lambda d: setattr(d, "person_name", "王秀兰"),
        lambda d: setattr(d, "person_id_masked", "330802********0035"),
        lambda d: setattr(d, "conclusion", CheckResult.RECTIFY),
        lambda d: setattr(d, "acceptance_date", date(2026, 5, 13)),
        lambda d: setattr(d, "project_kind", "accessibility"),
        lambda d: d.items.pop(),
        _items_changed,
        lambda d: setattr(d.items[1], "unit_price", Decimal("99")),
        _result_changed,
        _measured_changed,
        lambda d: d.records_checks.append(CheckLine("补充材料", CheckResult.PASS)),
        # Every printed field counts (content version 2).
        lambda d: setattr(d, "contractor", "另一家施工队"),
        lambda d: setattr(d, "satisfaction", "不满意"),
        lambda d: setattr(d, "opinion", "另起一行的意见"),
        lambda d: setattr(d, "issuer", "另一个残联"),
        lambda d: setattr(d, "region_name", "别的村"),
        lambda d: setattr(d.signatures[0], "name", "李四"),
        lambda d: setattr(d.signatures[0], "relation", "配偶"),
        lambda d: d.team_members.append("张三"),
        lambda d: setattr(d.checks[0], "note", "补记"),
        lambda d: setattr(d, "facts", [dataclasses.replace(d.facts[0], value="X-1")] + d.facts[1:]),
        lambda d: d.rectifications.append(Rectification(1, date(2026, 4, 1), "扶手偏高")),
    ],
)
def test_code_changes_when_content_changes(lighting, tamper):
    before = verification_code(lighting)
    tamper(lighting)
    assert verification_code(lighting) != before


@pytest.mark.parametrize(
    "harmless",
    [
        lambda d: setattr(d, "photos_before", [Path("/elsewhere/a.jpg")]),
        lambda d: setattr(d.signatures[0], "image", Path("/elsewhere/s.png")),
        lambda d: setattr(d, "check_url", "https://other.example"),
        lambda d: setattr(d, "household_head", " 王建国 "),
        lambda d: setattr(d, "verification_code", "X"),
    ],
)
def test_code_ignores_presentation(lighting, harmless):
    before = verification_code(lighting)
    harmless(lighting)
    assert verification_code(lighting) == before


def test_certificates_issued_under_content_v1_still_verify(lighting):
    old = verification_code(lighting, version=1)
    assert old != verification_code(lighting)
    assert matching_code(lighting, old) == old
    lighting.contractor = "改过的"  # v1 did not cover it: an old paper stays as protected as it was
    assert matching_code(lighting, old) == old
    lighting.serial = "QZ07-2026-999999"
    assert matching_code(lighting, old) != old


def test_equal_amounts_written_differently_give_the_same_code(lighting):
    before = verification_code(lighting)
    lighting.items[0].unit_price = Decimal("8.000")
    lighting.items[0].planned_qty = Decimal("40.0")
    assert verification_code(lighting) == before


def test_typed_codes_are_forgiving(lighting):
    code = verification_code(lighting)
    typed = format_code(code).lower().replace("0", "o").replace("1", "l")
    assert normalize_code(typed) == code
    assert code_matches(lighting, typed)
    assert not code_matches(lighting, "0000-0000-0000")


def test_qr_payload_round_trip():
    text = qr_payload("QZ07-2026-000123", "ABCD1234EFGH")
    assert text == "HV1|QZ07-2026-000123|ABCD1234EFGH"
    assert parse_qr_payload(text) == ("QZ07-2026-000123", "ABCD1234EFGH")


@pytest.mark.parametrize("text", ["", "HV2|A|B", "HV1|only", "https://example.com"])
def test_qr_payload_rejects_foreign_codes(text):
    with pytest.raises(InvalidQrPayload):
        parse_qr_payload(text)


def test_verification_module_is_light():
    code = (
        "import sys, app.contract.certificate.verification, app.contract.certificate.content;"
        "heavy = [m for m in ('reportlab', 'PIL', 'segno', 'PySide6') if m in sys.modules];"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


@pytest.mark.parametrize(
    ("field", "value"),
    [("person_id_masked", "330802195803150027"), ("disability_cert_masked", "33080219580315002742")],
)
def test_certificate_refuses_full_numbers(field, value):
    fields = {
        "issuer": "x",
        "serial": "QZ07-2026-000001",
        "household_head": "a",
        "person_name": "b",
        "person_id_masked": "330802********0027",
        "disability_cert_masked": "330802********002742",
        "address": "c",
        "region_name": "d",
        "project_kind": "lighting",
        "acceptance_date": date(2026, 5, 12),
        "conclusion": "pass",
    }
    fields[field] = value
    with pytest.raises(UnmaskedNumber, match="必须脱敏"):
        CertificateData(**fields)
