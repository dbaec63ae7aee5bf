"""Every Chinese text the console shows has its English in ``server.console.i18n.EN``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from server.console import i18n

CONSOLE = Path(i18n.__file__).parent
_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"\"([^\"{}]*[\u4e00-\u9fff][^\"{}]*)\"|'([^'{}]*[\u4e00-\u9fff][^'{}]*)'")
NOT_TRANSLATED = {"中文"}  # the name of the language itself, shown as it is


def _python_texts() -> set[str]:
    found = set()
    for path in CONSOLE.glob("*.py"):
        if path.name == "i18n.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if _CJK.search(node.value) and len(node.value) > 1:
                    found.add(node.value)
    return found


def _template_texts() -> set[str]:
    found = set()
    for path in (CONSOLE / "templates").glob("*.html"):
        for a, b in _QUOTED.findall(path.read_text("utf-8")):
            found.add(a or b)
    return found


def test_every_text_has_english():
    texts = (_python_texts() | _template_texts()) - NOT_TRANSLATED
    missing = sorted(t for t in texts if t not in i18n.EN)
    assert not missing


def test_english_keeps_the_placeholders():
    for zh, en in i18n.EN.items():
        assert re.findall(r"{\w+}", zh) == re.findall(r"{\w+}", en), zh
