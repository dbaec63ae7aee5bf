"""Certificate service: serials per device, content from the database, batch export, verification."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from app.certificates.render import ExportCancelled
from app.certificates.serial import parse_serial
from app.domain.ids import id_check_char
from app.services.acceptance import AcceptanceError, AcceptanceService
from app.services.certificates import (
    CertificateError,
    CertificateService,
    UnknownCertificate,
    device_prefix,
    sha256_of,
)
from app.services.projects import ProjectService
from app.services.settings import Settings
from app.store.models import Acceptance
from app.store.store import Store
from app.store.sync_state import certificate_seq_key
from tests.helpers.profiles import VALID_ID, VALID_ID_2
from tests.services.test_acceptance_service import TODAY, awaiting_project, fill_all

_seq = iter(range(100, 999))


def an_id() -> str:
    """A fresh valid ID number (each test family must differ: the registry refuses duplicates)."""
    first17 = f"33080219600101{next(_seq):03d}"
    return first17 + id_check_char(first17)


def passed_acceptance(store, tmp_path, kind="lighting", **family):
    if "person" not in family:
        number = an_id()
        family["person"] = {"id_number": number, "cert_number": number + "42"}
    service = AcceptanceService(store, today=TODAY)
    project = awaiting_project(store, kind, **family)
    acceptance = service.start("yanshou", project.id, team=["李强", "陈丽"])
    fill_all(service, acceptance.id, tmp_path=tmp_path)
    assert service.finish("yanshou", acceptance.id).passed
    return acceptance


def _text(path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))


def test_serials_are_unique_across_devices_and_count_per_device(tmp_path):
    a, b = Store(tmp_path / "a"), Store(tmp_path / "b")
    try:
        serials = {}
        for name, store in (("a", a), ("b", b)):
            service = CertificateService(store, today=TODAY)
            serials[name] = [
                service.issue("yanshou", passed_acceptance(store, tmp_path / f"{name}{i}").id).serial
                for i in range(2)
            ]
        parsed = {k: [parse_serial(s) for s in v] for k, v in serials.items()}
        assert [s.seq for s in parsed["a"]] == [1, 2] and [s.seq for s in parsed["b"]] == [1, 2]
        assert parsed["a"][0].prefix == device_prefix(a) != device_prefix(b) == parsed["b"][0].prefix
        assert not set(serials["a"]) & set(serials["b"])
        assert a.get_state(certificate_seq_key(2026)) == "2"
    finally:
        a.close()
        b.close()


def test_configured_prefix_and_issue_is_idempotent(store, tmp_path):
    acceptance = passed_acceptance(store, tmp_path)
    service = CertificateService(store, Settings(device_prefix="qz07"), today=TODAY)
    first = service.issue("yanshou", acceptance.id)
    assert re.fullmatch(r"QZ07-2026-000001-[0-9A-Z]{5}", first.serial)
    assert service.issue("yanshou", acceptance.id) == first
    with store.session() as s:
        assert s.get(Acceptance, acceptance.id).certificate_serial == first.serial
    assert sha256_of(first.pdf_path) == first.pdf_sha256


def test_only_a_passed_acceptance_gets_a_certificate(store):
    project = awaiting_project(store)
    acceptance = AcceptanceService(store).start("yanshou", project.id)
    with pytest.raises(CertificateError, match="验收合格"):
        CertificateService(store).issue("yanshou", acceptance.id)


def test_certificate_content_from_the_database(store, tmp_path):
    acceptance = passed_acceptance(
        store, tmp_path, person={"name": "赵小梅", "id_number": VALID_ID_2, "cert_number": VALID_ID_2 + "42"}
    )
    service = CertificateService(store, Settings(federation_name="衢州市柯城区残疾人联合会"), today=TODAY)
    issued = service.issue("yanshou", acceptance.id)
    text = _text(issued.pdf_path)
    for expected in [
        "衢州市柯城区残疾人联合会", "王建国", "赵小梅", "440524********0014",
        "照明线路更换（穿管敷设）", "LED灯具", "漏电保护开关（30mA）", "衢州安居装饰", issued.serial,
        "12MΩ", "李强", "签字人0", "满意", "柯城区",
    ]:  # fmt: skip
        assert expected.replace(" ", "") in text, expected
    assert "-".join(re.findall("....", issued.verification_code)) in text
    assert VALID_ID_2 not in text and VALID_ID not in text
    assert "440524********001442" not in text  # category and level are not printed unless the template asks
    assert not re.search(r"\d{15,}", text.replace(",", ""))
    data = service.data(issued.serial)
    assert data.person_id_masked == "440524********0014"
    assert (
        len(data.signatures) == 5 + 2 and data.signatures[0].image is not None
    )  # 5 parties + 2 team members
    assert data.signatures[3].image is None  # township did not sign in this test


def test_batch_export_filters_and_cancel_leaves_no_file(store, tmp_path):
    service = CertificateService(store, today=TODAY)
    serials = [
        service.issue("yanshou", passed_acceptance(store, tmp_path / str(i)).id).serial for i in range(3)
    ]
    rows = service.list_certificates(month="2026-05", region_prefix="330802")
    assert sorted(r.serial for r in rows) == sorted(serials)
    assert service.list_certificates(month="2026-04") == []
    out = tmp_path / "batch.pdf"
    seen = []
    assert service.export_batch(serials, out, progress=lambda d, t: seen.append((d, t))) == 3
    assert seen[-1] == (3, 3) and len(PdfReader(out).pages) >= 3
    cancelled_out = tmp_path / "cancelled.pdf"
    with pytest.raises(ExportCancelled):
        service.export_batch(
            serials, cancelled_out, cancelled=lambda: len(seen) >= 4, progress=lambda d, t: seen.append(d)
        )
    assert not cancelled_out.exists()
    assert not list(tmp_path.glob(".cancelled.pdf*"))


def test_local_verification_detects_unknown_wrong_code_and_changed_data(store, tmp_path):
    acceptance = passed_acceptance(store, tmp_path)
    service = CertificateService(store, today=TODAY)
    issued = service.issue("yanshou", acceptance.id)
    code = issued.verification_code
    assert service.verify_local(issued.serial.lower(), "-".join(re.findall("....", code))).status == "genuine"
    assert service.verify_local("QZ99-2026-000001", code).status == "unknown"
    assert service.verify_local(issued.serial, "0" * 12).status == "tampered"
    with store.unit_of_work("someone") as uow:  # the record is edited after printing
        row = uow.get(Acceptance, acceptance.id)
        uow.set_map_value(row, "checks", "ZM-C06.value", "99 MΩ")
    assert service.verify_local(issued.serial, code).status == "tampered"
    with pytest.raises(UnknownCertificate):
        service.get("nonsense")


def test_remote_verification_without_server_is_skipped(store):
    assert CertificateService(store, Settings(server_url="")).verify_remote("QZ07-2026-000001", "X") is None


def test_remote_verification_reports_unreachable_server(store):
    result = CertificateService(store).verify_remote("QZ07-2026-000001", "X", server_url="http://127.0.0.1:9")
    assert result is not None and result.status == "error" and "服务器" in result.message


def test_demo_projects_cover_every_status(store):
    from collections import Counter

    from app.domain.enums import ProjectKind, ProjectStatus
    from app.services.demo_projects import seed_demo_projects
    from app.services.projects import ProjectFilters, ProjectService
    from app.services.seed import seed_store

    seed_store(store, 220, seed=2026)  # enough level 1–2 households for 14 statuses × 4 kinds
    assert seed_demo_projects(store, "zhangli", today=date(2026, 6, 1)) == 56
    rows = ProjectService(store, today=date(2026, 6, 1)).list_projects()
    assert {(r.kind, r.status) for r in rows} == {
        (k.value, s.value) for k in ProjectKind for s in ProjectStatus
    }
    assert ProjectService(store, today=date(2026, 6, 1)).list_projects(ProjectFilters(overdue=True))
    certificates = CertificateService(store)
    serials = [r.serial for r in certificates.list_certificates()]
    assert Counter(r.kind for r in certificates.list_certificates()) == {k.value: 2 for k in ProjectKind}
    code = certificates.get(serials[0]).verification_code
    assert certificates.verify_local(serials[0], code).status == "genuine"
    rounds = [len(AcceptanceService(store).rounds(r.id)) for r in rows if r.status == "accepted"]
    assert max(rounds) == 2  # one went through rectification first
    # Every seeded certificate prints the project's facts as the documents give them (#16 item 8).
    import re

    from app.domain.synthetic_projects import CONTRACTORS

    for row in certificates.list_certificates():
        data = certificates.data(row.serial)
        text = _text(io.BytesIO(certificates.pdf_bytes(row.serial)))
        prefix = {"accessibility": "WZA", "lighting": "ZM", "clean_bright": "JJ", "dangerous_house": "WF"}[
            row.kind
        ]
        assert re.fullmatch(rf"\d{{6}}-{prefix}-\d{{4}}-\d{{4}}", data.fact("project_number"))
        for key in ("batch", "contract_number", "started_on", "completed_on", "subsidy", "self_funded",
                    "warranty", "contractor_contact", "contractor_phone"):  # fmt: skip
            assert data.fact(key), (row.serial, key)
        started, completed = (
            date(*map(int, re.findall(r"\d+", data.fact(k)))) for k in ("started_on", "completed_on")
        )
        assert started <= completed <= date(2026, 6, 1)  # from the project's own timeline
        for value in (data.fact("project_number"), data.fact("contract_number"), data.fact("contractor_phone"),
                      "与残疾人关系：本人"):  # fmt: skip
            assert value in text, (row.serial, value)
        contractor = next(c for c in CONTRACTORS if c[0] in text)
        assert contractor[1] == data.fact("contractor_contact")
        if row.kind == "lighting":
            assert "电气" in contractor[0]  # an electrical crew wires, builders reinforce
            assert not re.search(r"导线截面（铜芯）\s*(1\.8|3|5) mm²", text)  # nominal sizes only
        if row.kind == "dangerous_house":
            assert "电气" not in contractor[0] and "住建" in text


def test_facts_relation_and_history_are_printed_and_covered(store, tmp_path):
    """Round 1 fails (notice printed), round 2 passes: the certificate carries both, and the code covers them."""
    from app.contract.certificate.verification import verification_code

    number = an_id()
    service = AcceptanceService(store, today=TODAY)
    project = awaiting_project(store, "lighting", person={"id_number": number, "cert_number": number + "42"})
    first = service.start("yanshou", project.id, team=["李强", "陈丽"])
    fill_all(service, first.id, overrides={"ZM-C02": "1 mm²"}, tmp_path=tmp_path / "r1")
    service.set_fact("yanshou", first.id, "contract_number", "KCCL-2026-HT-007")
    service.set_fact("yanshou", first.id, "contractor_phone", "13857012345")
    assert not service.finish("yanshou", first.id).passed
    certificates = CertificateService(
        store, Settings(federation_name="衢州市柯城区残疾人联合会"), today=TODAY
    )
    notice = certificates.rectification_notice(first.id, tmp_path / "notice.pdf")
    assert [f.name for f in notice.findings] == ["照明回路导线截面（铜芯）"]
    assert "照明回路导线截面" in _text(tmp_path / "notice.pdf")
    with pytest.raises(AcceptanceError, match="日期"):
        service.set_fact("yanshou", first.id, "started_on", "五月")
    ProjectService(store, today=TODAY).advance("yanshou", project.id, "awaiting_acceptance", note="整改完毕")
    second = service.start("yanshou", project.id, team=["李强", "陈丽", "郑国平"])
    fill_all(service, second.id, tmp_path=tmp_path / "r2")
    service.set_fact("yanshou", second.id, "started_on", "2026-04-20")
    png = (tmp_path / "r2" / "sig0.png").read_bytes()
    service.add_signature("yanshou", second.id, "resident", png, name="王建国", relation="子女")
    assert service.finish("yanshou", second.id).passed
    issued = certificates.issue("yanshou", second.id)
    text = _text(io.BytesIO(certificates.pdf_bytes(issued.serial)))  # the stored file is encrypted
    for expected in ("KCCL-2026-HT-007", "13857012345", "2026年4月20日", "与残疾人关系：子女", "整改记录", "第1轮",
                     "照明回路导线截面", "郑国平", "一式四份"):  # fmt: skip
        assert expected in text, expected
    data = certificates.data(issued.serial)
    assert data.fact("contract_number") == "KCCL-2026-HT-007" and data.rectifications[0].round == 1
    assert verification_code(data) == issued.verification_code
    assert certificates.verify_local(issued.serial, issued.verification_code).status == "genuine"
