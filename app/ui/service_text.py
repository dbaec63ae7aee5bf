"""The registry service's and the domain's own messages (Qt-free, Chinese), in the interface's language.

``app.services.registry`` and ``app.domain`` explain a refusal in Chinese (the core has no Qt).
The UI shows such a message through :func:`translate`: it is looked up by its Chinese source in
the ``ServiceMessage`` translation context; a message with a value in it (a length, a digit, a
name) is matched against its template, the values are put into the translated template. A
message not listed here is shown as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.domain.acceptance import english_texts
from app.ui import form_text
from app.ui.labels import CONTEXT as ENUMS
from app.ui.labels import ENUM_LABELS

_CONTEXT = "ServiceMessage"


class ServiceMessage:
    """The translation context of the services' and the domain's messages (see :func:`translate`)."""


# Chinese templates; %1, %2 stand for the values the message carries.
_TEMPLATES = (
    # app/services/registry.py
    QT_TRANSLATE_NOOP("ServiceMessage", "电话号码格式不正确：手机号为11位，座机如 0570-1234567"),
    QT_TRANSLATE_NOOP("ServiceMessage", "请填写家庭住址"),
    QT_TRANSLATE_NOOP("ServiceMessage", "请选择到村（社区）一级"),
    QT_TRANSLATE_NOOP("ServiceMessage", "请选择家庭经济状况"),
    QT_TRANSLATE_NOOP("ServiceMessage", "请填写姓名"),
    QT_TRANSLATE_NOOP("ServiceMessage", "姓名应为2到20个汉字或字母"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾类别无效"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾等级无效"),
    QT_TRANSLATE_NOOP("ServiceMessage", "填写了残疾人证号，请同时选择残疾类别"),
    QT_TRANSLATE_NOOP("ServiceMessage", "填写了残疾人证号，请同时选择残疾等级"),
    QT_TRANSLATE_NOOP("ServiceMessage", "人员状态无效"),
    QT_TRANSLATE_NOOP("ServiceMessage", "该身份证号已登记为“%1”，请勿重复登记"),
    # app/domain/ids.py
    QT_TRANSLATE_NOOP("ServiceMessage", "请输入身份证号"),
    QT_TRANSLATE_NOOP("ServiceMessage", "身份证号应为18位，现在是%1位"),
    QT_TRANSLATE_NOOP("ServiceMessage", "身份证号前17位必须是数字，最后一位是数字或X"),
    QT_TRANSLATE_NOOP("ServiceMessage", "身份证号第1-6位地区码“%1”无效"),
    QT_TRANSLATE_NOOP("ServiceMessage", "身份证号第7-14位出生日期“%1”不是有效日期"),
    QT_TRANSLATE_NOOP("ServiceMessage", "身份证号中的出生日期%1晚于今天"),
    QT_TRANSLATE_NOOP("ServiceMessage", "身份证号中的出生年份%1不可能"),
    QT_TRANSLATE_NOOP("ServiceMessage", "身份证号校验位错误：最后一位应为“%1”，请核对每一位数字"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾人证号应为20位（身份证号+类别+等级），现在是%1位"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾人证号前18位不是有效身份证号：%1"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾人证号第19位残疾类别“%1”无效，应为1-7"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾人证号第20位残疾等级“%1”无效，应为1-4"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾人证号第20位残疾等级不能为0，持证人须已定级"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾人证号前18位与本人身份证号不一致"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾人证号第19位为%1，与登记的%2不一致"),
    QT_TRANSLATE_NOOP("ServiceMessage", "残疾人证号第20位为%1，与登记的%2不一致"),
    # app/services/user_names.py
    QT_TRANSLATE_NOOP("ServiceMessage", "示例数据"),
    # app/domain/regions.py
    QT_TRANSLATE_NOOP("ServiceMessage", "区划代码“%1”不在区划目录中，请核对或联系管理员更新目录"),
    # app/services/projects.py: the timeline's own notes (CREATED_NOTE, FROM_VISIT_NOTE, acceptance_note)
    QT_TRANSLATE_NOOP("ServiceMessage", "新建项目"),
    QT_TRANSLATE_NOOP("ServiceMessage", "由访视登记的需求生成"),
    QT_TRANSLATE_NOOP("ServiceMessage", "第%1轮验收：%2"),
    # app/domain/acceptance.py: a round's conclusion (PASS_TEXT, conclude)
    QT_TRANSLATE_NOOP("ServiceMessage", "经查阅资料和现场核查，各项均符合要求，验收合格。"),
    QT_TRANSLATE_NOOP("ServiceMessage", "%1共%2项不符合要求，须于%3年%4月%5日前整改完毕后重新验收。"),
    # app/domain/acceptance.py: a measured value (evaluate_measurement) and its limit (Limit.describe)
    QT_TRANSLATE_NOOP("ServiceMessage", "“%1”实测%2，%3，应为%4，需整改"),
    QT_TRANSLATE_NOOP("ServiceMessage", "“%1”的实测值“%2”不是有效数字"),
    QT_TRANSLATE_NOOP("ServiceMessage", "“%1”应为标称值 %2 之一，“%3”不是标称值，请核对铭牌或标识"),
    QT_TRANSLATE_NOOP("ServiceMessage", "偏小"),
    QT_TRANSLATE_NOOP("ServiceMessage", "偏大"),
    QT_TRANSLATE_NOOP("ServiceMessage", "不陡于 %1"),
)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(%\d)", template)
    return re.compile("".join("(.+?)" if re.fullmatch(r"%\d", p) else re.escape(p) for p in parts))


_PATTERNS = [(template, _pattern(template)) for template in _TEMPLATES]


@lru_cache(maxsize=1)
def _data_english() -> dict[str, str]:
    """Texts that come from data files with their English beside them: the acceptance checklists'
    titles, check names, methods, limit words and pass opinions (``acceptance.english_texts``)."""
    return english_texts()


def _listed(message: str) -> str | None:
    """A "、"-separated list of data texts (the failing checks of a conclusion) in English, or None
    when a part has none; a part may hold "、" itself, so the longest known run is taken first."""
    parts = message.split("、")
    known = _data_english()
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            english = known.get("、".join(parts[i:j]))
            if english:
                out.append(english)
                i = j
                break
        else:
            return None
    return ", ".join(out)


def translate(message: str) -> str:
    """``message`` (a service's or the domain's Chinese) in the interface's language.

    A value inside a template is translated too: a nested message, an enum label (the
    category names of the certificate-number mismatch) or a data text with English.
    """
    for template, pattern in _PATTERNS:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        text = QCoreApplication.translate(_CONTEXT, template)
        for number, value in enumerate(match.groups(), start=1):
            text = text.replace(f"%{number}", translate(value))
        return text
    if message in ENUM_LABELS:
        return QCoreApplication.translate(ENUMS, message)
    english = _data_english().get(message, "")
    if not english and "、" in message and form_text.english():
        english = _listed(message) or ""
    return form_text.pick(message, english)
