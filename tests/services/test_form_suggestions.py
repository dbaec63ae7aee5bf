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
        (
            facts(answers={"housing_condition": {"accessibility_need": True}}, filled={"housing_condition"}),
            ["needs_assessment", "housing_condition"],
        ),
        (facts(category="3"), ["needs_assessment", "housing_condition"]),  # not surveyed this year
    ],
)
def test_shipped_rules(person, expected):
    assert load_suggestions().forms_for(person) == expected


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
