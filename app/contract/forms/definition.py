"""Load and check form definitions from resources/forms.

Files are named ``<form_id>.v<version>.json``; every version stays loadable so
a response saved under an older version can still be opened and validated.
Every structural mistake, unknown name and type error is reported here, at load
time, as a ``FormDefinitionError`` naming the form, question and position.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from app.contract.forms.catalogs import RESOURCES, load_catalog, value_type
from app.contract.forms.errors import ExpressionError, FormDefinitionError, FormNotFoundError
from app.contract.forms.expr import Expression, parse, refs_of
from app.contract.forms.expr import types as T
from app.contract.forms.expr.ast import Node
from app.contract.forms.model import (
    CONTEXT_KEYS,
    QUESTION_TYPES,
    Choice,
    FormDefinition,
    Page,
    Question,
    Repeat,
    question_value_type,
)
from app.contract.forms.scope import FormScope

FORMS_DIR = RESOURCES / "forms"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FILE = re.compile(r"^(?P<id>[a-z][a-z0-9_]*)\.v(?P<version>[0-9]+)\.json$")
_BOOL_ATTRS = ("relevant", "required", "constraint", "warning", "choice_filter")


class _Loader:
    """Builds one FormDefinition from its JSON data, checking as it goes."""

    def __init__(self, data: Any, path: Path | None) -> None:
        self.data = data
        self.path = path
        self.form_id = str(data.get("id", "")) if isinstance(data, dict) else ""
        # (owner id, attribute, source, parsed tree, repeat it lives in, target object)
        self.pending: list[tuple[str, str, str, Node, str | None, Question | Repeat | Page]] = []
        self.choice_lists: dict[str, tuple[Choice, ...]] = {}

    def fail(
        self, message: str, question: str = "", attribute: str = "", position: int | None = None
    ) -> None:
        raise FormDefinitionError(
            message, form_id=self.form_id, question_id=question, attribute=attribute, position=position
        )

    def load(self) -> FormDefinition:
        data = self.data
        if not isinstance(data, dict):
            self.fail("表单文件应是一个 JSON 对象")
        if not _ID.match(self.form_id):
            self.fail("表单 id 应由小写字母、数字和下划线组成")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.fail("version 应为正整数")
        if not isinstance(data.get("title"), str) or not data["title"]:
            self.fail("缺少中文标题 title")
        form = FormDefinition(
            id=self.form_id,
            version=version,
            title=data["title"],
            title_en=str(data.get("title_en", "")),
            description=str(data.get("description", "")),
            path=self.path,
        )
        for name, spec in (data.get("choice_lists") or {}).items():
            self.choice_lists[name] = self.build_choices(name, spec)
        pages = data.get("pages")
        if not isinstance(pages, list) or not pages:
            self.fail("pages 应为非空列表")
        for raw_page in pages:
            form.pages.append(self.build_page(raw_page, form))
        self.check_expressions(form)
        return form

    # -- structure -------------------------------------------------------------

    def build_choices(self, where: str, spec: Any) -> tuple[Choice, ...]:
        if isinstance(spec, dict) and "catalog" in spec:
            try:
                catalog = load_catalog(str(spec["catalog"]))
            except FormDefinitionError as exc:
                self.fail(exc.message, where, "choices")
            value_key, label_key = str(spec.get("value", "code")), str(spec.get("label", "name"))
            rows = catalog.items
            return tuple(
                Choice(
                    str(row.get(value_key)),
                    str(row.get(label_key, "")),
                    str(row.get("name_en", "")),
                    {k: v for k, v in row.items() if k not in (value_key, label_key)},
                )
                for row in rows
            )
        if not isinstance(spec, list) or not spec:
            self.fail('选项应为非空列表，或 {"catalog": 目录名}', where, "choices")
        choices = []
        seen: set[str] = set()
        for raw in spec:
            if not isinstance(raw, dict) or "value" not in raw or "label" not in raw:
                self.fail("每个选项需要 value 和 label", where, "choices")
            value = str(raw["value"])
            if value in seen or not value or " " in value:
                self.fail(f"选项值 {value!r} 重复、为空或含空格", where, "choices")
            seen.add(value)
            attrs = {k: v for k, v in raw.items() if k not in ("value", "label", "label_en")}
            choices.append(Choice(value, str(raw["label"]), str(raw.get("label_en", "")), attrs))
        return tuple(choices)

    def build_page(self, raw: Any, form: FormDefinition) -> Page:
        if not isinstance(raw, dict) or not _ID.match(str(raw.get("id", ""))):
            self.fail("每页需要 id（小写字母、数字、下划线）")
        page = Page(id=raw["id"], title=str(raw.get("title", "")), title_en=str(raw.get("title_en", "")))
        if not page.title:
            self.fail("页面缺少中文标题 title", page.id)
        if any(p.id == page.id for p in form.pages):
            self.fail("页面 id 重复", page.id)
        self.queue(page.id, "relevant", raw.get("relevant"), None, page)
        for item in raw.get("questions") or []:
            if isinstance(item, dict) and item.get("type") == "repeat":
                page.items.append(self.build_repeat(item, page, form))
            else:
                page.items.append(self.build_question(item, page, None, form))
        return page

    def build_repeat(self, raw: dict[str, Any], page: Page, form: FormDefinition) -> Repeat:
        repeat_id = str(raw.get("id", ""))
        self.check_new_id(repeat_id, form)
        repeat = Repeat(
            id=repeat_id,
            label=str(raw.get("label", "")),
            label_en=str(raw.get("label_en", "")),
            page=page.id,
            min_count=int(raw.get("min_count", 0)),
            max_count=int(raw.get("max_count", 50)),
            entry_label=str(raw.get("entry_label", "")),
        )
        if not repeat.label:
            self.fail("重复组缺少中文标签 label", repeat_id)
        form.repeats[repeat_id] = repeat
        self.queue(repeat_id, "relevant", raw.get("relevant"), None, repeat)
        for item in raw.get("questions") or []:
            if isinstance(item, dict) and item.get("type") == "repeat":
                self.fail("重复组内不能再嵌套重复组", str(item.get("id", "")))
            repeat.questions.append(self.build_question(item, page, repeat_id, form))
        if not repeat.questions:
            self.fail("重复组没有题目", repeat_id)
        if repeat.entry_label and repeat.entry_label not in {q.id for q in repeat.questions}:
            self.fail(f"entry_label 指向不存在的组内题目 {repeat.entry_label}", repeat_id)
        return repeat

    def check_new_id(self, qid: str, form: FormDefinition) -> None:
        if not _ID.match(qid):
            self.fail("题目 id 应由小写字母、数字和下划线组成", qid)
        if qid in form.questions or qid in form.repeats:
            self.fail("题目 id 重复", qid)

    def build_question(self, raw: Any, page: Page, repeat: str | None, form: FormDefinition) -> Question:
        if not isinstance(raw, dict):
            self.fail("题目应为 JSON 对象", page.id)
        qid = str(raw.get("id", ""))
        self.check_new_id(qid, form)
        kind = raw.get("type")
        if kind not in QUESTION_TYPES:
            self.fail(f"未知的题型 {kind!r}；可用：{', '.join(QUESTION_TYPES)}", qid, "type")
        q = Question(
            id=qid,
            type=kind,
            label=str(raw.get("label", "")),
            label_en=str(raw.get("label_en", "")),
            hint=str(raw.get("hint", "")),
            hint_en=str(raw.get("hint_en", "")),
            page=page.id,
            repeat=repeat,
            constraint_message=str(raw.get("constraint_message", "")),
            constraint_message_en=str(raw.get("constraint_message_en", "")),
            warning_message=str(raw.get("warning_message", "")),
            warning_message_en=str(raw.get("warning_message_en", "")),
            value_type=str(raw.get("value_type", "")),
            prefill=str(raw.get("prefill", "")),
            readonly=bool(raw.get("readonly", False)) or kind == "calculate",
            max_count=int(raw.get("max_count", 1)),
            unit=str(raw.get("unit", "")),
            appearance=str(raw.get("appearance", "")),
        )
        if not q.label and kind != "calculate":
            self.fail("题目缺少中文标签 label", qid, "label")
        if q.value_type and q.value_type not in (T.NUMBER, T.STRING, T.BOOL, T.DATE, T.LIST):
            self.fail(f"value_type 应为 number/string/bool/date/list，而不是 {q.value_type}", qid)
        if not 1 <= q.max_count <= 10:
            self.fail("max_count 应在 1 到 10 之间", qid, "max_count")
        if q.prefill and q.prefill not in CONTEXT_KEYS:
            self.fail(f"未知的预填字段 {q.prefill}；可用：{', '.join(CONTEXT_KEYS)}", qid, "prefill")
        if (raw.get("constraint") or raw.get("warning")) and not (q.constraint_message or q.warning_message):
            self.fail("有约束条件时需要中文提示 constraint_message / warning_message", qid)
        if kind in ("select_one", "select_multiple"):
            spec = raw.get("choices")
            if isinstance(spec, str):
                if spec not in self.choice_lists:
                    self.fail(f"未知的选项列表 {spec}", qid, "choices")
                q.choice_list, q.choices = spec, self.choice_lists[spec]
            else:
                q.choices = self.build_choices(qid, spec)
        elif "choices" in raw:
            self.fail("只有单选、多选题可以有选项", qid, "choices")
        if kind == "calculate" and not raw.get("calculate"):
            self.fail("计算题缺少 calculate 表达式", qid, "calculate")
        if kind != "calculate" and raw.get("calculate"):
            self.fail("只有 calculate 类型的题目可以有 calculate 表达式", qid, "calculate")
        required = raw.get("required", False)
        if isinstance(required, bool):
            q.required = required and kind not in ("note", "calculate")
        else:
            self.queue(qid, "required", required, repeat, q)
        for attr in ("relevant", "constraint", "warning", "calculate", "choice_filter"):
            self.queue(qid, attr, raw.get(attr), repeat, q)
        if raw.get("choice_filter") and kind not in ("select_one", "select_multiple"):
            self.fail("只有单选、多选题可以有 choice_filter", qid, "choice_filter")
        if "default" in raw:
            q.default = raw["default"]
            self.check_literal(q, q.default, "default")
        form.questions[qid] = q
        return q

    def check_literal(self, q: Question, value: Any, attribute: str) -> None:
        expected = question_value_type(q)
        actual = value_type(value)
        if value is not None and not T.fits(actual, expected):
            self.fail(f"默认值类型应为{T.label(expected)}", q.id, attribute)
        if q.choices and value is not None:
            allowed = {c.value for c in q.choices}
            values = value if isinstance(value, list) else [value]
            if not all(str(v) in allowed for v in values):
                self.fail(f"默认值 {value!r} 不在选项中", q.id, attribute)

    def queue(self, owner: str, attr: str, source: Any, repeat: str | None, target: Any) -> None:
        if source in (None, ""):
            return
        if not isinstance(source, str):
            self.fail("表达式应为字符串", owner, attr)
        try:
            tree = parse(source)
        except ExpressionError as exc:
            self.fail(exc.message, owner, attr, exc.position)
        self.pending.append((owner, attr, source, tree, repeat, target))

    # -- expressions -----------------------------------------------------------

    def check_expressions(self, form: FormDefinition) -> None:
        value_types = {q.id: question_value_type(q) for q in form.questions.values() if q.has_value}
        repeat_of = {q.id: q.repeat for q in form.questions.values()}
        deps = self.dependencies(form)
        order = self.topological_order(deps)
        form.calc_order = [n for n in order if n in form.questions and form.questions[n].type == "calculate"]
        by_key = {(owner, attr): entry for entry in self.pending for owner, attr in [entry[:2]]}
        # Calculations first, in dependency order, so that each one's type is known
        # before anything refers to it.
        for qid in form.calc_order:
            q = form.questions[qid]
            owner, attr, source, tree, repeat, _ = by_key[(qid, "calculate")]
            scope = FormScope(value_types, repeat_of, set(form.repeats), repeat)
            expr = self.compile(owner, attr, source, tree, scope)
            if q.value_type and not T.fits(expr.type, q.value_type):
                self.fail(f"计算结果应为{T.label(q.value_type)}，实际为{T.label(expr.type)}", qid, attr)
            q.calculate = expr
            value_types[qid] = q.value_type or expr.type
        for owner, attr, source, tree, repeat, target in self.pending:
            if attr == "calculate":
                continue
            current = attrs = None
            if attr in ("constraint", "warning") and isinstance(target, Question):
                current = question_value_type(target)
            if attr == "choice_filter" and isinstance(target, Question):
                attrs = {}
                for choice in target.choices:
                    for name, value in choice.attrs.items():
                        attrs.setdefault(name, value_type(value))
                attrs.setdefault("value", T.STRING)
                attrs.setdefault("label", T.STRING)
            scope = FormScope(value_types, repeat_of, set(form.repeats), repeat, current, attrs)
            expr = self.compile(owner, attr, source, tree, scope)
            if attr in _BOOL_ATTRS and not T.fits(expr.type, T.BOOL):
                self.fail(f"{attr} 应为是/否条件，实际为{T.label(expr.type)}", owner, attr, 0)
            setattr(target, "required_if" if attr == "required" else attr, expr)

    def compile(self, owner: str, attr: str, source: str, tree: Node, scope: FormScope) -> Expression:
        try:
            return Expression.from_tree(source, tree, scope)
        except ExpressionError as exc:
            self.fail(exc.message, owner, attr, exc.position)
        raise AssertionError("unreachable")

    def dependencies(self, form: FormDefinition) -> dict[str, set[str]]:
        """What each question, repeat and page needs evaluated before it."""
        deps: dict[str, set[str]] = {f"page:{p.id}": set() for p in form.pages}
        for q in form.questions.values():
            deps[q.id] = {f"page:{q.page}"} | ({q.repeat} if q.repeat else set())
        for r in form.repeats.values():
            deps[r.id] = {f"page:{r.page}"}
        for owner, attr, _source, tree, _repeat, target in self.pending:
            if attr not in ("relevant", "calculate"):
                continue
            key = f"page:{owner}" if isinstance(target, Page) else owner
            names = refs_of(tree)
            for name in names:
                if name in form.questions and not form.questions[name].has_value:
                    self.fail(f"说明题 {name} 没有值，不能被引用", owner, attr)
            deps[key] |= {n for n in names if n in deps}
        return deps

    def topological_order(self, deps: dict[str, set[str]]) -> list[str]:
        order: list[str] = []
        state: dict[str, int] = {}
        for start in deps:
            if state.get(start):
                continue
            stack = [(start, iter(sorted(deps[start])))]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    state[node] = 2
                    order.append(node)
                elif state.get(child) == 1:
                    cycle = [n for n, _ in stack]
                    cycle = cycle[cycle.index(child) :] + [child]
                    self.fail(f"显示条件或计算存在循环引用：{' → '.join(cycle)}", node)
                elif not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(sorted(deps[child]))))
        return order


def load_form(path: str | Path) -> FormDefinition:
    """Load and check one form definition file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FormDefinitionError(f"表单文件无法读取：{path}（{exc}）") from exc
    except json.JSONDecodeError as exc:
        raise FormDefinitionError(
            f"表单文件不是有效的 JSON：{path.name} 第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}"
        ) from exc
    return _Loader(data, path).load()


def load_form_data(data: dict[str, Any]) -> FormDefinition:
    """Load and check a form definition already parsed from JSON (e.g. from the server)."""
    return _Loader(data, None).load()


# A profile's forms received from the server (``app.services.forms_sync``), read with the shipped
# ones when no folder is named; a shipped file wins over a received one of the same id and version.
_received: list[Path] = []


def use_received_forms(folder: Path | None) -> None:
    """Also read the forms in ``folder`` (the open profile's ``forms/``); ``None`` stops."""
    _received[:] = [Path(folder)] if folder is not None else []


def form_files(directory: Path | None = None) -> dict[str, dict[int, Path]]:
    """Every ``<id>.v<version>.json`` file, grouped by form id and version."""
    found: dict[str, dict[int, Path]] = {}
    for folder in [directory] if directory else [*_received, FORMS_DIR]:
        for path in sorted(folder.glob("*.json")):
            match = _FILE.match(path.name)
            if match:
                found.setdefault(match["id"], {})[int(match["version"])] = path
    return found


# Keyed by modification time too: a received copy rewritten with completed translations is read again.
_cache: dict[tuple[Path, int], FormDefinition] = {}


def _cached(path: Path) -> FormDefinition:
    key = (path, path.stat().st_mtime_ns)
    if key not in _cache:
        _cache[key] = load_form(path)
    return _cache[key]


def load_all_forms(dir: str | Path | None = None) -> dict[str, FormDefinition]:
    """The latest version of every form in ``dir`` (resources/forms by default)."""
    files = form_files(Path(dir) if dir else None)
    return {form_id: _cached(versions[max(versions)]) for form_id, versions in files.items()}


def get_form(form_id: str, version: int | None = None, dir: str | Path | None = None) -> FormDefinition:
    """One form by id and version (the latest when ``version`` is None)."""
    versions = form_files(Path(dir) if dir else None).get(form_id)
    if not versions:
        raise FormNotFoundError(f"找不到表单 {form_id}")
    chosen = max(versions) if version is None else version
    if chosen not in versions:
        raise FormNotFoundError(f"找不到表单 {form_id} 的第 {version} 版")
    return _cached(versions[chosen])
