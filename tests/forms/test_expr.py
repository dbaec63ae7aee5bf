"""The expression language: evaluation cases, error positions, and a fuzz test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.forms.errors import ExpressionError
from app.forms.expr import Expression
from tests.forms.helpers import TYPES, Env, Scope

VALUES = {
    "age": 65,
    "needs": ["rehab", "device"],
    "category": "4",
    "level": "2",
    "since": "2020-02-29",
    "life": 3,
    "ok": True,
    "name": "张三",
    "entries": ["a1", "b2"],
    "amounts": [1, 2.5, None],
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("${age} >= 60 and selected(${needs}, 'rehab')", True),
        ("selected(${needs}, 'care')", False),
        ("count-selected(${needs})", 2),
        ("count(${entries})", 2),
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 div 4", 2.5),
        ("10 div 5", 2),
        ("10 mod 4", 2),
        ("1 div 0", None),
        ("-${age} + 5", -60),
        ("if(${category} = '4', 'physical', 'other')", "physical"),
        ("if(${ok}, 1, 2)", 1),
        ("not(${ok})", False),
        ("true() and not(false())", True),
        ("int(7.9)", 7),
        ("int('12')", 12),
        ("number('3.5') + 1", 4.5),
        ("string(${age})", "65"),
        ("string-length(${name})", 2),
        ("regex('13912345678', '1[3-9][0-9]{9}')", True),
        ("regex('0570', '1[3-9][0-9]{9}')", False),
        ("coalesce(${missing_is_unknown_so_not_used}, 1)", None),
        ("concat(${name}, '-', ${level})", "张三-2"),
        ("today()", "2026-11-01"),
        ("add-days('2026-01-31', 1)", "2026-02-01"),
        ("add-years(${since}, ${life})", "2023-02-28"),
        ("add-years('2024-01-15', 1.5)", "2025-07-15"),
        ("days-between('2026-01-01', today())", 304),
        ("years-between('1950-11-02', today())", 75),
        ("year(today())", 2026),
        ("add-years(${since}, ${life}) <= today()", True),
        ("sum(${amounts})", 3.5),
        ("max(${amounts})", 2.5),
        ("any(${amounts})", True),
        ("${level} = '1' or ${level} = '2'", True),
        ("${level} != ''", True),
        ("catalog('devices', 'D01', 'service_life_years')", 3),
        ("'a' < 'b'", True),
        ("${age} > 60 and ${age} < 70", True),
    ],
)
def test_evaluates(source, expected):
    if "missing_is_unknown" in source:
        with pytest.raises(ExpressionError):
            Expression.compile(source, Scope())
        return
    assert Expression.compile(source, Scope()).evaluate(Env(VALUES)) == expected


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("${age} >= 60", {}, False),
        ("${age} + 1", {}, None),
        ("${category} = ''", {}, True),
        ("count-selected(${needs})", {}, 0),
        ("selected(${needs}, 'x')", {}, False),
        ("add-years(${since}, 1)", {"since": "not a date"}, None),
        ("int(${name})", {"name": "abc"}, None),
        ("coalesce(${name}, 'none')", {"name": ""}, "none"),
    ],
)
def test_empty_values_never_crash(source, values, expected):
    assert Expression.compile(source, Scope()).evaluate(Env(values)) == expected


def test_current_value_in_constraint():
    expr = Expression.compile(". >= 1 and . <= 10", Scope())
    assert expr.evaluate(Env(current=5)) is True
    assert expr.evaluate(Env(current=11)) is False


def test_choice_attribute():
    expr = Expression.compile("kind = ${category}", Scope())
    assert expr.evaluate(Env({"category": "4", "attr:kind": "4"})) is True


@pytest.mark.parametrize(
    ("source", "position", "fragment"),
    [
        ("${agee} > 1", 0, "未知的题目"),
        ("${age} + 'x'", 9, "只能用于数字"),
        ("${age} = '60'", 7, "不能比较"),
        ("selected(${age}, 'x')", 9, "第 1 个参数"),
        ("count-selected(${needs}, 1)", 0, "参数"),
        ("foo(1)", 0, "未知的函数"),
        ("${age} > 1 and", 14, "不完整"),
        ("(1 + 2", 6, "右括号"),
        ("'abc", 0, "引号"),
        ("1 # 2", 2, "无法识别"),
        ("$age", 0, "${"),
        ("kindx = 'a'", 0, "未知的名称"),
        ("${category} and ${ok}", 0, "是/否"),
        ("${since} + 1", 0, "add-days"),
        ("regex(${name}, '[')", 15, "正则"),
        ("regex(${name}, ${name})", 15, "写定"),
        ("catalog('devices', 'D01', 'nope')", 26, "没有字段"),
        ("", 0, "为空"),
        ("1 2", 2, "多余"),
        ("and 1", 0, "缺少运算对象"),
    ],
)
def test_errors_have_position(source, position, fragment):
    with pytest.raises(ExpressionError) as info:
        Expression.compile(source, Scope())
    assert info.value.position == position
    assert fragment in info.value.message


def test_deep_nesting_is_refused_cleanly():
    with pytest.raises(ExpressionError, match="嵌套过深"):
        Expression.compile("(" * 500 + "1" + ")" * 500, Scope())
    with pytest.raises(ExpressionError, match="嵌套过深"):
        Expression.compile("+".join(["1"] * 1500), Scope())


_PIECES = st.sampled_from(
    [
        "${age}",
        "${needs}",
        "${name}",
        "${since}",
        "${ok}",
        "${entries}",
        "${nope}",
        ".",
        "'x'",
        "'2026-01-01'",
        "1",
        "0",
        "-",
        "+",
        "*",
        " div ",
        " mod ",
        " and ",
        " or ",
        "=",
        "!=",
        "<",
        ">=",
        "(",
        ")",
        ",",
        "selected(",
        "count(",
        "if(",
        "int(",
        "today()",
        "add-years(",
        "regex(",
        "coalesce(",
        "not(",
        "kind",
        "sum(",
        "string-length(",
        '"',
        "$",
        "{",
        "中",
        "9999999999999999999",
    ]
)
_VALUE = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=25).map("".join)),
    values=st.fixed_dictionaries({name: _VALUE for name in TYPES}),
    current=_VALUE,
)
def test_arbitrary_input_only_raises_expression_error(text, values, current):
    try:
        expr = Expression.compile(text, Scope())
    except ExpressionError as exc:
        assert exc.message
        return
    # A checked expression evaluates without raising at all, whatever the data.
    expr.evaluate(Env(values, current))
