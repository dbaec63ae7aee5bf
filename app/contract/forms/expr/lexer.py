"""Tokenizer of the form expression language (close to XLSForm/XPath).

Tokens: numbers, quoted strings, ``${name}`` references, ``.`` (the current
value in constraints), bare names (functions, keywords ``and or div mod``,
choice attributes in choice filters) and operators.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.contract.forms.errors import ExpressionError

MAX_LENGTH = 4000

_OPERATORS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ",")


@dataclass(frozen=True, slots=True)
class Token:
    """One token; ``kind`` is number, string, ref, current, name, op or end."""

    kind: str
    text: str
    position: int
    value: object = None


def _is_name_start(ch: str) -> bool:
    return ch.isalpha() or ch == "_"


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def tokenize(source: str) -> list[Token]:
    """Split ``source`` into tokens, ending with an ``end`` token."""
    if not isinstance(source, str):
        raise ExpressionError("表达式必须是文字", 0)
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"表达式过长（超过 {MAX_LENGTH} 个字符）", MAX_LENGTH, source)
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit() or (ch == "." and i + 1 < n and source[i + 1].isdigit()):
            start = i
            while i < n and source[i].isdigit():
                i += 1
            is_float = False
            if i < n and source[i] == "." and i + 1 < n and source[i + 1].isdigit():
                is_float = True
                i += 1
                while i < n and source[i].isdigit():
                    i += 1
            text = source[start:i]
            if not text.isascii():
                raise ExpressionError("数字只能用半角阿拉伯数字", start, source)
            tokens.append(Token("number", text, start, float(text) if is_float else int(text)))
        elif ch == ".":
            tokens.append(Token("current", ".", i))
            i += 1
        elif ch in "'\"":
            end = source.find(ch, i + 1)
            if end < 0:
                raise ExpressionError("字符串缺少结束引号", i, source)
            tokens.append(Token("string", source[i : end + 1], i, source[i + 1 : end]))
            i = end + 1
        elif ch == "$":
            if i + 1 >= n or source[i + 1] != "{":
                raise ExpressionError("引用应写成 ${题目编号}", i, source)
            end = source.find("}", i + 2)
            name = source[i + 2 : end] if end >= 0 else ""
            if (
                end < 0
                or not name
                or not all(_is_name_char(c) or c == "." for c in name)
                or not name.isascii()
            ):
                raise ExpressionError("引用应写成 ${题目编号}（字母、数字、下划线）", i, source)
            tokens.append(Token("ref", source[i : end + 1], i, name))
            i = end + 1
        elif _is_name_start(ch) and ch.isascii():
            start = i
            # Hyphens belong to names such as count-selected, but only when a letter follows,
            # so that "a-1" still reads as subtraction.
            while i < n and (
                (_is_name_char(source[i]) and source[i].isascii())
                or (source[i] == "-" and i + 1 < n and source[i + 1].isascii() and source[i + 1].isalpha())
            ):
                i += 1
            tokens.append(Token("name", source[start:i], start, source[start:i]))
        else:
            for op in _OPERATORS:
                if source.startswith(op, i):
                    tokens.append(Token("op", op, i))
                    i += len(op)
                    break
            else:
                raise ExpressionError(f"无法识别的字符 {ch!r}", i, source)
    tokens.append(Token("end", "", n))
    return tokens
