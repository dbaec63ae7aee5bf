"""FormSession: one response being filled in — relevance, calculations, validation.

Answers are a FLAT dict, the shape the sync protocol merges key by key:
``qid`` for a top-level question, ``repeat_id`` for the ordered list of entry
ids of a repeat, and ``repeat_id[entry_id].qid`` for a question in an entry.
Values of questions that are not relevant are kept but ignored: in validation
and when other expressions refer to them (they read as empty).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
import uuid
from collections.abc import Mapping
from pathlib import Path

from app.contract.answers import FormIndex, check_answer, index_form
from app.contract.forms.answer_values import is_empty, normalise
from app.contract.forms.catalogs import load_catalog
from app.contract.forms.errors import AnswerError, ExpressionError, FormDefinitionError
from app.contract.forms.expr import Expression
from app.contract.forms.expr.values import to_date, truthy
from app.contract.forms.model import Choice, FormDefinition, Page, Question, Repeat

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=64)
def _contract_index(path: str) -> FormIndex | None:
    """The contract's index of a published form file (what the server checks answers against)."""
    try:
        return index_form(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


_ENTRY_KEY = re.compile(r"^([a-z][a-z0-9_]*)\[([A-Za-z0-9_-]+)\]\.([a-z][a-z0-9_]*)$")

REQUIRED_MESSAGE = "此项为必填项"
CHOICE_MESSAGE = "所选项不在当前可选范围内，请重新选择"


class _Env:
    """Evaluation environment: one session, optionally one repeat entry, ``.`` and a choice."""

    __slots__ = ("choice", "entry", "repeat", "session", "value")

    def __init__(
        self,
        session: FormSession,
        repeat: str | None = None,
        entry: str | None = None,
        value: object = None,
        choice: Choice | None = None,
    ) -> None:
        self.session, self.repeat, self.entry, self.value, self.choice = session, repeat, entry, value, choice

    def ref(self, name: str) -> object:
        return self.session._ref(name, self.repeat, self.entry)

    def current(self) -> object:
        return self.value

    def attr(self, name: str) -> object:
        if self.choice is None:
            return None
        if name == "value":
            return self.choice.value
        if name == "label":
            return self.choice.label
        return self.choice.attrs.get(name)

    def today(self) -> dt.date:
        return self.session.today

    def catalog(self, catalog: str, key: object, field: str) -> object:
        try:
            return load_catalog(catalog).lookup(key, field)
        except FormDefinitionError:
            return None


class FormSession:
    """A response to one form: answers plus the registry context used for prefill.

    ``context`` holds prefill values (see ``app.contract.forms.model.CONTEXT_KEYS``:
    name, age, gender, category, level, economic_status, region_code,
    has_care_subsidy, ...). ``context['today']`` (ISO date) fixes today's date,
    which tests and back-dated visits need.
    """

    def __init__(
        self,
        definition: FormDefinition,
        answers: Mapping[str, object] | None = None,
        context: Mapping[str, object] | None = None,
    ) -> None:
        self.definition = definition
        self.answers: dict[str, object] = dict(answers or {})
        self.context: dict[str, object] = dict(context or {})
        self.today = to_date(self.context.get("today")) or dt.date.today()
        self._relevance: dict[str, bool] = {}
        # Entries refused before they were stored (a typed "2020/13/5"): key -> why. The
        # field and the list of open items then give this one message, not "此项为必填项".
        self.refused: dict[str, str] = {}
        self.last_changed: list[str] = self._recalculate()

    @classmethod
    def start(
        cls,
        definition: FormDefinition,
        context: Mapping[str, object] | None = None,
        answers: Mapping[str, object] | None = None,
    ) -> FormSession:
        """Open a response, filling unanswered questions from context (prefill) and defaults."""
        session = cls(definition, answers, context)
        changed = []
        for page in definition.pages:
            for item in page.items:
                if isinstance(item, Question) and item.id not in session.answers:
                    if session._apply_default(item, item.id):
                        changed.append(item.id)
        session._relevance.clear()
        session.last_changed = changed + session._recalculate()
        return session

    # -- keys ------------------------------------------------------------------

    def _split(self, key: str) -> tuple[str | None, str | None, Question]:
        """(repeat id, entry id, question) of an answer key; AnswerError if unknown."""
        match = _ENTRY_KEY.match(key)
        if match:
            repeat_id, entry, qid = match.groups()
            q = self.definition.questions.get(qid)
            if q is None or q.repeat != repeat_id:
                raise AnswerError(key, "表单中没有这道题")
            if entry not in self.entries(repeat_id):
                raise AnswerError(key, "重复组中没有这一项")
            return repeat_id, entry, q
        q = self.definition.questions.get(key)
        if q is None or q.repeat is not None:
            raise AnswerError(key, "表单中没有这道题")
        return None, None, q

    def entries(self, repeat_id: str) -> list[str]:
        """Entry ids of a repeat, in order."""
        value = self.answers.get(repeat_id)
        return [str(v) for v in value] if isinstance(value, list) else []

    def keys(self) -> list[str]:
        """Every answer key of questions that hold a value, in form order."""
        out: list[str] = []
        for page in self.definition.pages:
            for item in page.items:
                out.extend(self._item_keys(item, only_relevant=False))
        return out

    def _item_keys(self, item: Question | Repeat, only_relevant: bool) -> list[str]:
        if isinstance(item, Question):
            return [item.id] if not only_relevant or self.is_relevant(item.id) else []
        if only_relevant and not self.is_relevant(item.id):
            return []
        out = [item.id] if only_relevant else []
        for entry in self.entries(item.id):
            for q in item.questions:
                key = f"{item.id}[{entry}].{q.id}"
                if not only_relevant or self.is_relevant(key):
                    out.append(key)
        return out

    # -- evaluation --------------------------------------------------------------

    def _eval(self, expr: Expression, env: _Env) -> object:
        try:
            return expr.evaluate(env)
        except ExpressionError:
            log.warning("form %s: expression failed: %s", self.definition.id, expr.source, exc_info=True)
            return None

    def _ref(self, name: str, repeat: str | None, entry: str | None) -> object:
        repeat_def = self.definition.repeats.get(name)
        if repeat_def is not None:
            return self.entries(name) if self.is_relevant(name) else []
        q = self.definition.questions[name]
        if q.repeat is None:
            return self.answers.get(name) if self.is_relevant(name) else None
        if q.repeat == repeat and entry is not None:
            key = f"{repeat}[{entry}].{name}"
            return self.answers.get(key) if self.is_relevant(key) else None
        keys = [f"{q.repeat}[{e}].{name}" for e in self.entries(q.repeat)]
        return [self.answers.get(k) for k in keys if self.is_relevant(k)]

    def _page_relevant(self, page: Page) -> bool:
        memo = f"page:{page.id}"
        if memo not in self._relevance:
            self._relevance[memo] = page.relevant is None or truthy(self._eval(page.relevant, _Env(self)))
        return self._relevance[memo]

    def is_relevant(self, key: str) -> bool:
        """Whether a question, repeat or repeat-entry question is shown (its page and group too)."""
        cached = self._relevance.get(key)
        if cached is not None:
            return cached
        repeat = self.definition.repeats.get(key)
        if repeat is not None:
            result = self._page_relevant(self.definition.page(repeat.page)) and (
                repeat.relevant is None or truthy(self._eval(repeat.relevant, _Env(self)))
            )
        else:
            try:
                repeat_id, entry, q = self._split(key)
            except AnswerError:
                return False
            if repeat_id is not None:
                result = self.is_relevant(repeat_id)
            else:
                result = self._page_relevant(self.definition.page(q.page))
            if result and q.relevant is not None:
                result = truthy(self._eval(q.relevant, _Env(self, repeat_id, entry)))
        self._relevance[key] = result
        return result

    def _recalculate(self) -> list[str]:
        """Recompute every calculation in dependency order; return keys that changed."""
        changed: list[str] = []
        for qid in self.definition.calc_order:
            q = self.definition.questions[qid]
            assert q.calculate is not None
            if q.repeat is None:
                targets = [(qid, None)]
            else:
                targets = [(f"{q.repeat}[{e}].{qid}", e) for e in self.entries(q.repeat)]
            for key, entry in targets:
                value = self._eval(q.calculate, _Env(self, q.repeat, entry))
                if isinstance(value, float) and value.is_integer() and q.value_type != "number":
                    value = int(value)
                if self.answers.get(key) != value or key not in self.answers:
                    self.answers[key] = value
                    self._relevance.clear()
                    changed.append(key)
        return changed

    def _apply_default(self, q: Question, key: str) -> bool:
        value = self.context.get(q.prefill) if q.prefill else None
        if is_empty(value):
            value = q.default
        if is_empty(value) or q.type in ("note", "calculate"):
            return False
        try:
            self.answers[key] = normalise(q, key, value)
        except AnswerError:
            log.warning("form %s: prefill of %s does not fit its type", self.definition.id, key)
            return False
        return True

    # -- editing -----------------------------------------------------------------

    def check_entry(self, key: str, value: object) -> object:
        """The value ``set_answer`` would store, or ``AnswerError`` saying why not.

        The engine's own type check (``answer_values.normalise``), then the server's
        (``app.contract.answers.check_answer`` over the published definition), so a value
        the server would refuse at sync is refused here, as it is typed.
        """
        _, _, q = self._split(key)
        value = normalise(q, key, value)
        index = _contract_index(str(self.definition.path)) if self.definition.path else None
        if index is not None and value is not None:
            error = check_answer(index, key, value)
            if error is not None:
                raise AnswerError(key, error.message)
        return value

    def set_answer(self, key: str, value: object) -> list[str]:
        """Store one answer; return the keys whose value changed (recomputed calculations too)."""
        value = self.check_entry(key, value)
        if key in self.answers and self.answers[key] == value and type(self.answers[key]) is type(value):
            return []
        self.answers[key] = value
        self._relevance.clear()
        self.last_changed = [key, *self._recalculate()]
        return self.last_changed

    def refuse_entry(self, key: str, message: str) -> None:
        """What the caseworker typed in ``key`` could not be stored, for ``message``."""
        self.refused[key] = message

    def clear_refusal(self, key: str) -> None:
        self.refused.pop(key, None)

    def apply_stored(self, changed: Mapping[str, object]) -> None:
        """Take values another session computed and stored (``None`` = removed), without recomputing.

        The visit window mirrors what the service saved: the answer is
        normalised and its calculations run once, by the service, not again here.
        """
        for key, value in changed.items():
            if value is None:
                self.answers.pop(key, None)
            else:
                self.answers[key] = value
        self._relevance.clear()
        self.last_changed = list(changed)

    def add_repeat_entry(self, repeat_id: str) -> str:
        """Append an entry to a repeat (defaults applied); return its id."""
        repeat = self.definition.repeats.get(repeat_id)
        if repeat is None:
            raise AnswerError(repeat_id, "表单中没有这个重复组")
        entries = self.entries(repeat_id)
        if len(entries) >= repeat.max_count:
            raise AnswerError(repeat_id, f"最多只能填写 {repeat.max_count} 项")
        entry = uuid.uuid4().hex[:12]
        self.answers[repeat_id] = [*entries, entry]
        changed = [repeat_id]
        for q in repeat.questions:
            key = f"{repeat_id}[{entry}].{q.id}"
            if self._apply_default(q, key):
                changed.append(key)
        self._relevance.clear()
        self.last_changed = changed + self._recalculate()
        return entry

    def remove_repeat_entry(self, repeat_id: str, entry_id: str) -> list[str]:
        """Remove an entry and its answers; return the keys that changed (removed keys read as null)."""
        entries = self.entries(repeat_id)
        if entry_id not in entries:
            raise AnswerError(f"{repeat_id}[{entry_id}]", "重复组中没有这一项")
        self.answers[repeat_id] = [e for e in entries if e != entry_id]
        prefix = f"{repeat_id}[{entry_id}]."
        removed = [k for k in self.answers if k.startswith(prefix)]
        for key in removed:
            del self.answers[key]
        self._relevance.clear()
        self.last_changed = [repeat_id, *removed, *self._recalculate()]
        return self.last_changed

    # -- reading -----------------------------------------------------------------

    def restore_repeat_entry(
        self, repeat_id: str, entry_id: str, index: int, answers: Mapping[str, object]
    ) -> list[str]:
        """Put back an entry removed by mistake, at ``index``, with its answers (undo)."""
        repeat = self.definition.repeats.get(repeat_id)
        if repeat is None:
            raise AnswerError(repeat_id, "表单中没有这个重复组")
        entries = self.entries(repeat_id)
        if entry_id in entries:
            return []
        if len(entries) >= repeat.max_count:
            raise AnswerError(repeat_id, f"最多只能填写 {repeat.max_count} 项")
        entries.insert(max(0, min(index, len(entries))), entry_id)
        self.answers[repeat_id] = entries
        prefix = f"{repeat_id}[{entry_id}]."
        values: dict[str, object] = {}
        try:
            for key, value in answers.items():
                if key.startswith(prefix) and self._split(key)[2].type != "calculate":
                    values[key] = normalise(self._split(key)[2], key, value)
        except AnswerError:
            self.answers[repeat_id] = [e for e in entries if e != entry_id]
            raise
        self.answers.update({k: v for k, v in values.items() if v is not None})
        self._relevance.clear()
        self.last_changed = [repeat_id, *values, *self._recalculate()]
        return self.last_changed

    def question(self, key: str) -> Question:
        """The question an answer key belongs to."""
        return self._split(key)[2]

    def value(self, key: str) -> object:
        """The stored value of a key (None when unanswered)."""
        return self.answers.get(key)

    def visible_questions(self, page: str | int | Page) -> list[str]:
        """Keys shown on a page in order: questions, notes, labelled calculations,
        each repeat's id followed by its entries' keys."""
        page_def = page if isinstance(page, Page) else self.definition.page(page)
        if not self._page_relevant(page_def):
            return []
        out: list[str] = []
        for item in page_def.items:
            for key in self._item_keys(item, only_relevant=True):
                q = self.definition.questions.get(key.rsplit(".", 1)[-1])
                if q is None or q.type != "calculate" or q.label:
                    out.append(key)
        return out

    def choices_for(self, key: str) -> list[tuple[str, str]]:
        """(value, label) options of a select question after its cascading filter."""
        return [(c.value, c.label) for c in self._choices(key)]

    def _choices(self, key: str) -> list[Choice]:
        repeat_id, entry, q = self._split(key)
        if q.choice_filter is None:
            return list(q.choices)
        expr = q.choice_filter
        env = _Env(self, repeat_id, entry)
        out = []
        for choice in q.choices:
            env.choice = choice
            if truthy(self._eval(expr, env)):
                out.append(choice)
        return out

    def is_required(self, key: str) -> bool:
        """Whether a relevant question must be answered."""
        repeat_id, entry, q = self._split(key)
        if q.required_if is not None:
            return truthy(self._eval(q.required_if, _Env(self, repeat_id, entry)))
        return q.required

    def _check(self, key: str, with_warnings: bool) -> str | None:
        repeat_id, entry, q = self._split(key)
        if not q.has_value or q.type == "calculate":
            return None
        value = self.answers.get(key)
        if not with_warnings and key in self.refused:
            return self.refused[key]
        if is_empty(value):
            return REQUIRED_MESSAGE if not with_warnings and self.is_required(key) else None
        if with_warnings:
            if q.warning is not None and not truthy(
                self._eval(q.warning, _Env(self, repeat_id, entry, value))
            ):
                return q.warning_message
            return None
        if q.type in ("select_one", "select_multiple"):
            allowed = {c.value for c in self._choices(key)}
            values = value if isinstance(value, list) else [value]
            if not all(str(v) in allowed for v in values):
                return CHOICE_MESSAGE
        if q.constraint is not None and not truthy(
            self._eval(q.constraint, _Env(self, repeat_id, entry, value))
        ):
            return q.constraint_message or "答案不符合要求"
        return None

    def _collect(self, with_warnings: bool) -> dict[str, str]:
        problems: dict[str, str] = {}
        for page in self.definition.pages:
            for item in page.items:
                if isinstance(item, Repeat) and not with_warnings and self.is_relevant(item.id):
                    count = len(self.entries(item.id))
                    if count < item.min_count:
                        problems[item.id] = f"至少需要填写 {item.min_count} 项"
                    elif count > item.max_count:
                        problems[item.id] = f"最多只能填写 {item.max_count} 项"
                for key in self._item_keys(item, only_relevant=True):
                    if key in self.definition.repeats:
                        continue
                    message = self._check(key, with_warnings)
                    if message:
                        problems[key] = message
        return problems

    def errors(self) -> dict[str, str]:
        """Required, choice and constraint violations of relevant questions (key → Chinese message)."""
        return self._collect(with_warnings=False)

    def warnings(self) -> dict[str, str]:
        """Soft findings (e.g. a door narrower than GB 50763 asks) that do not block completion."""
        return self._collect(with_warnings=True)

    def open_required(self) -> list[str]:
        """Relevant required questions still unanswered, in form order."""
        out = []
        for key in self.keys():
            q = self.question(key)
            if q.has_value and q.type != "calculate" and self.is_relevant(key) and key not in self.refused:
                if is_empty(self.answers.get(key)) and self.is_required(key):
                    out.append(key)
        return out

    def progress(self) -> tuple[int, int]:
        """(answered, total) over the relevant required questions; a wrong answer is not counted."""
        total = answered = 0
        for key in self.keys():
            q = self.question(key)
            if q.has_value and q.type != "calculate" and self.is_relevant(key) and self.is_required(key):
                total += 1
                answered += self._check(key, with_warnings=False) is None
        return answered, total

    def can_complete(self) -> bool:
        """True when nothing in ``errors()`` blocks completing the response."""
        return not self.errors()
