"""Which collected files the HomeVisit bundle keeps: the Qt it uses and nothing else.

PyInstaller's Qt hooks collect every plugin of a type a module might use
(all image formats, all platforms, Wayland, EGL, TLS, network information…)
and every translation of Qt. ``homevisit.spec`` passes each collected file's
destination path through ``keep()``; the rules below are written as data so a
maintainer can see at a glance what the bundle holds and why.

A Qt library of an optional module (PDF preview, SVG, network) stays only
when the app really imports the matching ``PySide6`` module, so adding a PDF
preview to the UI brings QtPdf back without touching this file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# Plugin folder -> plugin base names kept (None: every plugin of that type).
KEEP_PLUGINS: dict[str, set[str] | None] = {
    # windows: the Windows desktop; xcb: Linux desktops (X11 and XWayland);
    # offscreen/minimal: --self-test and headless runs.
    "platforms": {"qwindows", "qxcb", "qoffscreen", "qminimal", "qcocoa"},
    "styles": None,  # qmodernwindowsstyle on Windows (the app sets Fusion, dialogs may use native)
    # Photos are JPEG, the icon is ICO/PNG (PNG is built into QtGui), GIF for animated hints.
    "imageformats": {"qjpeg", "qico", "qgif"},
    "printsupport": None,  # printing certificates (only collected when QtPrintSupport is imported)
    "platforminputcontexts": None,  # ibus/compose: Chinese input methods on Linux
    # Not kept: xcbglintegrations (widgets paint with the raster engine; it would bring QtOpenGL),
    # platformthemes (GTK theme pulls GLib/Pango/Cairo), wayland-*, eglfs, generic input,
    # iconengines (SVG), tls and networkinformation (QtNetwork), sqldrivers, qmltooling.
}

# Qt translations kept: Qt's own dialogs in the two interface languages.
KEEP_TRANSLATIONS = {"qtbase_zh_CN.qm", "qtbase_en.qm"}

# Optional Qt modules: their libraries stay only if the app imports ``PySide6.Qt<name>``
# (or a kept module needs them: QtPdf links QtNetwork).
OPTIONAL_QT_MODULES = (
    "Pdf", "PdfWidgets", "Svg", "SvgWidgets", "Network", "OpenGL", "OpenGLWidgets", "Sql", "Xml",
)  # fmt: skip
QT_MODULE_NEEDS = {"Pdf": {"Network"}, "PdfWidgets": {"Pdf", "Network"}, "SvgWidgets": {"Svg"}}

# Qt libraries never wanted in a widgets app (Quick/QML, Wayland, EGL device integrations,
# Windows' 20 MB software OpenGL fallback and the D3D shader compiler used only by RHI/Quick).
DROP_QT_LIBS = re.compile(
    r"^(lib)?Qt6(Quick|Qml|Labs|Wayland|Wl|EglFS|Designer|Help|Test|UiTools|Lottie|VirtualKeyboard)"
    r"|^opengl32sw\.dll$|^d3dcompiler_\d+\.dll$",
    re.IGNORECASE,
)

# The server stack: the central server and the demo's embedded one. The desktop app never
# imports them (tests/test_packaging.py); `homevisit demo` needs the `server` extra instead.
SERVER_STACK = [
    "server",
    "app.demo",
    "fastapi",
    "starlette",
    "uvicorn",
    "alembic",
    "mako",
    "pydantic_settings",
    "python_multipart",
    "multipart",
    "jinja2",
    "h11",
    "anyio",
    "sniffio",
    "click",
    "websockets",
    "watchfiles",
    "email_validator",
    "opentelemetry",
    "yaml",
    "dotenv",
]

# Python packages that must never be in the bundle (test and developer tools, the PostgreSQL
# driver the desktop does not use, Tk, the server stack); passed to Analysis(excludes=...).
EXCLUDED_MODULES = SERVER_STACK + [
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "schemathesis",
    "pypdf",
    "zxingcpp",
    "psycopg",
    "psycopg_binary",
    "psycopg2",
    "httpx",
    "httptools",  # the server's extras
    "uvloop",
    "urllib3.contrib.pyopenssl",  # requests falls back to it only without the ssl module
    "numpy",
    "IPython",
    "rich",
    "pygments",
    "PIL.ImageQt",
    "PIL.ImageTk",
    "PIL.AvifImagePlugin",
    "PIL._avif",
    "PIL._imagingft",  # FreeType text drawing (and HarfBuzz, Brotli): the app draws no text with Pillow
    "PIL._imagingcms",  # colour management (LittleCMS)
    "sqlalchemy.testing",
    # SQLAlchemy's other databases (the desktop speaks SQLite/SQLCipher only)
    "sqlalchemy.dialects.mssql",
    "sqlalchemy.dialects.mysql",
    "sqlalchemy.dialects.oracle",
    "sqlalchemy.dialects.postgresql",
    "PySide6.QtNetwork",
    "PySide6.QtDBus",
    "PySide6.QtOpenGL",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "setuptools",
    "pkg_resources",
    "pip",
    "readline",
    "pydoc_data",
    "ruff",
    "PyInstaller",
]

_PLUGIN = re.compile(r"(^|/)PySide6/(Qt/)?plugins/(?P<type>[^/]+)/(?P<file>[^/]+)$")
_TRANSLATION = re.compile(r"(^|/)PySide6/(Qt/)?translations/(?P<file>[^/]+)$")
_PYSIDE_MODULE = re.compile(r"(^|/)PySide6/Qt(?P<name>\w+)\.(abi3\.so|pyd)$")
_QT_LIB = re.compile(r"^(lib)?Qt6(?P<name>\w+?)(\.so(\.\d+)*|\.dll)$", re.IGNORECASE)


def plugin_stem(filename: str) -> str:
    """``libqxcb.so`` / ``qxcb.dll`` / ``libqxcb.dylib`` -> ``qxcb``."""
    stem = filename.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def imported_qt_modules(dest_names: Iterable[str]) -> set[str]:
    """Names (``Widgets``, ``Pdf``…) of the ``PySide6.Qt*`` extension modules collected."""
    found = set()
    for name in dest_names:
        if m := _PYSIDE_MODULE.search(name.replace("\\", "/")):
            found.add(m["name"])
    needed = set(found)
    for module in found:
        needed |= QT_MODULE_NEEDS.get(module, set())
    return needed


def keep(dest_name: str, qt_modules: set[str]) -> bool:
    """Whether the collected file at ``dest_name`` (its path inside the bundle) stays.

    ``qt_modules`` is ``imported_qt_modules()`` of everything collected.
    """
    path = dest_name.replace("\\", "/")
    if m := _PLUGIN.search(path):
        wanted = KEEP_PLUGINS.get(m["type"], set())
        return wanted is None or plugin_stem(m["file"]) in wanted
    if m := _TRANSLATION.search(path):
        return m["file"] in KEEP_TRANSLATIONS
    base = path.rsplit("/", 1)[-1]
    if DROP_QT_LIBS.search(base):
        return False
    if (m := _QT_LIB.match(base)) and m["name"] in OPTIONAL_QT_MODULES:
        return m["name"] in qt_modules
    return True


def filter_toc(toc: list[tuple[str, str, str]], qt_modules: set[str]) -> list[tuple[str, str, str]]:
    """The entries of a PyInstaller TOC (``(dest, src, typecode)`` tuples) that ``keep()`` allows."""
    return [entry for entry in toc if keep(entry[0], qt_modules)]


# Linux: libraries the bundle takes from the host instead of carrying its own copy, because each
# talks to a part of the host that its version must match, and every desktop that can run the app
# has them (the CI job installs libdbus-1-3 and libfontconfig1 before its self-test):
# - CUPS, the host's printing system: its client must match the host's cupsd, and it alone drags in
#   ~7 MB (GnuTLS, p11-kit, libunistring, GMP, Nettle, Avahi). Qt loads its CUPS print plugin only
#   when printing starts; on a host without CUPS the plugin does not load and the print dialog
#   offers printing to a PDF file.
# - D-Bus, the host's message bus (ibus, the Chinese input method, answers on it): its copy brought
#   systemd's client library and libgcrypt (~3 MB).
# - fontconfig and FreeType, which read the host's font configuration (/etc/fonts): a bundled
#   fontconfig older than the host's rejects newer configuration files.
HOST_LIBS = re.compile(r"^lib(cups|dbus-1|fontconfig|freetype)\.so\.\d+$")

# Loaded at run time without being linked (the bootloader dlopens Python itself).
ALWAYS_KEEP_LIBS = re.compile(r"^(lib)?python3[\d.]*(\.dll|\.so.*|\.dylib)$", re.IGNORECASE)


def _is_dependency_lib(entry: tuple[str, str, str]) -> bool:
    """A shared library PyInstaller collected only because something linked it (top level)."""
    dest, _src, kind = entry
    dest = dest.replace("\\", "/")
    return kind == "BINARY" and "/" not in dest and not ALWAYS_KEEP_LIBS.match(dest)


def prune_unlinked(
    toc: list[tuple[str, str, str]], imports_of: Callable[[str], Iterable[str]]
) -> list[tuple[str, str, str]]:
    """Drop top-level shared libraries that no kept binary links any more.

    PyInstaller collected them for plugins that ``keep()`` removed (the GTK
    platform theme brings GLib, Pango and Cairo; TLS brings Kerberos).
    ``imports_of(src)`` gives the base names a binary links (PyInstaller's
    ``bindepend.get_imports``); names compare case-insensitively for Windows.
    Symlinks stay only when their target stays. ``HOST_LIBS`` are dropped
    first, so what only they linked goes too.
    """
    toc = [e for e in toc if not (_is_dependency_lib(e) and HOST_LIBS.match(e[0]))]
    deps = {e[0].lower(): e for e in toc if _is_dependency_lib(e)}
    roots = [e for e in toc if e[2] != "SYMLINK" and e[0].lower() not in deps]
    reached: set[str] = set()
    stack = [e[1] for e in roots]
    while stack:
        for name in imports_of(stack.pop()):
            key = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
            if key in deps and key not in reached:
                reached.add(key)
                stack.append(deps[key][1])
    kept = [e for e in toc if e[2] == "SYMLINK" or e[0].lower() not in deps or e[0].lower() in reached]
    dests = {e[0].replace("\\", "/") for e in kept}
    return [e for e in kept if e[2] != "SYMLINK" or _symlink_target(e) in dests]


def _symlink_target(entry: tuple[str, str, str]) -> str:
    """The bundle path a SYMLINK entry points at (its ``src`` is relative to the link's folder)."""
    dest, target, _kind = entry
    dest = dest.replace("\\", "/")
    folder = dest.rsplit("/", 1)[0] if "/" in dest else ""
    parts: list[str] = folder.split("/") if folder else []
    for piece in target.replace("\\", "/").split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def elf_needed(path: str) -> list[str]:
    """The ``DT_NEEDED`` names of an ELF shared object: what it links directly, not transitively.

    PyInstaller's ``bindepend.get_imports`` asks ``ldd``, which lists the whole
    closure resolved on the build machine, so a library linked only by a
    ``HOST_LIBS`` library would look linked by the plugin that loads it.
    Returns ``[]`` for a file that is not a little-endian 64-bit ELF.
    """
    import struct

    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    phoff, phentsize, phnum = struct.unpack_from("<Q", data, 0x20)[0], *struct.unpack_from("<HH", data, 0x36)
    loads, dynamic = [], None
    for i in range(phnum):
        p_type, _flags, offset, vaddr, _paddr, filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize
        )
        if p_type == 1:  # PT_LOAD
            loads.append((vaddr, offset, filesz))
        elif p_type == 2:  # PT_DYNAMIC
            dynamic = (offset, filesz)
    if dynamic is None:
        return []

    def file_offset(addr: int) -> int:
        for vaddr, offset, size in loads:
            if vaddr <= addr < vaddr + size:
                return addr - vaddr + offset
        return addr

    needed, strtab = [], 0
    for pos in range(dynamic[0], dynamic[0] + dynamic[1], 16):
        tag, value = struct.unpack_from("<qQ", data, pos)
        if tag == 0:  # DT_NULL
            break
        if tag == 1:  # DT_NEEDED
            needed.append(value)
        elif tag == 5:  # DT_STRTAB
            strtab = file_offset(value)
    return [data[strtab + n : data.index(b"\0", strtab + n)].decode() for n in needed]
