"""Windows version resource for ``homevisit.exe`` (Explorer's Details tab, installers, support).

The version comes from ``pyproject.toml`` so there is one place to change it;
``homevisit.spec`` calls ``version_info()`` and passes the result to ``EXE``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPANY = "HomeVisit"
PRODUCT = "HomeVisit 入户访视"
DESCRIPTION = "HomeVisit 入户访视 — 残疾人入户访视与无障碍改造"


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The distribution version, e.g. ``0.1.0``."""
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3, 0)``; a part counts by its leading digits (``3rc1`` -> 3)."""
    parts = []
    for piece in version.split(".")[:4]:
        match = re.match(r"\d+", piece)
        parts.append(int(match.group()) if match else 0)
    while len(parts) < 4:
        parts.append(0)
    return (parts[0], parts[1], parts[2], parts[3])


def version_info(version: str | None = None):  # noqa: ANN201 - PyInstaller's class, imported lazily
    """A ``VSVersionInfo`` for PyInstaller's ``EXE(version=...)`` (Windows only: it needs ``pefile``)."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    version = version or project_version()
    numbers = version_tuple(version)
    strings = [
        StringStruct("CompanyName", COMPANY),
        StringStruct("FileDescription", DESCRIPTION),
        StringStruct("FileVersion", version),
        StringStruct("InternalName", "homevisit"),
        StringStruct("LegalCopyright", "© HomeVisit"),
        StringStruct("OriginalFilename", "homevisit.exe"),
        StringStruct("ProductName", PRODUCT),
        StringStruct("ProductVersion", version),
    ]
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers, mask=0x3F, flags=0x0, OS=0x40004, fileType=0x1),
        kids=[
            # 0804 = Chinese (PRC), 04B0 = Unicode (code page 1200).
            StringFileInfo([StringTable("080404B0", strings)]),
            VarFileInfo([VarStruct("Translation", [0x0804, 1200])]),
        ],
    )
