"""Which forms a new visit suggests, from ``resources/form_suggestions.json``.

A federation changes these rules (which disability categories get the
assistive-device form, which house grades the housing form), so they are data,
not code. The file is read once and checked whole: a rule that names an
unknown condition is refused with a Chinese message rather than ignored. It
sits beside ``resources/forms`` rather than in it: every ``*.json`` there is
read as a form definition (the app, the server's ``/forms``, its seeder).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.paths import resources_dir

SUGGESTIONS_FILE = "form_suggestions.json"


class BadSuggestions(ValueError):
    """``form_suggestions.json`` is not as documented in its ``about`` text."""


@dataclass(frozen=True)
class PersonFacts:
    """What the rules may look at for one person."""

    category: str
    house_grade: str
    latest_answers: Mapping[str, Mapping[str, Any]]  # form id -> answers of the latest response
    filled_this_year: frozenset[str]  # form ids the household filled in this calendar year


Condition = Callable[[PersonFacts], bool]


@dataclass(frozen=True)
class Suggestions:
    """The loaded rules: forms always suggested, then one rule per conditional form."""

    always: tuple[str, ...]
    rules: tuple[tuple[str, tuple[Condition, ...]], ...]
    yearly_forms: frozenset[str]  # forms whose "filled this year" the rules ask about

    def forms_for(self, facts: PersonFacts) -> list[str]:
        """The suggested form ids, in file order, each once."""
        out = list(self.always)
        for form, conditions in self.rules:
            if form not in out and any(c(facts) for c in conditions):
                out.append(form)
        return out


def _answer(facts: PersonFacts, spec: Mapping[str, Any]) -> Any:
    return facts.latest_answers.get(spec["form"], {}).get(spec["question"])


def _condition(raw: Mapping[str, Any], yearly: set[str]) -> Condition:
    if len(raw) != 1:
        raise BadSuggestions(f"表单建议规则的每个条件只能有一项：{raw}")
    ((kind, arg),) = raw.items()
    if kind == "person_category_in":
        categories = frozenset(str(c) for c in arg)
        return lambda f: f.category in categories
    if kind == "house_grade_in":
        grades = frozenset(str(g) for g in arg)
        return lambda f: f.house_grade in grades
    if kind == "answer_any_of":
        wanted = frozenset(arg["values"])
        return lambda f: bool(wanted.intersection(_answer(f, arg) or []))
    if kind == "answer_true":
        return lambda f: bool(_answer(f, arg))
    if kind == "not_filled_this_year":
        yearly.add(str(arg))
        return lambda f: str(arg) not in f.filled_this_year
    raise BadSuggestions(f"表单建议规则中有未知的条件“{kind}”")


def parse_suggestions(data: Mapping[str, Any]) -> Suggestions:
    """Rules from the file's JSON; raises ``BadSuggestions`` on anything unexpected."""
    try:
        yearly: set[str] = set()
        rules = tuple(
            (str(rule["form"]), tuple(_condition(c, yearly) for c in rule["when_any"]))
            for rule in data["rules"]
        )
        return Suggestions(tuple(str(f) for f in data["always"]), rules, frozenset(yearly))
    except (KeyError, TypeError, AttributeError) as exc:
        raise BadSuggestions(f"表单建议规则文件格式不正确：{exc}") from None


@lru_cache(maxsize=4)
def load_suggestions(path: Path | None = None) -> Suggestions:
    """The rules of ``path`` (``resources/form_suggestions.json`` by default), read once."""
    path = path or resources_dir() / SUGGESTIONS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadSuggestions(f"无法读取表单建议规则 {path.name}：{exc}") from None
    return parse_suggestions(data)
