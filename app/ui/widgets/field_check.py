"""The shared contract's value rule (``app.contract.values.check_field``), run as a value is typed.

The server runs the same function on every pushed change; here its answer is shown
beside the field, with the field's own label instead of the internal ``table.field``
name, in the interface's language (the reason code picks the English).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from app.contract import values

_ENGLISH = {
    values.TOO_LONG: QT_TRANSLATE_NOOP("FieldCheck", "“%1” is too long (at most %2 characters)"),
    values.CONTROL_CHARACTER: QT_TRANSLATE_NOOP("FieldCheck", "“%1” contains an invisible control character"),
    values.BAD_CODE: QT_TRANSLATE_NOOP(
        "FieldCheck",
        "“%1” may hold only half-width letters, digits and symbols (no full-width characters or spaces)",
    ),
    values.NOT_IN_ENUM: QT_TRANSLATE_NOOP("FieldCheck", "“%1”: choose one of the options"),
    values.BAD_DATE: QT_TRANSLATE_NOOP("FieldCheck", "“%1” is not a real date (YYYY-MM-DD)"),
    values.BAD_ID_NUMBER: QT_TRANSLATE_NOOP("FieldCheck", "“%1” is not a valid ID number"),
    values.BAD_REGION_CODE: QT_TRANSLATE_NOOP("FieldCheck", "“%1”: choose a village or community"),
    values.REQUIRED: QT_TRANSLATE_NOOP("FieldCheck", "“%1” must be filled in"),
    values.WRONG_TYPE: QT_TRANSLATE_NOOP("FieldCheck", "“%1” has the wrong kind of value"),
    values.OUT_OF_RANGE: QT_TRANSLATE_NOOP("FieldCheck", "“%1” is out of range"),
}


def field_message(table: str, field: str, value: Any, label: str) -> str:
    """Why the server would refuse ``value`` in ``table.field``, as the user reads it ("" = fine)."""
    error = values.check_field(table, field, value)
    if error is None:
        return ""
    if QLocale().language() == QLocale.Language.English and error.reason in _ENGLISH:
        rule = values.rule_for(table, field)
        return (
            QCoreApplication.translate("FieldCheck", _ENGLISH[error.reason])
            .replace("%1", label)
            .replace("%2", str(rule.max_len if rule else values.MAX_TEXT))
        )
    return error.message.replace(f"“{table}.{field}”", f"“{label}”")
