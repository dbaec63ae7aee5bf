"""The public certificate page, opened from the QR code of a certificate a laptop really issued."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlmodel import Session, select

from app.contract.certificate.verification import check_url, parse_qr_payload
from server.console import public_pages
from server.models import Record


def _qr_text(pdf: Path, tmp_path: Path) -> str:
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True)
    (png,) = tmp_path.glob("page*.png")
    (code,) = zxingcpp.read_barcodes(Image.open(png))
    return code.text


@pytest.fixture(autouse=True)
def _no_throttle():
    public_pages.CHECKS._events.clear()


def test_the_qr_code_of_a_real_certificate_opens_genuine_without_personal_data(
    live_server, issued, page, tmp_path, shots
):
    _client, cert, printed = issued
    scanned = _qr_text(cert.pdf_path, tmp_path)
    serial, code = parse_qr_payload(scanned)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(check_url(live_server.url, serial, code))
    assert page.locator("#verdict").get_attribute("data-status") == "genuine"
    assert page.locator("#verdict h2").inner_text() == "真实有效"
    assert page.locator("#serial").inner_text() == serial
    body = page.locator("body").inner_text()
    assert printed.region_name in body and printed.project_kind.label in body
    for item in printed.items:
        assert item.name in body
    for personal in (printed.person_name, printed.household_head, printed.address, printed.person_id_masked):
        assert personal and personal not in body
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "public-genuine-390.png"), full_page=True)
    # The scanned text pasted as it is works too.
    page.goto(f"{live_server.url}/check?qr={scanned}")
    assert page.locator("#verdict").get_attribute("data-status") == "genuine"


def test_unknown_and_changed(live_server, issued, page, shots):
    _client, cert, _printed = issued
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(check_url(live_server.url, "QZ99-2026-000123", cert.verification_code))
    assert page.locator("#verdict").get_attribute("data-status") == "unknown"
    page.screenshot(path=str(shots / "public-unknown-390.png"), full_page=True)
    with Session(live_server.engine) as session:
        rec = session.exec(select(Record).where(Record.tbl == "renovationitem")).first()
        fields = dict(rec.fields)
        fields["actual_qty"] = [float(fields["actual_qty"][0]) + 1, fields["actual_qty"][1]]  # no trace
        rec.fields = fields
        session.add(rec)
        session.commit()
    page.goto(check_url(live_server.url, cert.serial, cert.verification_code))
    assert page.locator("#verdict").get_attribute("data-status") == "tampered"
    assert page.locator("#verdict h2").inner_text() == "内容已被改动"
    page.screenshot(path=str(shots / "public-tampered-390.png"), full_page=True)


def test_checks_are_rate_limited(live_server, page):
    for _ in range(public_pages.CHECKS.limit):
        assert page.goto(f"{live_server.url}/check/QZ99-2026-000123?code=X").status == 200
    answer = page.goto(f"{live_server.url}/check/QZ99-2026-000123?code=X")
    assert answer.status == 429 and "过于频繁" in page.locator(".error").inner_text()
