"""A form response shown read-only: each question's label (from resources/forms) beside its answer.

Answers arrive as the record's ``answers.<question>`` fields (and
``answers.<repeat>[<entry>].<question>`` inside a repeat); choices are shown by
their labels, yes/no as 是/否, photos and signatures as the attachment digests they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

_SKIP = frozenset({"note", "calculate"})
_ENTRY = re.compile(r"^answers\.(?P<repeat>[^.\[]+)\[(?P<entry>[^\]]+)\]\.(?P<q>.+)$")


@dataclass
class Answer:
    label: str
    text: str = ""
    files: list[str] = field(default_factory=list)
    entries: list[list[Answer]] = field(default_factory=list)


@dataclass
class Section:
    title: str
    answers: list[Answer]


@lru_cache(maxsize=64)
def _definition(folder: Path, form_id: str, version: int) -> dict[str, Any] | None:
    for path in (folder / f"{form_id}.v{version}.json", folder / f"{form_id}.json"):
        if path.is_file():
            return json.loads(path.read_text("utf-8"))
    return None


def _choices(form: dict[str, Any], question: dict[str, Any]) -> dict[str, str]:
    raw = question.get("choices")
    if isinstance(raw, str):
        raw = form.get("choice_lists", {}).get(raw)
    if not isinstance(raw, list):
        return {}
    return {str(c["value"]): str(c.get("label", c["value"])) for c in raw if isinstance(c, dict)}


def _answer(form: dict[str, Any], q: dict[str, Any], value: Any, yes_no: tuple[str, str]) -> Answer:
    label = str(q.get("label") or q["id"])
    kind = q["type"]
    if value is None or value == "" or value == []:
        return Answer(label)
    if kind in ("photo", "signature"):
        return Answer(label, files=[value] if isinstance(value, str) else [str(v) for v in value])
    if kind == "yes_no":
        return Answer(label, yes_no[0] if value else yes_no[1])
    if kind in ("select_one", "select_multiple"):
        names = _choices(form, q)
        items = value if isinstance(value, list) else [value]
        return Answer(label, "、".join(names.get(str(v), str(v)) for v in items))
    return Answer(label, str(value))


def sections(
    folder: Path, form_id: str, version: int, fields: dict[str, Any], yes_no: tuple[str, str] = ("是", "否")
) -> tuple[str, list[Section]]:
    """The form's title and its pages with every question that has an answer or is asked."""
    values = {k: v[0] for k, v in fields.items() if k.startswith("answers.")}
    form = _definition(folder, form_id, version)
    if form is None:  # an unknown form: its answers by key
        return form_id, [Section("", [Answer(k[8:], str(v)) for k, v in sorted(values.items())])]
    entries: dict[str, dict[str, dict[str, Any]]] = {}
    for key, value in values.items():
        m = _ENTRY.match(key)
        if m:
            entries.setdefault(m["repeat"], {}).setdefault(m["entry"], {})[m["q"]] = value
    out = []
    for page in form.get("pages", []):
        answers = []
        for q in page.get("questions", []):
            if q["type"] in _SKIP:
                continue
            if q["type"] == "repeat":
                inner = [
                    [
                        _answer(form, sub, entry.get(sub["id"]), yes_no)
                        for sub in q.get("questions", [])
                        if sub["type"] not in _SKIP
                    ]
                    for _, entry in sorted(entries.get(q["id"], {}).items())
                ]
                answers.append(Answer(str(q.get("label") or q["id"]), entries=inner))
            else:
                answers.append(_answer(form, q, values.get(f"answers.{q['id']}"), yes_no))
        out.append(Section(str(page.get("title", "")), answers))
    return str(form.get("title", form_id)), out


def question_label(folder: Path, form_id: str, version: int, key: str) -> str:
    """The label of an answer key (``q`` or ``repeat[entry].q``), or "" if the form has no such question."""
    form = _definition(folder, form_id, version)
    if form is None:
        return ""
    m = _ENTRY.match(f"answers.{key}")
    wanted, repeat = (m["q"], m["repeat"]) if m else (key, None)
    for page in form.get("pages", []):
        for q in page.get("questions", []):
            if repeat is None and q.get("id") == wanted:
                return str(q.get("label") or wanted)
            if repeat is not None and q.get("id") == repeat:
                for sub in q.get("questions", []):
                    if sub.get("id") == wanted:
                        return f"{q.get('label') or repeat} · {sub.get('label') or wanted}"
    return ""
