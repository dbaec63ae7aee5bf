"""XLSForm (ODK, KoboToolbox, SurveyCTO) workbooks to and from the app's form JSON (docs/forms.md).

Form designers in the federations know XLSForm: a ``survey`` sheet (one row per
question, ``begin_group``/``end_group`` and ``begin_repeat``/``end_repeat`` around
them), a ``choices`` sheet (``list_name``, ``name``, labels, extra columns for
``choice_filter``) and a ``settings`` sheet (``form_id``, ``form_title``, ``version``).
``workbook_to_form`` reads such a workbook into the JSON the engine loads and
then loads it, so every expression is checked exactly as a shipped form's is;
``app.forms.xlsform_export.form_to_workbook`` writes a form so a federation can
start from the shipped ones (the mapping below holds both ways).

What maps to what:
- groups are the form's pages (a question outside any group gets a page of its own);
  repeats may not nest and must sit inside a group;
- ``yes_no`` is ``select_one yes_no`` over the list ``yes_no`` (values ``yes``/``no``);
  ``photo`` is ``image``, ``signature`` is ``image`` with appearance ``signature``;
- catalogue-backed choices are ``select_one_from_file <catalogue>.json`` with
  ``parameters`` ``value=<field> label=<field>``;
- ``label::Chinese (zh)`` / ``label::English (en)`` (a bare ``label`` is Chinese), same for
  ``hint`` and ``constraint_message``; ``read_only``; ``calculation``;
- the engine's own attributes have columns of their own: ``warning``, ``warning_message``,
  ``prefill``, ``unit``, ``value_type``, ``min_count``/``max_count`` (repeats, photos),
  ``entry_label``; a choices column named ``attr[]`` holds a space-separated list.

Anything else (another question type, an unknown column with a value, a nested
repeat, a version that is not a whole number, an expression the engine cannot
check) is refused with its sheet, row and why, and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from app.contract.forms.definition import load_form_data
from app.contract.forms.errors import FormDefinitionError, english
from app.contract.forms.model import FormDefinition, is_translation
from app.domain.xlsx import Workbook, XlsxError

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
YES_NO_LIST = "yes_no"
ZH, EN = "Chinese (zh)", "English (en)"

# Plain app types that are the same word in XLSForm.
_SAME_TYPES = ("text", "integer", "decimal", "date", "note", "calculate")
# survey column -> JSON attribute, for the text attributes copied as they are.
_PLAIN = {
    "relevant": "relevant",
    "constraint": "constraint",
    "calculation": "calculate",
    "choice_filter": "choice_filter",
    "appearance": "appearance",
    "warning": "warning",
    "prefill": "prefill",
    "unit": "unit",
    "value_type": "value_type",
    "entry_label": "entry_label",
}
_TRANSLATED = {
    "label": "label",
    "hint": "hint",
    "constraint_message": "constraint_message",
    "warning_message": "warning_message",
}
_KNOWN_SURVEY = {
    "type",
    "name",
    "required",
    "default",
    "read_only",
    "readonly",
    "parameters",
    "min_count",
    "max_count",
    *_PLAIN,
}
_TYPES_OFFERED = ", ".join(
    (
        *_SAME_TYPES,
        "select_one",
        "select_multiple",
        "select_one_from_file",
        "image",
        "begin_group",
        "begin_repeat",
    )
)
_TRUE = {"yes", "true", "true()", "1", "是"}
_FALSE = {"no", "false", "false()", "0", "否", ""}


# Every refusal's reason: a Chinese template (the key a problem carries) and its English, with
# ``{name}`` fields for the values. ``SheetProblem.reason_in`` words a problem in either language
# (the console in its reader's, the command line in Chinese).
REASONS_EN: dict[str, str] = {
    "不是有效的 .xlsx 文件：{error}": "Not a valid .xlsx file: {error}",
    "无法读取“{path}”：{error}": "Cannot read “{path}”: {error}",
    "缺少 settings 表（需要 form_id、form_title、version）": (
        "The settings sheet is missing (it needs form_id, form_title and version)"
    ),
    "version 应为正整数（如 3），现在是“{value}”": "version must be a whole number (such as 3), not “{value}”",
    "缺少 form_id": "form_id is missing",
    "缺少中文标题 form_title": "The Chinese title form_title is missing",
    "不支持的设置列“{column}”": "Unsupported settings column “{column}”",
    "每个选项需要 list_name 和 name": "Every choice needs a list_name and a name",
    "不支持的列“{column}”": "Unsupported column “{column}”",
    "选项 {value} 缺少中文标签 label": "Choice {value} has no Chinese label",
    "选项列表“{list}”在 choices 表中不存在": "The choice list “{list}” is not on the choices sheet",
    "不支持的题型“{type}”；可用：{types}": "Unsupported question type “{type}”; available: {types}",
    "{column} 应为整数，现在是“{value}”": "{column} must be a whole number, not “{value}”",
    "default 应为数字，现在是“{value}”": "default must be a number, not “{value}”",
    "不支持的列“{column}”（本系统的表单引擎没有对应功能）": (
        "Unsupported column “{column}” (this system's form engine has nothing like it)"
    ),
    "缺少 survey 表或表中没有题目": "The survey sheet is missing or has no questions",
    "end_group 之前缺少 end_repeat": "end_repeat is missing before end_group",
    "多余的 end_group": "An end_group too many",
    "多余的 end_repeat": "An end_repeat too many",
    "缺少 name": "name is missing",
    "不支持嵌套的 group：本系统的一个 group 就是表单的一页": (
        "Groups cannot be nested: in this system a group is one page of the form"
    ),
    "不支持嵌套的 repeat": "Repeats cannot be nested",
    "repeat“{id}”缺少 end_repeat": "repeat “{id}” has no end_repeat",
    # The form engine's own check of the converted form; its message is worded by errors.english.
    "“{column}”列：{message}（第 {n} 个字符）": "Column “{column}”: {message} (character {n})",
    "“{column}”列：{message}": "Column “{column}”: {message}",
    "{message}（第 {n} 个字符）": "{message} (character {n})",
    "{message}": "{message}",
}


@dataclass(frozen=True, slots=True)
class SheetProblem:
    """One refusal: which sheet and row (as Excel numbers them), and why: a ``template`` of
    ``REASONS_EN`` with the ``values`` of its fields (so each language can word it)."""

    sheet: str
    row: int
    template: str
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """Why, in Chinese."""
        return self.template.format(**self.values)

    def reason_in(self, lang: str) -> str:
        """Why, in ``lang`` (``en``, else Chinese); an engine message inside is worded too."""
        if lang != "en":
            return self.reason
        values = {k: english(v) if k == "message" else v for k, v in self.values.items()}
        return REASONS_EN.get(self.template, self.template).format(**values)

    def __str__(self) -> str:
        return (
            f"{self.sheet} 表第 {self.row} 行：{self.reason}"
            if self.row
            else f"{self.sheet} 表：{self.reason}"
        )


class XLSFormError(ValueError):
    """The workbook cannot become a form; ``problems`` lists every sheet/row and why."""

    def __init__(self, problems: Sequence[SheetProblem]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(str(p) for p in self.problems))


# --- reading ---------------------------------------------------------------------------


def _language(header: str) -> tuple[str, str]:
    """``label::English (en)`` -> (``label``, ``en``); a bare ``label`` is Chinese."""
    base, _, lang = header.partition("::")
    lang = lang.strip().lower()
    if not lang or lang.startswith(("chinese", "zh", "中文")):
        return base.strip(), "zh"
    if lang.startswith(("english", "en")):
        return base.strip(), "en"
    return base.strip(), lang


def cell_text(value: object) -> str:
    """A cell's value as the text it shows (whole floats without ``.0``, booleans as true/false)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class _Sheet:
    name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (excel row, {header: raw value})


def _sheets(data: bytes) -> dict[str, _Sheet]:
    """Every worksheet by its lower-cased name; a sheet's first row with content is its header."""
    out: dict[str, _Sheet] = {}
    try:
        with Workbook(data) as wb:
            for entry in wb.sheets:
                raw = iter(wb.iter_rows(entry.name))
                first = next((values for _, values in raw if any(cell_text(v) for v in values)), None)
                if first is None:
                    continue
                headers = [cell_text(h) for h in first]
                rows = []
                for number, values in raw:
                    cells = {h: v for h, v in zip(headers, values, strict=False) if h and cell_text(v) != ""}
                    if cells:
                        rows.append((number, cells))
                out[entry.name.strip().lower()] = _Sheet(entry.name, headers, rows)
    except XlsxError as exc:
        raise XLSFormError(
            [SheetProblem("workbook", 0, "不是有效的 .xlsx 文件：{error}", {"error": exc})]
        ) from None
    return out


class _Reader:
    """Turns the three sheets into the form JSON, collecting every problem before giving up."""

    def __init__(self, sheets: dict[str, _Sheet]) -> None:
        self.sheets = sheets
        self.problems: list[SheetProblem] = []
        self.rows: dict[str, int] = {}  # question/page/repeat id -> survey row, for the engine's errors

    def fail(self, sheet: str, row: int, template: str, **values: object) -> None:
        self.problems.append(SheetProblem(sheet, row, template, values))

    def translated(self, cells: dict[str, object], base: str) -> dict[str, str]:
        """``{attr: Chinese, attr_en: English}`` of a column with language variants (``label::English (en)``)."""
        attr = _TRANSLATED[base]
        out: dict[str, str] = {}
        for header, value in cells.items():
            name, lang = _language(header)
            if name == base and lang in ("zh", "en"):
                out[attr if lang == "zh" else f"{attr}_en"] = cell_text(value)
        return out

    def settings(self) -> dict[str, Any]:
        sheet = self.sheets.get(SETTINGS)
        if sheet is None or not sheet.rows:
            self.fail(SETTINGS, 0, "缺少 settings 表（需要 form_id、form_title、version）")
            return {}
        row, cells = sheet.rows[0]
        values = {(_language(h)[0], _language(h)[1]): cell_text(v) for h, v in cells.items()}
        data: dict[str, Any] = {
            "id": values.get(("form_id", "zh"), ""),
            "title": values.get(("form_title", "zh"), ""),
            "title_en": values.get(("form_title", "en"), ""),
            "description": values.get(("description", "zh"), ""),
        }
        version = values.get(("version", "zh"), "")
        if not re.fullmatch(r"[0-9]{1,9}", version):
            self.fail(SETTINGS, row, "version 应为正整数（如 3），现在是“{value}”", value=version)
        else:
            data["version"] = int(version)
        if not data["id"]:
            self.fail(SETTINGS, row, "缺少 form_id")
        if not data["title"]:
            self.fail(SETTINGS, row, "缺少中文标题 form_title")
        known = {"form_id", "form_title", "version", "description", "default_language", "style"}
        for header in cells:
            if _language(header)[0] not in known:
                self.fail(SETTINGS, row, "不支持的设置列“{column}”", column=header)
        return data

    def choice_lists(self) -> dict[str, list[dict[str, Any]]]:
        sheet = self.sheets.get(CHOICES)
        lists: dict[str, list[dict[str, Any]]] = {}
        if sheet is None:
            return lists
        for row, cells in sheet.rows:
            list_name = cell_text(cells.get("list_name"))
            value = cell_text(cells.get("name"))
            if not list_name or not value:
                self.fail(CHOICES, row, "每个选项需要 list_name 和 name")
                continue
            choice: dict[str, Any] = {"value": value}
            for header, raw in cells.items():
                base, lang = _language(header)
                if header in ("list_name", "name"):
                    continue
                if base == "label":
                    choice["label_en" if lang == "en" else "label"] = cell_text(raw)
                elif base.endswith("[]"):
                    choice[base[:-2]] = cell_text(raw).split()
                elif "::" in header or base in ("image", "audio", "video", "media"):
                    self.fail(CHOICES, row, "不支持的列“{column}”", column=header)
                else:
                    choice[base] = raw
            if "label" not in choice:
                self.fail(CHOICES, row, "选项 {value} 缺少中文标签 label", value=value)
            lists.setdefault(list_name, []).append(choice)
        list_columns = [h[:-2] for h in sheet.headers if h.endswith("[]")]
        for choices in lists.values():
            # Within a list that uses a list column, an empty cell is an empty list (a choice in no
            # group), not a missing attribute; other lists leave the column out.
            for key in list_columns:
                if any(key in c for c in choices):
                    for c in choices:
                        c.setdefault(key, [])
        return lists

    def question(
        self,
        row: int,
        cells: dict[str, object],
        kind: str,
        lists: dict[str, list[dict[str, Any]]],
        used: set[str],
    ) -> dict[str, Any] | None:
        name = cell_text(cells.get("name"))
        q: dict[str, Any] = {"id": name}
        words = kind.split()
        base = words[0]
        appearance = cell_text(cells.get("appearance"))
        if base in _SAME_TYPES and len(words) == 1:
            q["type"] = base
        elif base == "image" and len(words) == 1:
            q["type"] = "signature" if "signature" in appearance.split() else "photo"
            appearance = " ".join(w for w in appearance.split() if w != "signature")
        elif base in ("select_one", "select_multiple") and len(words) == 2:
            list_name = words[1]
            if (
                base == "select_one"
                and list_name == YES_NO_LIST
                and {c["value"] for c in lists.get(list_name, [])} <= {"yes", "no"}
            ):
                q["type"] = "yes_no"
            elif list_name not in lists:
                self.fail(SURVEY, row, "选项列表“{list}”在 choices 表中不存在", list=list_name)
                return None
            else:
                q["type"], q["choices"] = base, list_name
                used.add(list_name)
        elif base in ("select_one_from_file", "select_multiple_from_file") and len(words) == 2:
            catalog = words[1].removesuffix(".json")
            params = dict(
                p.split("=", 1) for p in re.split(r"[\s,]+", cell_text(cells.get("parameters"))) if "=" in p
            )
            q["type"] = base.removesuffix("_from_file")
            q["choices"] = {
                "catalog": catalog,
                "value": params.get("value", "code"),
                "label": params.get("label", "name"),
            }
        else:
            self.fail(SURVEY, row, "不支持的题型“{type}”；可用：{types}", type=kind, types=_TYPES_OFFERED)
            return None
        if appearance:
            q["appearance"] = appearance
        for base_name in ("label", "hint", "constraint_message", "warning_message"):
            q.update(self.translated(cells, base_name))
        for column, attr in _PLAIN.items():
            if column in cells and attr not in ("appearance", "entry_label"):
                q[attr] = cell_text(cells[column])
        required = cell_text(cells.get("required"))
        if required.lower() in _TRUE:
            q["required"] = True
        elif required.lower() not in _FALSE:
            q["required"] = required
        if cell_text(cells.get("read_only", cells.get("readonly"))).lower() in _TRUE:
            q["readonly"] = True
        if "max_count" in cells:
            q["max_count"] = self.whole(row, cells["max_count"], "max_count")
        if "default" in cells:
            q["default"] = self.default(row, q["type"], cells["default"])
        return q

    def whole(self, row: int, value: object, column: str) -> int:
        text = cell_text(value)
        if not re.fullmatch(r"[0-9]{1,6}", text):
            self.fail(SURVEY, row, "{column} 应为整数，现在是“{value}”", column=column, value=text)
            return 0
        return int(text)

    def default(self, row: int, kind: str, value: object) -> object:
        text = cell_text(value)
        if kind == "integer":
            return self.whole(row, value, "default")
        if kind == "decimal":
            try:
                return float(text)
            except ValueError:
                self.fail(SURVEY, row, "default 应为数字，现在是“{value}”", value=text)
                return None
        if kind == "yes_no":
            return text.lower() in _TRUE
        if kind == "select_multiple":
            return text.split()
        return text

    def check_columns(self, row: int, cells: dict[str, object]) -> None:
        for header in cells:
            base, lang = _language(header)
            if base in _TRANSLATED and lang in ("zh", "en"):
                continue
            if header not in _KNOWN_SURVEY:
                self.fail(SURVEY, row, "不支持的列“{column}”（本系统的表单引擎没有对应功能）", column=header)

    def survey(self, lists: dict[str, list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], set[str]]:
        sheet = self.sheets.get(SURVEY)
        if sheet is None or not sheet.rows:
            self.fail(SURVEY, 0, "缺少 survey 表或表中没有题目")
            return [], set()
        pages: list[dict[str, Any]] = []
        used: set[str] = set()
        page: dict[str, Any] | None = None
        repeat: dict[str, Any] | None = None
        loose = 0  # pages made for questions outside any group
        for row, cells in sheet.rows:
            self.check_columns(row, cells)
            kind = " ".join(cell_text(cells.get("type")).split())
            name = cell_text(cells.get("name"))
            head = kind.split()[0] if kind else ""
            if head in ("end_group", "end group"):
                if repeat is not None:
                    self.fail(SURVEY, row, "end_group 之前缺少 end_repeat")
                if page is None:
                    self.fail(SURVEY, row, "多余的 end_group")
                page = None
                continue
            if head in ("end_repeat", "end repeat"):
                if repeat is None:
                    self.fail(SURVEY, row, "多余的 end_repeat")
                repeat = None
                continue
            if not name:
                self.fail(SURVEY, row, "缺少 name")
                continue
            self.rows.setdefault(name, row)
            if head in ("begin_group", "begin group"):
                if page is not None and page.get("_loose") is None:
                    self.fail(SURVEY, row, "不支持嵌套的 group：本系统的一个 group 就是表单的一页")
                    continue
                page = {"id": name, "questions": []}
                titles = self.translated(cells, "label")
                page.update({"title": titles.get("label", ""), "title_en": titles.get("label_en", "")})
                if "relevant" in cells:
                    page["relevant"] = cell_text(cells["relevant"])
                pages.append(page)
                continue
            if page is None:
                loose += 1
                page = {
                    "id": f"page_{loose}",
                    "title": f"第{loose}部分",
                    "title_en": f"Part {loose}",
                    "questions": [],
                    "_loose": True,
                }
                pages.append(page)
            if head in ("begin_repeat", "begin repeat"):
                if repeat is not None:
                    self.fail(SURVEY, row, "不支持嵌套的 repeat")
                    continue
                repeat = {"id": name, "type": "repeat", "questions": []}
                repeat.update(self.translated(cells, "label"))
                for column in ("relevant", "entry_label"):
                    if column in cells:
                        repeat[column] = cell_text(cells[column])
                for column in ("min_count", "max_count"):
                    if column in cells:
                        repeat[column] = self.whole(row, cells[column], column)
                page["questions"].append(repeat)
                continue
            q = self.question(row, cells, kind, lists, used)
            if q is not None:
                (repeat if repeat is not None else page)["questions"].append(q)
        if repeat is not None:
            self.fail(SURVEY, 0, "repeat“{id}”缺少 end_repeat", id=repeat["id"])
        for p in pages:
            p.pop("_loose", None)
        return pages, used


def _engine_problem(exc: FormDefinitionError, rows: dict[str, int]) -> SheetProblem:
    row = rows.get(exc.question_id, 0)
    column = {"calculate": "calculation"}.get(exc.attribute, exc.attribute)
    sheet = SETTINGS if not exc.question_id else SURVEY
    values: dict[str, object] = {"message": exc.message}
    if column:
        values["column"] = column
    if exc.position is not None:
        values["n"] = exc.position + 1
    template = {
        ("column", "message", "n"): "“{column}”列：{message}（第 {n} 个字符）",
        ("column", "message"): "“{column}”列：{message}",
        ("message", "n"): "{message}（第 {n} 个字符）",
        ("message",): "{message}",
    }[tuple(sorted(values))]
    return SheetProblem(sheet, row, template, values)


def workbook_to_form(data: bytes) -> tuple[dict[str, Any], FormDefinition]:
    """The form JSON of an XLSForm workbook and the loaded, checked definition; ``XLSFormError`` if not."""
    reader = _Reader(_sheets(data))
    form = reader.settings()
    lists = reader.choice_lists()
    pages, used = reader.survey(lists)
    if reader.problems:
        raise XLSFormError(reader.problems)
    choice_lists = {name: lists[name] for name in lists if name in used}
    if choice_lists:
        form["choice_lists"] = choice_lists
    form["pages"] = pages
    try:
        definition = load_form_data(form)
    except FormDefinitionError as exc:
        raise XLSFormError([_engine_problem(exc, reader.rows)]) from None
    return form, definition


def read_xlsform(path: Path | str) -> tuple[dict[str, Any], FormDefinition]:
    """``workbook_to_form`` for a file on disk."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise XLSFormError(
            [
                SheetProblem(
                    "workbook", 0, "无法读取“{path}”：{error}", {"path": path, "error": exc.strerror or exc}
                )
            ]
        ) from None
    return workbook_to_form(data)


def form_shape(form: FormDefinition) -> object:
    """Everything the engine knows of a form as plain data (expressions as their text, no file path).

    Two JSON files with the same shape are the same form to the engine, however their
    choice lists are named or written; this is how an import recognises a version it already has.
    Translations (``*_en``) are no part of it (``is_translation``): a version whose English was
    completed after publishing is still that version.
    """

    def plain(value: object) -> object:
        if hasattr(value, "source") and hasattr(value, "evaluate"):
            return value.source
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if is_dataclass(value):
            return {
                f.name: plain(getattr(value, f.name))
                for f in fields(value)
                if f.name not in ("choice_list", "path") and not is_translation(f.name)
            }
        return value

    return plain(form)
