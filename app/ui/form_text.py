"""Form texts in the interface's language: the English a form file carries, when the UI is English.

Form definitions are data (resources/forms) with Chinese texts and optional
``title_en`` / ``label_en`` / ``hint_en`` / ``constraint_message_en`` /
``warning_message_en`` fields (XLSForm's ``::English (en)`` columns); they are not in the Qt translation files.
Every place that shows a form's title, a page title, a question, a repeat or a
choice asks here, so an English interface shows the form's English wherever
the form has one, and its Chinese only where it has none.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from app.forms.alerts import Alert
from app.forms.model import FormDefinition, Page, Question, Repeat

_REQUIRED = QT_TRANSLATE_NOOP("FormRenderer", "此项为必填项")
# The engine's and the answer checks' fixed messages (Qt-free, Chinese), shown translated.
_MESSAGES = (
    _REQUIRED,
    QT_TRANSLATE_NOOP("FormRenderer", "日期格式不正确，请按 2020-01-05、2020/1/5 或 20200105 填写"),
    QT_TRANSLATE_NOOP("FormRenderer", "应填写整数"),
    QT_TRANSLATE_NOOP("FormRenderer", "应填写数字"),
    QT_TRANSLATE_NOOP("FormRenderer", "所选项不在当前可选范围内，请重新选择"),
    QT_TRANSLATE_NOOP("FormRenderer", "答案不符合要求"),
)

# The engine's repeat-count messages (app.forms.engine ``_collect``), with their number.
_AT_LEAST = re.compile(r"至少需要填写 ([0-9]+) 项")
_AT_MOST = re.compile(r"最多只能填写 ([0-9]+) 项")


class Units:
    """The translation context of units (lupdate files them under this class's name)."""


# Units of the forms and the renovation catalogue; symbols (mm, m², A…) read the same in English.
_UNITS = (
    QT_TRANSLATE_NOOP("Units", "元"),
    QT_TRANSLATE_NOOP("Units", "岁"),
    QT_TRANSLATE_NOOP("Units", "个"),
    QT_TRANSLATE_NOOP("Units", "具"),
    QT_TRANSLATE_NOOP("Units", "副"),
    QT_TRANSLATE_NOOP("Units", "单位"),
    QT_TRANSLATE_NOOP("Units", "台"),
    QT_TRANSLATE_NOOP("Units", "块"),
    QT_TRANSLATE_NOOP("Units", "处"),
    QT_TRANSLATE_NOOP("Units", "套"),
    QT_TRANSLATE_NOOP("Units", "平方米"),
    QT_TRANSLATE_NOOP("Units", "张"),
    QT_TRANSLATE_NOOP("Units", "把"),
    QT_TRANSLATE_NOOP("Units", "根"),
    QT_TRANSLATE_NOOP("Units", "樘"),
    QT_TRANSLATE_NOOP("Units", "盏"),
    QT_TRANSLATE_NOOP("Units", "米"),
    QT_TRANSLATE_NOOP("Units", "辆"),
    QT_TRANSLATE_NOOP("Units", "间"),
    QT_TRANSLATE_NOOP("Units", "项"),
)


def unit(text: str) -> str:
    """A form's or a catalogue item's unit in the interface language (元 → yuan); symbols unchanged."""
    return QCoreApplication.translate("Units", text) if text in _UNITS else text


def english() -> bool:
    """Whether the interface is English (``install_translators`` sets the default locale)."""
    return QLocale().language() == QLocale.Language.English


def pick(chinese: str, english_text: str) -> str:
    return english_text if english_text and english() else chinese


def form_title(definition: FormDefinition) -> str:
    return pick(definition.title, definition.title_en)


def page_title(page: Page) -> str:
    return pick(page.title, page.title_en)


def item_label(item: Question | Repeat) -> str:
    return pick(item.label, item.label_en)


def choices(question: Question, options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(value, label) options of ``question`` with each label in the interface's language."""
    if not english():
        return options
    english_labels = {c.value: c.label_en for c in question.choices if c.label_en}
    return [(value, english_labels.get(value, label)) for value, label in options]


def required_message() -> str:
    """The engine's "此项为必填项", translated (the engine is Qt-free and speaks Chinese)."""
    return QCoreApplication.translate("FormRenderer", _REQUIRED)


def hint(question: Question) -> str:
    return pick(question.hint, question.hint_en)


def message(text: str, question: Question | None = None) -> str:
    """An engine message in the interface's language: its fixed ones translated, and the
    question's own constraint or warning message in the English the form file carries."""
    if text in _MESSAGES:
        return QCoreApplication.translate("FormRenderer", text)
    if match := _AT_LEAST.fullmatch(text):
        return QCoreApplication.translate("FormRenderer", "至少需要填写 %1 项").replace("%1", match[1])
    if match := _AT_MOST.fullmatch(text):
        return QCoreApplication.translate("FormRenderer", "最多只能填写 %1 项").replace("%1", match[1])
    if question is not None and text:
        if text == question.constraint_message:
            return pick(text, question.constraint_message_en)
        if text == question.warning_message:
            return pick(text, question.warning_message_en)
    return text


def problem(definition: FormDefinition, key: str, text: str) -> str:
    """``message`` for the answer ``key`` of ``definition`` (a repeat entry's key ends in its question)."""
    return message(text, definition.questions.get(key.rsplit(".", 1)[-1]))


def alert_title(alert: Alert) -> str:
    """A need alert's title in the interface's language (resources/alerts.json ``title_en``)."""
    return pick(alert.title, alert.title_en)


def alert_message(alert: Alert) -> str:
    """A need alert's message in the interface's language (``message_en``)."""
    return pick(alert.message, alert.message_en)


# Punctuation joined in code (not inside one translated string) follows the interface's language:
# full-width in Chinese, ASCII with a space in English.


def colon() -> str:
    return ": " if english() else "："


def semicolon() -> str:
    return "; " if english() else "；"


def enumeration() -> str:
    """Between the items of a list: "、" in Chinese, ", " in English."""
    return ", " if english() else "、"


def bracketed(text: str) -> str:
    """`` (text)`` in English, ``（text）`` in Chinese."""
    return f" ({text})" if english() else f"（{text}）"
