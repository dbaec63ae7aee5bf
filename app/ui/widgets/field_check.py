"""The shared contract's value rule (``app.contract.values.check_field``), run as a value is typed.

The server runs the same function on every pushed change; here its answer is shown
beside the field, with the field's own label instead of the internal ``table.field``
name, in the interface's language (the reason code picks the English).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from app.contract import values

# Chinese wording per reason code, looked up in the English translation (the server's own
# message, with the field's label, is what a Chinese interface shows).
_TEMPLATES = {
    values.TOO_LONG: QT_TRANSLATE_NOOP("FieldCheck", "“%1”内容过长（最多 %2 字）"),
    values.CONTROL_CHARACTER: QT_TRANSLATE_NOOP("FieldCheck", "“%1”含有不可见的控制字符，请删除"),
    values.BAD_CODE: QT_TRANSLATE_NOOP(
        "FieldCheck", "“%1”只能包含半角字母、数字和符号（不能有全角字符或空格）"
    ),
    values.NOT_IN_ENUM: QT_TRANSLATE_NOOP("FieldCheck", "“%1”的值不在可选范围内，请重新选择"),
    values.BAD_DATE: QT_TRANSLATE_NOOP("FieldCheck", "“%1”不是真实存在的日期（格式 YYYY-MM-DD）"),
    values.BAD_ID_NUMBER: QT_TRANSLATE_NOOP("FieldCheck", "“%1”不是有效的身份证号"),
    values.BAD_REGION_CODE: QT_TRANSLATE_NOOP("FieldCheck", "“%1”请选择到村（社区）一级"),
    values.REQUIRED: QT_TRANSLATE_NOOP("FieldCheck", "“%1”不能为空"),
    values.WRONG_TYPE: QT_TRANSLATE_NOOP("FieldCheck", "“%1”的值类型不对"),
    values.OUT_OF_RANGE: QT_TRANSLATE_NOOP("FieldCheck", "“%1”超出允许的范围"),
}


class FieldCheck:
    """The translation context of the contract's messages (``field_message``)."""

    @staticmethod
    def english(reason: str, label: str, max_len: int) -> str | None:
        template = _TEMPLATES.get(reason)
        if template is None:
            return None
        text = QCoreApplication.translate("FieldCheck", template)
        return text.replace("%1", label).replace("%2", str(max_len))


def field_message(table: str, field: str, value: Any, label: str) -> str:
    """Why the server would refuse ``value`` in ``table.field``, as the user reads it ("" = fine)."""
    error = values.check_field(table, field, value)
    if error is None:
        return ""
    if QLocale().language() == QLocale.Language.English:
        rule = values.rule_for(table, field)
        english = FieldCheck.english(error.reason, label, rule.max_len if rule else values.MAX_TEXT)
        if english is not None:
            return english
    return error.message.replace(f"“{table}.{field}”", f"“{label}”")
