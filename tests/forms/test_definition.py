"""Loading form definitions: the real forms, versions, and load-time errors."""

from __future__ import annotations

import json

import pytest

from app.forms.definition import get_form, load_all_forms, load_form, load_form_data
from app.forms.errors import FormDefinitionError, FormNotFoundError


def test_latest_versions_of_the_three_forms():
    forms = load_all_forms()
    assert set(forms) >= {"needs_assessment", "housing_condition", "housing_survey", "assistive_devices"}
    assert forms["assistive_devices"].version == 3 and forms["needs_assessment"].version == 2
    for form in forms.values():
        assert form.title and all(q.label or q.type == "calculate" for q in form.questions.values())


def test_older_version_still_loads():
    old = get_form("assistive_devices", 1)
    assert old.version == 1
    assert "device_class" not in old.questions and "priority" not in old.questions


def test_unknown_form_and_version():
    with pytest.raises(FormNotFoundError):
        get_form("nope")
    with pytest.raises(FormNotFoundError):
        get_form("assistive_devices", 99)


def _form(*questions, **extra):
    return {
        "id": "t",
        "version": 1,
        "title": "测试",
        "pages": [{"id": "p", "title": "页", "questions": list(questions)}],
        **extra,
    }


def _q(qid, kind="integer", **kw):
    return {"id": qid, "type": kind, "label": qid, **kw}


@pytest.mark.parametrize(
    ("questions", "question_id", "attribute", "position", "fragment"),
    [
        ([_q("a"), _q("b", relevant="${a} > 1 and ${c} = 2")], "b", "relevant", 13, "未知的题目"),
        ([_q("a"), _q("b", relevant="${a} = 'x'")], "b", "relevant", 5, "不能比较"),
        ([_q("a"), _q("b", relevant="${a} + 1")], "b", "relevant", 0, "是/否"),
        ([_q("a", constraint=". >= 1 and", constraint_message="错")], "a", "constraint", 10, "不完整"),
        ([_q("a", relevant=". > 1")], "a", "relevant", 0, "约束"),
        ([_q("a", type="decimal"), _q("a")], "a", "", None, "重复"),
        ([_q("a", kind="color")], "a", "type", None, "未知的题型"),
        ([_q("a", kind="select_one", choices="nolist")], "a", "choices", None, "选项列表"),
        ([_q("a", prefill="shoe_size")], "a", "prefill", None, "预填"),
        ([_q("a", constraint=". > 1")], "a", "", None, "constraint_message"),
        ([_q("a", relevant="${b}"), _q("b", kind="yes_no", relevant="${a} > 1")], "", "", None, "循环"),
        (
            [_q("a", kind="select_one", choices=[{"value": "x", "label": "X"}], choice_filter="kindx = 'y'")],
            "a",
            "choice_filter",
            0,
            "未知的名称",
        ),
        ([_q("a", default="many")], "a", "default", None, "默认值"),
    ],
)
def test_load_time_errors_name_form_question_and_position(
    questions, question_id, attribute, position, fragment
):
    with pytest.raises(FormDefinitionError) as info:
        load_form_data(_form(*questions))
    err = info.value
    assert err.form_id == "t"
    if question_id:
        assert err.question_id == question_id
    assert err.attribute == attribute
    assert err.position == position
    assert fragment in str(err)


def test_calculation_type_checked_against_declared_type():
    with pytest.raises(FormDefinitionError, match="计算结果应为日期"):
        load_form_data(
            _form(_q("a"), {"id": "c", "type": "calculate", "calculate": "${a} + 1", "value_type": "date"})
        )


def test_calculation_order_follows_dependencies():
    form = load_form_data(
        _form(
            _q("a"),
            {"id": "c2", "type": "calculate", "calculate": "${c1} * 2"},
            {"id": "c1", "type": "calculate", "calculate": "${a} + 1"},
        )
    )
    assert form.calc_order == ["c1", "c2"]


def test_bad_json_file(tmp_path):
    path = tmp_path / "t.v1.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="JSON"):
        load_form(path)


def test_versions_in_a_directory(tmp_path):
    for version in (1, 3, 2):
        data = _form(_q("a"))
        data["version"] = version
        (tmp_path / f"t.v{version}.json").write_text(json.dumps(data), encoding="utf-8")
    assert load_all_forms(tmp_path)["t"].version == 3
    assert get_form("t", 1, dir=tmp_path).version == 1


def test_new_versions_have_english_for_every_question_and_choice():
    for form in load_all_forms().values():
        if (form.id, form.version) not in {
            ("needs_assessment", 2),
            ("housing_condition", 2),
            ("housing_condition", 3),
            ("housing_survey", 1),
            ("assistive_devices", 3),
        }:
            continue
        for page in form.pages:
            assert page.title_en, (form.id, page.id)
        for q in form.questions.values():
            assert q.type == "calculate" or q.label_en, (form.id, q.id)
            for c in q.choices or ():
                assert c.label_en, (form.id, q.id, c.value)
