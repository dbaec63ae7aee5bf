"""Packaging: the bundle filter rules, the installer script, the CI workflow, and a real bundle build.

The ``bundle``-marked test builds the Linux bundle with build/homevisit.spec into
a temporary folder (~20–60 s) and runs the bundled ``--self-test`` offscreen.
"""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.store.migrations import LATEST

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"
FIXTURE = ROOT / "tests" / "store" / "fixtures" / "homevisit-schema-v1.db"
# Linux carries ICU's 32 MB data file (Windows Qt uses the system's ICU) and, since the in-app
# certificate preview (QtPdf, which links QtNetwork), ~10 MB of Linux-only system libraries that
# QtNetwork and CUPS pull in (gnutls, krb5, p11-kit…). Measured 171.3 MB on 2026-11-25 with the server
# stack; 192.2 MB on 2026-12-01 once the encryption stack (cryptography 11.6 MB, sqlcipher3 8.4 MB, each
# with its own OpenSSL) was installed; 164.9 MB the same day without the server stack, with ICU data for
# Chinese and English only (build/icu_trim.py, 32.0 -> 10.8 MB) and without Pillow's FreeType/LittleCMS
# modules. The goal is 150 MB; the Windows bundle, estimated from win_amd64 wheels
# (build/estimate_windows.py), is ~114 MB.
# 148.7 MB on 2026-12-02 with CUPS, D-Bus, fontconfig and FreeType from the host (and what only they
# linked), ICU without what Qt never calls (10.8 -> 6.5 MB), no SQLAlchemy dialects but SQLite's
# (build/README.md). Windows estimate the same day: 114.9 MB.
MAX_LINUX_BUNDLE_MB = 150


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BUILD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_filter = _load("bundle_filter")
icu_trim = _load("icu_trim")
build_bundle = _load("build_bundle")
version_info = _load("version_info")


# --- what the bundle keeps ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6\\plugins\\imageformats\\qico.dll", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", False),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6\\translations\\qtbase_en.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qtdeclarative_zh_CN.qm", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6WaylandClient.so.6", False),
        ("PySide6\\Qt6Qml.dll", False),
        ("PySide6\\opengl32sw.dll", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6\\Qt6Gui.dll", True),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", False),
        ("PySide6/Qt/lib/libQt6Network.so.6", False),
        ("resources/fonts/wqy-microhei.ttc", True),
        ("libsqlite3.so.0", True),
    ],
)
def test_keep_rules_without_optional_qt_modules(dest, kept):
    assert bundle_filter.keep(dest, {"Core", "Gui", "Widgets"}) is kept


def test_pdf_preview_brings_qtpdf_and_the_network_it_links():
    modules = bundle_filter.imported_qt_modules(["PySide6/QtCore.abi3.so", "PySide6\\QtPdfWidgets.pyd"])
    assert {"Pdf", "PdfWidgets", "Network"} <= modules
    assert bundle_filter.keep("PySide6/Qt/lib/libQt6Pdf.so.6", modules)
    assert bundle_filter.keep("PySide6\\Qt6Network.dll", modules)
    assert not bundle_filter.keep("PySide6/Qt/lib/libQt6Svg.so.6", modules)


def test_prune_unlinked_keeps_only_libraries_something_still_links():
    toc = [
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/s/libQt6Gui.so.6", "BINARY"),
        ("PIL/_imaging.so", "/s/_imaging.so", "EXTENSION"),
        ("libglib-2.0.so.0", "/s/libglib-2.0.so.0", "BINARY"),  # linked by Qt Gui
        ("libpcre2-8.so.0", "/s/libpcre2-8.so.0", "BINARY"),  # linked by glib: reached transitively
        ("libcairo.so.2", "/s/libcairo.so.2", "BINARY"),  # only the dropped GTK theme linked it
        ("libpython3.11.so.1.0", "/s/libpython3.11.so.1.0", "BINARY"),  # dlopened by the bootloader
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),  # target was dropped
    ]
    links = {
        "/s/libQt6Gui.so.6": ["libglib-2.0.so.0", "libc.so.6"],
        "/s/libglib-2.0.so.0": ["libpcre2-8.so.0"],
    }
    kept = bundle_filter.prune_unlinked(toc, lambda src: links.get(src, []))
    assert [e[0] for e in kept] == [
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PIL/_imaging.so",
        "libglib-2.0.so.0",
        "libpcre2-8.so.0",
        "libpython3.11.so.1.0",
        "libQt6Gui.so.6",
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="ELF")
def test_elf_needed_reads_the_direct_links_only(tmp_path):
    import _ssl

    needed = bundle_filter.elf_needed(_ssl.__file__)
    assert "libssl.so.3" in needed and "libcrypto.so.3" in needed
    assert "linux-vdso.so.1" not in needed  # what ldd lists beside the real links
    (tmp_path / "text.so").write_text("not ELF", encoding="utf-8")
    assert bundle_filter.elf_needed(str(tmp_path / "text.so")) == []


def test_prune_unlinked_takes_cups_from_the_host_with_what_only_it_linked():
    toc = [
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "/s/libcupsprintersupport.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/s/libQt6Network.so.6", "BINARY"),
        ("libcups.so.2", "/s/libcups.so.2", "BINARY"),
        ("libgnutls.so.30", "/s/libgnutls.so.30", "BINARY"),  # only libcups links it
        ("libgssapi_krb5.so.2", "/s/libgssapi_krb5.so.2", "BINARY"),  # libcups and QtNetwork link it
        ("libdbus-1.so.3", "/s/libdbus-1.so.3", "BINARY"),  # the host's
    ]
    links = {
        "/s/libcupsprintersupport.so": ["libcups.so.2"],
        "/s/libcups.so.2": ["libgnutls.so.30", "libgssapi_krb5.so.2"],
        "/s/libQt6Network.so.6": ["libgssapi_krb5.so.2"],
    }
    kept = bundle_filter.prune_unlinked(toc, lambda src: links.get(src, []))
    assert [e[0] for e in kept] == [
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "libgssapi_krb5.so.2",
    ]


@pytest.mark.parametrize(
    ("item", "dropped"),
    [
        ("zh.res", False),
        ("zh_Hans_CN.res", False),
        ("en_GB.res", False),
        ("root.res", False),
        ("res_index.res", False),
        ("coll/res_index.res", False),
        ("coll/zh.res", False),
        ("coll/ucadata.icu", False),
        ("brkitr/cjdict.dict", True),  # break iterators: Qt calls none (no ubrk_* import)
        ("zone/zh.res", False),
        ("zoneinfo64.res", False),
        ("ucase.icu", False),
        ("gb18030.cnv", False),
        ("windows-936-2000.cnv", False),
        ("uts46.nrm", False),
        ("likelySubtags.res", False),
        ("de.res", True),
        ("coll/ko.res", True),
        ("curr/fr_CA.res", True),
        ("brkitr/thaidict.dict", True),
        ("unames.icu", True),
        ("curr/zh.res", True),
        ("lang/en.res", True),
        ("unit/zh.res", True),
        ("translit/root.res", True),
        ("rbnf/en.res", True),
        ("ibm-1047_P100-1995.cnv", True),
    ],
)
def test_icu_data_keeps_chinese_english_and_every_shared_item(item, dropped):
    assert icu_trim.drop_item(item) is dropped


@pytest.mark.parametrize(
    ("version", "numbers"), [("0.1.0", (0, 1, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0)), ("2", (2, 0, 0, 0))]
)
def test_windows_version_numbers(version, numbers):
    assert version_info.version_tuple(version) == numbers


def test_spec_refuses_a_work_folder_inside_build():
    spec = (BUILD / "homevisit.spec").read_text(encoding="utf-8")
    assert "is_relative_to(BUILD_DIR)" in spec and "console=False" in spec and "homevisit.ico" in spec
    script = (BUILD / "build_bundle.py").read_text(encoding="utf-8")
    assert 'default=ROOT / "dist"' in script and 'default=ROOT / ".pyinstaller"' in script


# --- installer script ----------------------------------------------------------------------


def _setup_section() -> dict[str, str]:
    text = (BUILD / "installer.iss").read_text(encoding="utf-8")
    section = text.split("[Setup]", 1)[1].split("\n[", 1)[0]
    pairs = (line.split("=", 1) for line in section.splitlines() if "=" in line and not line.startswith(";"))
    return {k.strip(): v.strip() for k, v in pairs}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("AppId", "{{601BE76E-4EAE-4B1E-9C76-41EB5A5C228C}"),
        ("PrivilegesRequired", "lowest"),
        ("PrivilegesRequiredOverridesAllowed", "commandline dialog"),
        ("DefaultDirName", "{autopf}\\{#AppName}"),
        ("UsePreviousAppDir", "yes"),
        ("CloseApplications", "yes"),
    ],
)
def test_installer_setup(key, value):
    assert _setup_section()[key] == value


def test_installer_keeps_user_data_unless_asked():
    text = (BUILD / "installer.iss").read_text(encoding="utf-8")
    assert "{localappdata}\\HomeVisit" in text
    code = text.split("[Code]", 1)[1]
    # The data folder is deleted only after the unticked checkbox was ticked.
    assert "Check.Checked := False" in code
    assert re.search(r"usPostUninstall\) and DeleteUserData then\s+begin\s+if not DelTree\(UserDataDir", code)
    assert "[UninstallDelete]" not in text
    # An upgrade clears only the program's own library folder.
    assert 'Type: filesandordirs; Name: "{app}\\_internal"' in text


# --- CI workflow ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_workflow_is_valid_yaml_with_the_expected_jobs(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["push"]["tags"] == ["v*"]
    assert workflow["jobs"]["windows"]["runs-on"] == "windows-latest"
    assert workflow["jobs"]["linux"]["runs-on"] == "ubuntu-latest"
    assert workflow["jobs"]["release"]["if"] == "startsWith(github.ref, 'refs/tags/v')"


def test_workflow_uses_only_known_action_versions(workflow):
    used = {step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step}
    assert used == {
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/upload-artifact@v4",
        "actions/download-artifact@v4",
        "softprops/action-gh-release@v2",
    }
    pythons = {
        step["with"]["python-version"]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/setup-python")
    }
    assert pythons == {"3.11"}


def test_workflow_builds_self_tests_and_ships_the_installer(workflow):
    runs = "\n".join(s.get("run", "") for s in workflow["jobs"]["windows"]["steps"])
    assert 'pip install -e ".[dev,build,server]"' in runs
    assert "python build/build_bundle.py" in runs
    assert "--self-test" in runs and "build\\installer.iss" in runs
    linux = "\n".join(s.get("run", "") for s in workflow["jobs"]["linux"]["steps"])
    assert "fonts-wqy-microhei" in linux and "dist/homevisit/homevisit --self-test" in linux


# --- the real thing ------------------------------------------------------------------------


def _bundle_files(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


@pytest.mark.bundle
@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.skipif(sys.platform == "win32", reason="Windows builds in CI's own bundle step")
def test_linux_bundle_builds_and_passes_its_self_test(tmp_path):
    pytest.importorskip("PyInstaller")
    program, seconds = build_bundle.build(tmp_path / "dist", tmp_path / "work")
    folder = program.parent
    size_mb = build_bundle.folder_size(folder) / 1e6
    print(f"\nbundle: {size_mb:.1f} MB, built in {seconds:.0f} s")

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HOMEVISIT_")},
        "HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "HOMEVISIT_SELFTEST_DB": str(FIXTURE),
        "HOMEVISIT_SELFTEST_REPORT": str(tmp_path / "selftest.txt"),
    }
    run = subprocess.run([str(program), "--self-test"], env=env, capture_output=True, text=True, timeout=120)
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    line = run.stdout.strip().splitlines()[-1]
    assert line.startswith("HomeVisit self-test OK: ")
    assert f"upgrade v1->v{LATEST} with backup, nothing lost" in line and "certificate PDF" in line
    assert (tmp_path / "selftest.txt").read_text(encoding="utf-8").strip() == line

    files = _bundle_files(folder)
    assert size_mb <= MAX_LINUX_BUNDLE_MB
    if not icu_trim.tools_missing():
        icu = next(folder.rglob("libicudata.so.*"))
        assert icu.stat().st_size < 15e6  # Chinese and English only
    assert "_internal/resources/fonts/wqy-microhei.ttc" in files
    assert "_internal/resources/icons/homevisit.png" in files
    for unwanted in (
        "server",  # the server stack is the `server` extra, not part of the desktop
        "fastapi",
        "starlette",
        "uvicorn",
        "alembic",
        "hypothesis",
        "_pytest",
        "pytest",
        "schemathesis",
        "psycopg",
        "tkinter",
        "pypdf",
        "zxingcpp",
    ):
        assert not any(f.startswith(f"_internal/{unwanted}/") for f in files), unwanted
    assert not [f for f in files if re.search(r"libQt6(Quick|Qml|Wayland)", f)]
    # The certificate preview (QtPdfWidgets) is the one reason QtPdf and the QtNetwork it links are in.
    assert any("libQt6PdfWidgets" in f for f in files)
    assert sorted(f.rsplit("/", 1)[1] for f in files if "/translations/" in f) == [
        "qtbase_en.qm",
        "qtbase_zh_CN.qm",
    ]
    assert os.access(program, os.X_OK)
    # Pure-Python packages live in the PYZ archive inside the program; its table of contents says which.
    pyz = (tmp_path / "work" / "homevisit" / "PYZ-00.toc").read_text(encoding="utf-8")
    bundled = re.findall(
        r"\('(?:pytest|_pytest|hypothesis|schemathesis|psycopg|tkinter|pypdf|httpx"
        r"|server|app\.demo|fastapi|starlette|uvicorn|alembic|mako|pydantic_settings)[.']",
        pyz,
    )
    assert not bundled, sorted(set(bundled))
    assert "'app.ui.main'" in pyz and "'app.selftest'" in pyz
