"""``homevisit certificates export``: one serial, all, and clear errors."""

from pypdf import PdfReader

from app.cli import main
from app.services.certificates import CertificateService
from tests.services.test_certificates_service import TODAY, passed_acceptance


def test_export_one_and_all(store, tmp_path, capsys):
    service = CertificateService(store, today=TODAY)
    serials = [
        service.issue("yanshou", passed_acceptance(store, tmp_path / str(i)).id).serial for i in range(2)
    ]
    store.close()
    one = tmp_path / "one.pdf"
    assert (
        main(["certificates", "export", "--home", str(store.home), "--serial", serials[1], "--out", str(one)])
        == 0
    )
    assert serials[1] in PdfReader(one).pages[0].extract_text()
    every = tmp_path / "all.pdf"
    assert main(["certificates", "export", "--home", str(store.home), "--all", "--out", str(every)]) == 0
    assert "已导出 2 份验收单" in capsys.readouterr().out
    text = "".join(p.extract_text() for p in PdfReader(every).pages)
    assert all(s in text for s in serials)


def test_unknown_serial_fails_with_a_message(store, tmp_path, capsys):
    store.close()
    out = tmp_path / "x.pdf"
    code = main(
        [
            "certificates",
            "export",
            "--home",
            str(store.home),
            "--serial",
            "QZ07-2026-000999",
            "--out",
            str(out),
        ]
    )
    assert code != 0 and not out.exists()
    assert "本机没有编号为“QZ07-2026-000999”的验收单" in capsys.readouterr().err


def test_missing_profile_and_nothing_issued(tmp_path, store, capsys):
    assert (
        main(
            [
                "certificates",
                "export",
                "--home",
                str(tmp_path / "nowhere"),
                "--all",
                "--out",
                str(tmp_path / "a.pdf"),
            ]
        )
        == 2
    )
    assert "没有 HomeVisit 数据" in capsys.readouterr().err
    store.close()
    assert (
        main(["certificates", "export", "--home", str(store.home), "--all", "--out", str(tmp_path / "a.pdf")])
        == 2
    )
    assert "还没有出具任何验收单" in capsys.readouterr().err
