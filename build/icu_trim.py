"""A smaller ICU data library for the Linux bundle: Chinese and English only.

PySide6's Linux wheels ship Qt linked to their own ICU, whose data library
(``libicudata.so.73``, 32 MB, the largest file of the bundle) holds every
locale of CLDR. Qt uses ICU for collation (sorting names), case mapping,
time-zone names and non-Unicode codecs; the app speaks Chinese and English.
This keeps the data of ``root``, ``en*`` and ``zh*`` and the non-locale items
Qt's calls need (normalisation, character properties, collation, converters
but the IBM/EBCDIC code pages, zones), drops what Qt never calls (break
iterators and their word dictionaries, character names, transliterators,
number spell-out, currency/language/unit display names; see ``UNUSED_TREES``)
and links the result back into a library under the same soname, so Qt loads
it unchanged. Measured 2026-12-01: 32.0 MB -> 10.8 MB; 2026-12-02, without
the break iterators, names and display names: -> 6.5 MB. ``zh_CN`` collation, case
mapping, GB18030/Big5 decoding and zone names answer as before; only exotic
code pages (Shift_JIS, EBCDIC) are gone.

Windows' Qt uses the system's ICU, so there is nothing to trim there. The
build needs ``objcopy`` and ``gcc`` (binutils, gcc) and ``icupkg``
(icu-devtools); without them the original library is kept and a warning says
so. Nothing here runs at import time of the app.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

KEEP_LANGUAGES = {"en", "zh"}
_LOCALE_ITEM = re.compile(r"^(?:[a-z]+/)?(?P<lang>[a-z]{2,3})(?:_[A-Za-z0-9]+)*\.res$")
_IBM_CODEPAGE = re.compile(r"^ibm-\d+.*\.cnv$")
# What Qt calls in ICU (the undefined ``*_73`` symbols of every bundled Qt library, 2026-12-02):
# case mapping (u_strToLower/Upper), collation (ucol_*), converters (ucnv_*) and time-zone names
# (ucal_*). Nothing calls break iterators (ubrk_*: Qt has its own text boundaries), character names,
# transliterators, number spell-out, or the display names of currencies, languages and units.
UNUSED_TREES = ("translit/", "rbnf/", "brkitr/", "curr/", "lang/", "unit/")
UNUSED_ITEMS = {"unames.icu"}
DATA_LIBRARY = re.compile(r"(^|/)libicudata\.so\.(?P<version>\d+)$")


def drop_item(name: str) -> bool:
    """Whether an item of the ICU data package (``coll/de.res``, ``gb18030.cnv``…) is left out."""
    if name.rsplit("/", 1)[-1] == "res_index.res":  # each tree's list of locales, not a locale
        return False
    if (m := _LOCALE_ITEM.match(name)) and m["lang"] not in KEEP_LANGUAGES:
        return True
    if name.startswith(UNUSED_TREES) or name in UNUSED_ITEMS:
        return True
    return bool(_IBM_CODEPAGE.match(name))


def tools_missing() -> list[str]:
    return [tool for tool in ("objcopy", "gcc", "icupkg") if shutil.which(tool) is None]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False)


def trimmed_library(library: Path, work: Path) -> Path | None:
    """Build the trimmed ``libicudata.so.N`` in ``work``; ``None`` when it cannot be done here."""
    m = DATA_LIBRARY.search(library.as_posix())
    if sys.platform != "linux" or m is None:
        return None
    if missing := tools_missing():
        print(f"icu_trim: {', '.join(missing)} not found, keeping the full ICU data ({library.name})")
        return None
    version = m["version"]
    work.mkdir(parents=True, exist_ok=True)
    package = f"icudt{version}l.dat"
    full, out = work / "full" / package, work / "small" / package
    full.parent.mkdir(exist_ok=True)
    out.parent.mkdir(exist_ok=True)
    _run("objcopy", "-O", "binary", "--only-section=.rodata", str(library), str(full), cwd=work)
    listing = _run("icupkg", "-l", str(full), cwd=work)
    if listing.returncode != 0 or not listing.stdout.strip():
        print(f"icu_trim: {library.name} is not a plain ICU data library, keeping it")
        return None
    drop = [name for name in listing.stdout.split() if drop_item(name)]
    for _ in range(5):  # items others depend on (a converter's base table, a dictionary) come back
        (work / "drop.txt").write_text("\n".join(drop) + "\n", encoding="utf-8")
        out.unlink(missing_ok=True)
        result = _run("icupkg", "-r", str(work / "drop.txt"), str(full), str(out), cwd=work)
        needed = set(re.findall(r"depends on missing item (\S+)", result.stderr))
        if not needed:
            break
        drop = [name for name in drop if name not in needed]
    if result.returncode != 0 or not out.exists():
        print(f"icu_trim: icupkg failed ({result.stderr.strip()[:200]}), keeping the full ICU data")
        return None
    source = work / "icudata.S"
    source.write_text(
        f"    .section .rodata\n    .globl icudt{version}_dat\n    .type icudt{version}_dat, @object\n"
        f'    .balign 16\nicudt{version}_dat:\n    .incbin "{out}"\n'
        f"    .size icudt{version}_dat, . - icudt{version}_dat\n"
        '    .section .note.GNU-stack,"",@progbits\n',
        encoding="utf-8",
    )
    target = work / library.name
    built = _run(
        "gcc", "-shared", "-nostdlib", f"-Wl,-soname,libicudata.so.{version}", "-o", str(target), str(source),
        cwd=work,
    )  # fmt: skip
    if built.returncode != 0:
        print(f"icu_trim: linking failed ({built.stderr.strip()[:200]}), keeping the full ICU data")
        return None
    print(
        f"icu_trim: {library.name} {library.stat().st_size / 1e6:.1f} MB -> {target.stat().st_size / 1e6:.1f} MB"
    )
    return target


def trim_toc(toc: list[tuple[str, str, str]], work: Path) -> list[tuple[str, str, str]]:
    """The TOC with the ICU data library's source replaced by the trimmed one (when it could be built)."""
    out = []
    for dest, src, kind in toc:
        if DATA_LIBRARY.search(dest.replace("\\", "/")) and kind == "BINARY":
            small = trimmed_library(Path(src), work)
            if small is not None:
                src = str(small)
        out.append((dest, src, kind))
    return out
