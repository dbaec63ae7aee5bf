"""Form-suggestion rules come from resources/form_suggestions.json; each condition kind in one table."""

import json

import pytest

from app.services.form_suggestions import BadSuggestions, PersonFacts, load_suggestions, parse_suggestions


def facts(category="", grade="", answers=None, filled=()):
    return PersonFacts(category, grade, answers or {}, frozenset(filled))


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (facts(filled={"housing_condition"}), ["needs_assessment"]),
        (facts(category="1", filled={"housing_condition"}), ["needs_assessment", "assistive_devices"]),
        (
            facts(
                answers={"needs_assessment": {"rehab_needed": ["device_fitting"]}},
                filled={"housing_condition"},
            ),
            ["needs_assessment", "assistive_devices"],
        ),
        (facts(grade="D", filled={"housing_condition"}), ["needs_assessment", "housing_condition"]),
        (facts(category="3"), ["needs_assessment", "housing_condition"]),  # not checked this year
    ],
)
def test_shipped_rules(person, expected):
    assert load_suggestions().forms_for(person) == expected


NO_NEED = {"accessibility_need": False, "lighting_need": False, "clean_bright_need": False}


@pytest.mark.parametrize(
    ("answers", "surveyed"),
    [
        ({}, False),  # nothing known yet: the yearly short check, no survey
        ({"housing_condition": NO_NEED}, False),
        (
            {"housing_condition": {**NO_NEED, "dangerous_house_need": True}},
            False,
        ),  # 危房: housing dept, not 入户勘测
        ({"needs_assessment": {"accessibility_needed": False}}, False),
        ({"housing_condition": {**NO_NEED, "accessibility_need": True}}, True),
        ({"housing_condition": {**NO_NEED, "lighting_need": True}}, True),
        ({"housing_condition": {**NO_NEED, "clean_bright_need": True}}, True),
        ({"needs_assessment": {"accessibility_needed": True}}, True),
        # a v2 response: accessibility_need was calculated from the chosen items
        ({"housing_condition": {"accessibility_items": ["WZA-01"], "accessibility_need": True}}, True),
    ],
)
@pytest.mark.parametrize("filled", [(), ("housing_condition",)])
@pytest.mark.parametrize("grade", ["", "D"])
def test_the_survey_only_when_a_renovation_need_exists(answers, surveyed, filled, grade):
    forms = load_suggestions().forms_for(facts(category="4", grade=grade, answers=answers, filled=filled))
    assert ("housing_survey" in forms) is surveyed
    # the short check: yearly, and again for a C/D house
    assert ("housing_condition" in forms) is (not filled or grade == "D")
    assert forms.index("housing_survey") > forms.index("needs_assessment") if surveyed else True


def test_rules_ask_only_about_the_forms_they_name():
    assert load_suggestions().yearly_forms == {"housing_condition"}


@pytest.mark.parametrize(
    "data",
    [
        {"always": [], "rules": [{"form": "x", "when_any": [{"moon_phase_in": ["full"]}]}]},
        {"always": [], "rules": [{"form": "x", "when_any": [{"house_grade_in": ["C"], "answer_true": {}}]}]},
        {"rules": []},
    ],
)
def test_a_bad_rule_is_refused_in_chinese(data):
    with pytest.raises(BadSuggestions, match="表单建议规则"):
        parse_suggestions(data)


def test_an_unreadable_file_is_refused_in_chinese(tmp_path):
    path = tmp_path / "suggestions.json"
    path.write_text(json.dumps({"always": []})[:-3], encoding="utf-8")
    with pytest.raises(BadSuggestions, match="无法读取表单建议规则"):
        load_suggestions(path)
