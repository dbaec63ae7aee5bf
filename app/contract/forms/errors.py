"""Errors of the form engine, each a ``ValueError`` with a Chinese message.

``ExpressionError`` is the only error the expression tokenizer, parser, checker
and evaluator raise; ``FormDefinitionError`` wraps it (or a structural problem)
with the form id, question id and character position so a federation editor
can find the mistake in the JSON file.
"""

from __future__ import annotations

import re


class ExpressionError(ValueError):
    """An expression is malformed, ill-typed or could not be evaluated.

    ``position`` is the 0-based character offset in the expression text.
    """

    def __init__(self, message: str, position: int = 0, expression: str = "") -> None:
        self.message = message
        self.position = position
        self.expression = expression
        super().__init__(f"{message}（第 {position + 1} 个字符）")


class FormDefinitionError(ValueError):
    """A form definition file is invalid; raised when the form is loaded."""

    def __init__(
        self,
        message: str,
        *,
        form_id: str = "",
        question_id: str = "",
        attribute: str = "",
        position: int | None = None,
    ) -> None:
        self.message = message
        self.form_id = form_id
        self.question_id = question_id
        self.attribute = attribute
        self.position = position
        where = [f"表单 {form_id or '?'}"]
        if question_id:
            where.append(f"题目 {question_id}")
        if attribute:
            where.append(f"属性 {attribute}")
        if position is not None:
            where.append(f"第 {position + 1} 个字符")
        super().__init__(f"{'，'.join(where)}：{message}")


class AnswerError(ValueError):
    """An answer cannot be stored: unknown key, read-only question or wrong value type."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}：{message}")


class FormNotFoundError(ValueError):
    """No definition with this form id (and version) exists in resources/forms."""


# --- the engine's messages in English ------------------------------------------------------------
#
# The engine words its messages in Chinese (f-strings where they are raised). A screen that shows
# one to an English reader (the console's XLSForm refusals) looks it up here by its template:
# ``{name}`` stands for a value; a value that is itself a message or a type's name is worded too.
# A message not listed here is shown as written.

MESSAGES_EN: dict[str, str] = {
    # definition.py
    "表单文件应是一个 JSON 对象": "A form file is one JSON object",
    "表单 id 应由小写字母、数字和下划线组成": "A form id is made of lower-case letters, digits and underscores",
    "version 应为正整数": "version must be a whole number",
    "缺少中文标题 title": "The Chinese title is missing",
    "pages 应为非空列表": "pages must be a list that is not empty",
    '选项应为非空列表，或 {"catalog": 目录名}': 'Choices are a list that is not empty, or {"catalog": name}',
    "每个选项需要 value 和 label": "Every choice needs a value and a label",
    "选项值 {value} 重复、为空或含空格": "The choice value {value} is repeated, empty or has a space",
    "每页需要 id（小写字母、数字、下划线）": "Every page needs an id (lower-case letters, digits, underscores)",
    "页面缺少中文标题 title": "The page has no Chinese title",
    "页面 id 重复": "The page id is used twice",
    "重复组缺少中文标签 label": "The repeat has no Chinese label",
    "重复组内不能再嵌套重复组": "A repeat cannot hold another repeat",
    "重复组没有题目": "The repeat has no questions",
    "entry_label 指向不存在的组内题目 {name}": "entry_label names {name}, which is not a question of the repeat",
    "题目 id 应由小写字母、数字和下划线组成": "A question id is made of lower-case letters, digits and underscores",
    "题目 id 重复": "The question id is used twice",
    "题目应为 JSON 对象": "A question is a JSON object",
    "未知的题型 {type}；可用：{types}": "Unknown question type {type}; available: {types}",
    "题目缺少中文标签 label": "The question has no Chinese label",
    "value_type 应为 number/string/bool/date/list，而不是 {type}": (
        "value_type must be number/string/bool/date/list, not {type}"
    ),
    "max_count 应在 1 到 10 之间": "max_count must be between 1 and 10",
    "未知的预填字段 {name}；可用：{names}": "Unknown prefill field {name}; available: {names}",
    "有约束条件时需要中文提示 constraint_message / warning_message": (
        "A constraint needs its Chinese message (constraint_message / warning_message)"
    ),
    "未知的选项列表 {name}": "Unknown choice list {name}",
    "只有单选、多选题可以有选项": "Only select questions have choices",
    "计算题缺少 calculate 表达式": "The calculation has no calculate expression",
    "只有 calculate 类型的题目可以有 calculate 表达式": "Only a calculate question has a calculate expression",
    "只有单选、多选题可以有 choice_filter": "Only select questions have a choice_filter",
    "默认值类型应为{type}": "The default must be a {type}",
    "默认值 {value} 不在选项中": "The default {value} is not one of the choices",
    "表达式应为字符串": "An expression is text",
    "计算结果应为{wanted}，实际为{type}": "The calculation should give a {wanted} but gives a {type}",
    "{attr} 应为是/否条件，实际为{type}": "{attr} must be a yes/no condition, not a {type}",
    "说明题 {name} 没有值，不能被引用": "The note {name} has no value and cannot be referred to",
    "显示条件或计算存在循环引用：{cycle}": "Conditions or calculations refer to each other in a circle: {cycle}",
    # catalogs.py
    "目录文件无法读取：{name}（{error}）": "Cannot read the catalogue file {name} ({error})",
    "目录文件格式不对：{name} 缺少 items 列表": "The catalogue file {name} has no items list",
    "找不到目录 {name}（{path}）": "No catalogue {name} ({path})",
    "目录 {name} 中没有列表 {list}": "The catalogue {name} has no list {list}",
    # expr/
    "表达式计算失败：{error}": "The expression failed: {error}",
    "未知的题目或变量 {name}": "Unknown question or variable {name}",
    "“.”（本题的值）只能用在约束条件中": "“.” (this question's value) is only for constraints",
    "未知的名称 {name}（函数需加括号，题目引用写成 {ref}）": (
        "Unknown name {name} (a function needs brackets; refer to a question as {ref})"
    ),
    "负号只能用于数字，不能用于{type}": "A minus sign is for numbers, not for a {type}",
    "无法识别的表达式": "Unrecognised expression",
    "{op} 两边应为是/否条件，这里是{type}": "Both sides of {op} must be yes/no conditions, here a {type}",
    "不能比较{left}和{right}": "A {left} cannot be compared with a {right}",
    "不能比较大小：{left}和{right}": "Cannot order a {left} and a {right}",
    "运算 {op} 只能用于数字，这里是{type}；日期请用 add-days / days-between": (
        "{op} is for numbers, here a {type}; for dates use add-days / days-between"
    ),
    "运算 {op} 只能用于数字，这里是{type}": "{op} is for numbers, here a {type}",
    "未知的函数 {name}()": "Unknown function {name}()",
    "{n} 个以上": "{n} or more",
    "函数 {name}() 需要 {wanted} 个参数，实际 {count} 个": "{name}() takes {wanted} argument(s), not {count}",
    "regex() 的模式必须是写定的字符串": "The pattern of regex() must be written out as a string",
    "catalog() 的目录名和字段名必须是写定的字符串": (
        "The catalogue and field names of catalog() must be written out as strings"
    ),
    "目录 {name} 中没有字段 {field}": "The catalogue {name} has no field {field}",
    "函数 {name}() 的参数个数不对": "{name}() has the wrong number of arguments",
    "第 {n} 个参数应为{wanted}，实际为{type}": "Argument {n} should be a {wanted}, not a {type}",
    "if 的条件应为是/否，实际为{type}": "The condition of if must be yes/no, not a {type}",
    "正则表达式无效：{pattern}": "Invalid regular expression: {pattern}",
    "表达式必须是文字": "An expression is text",
    "表达式过长（超过 {n} 个字符）": "The expression is too long (over {n} characters)",
    "数字只能用半角阿拉伯数字": "Numbers are written with the digits 0-9",
    "字符串缺少结束引号": "The string has no closing quote",
    "引用应写成 ${题目编号}": "Refer to a question as ${question_id}",
    "引用应写成 ${题目编号}（字母、数字、下划线）": "Refer to a question as ${question_id} (letters, digits, underscores)",
    "无法识别的字符 {char}": "Unrecognised character {char}",
    "表达式为空": "The expression is empty",
    "多余的内容 {text}": "Unexpected {text} at the end",
    "表达式嵌套过深": "The expression is nested too deeply",
    "缺少右括号 )": "A closing bracket ) is missing",
    "{text} 前缺少运算对象": "Something is missing before {text}",
    "函数 {name} 的参数后缺少右括号 )": "A closing bracket ) is missing after the arguments of {name}",
    "表达式不完整": "The expression is incomplete",
    "此处不应出现 {text}": "{text} does not belong here",
    # expr/types.py: the names of the value types
    "数字": "number",
    "文字": "text",
    "是/否": "yes/no",
    "日期": "date",
    "多选列表": "multiple-choice list",
    "重复组": "repeat",
    "任意值": "value",
}


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", template)
    return re.compile("".join("(.+?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts))


_PATTERNS = [
    (template, _pattern(template), re.findall(r"\{(\w+)\}", template))
    for template in sorted(MESSAGES_EN, key=len, reverse=True)  # the longer, more particular first
    if "{" in template and '{"' not in template and "${" not in template
]


def english(message: str) -> str:
    """An engine message in English (as written when it is not listed)."""
    if message in MESSAGES_EN:
        return MESSAGES_EN[message]
    if "或" in message and all(part in MESSAGES_EN for part in message.split("或")):
        return " or ".join(MESSAGES_EN[part] for part in message.split("或"))  # "数字或文字"
    for template, pattern, names in _PATTERNS:
        match = pattern.fullmatch(message)
        if match is not None:
            values = {name: english(value) for name, value in zip(names, match.groups(), strict=True)}
            return MESSAGES_EN[template].format(**values)
    return message
