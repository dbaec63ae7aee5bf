"""XLSForm: the shipped forms exported and imported back are the same forms; unsupported input is refused."""

from __future__ import annotations

import io
import json
import re
from dataclasses import fields

import pytest
from openpyxl import Workbook, load_workbook

from app.forms.definition import form_files, get_form
from app.forms.engine import FormSession
from app.forms.model import FormDefinition, Question, Repeat
from app.forms.xlsform import XLSFormError, workbook_to_form
from app.forms.xlsform_export import form_to_workbook

SHIPPED = [(fid, v) for fid, versions in sorted(form_files().items()) for v in sorted(versions)]
CONTEXT = {
    "name": "王芳", "gender": "F", "age": 67, "category": "4", "level": "2", "economic_status": "dibao",
    "address": "幸福路1号", "household_head": "王建国", "worker_name": "张丽", "visit_date": "2026-05-12",
    "today": "2026-05-12", "has_care_subsidy": False, "has_living_subsidy": True,
}  # fmt: skip

HAN = re.compile(r"[\u4e00-\u9fff]")
LATEST_AD = get_form("assistive_devices").version  # the newest shipped device-needs form


def _plain(value: object) -> object:
    if hasattr(value, "source"):
        return value.source  # an expression: the text it was parsed from
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if f.name not in ("choice_list", "path")
        }
    return value


def shape(form: FormDefinition) -> object:
    """Everything the engine knows about a form, with expressions as their text (choice list names aside)."""
    return _plain(form)


def roundtrip(form_id: str, version: int) -> FormDefinition:
    raw = json.loads(get_form(form_id, version).path.read_text("utf-8"))
    _, imported = workbook_to_form(form_to_workbook(raw))
    return imported


@pytest.mark.parametrize(("form_id", "version"), SHIPPED)
def test_shipped_forms_survive_export_and_import(form_id, version):
    original = get_form(form_id, version)
    imported = roundtrip(form_id, version)
    assert shape(imported) == shape(original)
    assert imported.calc_order == original.calc_order


def _answer_everything(session: FormSession, form: FormDefinition) -> None:
    """Put a plausible value in every visible question, adding one entry to each repeat (twice: answers open more)."""
    for _ in range(2):
        _answer_pass(session, form)


def _answer_pass(session: FormSession, form: FormDefinition) -> None:
    for repeat in form.repeats.values():
        if session.is_relevant(repeat.id) and not session.entries(repeat.id):
            session.add_repeat_entry(repeat.id)
    for page in form.pages:
        for item in page.items:
            questions = item.questions if isinstance(item, Repeat) else [item]
            for q in questions:
                keys = (
                    [f"{item.id}[{e}].{q.id}" for e in session.entries(item.id)]
                    if isinstance(item, Repeat)
                    else [q.id]
                )
                for key in keys:
                    if q.type in ("note", "calculate", "photo", "signature") or not session.is_relevant(key):
                        continue
                    value = _value(session, key, q)
                    if value is not None:
                        session.set_answer(key, value)


def _value(session: FormSession, key: str, q: Question) -> object:
    if q.type in ("select_one", "select_multiple"):
        options = session.choices_for(key)
        if not options:
            return None
        return options[0][0] if q.type == "select_one" else [options[-1][0]]
    return {"text": "无", "integer": 2, "decimal": 1.5, "date": "2026-01-02", "yes_no": True}.get(q.type)


@pytest.mark.parametrize(("form_id", "version"), SHIPPED)
def test_imported_forms_render_and_validate_the_same(form_id, version):
    original, imported = get_form(form_id, version), roundtrip(form_id, version)
    a, b = FormSession.start(original, CONTEXT), FormSession.start(imported, CONTEXT)
    assert a.answers == b.answers and a.errors() == b.errors() and a.open_required() == b.open_required()
    for index in range(len(original.pages)):
        assert a.visible_questions(index) == b.visible_questions(index)
    _answer_everything(a, original)
    for repeat in imported.repeats.values():
        entries = a.entries(repeat.id)
        b.answers[repeat.id] = list(entries)  # same entry ids on both sides
    b = FormSession(imported, a.answers, CONTEXT)
    a = FormSession(original, a.answers, CONTEXT)
    assert a.answers == b.answers
    assert a.errors() == b.errors() and a.warnings() == b.warnings() and a.progress() == b.progress()
    for index in range(len(original.pages)):
        visible = a.visible_questions(index)
        assert visible == b.visible_questions(index)
        for key in visible:
            if key not in original.repeats and a.question(key).type in ("select_one", "select_multiple"):
                assert a.choices_for(key) == b.choices_for(key)


def test_exported_workbook_reads_as_xlsform():
    raw = json.loads(get_form("assistive_devices").path.read_text("utf-8"))
    wb = load_workbook(io.BytesIO(form_to_workbook(raw)))
    assert wb.sheetnames == ["survey", "choices", "settings"]
    survey = [[c.value for c in row] for row in wb["survey"].iter_rows()]
    header = survey[0]
    assert header[:4] == ["type", "name", "label::Chinese (zh)", "label::English (en)"]
    types = [r[0] for r in survey[1:]]
    assert types.count("begin_group") == types.count("end_group") == len(raw["pages"])
    assert "begin_repeat" in types and "select_one yes_no" in types and "image" in types
    assert "select_one_from_file devices.json" in types
    settings = dict(
        zip([c.value for c in wb["settings"][1]], [c.value for c in wb["settings"][2]], strict=True)
    )
    assert (settings["form_id"], settings["version"]) == ("assistive_devices", str(LATEST_AD))


def _workbook(
    survey: list[list[object]], choices: list[list[object]] | None = None, settings: dict | None = None
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in survey:
        ws.append(row)
    if choices is not None:
        c = wb.create_sheet("choices")
        for row in choices:
            c.append(row)
    s = wb.create_sheet("settings")
    settings = settings or {"form_id": "roster_check", "form_title": "核查表", "version": "3"}
    s.append(list(settings))
    s.append(list(settings.values()))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEAD = [
    "type",
    "name",
    "label",
    "label::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "choice_filter",
]


def test_a_designers_workbook_with_cascades_and_repeats():
    data = _workbook(
        [
            HEAD,
            ["begin_group", "main", "基本情况", "Basics"],
            ["select_one yes_no", "lives_alone", "是否独居", "Lives alone", "yes"],
            [
                "integer",
                "helpers",
                "照料人数",
                "Carers",
                "yes",
                "not(${lives_alone})",
                ". >= 0 and . <= 9",
                "应为0-9",
            ],
            ["select_one towns", "town", "乡镇", "Town", "yes"],
            ["select_one villages", "village", "村", "Village", "yes", "", "", "", "town = ${town}"],
            ["begin_repeat", "members", "家庭成员", "Members"],
            ["text", "member_name", "姓名", "Name", "yes"],
            ["end_repeat"],
            ["end_group"],
        ],
        [
            ["list_name", "name", "label", "label::English (en)", "town"],
            ["yes_no", "yes", "是", "Yes"],
            ["yes_no", "no", "否", "No"],
            ["towns", "a", "甲镇", "Town A"],
            ["towns", "b", "乙镇", "Town B"],
            ["villages", "a1", "甲一村", "", "a"],
            ["villages", "b1", "乙一村", "", "b"],
        ],
    )
    raw, form = workbook_to_form(data)
    assert (form.id, form.version, form.title) == ("roster_check", 3, "核查表")
    assert form.questions["lives_alone"].type == "yes_no"
    assert form.questions["member_name"].repeat == "members"
    session = FormSession.start(form, {})
    session.set_answer("town", "b")
    assert session.choices_for("village") == [("b1", "乙一村")]
    session.set_answer("lives_alone", False)
    session.set_answer("helpers", 12)
    assert session.errors()["helpers"] == "应为0-9"


@pytest.mark.parametrize(
    ("rows", "settings", "where"),
    [
        (
            [HEAD, ["begin_group", "g", "组"], ["geopoint", "gps", "位置"], ["end_group"]],
            None,
            "survey 表第 3 行：不支持的题型“geopoint”",
        ),
        (
            [
                HEAD + ["media::image"],
                ["begin_group", "g", "组"],
                ["text", "t", "文字", "", "", "", "", "", "", "a.png"],
                ["end_group"],
            ],
            None,
            "survey 表第 3 行：不支持的列“media::image”",
        ),
        (
            [
                HEAD,
                ["begin_group", "g", "组"],
                ["begin_repeat", "r", "重复"],
                ["begin_repeat", "r2", "内层"],
                ["end_repeat"],
                ["end_repeat"],
                ["end_group"],
            ],
            None,
            "survey 表第 4 行：不支持嵌套的 repeat",
        ),
        (
            [HEAD, ["begin_group", "g", "组"], ["begin_group", "h", "内组"], ["end_group"], ["end_group"]],
            None,
            "survey 表第 3 行：不支持嵌套的 group",
        ),
        (
            [
                HEAD,
                ["begin_group", "g", "组"],
                ["integer", "n", "数", "", "", "", "format-date(.) = 1", "错"],
                ["end_group"],
            ],
            None,
            "survey 表第 3 行：“constraint”列",
        ),
        (
            [HEAD, ["begin_group", "g", "组"], ["select_one nowhere", "s", "选"], ["end_group"]],
            None,
            "survey 表第 3 行：选项列表“nowhere”在 choices 表中不存在",
        ),
        (
            [HEAD, ["begin_group", "g", "组"], ["text", "t", "文字"], ["end_group"]],
            {"form_id": "x_form", "form_title": "表", "version": "2024a"},
            "settings 表第 2 行：version 应为正整数",
        ),
    ],
)
def test_unsupported_input_is_refused_with_sheet_row_and_why(rows, settings, where):
    with pytest.raises(XLSFormError) as caught:
        workbook_to_form(_workbook(rows, [["list_name", "name", "label"]], settings))
    assert where in str(caught.value), str(caught.value)
    # The same refusals in English (the console in English): no Chinese left in any reason.
    english = [p.reason_in("en") for p in caught.value.problems]
    assert not [r for r in english if HAN.search(r)], english
    assert [p.reason_in("zh") for p in caught.value.problems] == [p.reason for p in caught.value.problems]


ENGINE_MISTAKES = [
    ("relevant", "${nowhere} = 1", "Unknown question or variable ${nowhere}"),
    ("relevant", "${n} + ", "The expression is incomplete"),
    ("relevant", "${n} = 'a", "The string has no closing quote"),
    ("relevant", "today() + 1 > 2", "+ is for numbers, here a date; for dates use add-days / days-between"),
    ("relevant", "${n}", "relevant must be a yes/no condition, not a number"),
    ("constraint", "string-length(.) > 'x'", "Cannot order a number and a text"),
    ("constraint", "if(., 1)", "if() takes 3 argument(s), not 2"),
    ("constraint", "nosuch(.)", "Unknown function nosuch()"),
]


@pytest.mark.parametrize(("column", "expression", "wanted"), ENGINE_MISTAKES)
def test_the_engines_refusals_read_in_english(column, expression, wanted):
    """An expression the engine refuses: the column, the engine's own message and the position, in English."""
    row = ["integer", "m", "另一个数", "", "", "", "", "", ""]
    row[HEAD.index(column)] = expression
    if column == "constraint":
        row[HEAD.index("constraint_message")] = "不对"
    survey = [HEAD, ["begin_group", "g", "组"], ["integer", "n", "数"], row, ["end_group"]]
    with pytest.raises(XLSFormError) as caught:
        workbook_to_form(_workbook(survey))
    (problem,) = caught.value.problems
    english = problem.reason_in("en")
    assert english.startswith(f"Column “{column}”: {wanted}"), english
    assert not HAN.search(english), english


def test_every_reason_has_english_with_the_same_fields():
    from app.contract.forms.errors import MESSAGES_EN
    from app.contract.forms.xlsform import REASONS_EN

    for table in (REASONS_EN, MESSAGES_EN):
        for chinese, english in table.items():
            if "${" in chinese:  # "${题目编号}" is written out, not a field
                continue
            assert sorted(re.findall(r"\{\w+\}", chinese)) == sorted(re.findall(r"\{\w+\}", english)), chinese
            assert english and not HAN.search(english), chinese


def test_cli_export_then_import(tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "xls"
    out.mkdir()
    assert main(["forms", "export", "--out", str(out)]) == 0
    exported = sorted(p.name for p in out.iterdir())
    assert exported == sorted(f"{fid}.v{max(v)}.xlsx" for fid, v in form_files().items())
    forms = tmp_path / "forms"
    forms.mkdir()
    # The same version again is recognised as the shipped form, not a change to it.
    assert (
        main(["forms", "import", str(out / f"assistive_devices.v{LATEST_AD}.xlsx"), "--out", str(forms)]) == 0
    )
    written = forms / f"assistive_devices.v{LATEST_AD}.json"
    from app.forms.definition import load_form
    from app.forms.xlsform import form_shape

    assert form_shape(load_form(written)) == form_shape(get_form("assistive_devices", LATEST_AD))
    # A changed form under a published version is refused; under a new version it is written.
    wb = load_workbook(out / f"assistive_devices.v{LATEST_AD}.xlsx")
    survey = wb["survey"]
    survey.cell(3, 3).value = "改过的标签"
    wb.save(tmp_path / "changed.xlsx")
    capsys.readouterr()
    assert main(["forms", "import", str(tmp_path / "changed.xlsx"), "--out", str(forms)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "已发布" in err[0]
    settings = wb["settings"]
    column = [c.value for c in settings[1]].index("version") + 1
    settings.cell(2, column).value = str(LATEST_AD + 1)
    wb.save(tmp_path / "changed.xlsx")
    assert main(["forms", "import", str(tmp_path / "changed.xlsx"), "--out", str(forms)]) == 0
    assert load_form(forms / f"assistive_devices.v{LATEST_AD + 1}.json").version == LATEST_AD + 1


@pytest.mark.parametrize(
    "argv",
    [
        ["forms", "import", "{tmp}/none.xlsx"],
        ["forms", "export", "--form", "nope", "--out", "{tmp}/x.xlsx"],
        ["forms", "export", "--form", "assistive_devices", "--version", "9", "--out", "{tmp}/x.xlsx"],
        ["forms", "export", "--out", "{tmp}/missing"],
    ],
)
def test_cli_bad_arguments(tmp_path, capsys, argv):
    from app.cli import main

    assert main([a.format(tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("错误：")
    assert not (tmp_path / "x.xlsx").exists()


def test_cli_import_accepts_english_completed_under_a_published_version(tmp_path, capsys):
    """Translations are no part of a version: a workbook that only adds or corrects English still imports."""
    from app.cli import main
    from app.forms.definition import load_form

    xlsx = tmp_path / "ad.xlsx"
    assert main(["forms", "export", "--form", "assistive_devices", "--out", str(xlsx)]) == 0
    wb = load_workbook(xlsx)
    survey = wb["survey"]
    headers = [c.value for c in survey[1]]
    column = headers.index("constraint_message::English (en)") + 1
    row = next(r for r in range(2, survey.max_row + 1) if survey.cell(r, 2).value == "quantity")
    survey.cell(row, column).value = "How many: 1 to 10"
    survey.cell(row, headers.index("label::English (en)") + 1).value = "Number of devices"
    wb.save(xlsx)
    out = tmp_path / "forms"
    out.mkdir()
    assert main(["forms", "import", str(xlsx), "--out", str(out)]) == 0
    written = load_form(out / f"assistive_devices.v{LATEST_AD}.json")
    assert written.questions["quantity"].constraint_message_en == "How many: 1 to 10"
    assert written.questions["quantity"].label_en == "Number of devices"
