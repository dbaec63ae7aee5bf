"""``homevisit certificates export``: certificates of a profile into one PDF, from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from app.certificates.render import ExportCancelled
from app.services.auth import LoginFailed
from app.services.certificates import CertificateError, CertificateService
from app.services.profile import open_for_command
from app.services.settings import Settings
from app.store.store import DB_NAME


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 2


def export_certificates(home: Path, *, serial: str | None = None, all_: bool = False, out: Path) -> int:
    """Write one certificate (``serial``) or all of them to ``out``; returns the exit status."""
    home = Path(home)
    if not (home / DB_NAME).is_file():
        return _fail(f"目录“{home}”中没有 HomeVisit 数据（找不到 {DB_NAME}）")
    if not serial and not all_:
        return _fail("请用 --serial 指定验收单编号，或用 --all 导出全部")
    out = Path(out)
    if not out.parent.is_dir():
        return _fail(f"输出目录“{out.parent}”不存在")
    try:
        store = open_for_command(home)  # an encrypted profile needs HOMEVISIT_USER/HOMEVISIT_PASSWORD
    except LoginFailed as exc:
        return _fail(str(exc))
    try:
        service = CertificateService(store, Settings.load(home))
        try:
            if serial:
                service.save_pdf(service.get(serial).serial, out)
                count = 1
            else:
                serials = [row.serial for row in service.list_certificates()]
                if not serials:
                    return _fail("该数据目录中还没有出具任何验收单")
                count = service.export_batch(serials, out)
        except (CertificateError, ExportCancelled) as exc:
            return _fail(str(exc))
        service.audit_export("cli", [serial] if serial else serials, out)
        print(f"已导出 {count} 份验收单到 {out}")
        return 0
    finally:
        store.close()
