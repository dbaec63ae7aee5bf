"""The app's form JSON written as an XLSForm workbook (``homevisit forms export``).

The inverse of ``app.forms.xlsform.workbook_to_form`` (whose docstring gives the
mapping): pages become groups, ``yes_no`` a ``select_one yes_no`` over a list added
to the choices sheet, catalogue choices ``select_one_from_file``, the engine's own
attributes their own columns. Column widths fit the content, the header row is bold
and frozen, so the sheet opens readable in Excel.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from app.contract.forms.xlsform import CHOICES, EN, SETTINGS, SURVEY, YES_NO_LIST, ZH, cell_text

YES_NO_CHOICES = (("yes", "是", "Yes"), ("no", "否", "No"))
SURVEY_COLUMNS = (
    "type",
    "name",
    f"label::{ZH}",
    f"label::{EN}",
    f"hint::{ZH}",
    f"hint::{EN}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{ZH}",
    f"constraint_message::{EN}",
    "calculation",
    "default",
    "choice_filter",
    "appearance",
    "read_only",
    "parameters",
    "warning",
    f"warning_message::{ZH}",
    f"warning_message::{EN}",
    "prefill",
    "unit",
    "value_type",
    "min_count",
    "max_count",
    "entry_label",
)


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def _survey_rows(form: dict[str, Any], lists: dict[str, Any]) -> Iterable[dict[str, object]]:
    for page in form["pages"]:
        yield {
            "type": "begin_group",
            "name": page["id"],
            f"label::{ZH}": page.get("title", ""),
            f"label::{EN}": page.get("title_en", ""),
            "relevant": page.get("relevant", ""),
            "appearance": "field-list",
        }
        for item in page.get("questions", []):
            if item.get("type") == "repeat":
                yield {
                    "type": "begin_repeat",
                    "name": item["id"],
                    f"label::{ZH}": item.get("label", ""),
                    f"label::{EN}": item.get("label_en", ""),
                    "relevant": item.get("relevant", ""),
                    "min_count": item.get("min_count", ""),
                    "max_count": item.get("max_count", ""),
                    "entry_label": item.get("entry_label", ""),
                }
                for q in item.get("questions", []):
                    yield _question_row(q, lists)
                yield {"type": "end_repeat", "name": item["id"]}
            else:
                yield _question_row(item, lists)
        yield {"type": "end_group", "name": page["id"]}


def _question_row(q: dict[str, Any], lists: dict[str, Any]) -> dict[str, object]:
    kind = q["type"]
    row: dict[str, object] = {"name": q["id"]}
    appearance = q.get("appearance", "")
    if kind == "yes_no":
        row["type"] = f"select_one {YES_NO_LIST}"
    elif kind in ("photo", "signature"):
        row["type"] = "image"
        if kind == "signature":
            appearance = " ".join(filter(None, ["signature", appearance]))
    elif kind in ("select_one", "select_multiple"):
        spec = q.get("choices")
        if isinstance(spec, str) and isinstance(lists.get(spec), dict):
            spec = lists[spec]
        if isinstance(spec, dict):
            row["type"] = f"{kind}_from_file {spec['catalog']}.json"
            row["parameters"] = f"value={spec.get('value', 'code')} label={spec.get('label', 'name')}"
        else:
            row["type"] = f"{kind} {spec if isinstance(spec, str) else q['id']}"
    else:
        row["type"] = kind
    required = q.get("required", False)
    row.update(
        {
            f"label::{ZH}": q.get("label", ""),
            f"label::{EN}": q.get("label_en", ""),
            f"hint::{ZH}": q.get("hint", ""),
            f"hint::{EN}": q.get("hint_en", ""),
            "required": "yes" if required is True else ("" if required is False else required),
            "relevant": q.get("relevant", ""),
            "constraint": q.get("constraint", ""),
            f"constraint_message::{ZH}": q.get("constraint_message", ""),
            f"constraint_message::{EN}": q.get("constraint_message_en", ""),
            "calculation": q.get("calculate", ""),
            "default": _cell(q["default"]) if "default" in q else "",
            "choice_filter": q.get("choice_filter", ""),
            "appearance": appearance,
            "read_only": "yes" if q.get("readonly") else "",
            "warning": q.get("warning", ""),
            f"warning_message::{ZH}": q.get("warning_message", ""),
            f"warning_message::{EN}": q.get("warning_message_en", ""),
            "prefill": q.get("prefill", ""),
            "unit": q.get("unit", ""),
            "value_type": q.get("value_type", ""),
            "max_count": q.get("max_count", ""),
        }
    )
    return row


def _choice_rows(form: dict[str, Any]) -> tuple[list[str], list[dict[str, object]]]:
    """The choices sheet: named lists, then each question's inline list under its question id."""
    lists: list[tuple[str, list[dict[str, Any]]]] = [
        (name, spec) for name, spec in (form.get("choice_lists") or {}).items() if isinstance(spec, list)
    ]
    for page in form["pages"]:
        for item in page.get("questions", []):
            for q in item.get("questions", []) if item.get("type") == "repeat" else [item]:
                if isinstance(q.get("choices"), list):
                    lists.append((q["id"], q["choices"]))
    needs_yes_no = any(
        q.get("type") == "yes_no"
        for page in form["pages"]
        for item in page.get("questions", [])
        for q in (item.get("questions", []) if item.get("type") == "repeat" else [item])
    )
    if needs_yes_no:
        lists.append(
            (YES_NO_LIST, [{"value": v, "label": zh, "label_en": en} for v, zh, en in YES_NO_CHOICES])
        )
    extra: list[str] = []
    rows: list[dict[str, object]] = []
    for name, choices in lists:
        for choice in choices:
            row: dict[str, object] = {
                "list_name": name,
                "name": choice["value"],
                f"label::{ZH}": choice.get("label", ""),
                f"label::{EN}": choice.get("label_en", ""),
            }
            for key, value in choice.items():
                if key in ("value", "label", "label_en"):
                    continue
                column = f"{key}[]" if isinstance(value, list) else key
                if column not in extra:
                    extra.append(column)
                row[column] = _cell(value)
            rows.append(row)
    return ["list_name", "name", f"label::{ZH}", f"label::{EN}", *extra], rows


def _width(value: object) -> int:
    """Excel columns a value needs: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in cell_text(value))


def form_to_workbook(form: dict[str, Any]) -> bytes:
    """An XLSForm workbook (survey, choices, settings) of the form JSON ``form``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lists = form.get("choice_lists") or {}
    wb = Workbook()
    survey = wb.active
    survey.title = SURVEY
    sheets: list[tuple[Any, Sequence[str], Iterable[dict[str, object]]]] = [
        (survey, SURVEY_COLUMNS, _survey_rows(form, lists))
    ]
    choice_headers, choice_rows = _choice_rows(form)
    sheets.append((wb.create_sheet(CHOICES), choice_headers, choice_rows))
    settings = {
        "form_id": form["id"],
        "form_title": form.get("title", ""),
        f"form_title::{EN}": form.get("title_en", ""),
        "version": str(form["version"]),
        "description": form.get("description", ""),
        "default_language": ZH,
    }
    sheets.append((wb.create_sheet(SETTINGS), list(settings), [settings]))
    for ws, headers, rows in sheets:
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [_width(h) for h in headers]
        for row in rows:
            values = [_cell(row.get(h, "")) if row.get(h, "") != "" else None for h in headers]
            ws.append(values)
            widths = [max(w, _width(v)) for w, v in zip(widths, values, strict=True)]
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(50, width + 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
