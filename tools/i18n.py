"""Keep the English translation in step with the Chinese source strings.

    python tools/i18n.py update    # lupdate + lrelease: collect new strings into the .ts, rebuild the .qm
    python tools/i18n.py release   # lrelease: compile the .ts into the .qm the app loads
    python tools/i18n.py missing   # list source strings that have no finished English yet
    python tools/i18n.py check     # what CI checks: nothing missing, .qm current, contexts reachable
    python tools/i18n.py scan      # code that hides strings from lupdate (tr(variable), Chinese literals)

Translators edit resources/i18n/homevisit_en.ts (Qt Linguist opens it, or
any text editor); see docs/translation.md. The test suite fails while any
string of the interface is missing from it or untranslated.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "app" / "ui"
TS = ROOT / "resources" / "i18n" / "homevisit_en.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent

# Han characters: a literal holding one is text a user reads (punctuation alone is not flagged).
HAN = re.compile(r"[\u4e00-\u9fff]")
# Calls whose string arguments lupdate collects; the value is the index of the source-text argument.
TRANSLATING_CALLS = {"tr": 0, "QT_TR_NOOP": 0, "QT_TRANSLATE_NOOP": 1, "translate": 1}
# Chinese literals in app/ui that are deliberately not translated.
NOT_FOR_TRANSLATION = {
    ("app/ui/i18n.py", "简体中文"),  # the language's own name in the language menu
}


@dataclass(frozen=True)
class Message:
    """One message of a .ts file; ``translation`` joins numerus forms with ``|``."""

    context: str
    source: str
    translation: str
    finished: bool
    numerus: bool


@dataclass(frozen=True)
class Finding:
    """A place in app/ui where a visible string escapes translation."""

    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


def ui_sources() -> list[str]:
    """The Python files lupdate reads, relative to the repository root."""
    return sorted(str(p.relative_to(ROOT)) for p in UI.rglob("*.py"))


def lupdate(target: Path = TS) -> None:
    """Merge the strings of app/ui into ``target``, keeping existing translations, dropping vanished ones."""
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            *ui_sources(),
            "-ts",
            str(target),
            "-source-language",
            "zh_CN",
            "-target-language",
            "en",
            "-no-obsolete",
            "-locations",
            "none",
            "-silent",
        ],
        cwd=ROOT,
        check=True,
    )


def lrelease(ts: Path = TS, qm: Path = QM) -> None:
    """Compile ``ts`` into the binary ``qm`` that QTranslator loads."""
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(qm), "-silent"], cwd=ROOT, check=True)


def messages(ts: Path = TS) -> list[Message]:
    """Every message of a .ts file, in file order."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            numerus = message.get("numerus") == "yes"
            finished = tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete")
            if tr is None:
                text = ""
            elif numerus:
                forms = [nf.text or "" for nf in tr.iter("numerusform")]
                text = "|".join(forms)
                finished = finished and len(forms) >= 2 and all(forms)
            else:
                text = tr.text or ""
            out.append(
                Message(name, message.findtext("source") or "", text, finished and bool(text), numerus)
            )
    return out


def fresh_messages() -> list[Message]:
    """The messages lupdate finds in app/ui now, from a temporary file (the committed .ts is not touched)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.ts"
        lupdate(fresh)
        return messages(fresh)


def missing(committed: Path = TS, found: list[Message] | None = None) -> list[tuple[str, str]]:
    """(context, source) of every string in app/ui that ``committed`` lacks or leaves unfinished."""
    done = {(m.context, m.source) for m in messages(committed) if m.finished}
    wanted = [(m.context, m.source) for m in (fresh_messages() if found is None else found)]
    return [key for key in wanted if key not in done]


def qm_is_current(ts: Path = TS, qm: Path = QM) -> bool:
    """Whether ``qm`` is byte for byte what lrelease makes of ``ts`` now."""
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "built.qm"
        lrelease(ts, built)
        return qm.exists() and built.read_bytes() == qm.read_bytes()


def ui_class_names() -> set[str]:
    """Names of the classes defined in app/ui: the contexts ``self.tr()`` looks strings up in."""
    names = set()
    for path in UI.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    return names


def unreachable_contexts(found: list[Message] | None = None) -> dict[str, list[str]]:
    """Contexts lupdate finds in app/ui that are named after no class, mapped to their sources.

    PySide's ``tr()`` looks a string up under the class names of the object's
    type (its MRO); lupdate, seeing ``dialog.tr("…")``, files the string
    under "dialog", where no lookup ever goes, so it stays Chinese.
    """
    classes = ui_class_names()
    out: dict[str, list[str]] = {}
    for m in fresh_messages() if found is None else found:
        if m.context not in classes:
            out.setdefault(m.context, []).append(m.source)
    return out


def _docstring_nodes(tree: ast.AST) -> set[int]:
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, owners)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _noop_marked_names(tree: ast.Module) -> set[str]:
    """Module-level names bound to QT_TRANSLATE_NOOP strings (or tables of them): ``tr(NAME)`` is fine."""
    marked = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            calls = [n for n in ast.walk(node.value) if isinstance(n, ast.Call)]
            if any(getattr(c.func, "id", None) in ("QT_TRANSLATE_NOOP", "QT_TR_NOOP") for c in calls):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                marked |= {n for t in targets for n in _names(t)}
    return marked


def scan_file(path: Path) -> list[Finding]:
    """Strings in one file that lupdate cannot collect or that are never looked up under a class."""
    rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    collected = _docstring_nodes(tree)
    marked = _noop_marked_names(tree)
    findings: set[Finding] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name not in TRANSLATING_CALLS:
            continue
        index = TRANSLATING_CALLS[name]
        if len(node.args) <= index:
            continue
        for arg in node.args[: index + 1]:
            if isinstance(arg, ast.Constant):
                collected.add(id(arg))
        text = node.args[index]
        if isinstance(text, ast.JoinedStr):
            collected |= {id(part) for part in ast.walk(text)}  # reported once, as the f-string
            findings.add(Finding(rel, node.lineno, f"f-string in {name}(): {ast.unparse(text)[:70]}"))
        elif not isinstance(text, ast.Constant) and not _names(text) & marked:
            findings.add(Finding(rel, node.lineno, f"{name}() of a variable: {ast.unparse(text)[:70]}"))
        if name == "tr" and isinstance(func, ast.Attribute):
            owner = func.value
            if not (isinstance(owner, ast.Name) and owner.id == "self"):
                findings.add(
                    Finding(
                        rel, node.lineno, f"{ast.unparse(owner)}.tr(): lupdate files it under a wrong context"
                    )
                )
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in collected
            and HAN.search(node.value)
            and (rel, node.value) not in NOT_FOR_TRANSLATION
        ):
            findings.add(Finding(rel, node.lineno, f"Chinese literal outside tr(): {node.value!r}"))
    return sorted(findings, key=lambda f: (f.path, f.line))


def scan() -> list[Finding]:
    """:func:`scan_file` over app/ui."""
    return [f for path in sorted(UI.rglob("*.py")) for f in scan_file(path)]


def main(argv: list[str]) -> int:
    """Command-line entry point; returns the exit status."""
    command = argv[0] if argv else "update"
    if command == "update":
        lupdate()
        lrelease()
        todo = [m for m in messages() if not m.finished]
        print(f"{len(messages())} messages, {len(todo)} without English")
    elif command == "release":
        lrelease()
    elif command == "missing":
        for m in messages():
            if not m.finished:
                print(f"{m.context}\t{m.source}")
    elif command == "check":
        found = fresh_messages()
        problems = [f"untranslated: {context}\t{source}" for context, source in missing(found=found)]
        if not qm_is_current():
            problems.append(f"{QM.relative_to(ROOT)} is older than the .ts: run `tools/i18n.py release`")
        for context, sources in unreachable_contexts(found).items():
            problems += [f"never looked up (context {context!r}): {s}" for s in sources]
        print("\n".join(problems) or "ok")
        return 1 if problems else 0
    elif command == "scan":
        for finding in scan():
            print(finding)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
