"""Built-in functions of the expression language.

Each function declares its argument count, how it types its arguments (used at
form load) and its implementation (used at run time, never raising on bad
data: it returns None instead).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from app.contract.forms.expr import types as T
from app.contract.forms.expr.values import as_list, to_date, to_number, to_string, truthy

Impl = Callable[["T.Environment", list[object]], object]
# Given argument types, return the result type or an error message.
Typer = Callable[[list[str]], "str | tuple[int, str]"]


@dataclass(frozen=True, slots=True)
class Function:
    """One built-in: name, arity, static typing rule and implementation."""

    name: str
    min_args: int
    max_args: int | None
    typer: Typer
    impl: Impl
    doc: str


def _expect(*expected: tuple[str, ...], result: str) -> Typer:
    """Typer for fixed positional argument types."""

    def typer(args: list[str]) -> str | tuple[int, str]:
        for i, (actual, wanted) in enumerate(zip(args, expected, strict=False)):
            if not T.fits(actual, *wanted):
                names = "或".join(T.label(w) for w in wanted)
                return i, f"第 {i + 1} 个参数应为{names}，实际为{T.label(actual)}"
        return result

    return typer


def _same_as_args(args: list[str]) -> str:
    kinds = {a for a in args if a != T.ANY}
    return kinds.pop() if len(kinds) == 1 else T.ANY


def _if_typer(args: list[str]) -> str | tuple[int, str]:
    if not T.fits(args[0], T.BOOL):
        return 0, f"if 的条件应为是/否，实际为{T.label(args[0])}"
    return _same_as_args(args[1:])


def _selected(env: T.Environment, args: list[object]) -> bool:
    return to_string(args[1]) in [to_string(v) for v in as_list(args[0])]


def _int(env: T.Environment, args: list[object]) -> int | None:
    number = to_number(args[0])
    return None if number is None else int(number)


def _string_length(env: T.Environment, args: list[object]) -> int:
    return len(to_string(args[0]))


@functools.lru_cache(maxsize=128)
def _compile_regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


def regex_error(pattern: str) -> str | None:
    """Why a regex pattern is invalid, or None when it compiles."""
    return None if _compile_regex(pattern) is not None else f"正则表达式无效：{pattern}"


def _regex(env: T.Environment, args: list[object]) -> bool | None:
    if args[0] is None:
        return None
    compiled = _compile_regex(to_string(args[1]))
    return None if compiled is None else compiled.fullmatch(to_string(args[0])) is not None


def _coalesce(env: T.Environment, args: list[object]) -> object:
    for value in args:
        if value is not None and value != "" and value != []:
            return value
    return None


def _add_days(env: T.Environment, args: list[object]) -> str | None:
    day, n = to_date(args[0]), to_number(args[1])
    if day is None or n is None or abs(n) > 3_000_000:
        return None
    try:
        return (day + dt.timedelta(days=int(n))).isoformat()
    except OverflowError:
        return None


def _add_years(env: T.Environment, args: list[object]) -> str | None:
    day, n = to_date(args[0]), to_number(args[1])
    if day is None or n is None or abs(n) > 5000:
        return None
    whole_years = int(n)
    months = round((n - whole_years) * 12)
    month_index = day.month - 1 + months
    year = day.year + whole_years + month_index // 12
    month = month_index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    # 29 February plus a year falls on 28 February.
    for dom in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, dom)).isoformat()
        except ValueError:
            continue
    return None


def _days_between(env: T.Environment, args: list[object]) -> int | None:
    a, b = to_date(args[0]), to_date(args[1])
    return None if a is None or b is None else (b - a).days


def _years_between(env: T.Environment, args: list[object]) -> int | None:
    a, b = to_date(args[0]), to_date(args[1])
    if a is None or b is None:
        return None
    years = b.year - a.year - ((b.month, b.day) < (a.month, a.day))
    return years


def _year(env: T.Environment, args: list[object]) -> int | None:
    day = to_date(args[0])
    return None if day is None else day.year


def _numbers(value: object) -> list[int | float]:
    return [n for n in (to_number(v) for v in as_list(value)) if n is not None]


def _catalog(env: T.Environment, args: list[object]) -> object:
    if args[1] is None:
        return None
    return env.catalog(to_string(args[0]), args[1], to_string(args[2]))


def _date(env: T.Environment, args: list[object]) -> str | None:
    day = to_date(args[0])
    return None if day is None else day.isoformat()


_A = (T.ANY,)
_NUM = (T.NUMBER,)
_STR = (T.STRING,)
_DATE = (T.DATE,)
_LISTISH = (T.LIST, T.STRING)

FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in [
        Function(
            "selected",
            2,
            2,
            _expect(_LISTISH, _STR, result=T.BOOL),
            _selected,
            "多选（或单选）中是否选了某项",
        ),
        Function(
            "count-selected",
            1,
            1,
            _expect(_LISTISH, result=T.NUMBER),
            lambda env, a: len(as_list(a[0])),
            "多选中选了几项",
        ),
        Function(
            "count",
            1,
            1,
            _expect((T.REPEAT, T.LIST), result=T.NUMBER),
            lambda env, a: len([v for v in as_list(a[0]) if v is not None]),
            "重复组的条目数，或列表中非空值的个数",
        ),
        Function(
            "if", 3, 3, _if_typer, lambda env, a: a[1] if truthy(a[0]) else a[2], "if(条件, 是则, 否则)"
        ),
        Function("not", 1, 1, _expect(_A, result=T.BOOL), lambda env, a: not truthy(a[0]), "取反"),
        Function("true", 0, 0, _expect(result=T.BOOL), lambda env, a: True, "真"),
        Function("false", 0, 0, _expect(result=T.BOOL), lambda env, a: False, "假"),
        Function("today", 0, 0, _expect(result=T.DATE), lambda env, a: env.today().isoformat(), "今天的日期"),
        Function("int", 1, 1, _expect(_A, result=T.NUMBER), _int, "取整（向零截断）"),
        Function("number", 1, 1, _expect(_A, result=T.NUMBER), lambda env, a: to_number(a[0]), "转为数字"),
        Function("string", 1, 1, _expect(_A, result=T.STRING), lambda env, a: to_string(a[0]), "转为文字"),
        Function("string-length", 1, 1, _expect(_A, result=T.NUMBER), _string_length, "文字长度"),
        Function("regex", 2, 2, _expect(_STR, _STR, result=T.BOOL), _regex, "是否整体匹配正则表达式"),
        Function("coalesce", 1, None, _same_as_args, _coalesce, "第一个非空值"),
        Function(
            "concat",
            0,
            None,
            lambda args: T.STRING,
            lambda env, a: "".join(to_string(v) for v in a),
            "连接文字",
        ),
        Function("date", 1, 1, _expect((T.STRING, T.DATE), result=T.DATE), _date, "文字转日期"),
        Function("add-days", 2, 2, _expect(_DATE, _NUM, result=T.DATE), _add_days, "日期加天数"),
        Function(
            "add-years", 2, 2, _expect(_DATE, _NUM, result=T.DATE), _add_years, "日期加年数（可带小数）"
        ),
        Function(
            "days-between", 2, 2, _expect(_DATE, _DATE, result=T.NUMBER), _days_between, "两个日期相差的天数"
        ),
        Function(
            "years-between",
            2,
            2,
            _expect(_DATE, _DATE, result=T.NUMBER),
            _years_between,
            "两个日期相差的整年数",
        ),
        Function("year", 1, 1, _expect(_DATE, result=T.NUMBER), _year, "日期的年份"),
        Function(
            "sum",
            1,
            1,
            _expect((T.LIST,), result=T.NUMBER),
            lambda env, a: sum(_numbers(a[0])),
            "重复组内某题数值之和",
        ),
        Function(
            "max",
            1,
            1,
            _expect((T.LIST,), result=T.NUMBER),
            lambda env, a: max(_numbers(a[0]), default=None),
            "最大值",
        ),
        Function(
            "min",
            1,
            1,
            _expect((T.LIST,), result=T.NUMBER),
            lambda env, a: min(_numbers(a[0]), default=None),
            "最小值",
        ),
        Function(
            "any",
            1,
            1,
            _expect((T.LIST,), result=T.BOOL),
            lambda env, a: any(truthy(v) for v in as_list(a[0])),
            "列表中是否有真值",
        ),
        Function(
            "catalog",
            3,
            3,
            _expect(_STR, _A, _STR, result=T.ANY),
            _catalog,
            "目录查询：catalog('devices', 编码, '字段')",
        ),
    ]
}
