"""The in-memory shape of a form definition (see docs/forms.md for the JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.contract.forms.expr import Expression
from app.contract.forms.expr import types as T

QUESTION_TYPES = (
    "text",
    "integer",
    "decimal",
    "date",
    "select_one",
    "select_multiple",
    "yes_no",
    "photo",
    "signature",
    "note",
    "calculate",
)

# Prefill keys a form may ask for; the visit screen fills them from the registry.
CONTEXT_KEYS: dict[str, str] = {
    "name": T.STRING,
    "gender": T.STRING,
    "age": T.NUMBER,
    "birth_date": T.DATE,
    "id_number_masked": T.STRING,
    "certificate_number_masked": T.STRING,
    "category": T.STRING,
    "level": T.STRING,
    "economic_status": T.STRING,
    "region_code": T.STRING,
    "address": T.STRING,
    "phone": T.STRING,
    "household_head": T.STRING,
    "worker_name": T.STRING,
    "visit_date": T.DATE,
    "has_care_subsidy": T.BOOL,
    "has_living_subsidy": T.BOOL,
    "has_accessibility_project": T.BOOL,
    "has_lighting_project": T.BOOL,
    "has_dangerous_house_project": T.BOOL,
    "has_clean_bright_project": T.BOOL,
    "overdue_need_items": T.NUMBER,
    "today": T.DATE,
}


def is_translation(name: str) -> bool:
    """Whether a form field is a translation (``title_en``, ``label_en``, ``hint_en``, ...).

    A translation says the same thing in another language: it changes no answer, check or
    calculation, so two copies of a published version that differ only here are the same
    version (``same_version``), and its translations may be completed after publishing.
    """
    return name.endswith("_en")


def without_translations(data: object) -> object:
    """Form JSON (or part of it) with every translation field left out."""
    if isinstance(data, dict):
        return {k: without_translations(v) for k, v in data.items() if not is_translation(str(k))}
    if isinstance(data, list):
        return [without_translations(v) for v in data]
    return data


def same_version(a: object, b: object) -> bool:
    """Whether two form JSON documents are the same version apart from their translations."""
    return without_translations(a) == without_translations(b)


@dataclass(frozen=True)
class Choice:
    """One option: stored ``value``, Chinese ``label`` and extra attributes for filters."""

    value: str
    label: str
    label_en: str = ""
    attrs: dict[str, object] = field(default_factory=dict)


@dataclass
class Question:
    """One question (or note or calculation) of a form."""

    id: str
    type: str
    label: str
    label_en: str = ""
    hint: str = ""
    hint_en: str = ""
    page: str = ""
    repeat: str | None = None
    required: bool = False
    required_if: Expression | None = None
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: str = ""
    constraint_message_en: str = ""
    warning: Expression | None = None
    warning_message: str = ""
    warning_message_en: str = ""
    calculate: Expression | None = None
    value_type: str = ""
    default: object = None
    prefill: str = ""
    readonly: bool = False
    choice_list: str = ""
    choices: tuple[Choice, ...] = ()
    choice_filter: Expression | None = None
    max_count: int = 1
    unit: str = ""
    appearance: str = ""

    @property
    def has_value(self) -> bool:
        """Notes carry no value; everything else does."""
        return self.type != "note"


@dataclass
class Repeat:
    """A repeat group: one entry per device, per room, ..."""

    id: str
    label: str
    label_en: str = ""
    page: str = ""
    relevant: Expression | None = None
    min_count: int = 0
    max_count: int = 50
    entry_label: str = ""
    questions: list[Question] = field(default_factory=list)


@dataclass
class Page:
    """A page (section) of a form; items are questions and repeats in order."""

    id: str
    title: str
    title_en: str = ""
    relevant: Expression | None = None
    items: list[Question | Repeat] = field(default_factory=list)


@dataclass
class FormDefinition:
    """A loaded, checked form: pages, an index of questions and the calculation order."""

    id: str
    version: int
    title: str
    title_en: str = ""
    description: str = ""
    pages: list[Page] = field(default_factory=list)
    questions: dict[str, Question] = field(default_factory=dict)
    repeats: dict[str, Repeat] = field(default_factory=dict)
    calc_order: list[str] = field(default_factory=list)
    path: Path | None = None

    def page(self, page: str | int) -> Page:
        """A page by id or index."""
        if isinstance(page, int):
            return self.pages[page]
        for candidate in self.pages:
            if candidate.id == page:
                return candidate
        raise KeyError(page)

    def value_type(self, question: Question) -> str:
        """Expression type of a question's stored value."""
        return question_value_type(question)


def question_value_type(question: Question) -> str:
    """Static type of the value a question stores."""
    kind = question.type
    if kind in ("integer", "decimal"):
        return T.NUMBER
    if kind == "date":
        return T.DATE
    if kind == "select_multiple":
        return T.LIST
    if kind == "yes_no":
        return T.BOOL
    if kind == "photo":
        return T.LIST if question.max_count > 1 else T.STRING
    if kind == "calculate":
        return question.value_type or T.ANY
    return T.STRING
