"""Keep the English translation in step with the Chinese source strings.

    python tools/i18n.py update    # lupdate: collect self.tr() strings into resources/i18n/homevisit_en.ts
    python tools/i18n.py release   # lrelease: compile the .ts into the .qm the app loads
    python tools/i18n.py missing   # list source strings that have no English yet

Translators edit the .ts file (Qt Linguist opens it); the test suite fails
while any string of the interface is missing from it or untranslated.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "i18n" / "homevisit_en.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent


def ui_sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app" / "ui").rglob("*.py"))


def lupdate(target: Path = TS) -> None:
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), *ui_sources(), "-ts", str(target), "-source-language", "zh_CN",
         "-target-language", "en", "-no-obsolete", "-locations", "none", "-silent"],
        cwd=ROOT,
        check=True,
    )


def lrelease() -> None:
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM), "-silent"], cwd=ROOT, check=True)


def messages(ts: Path = TS) -> list[tuple[str, str, str, bool]]:
    """(context, source, translation, finished) for every message of a .ts file."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            finished = tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete")
            text = "".join(tr.itertext()) if tr is not None else ""
            if message.get("numerus") == "yes" and tr is not None:
                text = "|".join(nf.text or "" for nf in tr.iter("numerusform"))
            out.append((name, message.findtext("source") or "", text, finished and bool(text)))
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "update"
    if command == "update":
        lupdate()
        lrelease()
    elif command == "release":
        lrelease()
    elif command == "missing":
        for context, source, _text, finished in messages():
            if not finished:
                print(f"{context}\t{source}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
