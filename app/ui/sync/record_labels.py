"""People's words for what sync reports about a record: field labels, values and the server's
reasons, in the interface's language.

The server sends a reason *code* with each refused change (``app.contract.values`` codes such
as ``bad_region_code``, the workflow's ``bad_transition``…) and a Chinese message. The Chinese
interface shows the message (it names the exact value); the English one translates by code.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.contract import values as value_rules
from app.ui import form_text
from app.ui.labels import label_of

CONTEXT = "RecordLabels"


class RecordLabels:
    """The translation context of this module's strings (looked up with ``QCoreApplication.translate``)."""


FIELDS: dict[str, str] = {
    "acceptance_id": QT_TRANSLATE_NOOP("RecordLabels", "验收记录"),
    "accepted_on": QT_TRANSLATE_NOOP("RecordLabels", "验收日期"),
    "actor": QT_TRANSLATE_NOOP("RecordLabels", "经办人"),
    "actual_qty": QT_TRANSLATE_NOOP("RecordLabels", "实际数量"),
    "address": QT_TRANSLATE_NOOP("RecordLabels", "住址"),
    "at": QT_TRANSLATE_NOOP("RecordLabels", "时间"),
    "birth_date": QT_TRANSLATE_NOOP("RecordLabels", "出生日期"),
    "budget": QT_TRANSLATE_NOOP("RecordLabels", "预算"),
    "catalog_code": QT_TRANSLATE_NOOP("RecordLabels", "改造项目编码"),
    "category": QT_TRANSLATE_NOOP("RecordLabels", "残疾类别"),
    "cert_number": QT_TRANSLATE_NOOP("RecordLabels", "残疾人证号"),
    "certificate_serial": QT_TRANSLATE_NOOP("RecordLabels", "验收单编号"),
    "completed_at": QT_TRANSLATE_NOOP("RecordLabels", "完成时间"),
    "conclusion": QT_TRANSLATE_NOOP("RecordLabels", "验收结论"),
    "contractor": QT_TRANSLATE_NOOP("RecordLabels", "施工单位"),
    "created_at": QT_TRANSLATE_NOOP("RecordLabels", "创建时间"),
    "deleted": QT_TRANSLATE_NOOP("RecordLabels", "删除"),
    "description": QT_TRANSLATE_NOOP("RecordLabels", "说明"),
    "due_date": QT_TRANSLATE_NOOP("RecordLabels", "计划完成日期"),
    "economic_status": QT_TRANSLATE_NOOP("RecordLabels", "经济状况"),
    "ended_at": QT_TRANSLATE_NOOP("RecordLabels", "结束时间"),
    "form_id": QT_TRANSLATE_NOOP("RecordLabels", "表单"),
    "form_version": QT_TRANSLATE_NOOP("RecordLabels", "表单版本"),
    "from_status": QT_TRANSLATE_NOOP("RecordLabels", "原状态"),
    "gender": QT_TRANSLATE_NOOP("RecordLabels", "性别"),
    "has_care_subsidy": QT_TRANSLATE_NOOP("RecordLabels", "护理补贴"),
    "has_living_subsidy": QT_TRANSLATE_NOOP("RecordLabels", "生活补贴"),
    "head_name": QT_TRANSLATE_NOOP("RecordLabels", "户主"),
    "house_grade": QT_TRANSLATE_NOOP("RecordLabels", "危房等级"),
    "household_id": QT_TRANSLATE_NOOP("RecordLabels", "所属家庭"),
    "housing_type": QT_TRANSLATE_NOOP("RecordLabels", "住房类型"),
    "id_number": QT_TRANSLATE_NOOP("RecordLabels", "身份证号"),
    "issued_at": QT_TRANSLATE_NOOP("RecordLabels", "出具时间"),
    "kind": QT_TRANSLATE_NOOP("RecordLabels", "改造类别"),
    "level": QT_TRANSLATE_NOOP("RecordLabels", "残疾等级"),
    "media_type": QT_TRANSLATE_NOOP("RecordLabels", "文件类型"),
    "name": QT_TRANSLATE_NOOP("RecordLabels", "姓名"),
    "note": QT_TRANSLATE_NOOP("RecordLabels", "备注"),
    "opinion": QT_TRANSLATE_NOOP("RecordLabels", "验收意见"),
    "owner_id": QT_TRANSLATE_NOOP("RecordLabels", "所属记录"),
    "owner_tbl": QT_TRANSLATE_NOOP("RecordLabels", "所属数据"),
    "pdf_sha256": QT_TRANSLATE_NOOP("RecordLabels", "验收单文件"),
    "person_id": QT_TRANSLATE_NOOP("RecordLabels", "人员"),
    "phone": QT_TRANSLATE_NOOP("RecordLabels", "电话"),
    "place": QT_TRANSLATE_NOOP("RecordLabels", "地点"),
    "planned_qty": QT_TRANSLATE_NOOP("RecordLabels", "计划数量"),
    "position": QT_TRANSLATE_NOOP("RecordLabels", "顺序"),
    "project_id": QT_TRANSLATE_NOOP("RecordLabels", "改造项目"),
    "rectification_deadline": QT_TRANSLATE_NOOP("RecordLabels", "整改期限"),
    "region_code": QT_TRANSLATE_NOOP("RecordLabels", "所属村（社区）"),
    "relation": QT_TRANSLATE_NOOP("RecordLabels", "与户主关系"),
    "reopen_reason": QT_TRANSLATE_NOOP("RecordLabels", "重新打开原因"),
    "role": QT_TRANSLATE_NOOP("RecordLabels", "用途"),
    "round": QT_TRANSLATE_NOOP("RecordLabels", "验收轮次"),
    "satisfaction": QT_TRANSLATE_NOOP("RecordLabels", "满意度"),
    "serial": QT_TRANSLATE_NOOP("RecordLabels", "编号"),
    "sha256": QT_TRANSLATE_NOOP("RecordLabels", "文件"),
    "size": QT_TRANSLATE_NOOP("RecordLabels", "文件大小"),
    "source_visit_id": QT_TRANSLATE_NOOP("RecordLabels", "来源访视"),
    "started_at": QT_TRANSLATE_NOOP("RecordLabels", "开始时间"),
    "status": QT_TRANSLATE_NOOP("RecordLabels", "状态"),
    "summary": QT_TRANSLATE_NOOP("RecordLabels", "访视摘要"),
    "team": QT_TRANSLATE_NOOP("RecordLabels", "验收组成员"),
    "title": QT_TRANSLATE_NOOP("RecordLabels", "项目名称"),
    "to_status": QT_TRANSLATE_NOOP("RecordLabels", "新状态"),
    "unit": QT_TRANSLATE_NOOP("RecordLabels", "单位"),
    "unit_price": QT_TRANSLATE_NOOP("RecordLabels", "单价"),
    "verification_code": QT_TRANSLATE_NOOP("RecordLabels", "校验码"),
    "visit_id": QT_TRANSLATE_NOOP("RecordLabels", "访视"),
    "worker": QT_TRANSLATE_NOOP("RecordLabels", "专职委员"),
}

REASONS: dict[str, str] = {
    # the kinds (protocol)
    "forbidden": QT_TRANSLATE_NOOP("RecordLabels", "您的账号角色无权做这项修改"),
    "out_of_scope": QT_TRANSLATE_NOOP("RecordLabels", "这条记录不在您的辖区内"),
    "invalid": QT_TRANSLATE_NOOP("RecordLabels", "值不符合规则"),
    # the workflow (server/workflow.py, server/sync_service.py)
    "actor_mismatch": QT_TRANSLATE_NOOP("RecordLabels", "经办人须为登录账号本人"),
    "bad_transition": QT_TRANSLATE_NOOP("RecordLabels", "这一状态变化不符合改造流程，或您的角色不能做"),
    "settled": QT_TRANSLATE_NOOP("RecordLabels", "项目已验收或归档，须由县区残联重新开启后才能修改"),
    "tombstone_forbidden": QT_TRANSLATE_NOOP("RecordLabels", "有法律效力的记录不能删除"),
    "device_mismatch": QT_TRANSLATE_NOOP("RecordLabels", "记录的设备与登录的设备不一致"),
    "reference_out_of_scope": QT_TRANSLATE_NOOP("RecordLabels", "引用的记录不在您的辖区内"),
    # the value rules (app.contract.values)
    "unknown_field": QT_TRANSLATE_NOOP("RecordLabels", "服务器不认识这个字段（请升级客户端）"),
    "wrong_type": QT_TRANSLATE_NOOP("RecordLabels", "值的类型不对"),
    "required": QT_TRANSLATE_NOOP("RecordLabels", "此项不能为空"),
    "out_of_range": QT_TRANSLATE_NOOP("RecordLabels", "数值超出范围"),
    "not_finite": QT_TRANSLATE_NOOP("RecordLabels", "不是有效数字"),
    "too_long": QT_TRANSLATE_NOOP("RecordLabels", "内容过长"),
    "too_deep": QT_TRANSLATE_NOOP("RecordLabels", "内容嵌套过深"),
    "control_character": QT_TRANSLATE_NOOP("RecordLabels", "内容含有不可见的控制字符"),
    "not_in_enum": QT_TRANSLATE_NOOP("RecordLabels", "值不在可选范围内"),
    "bad_date": QT_TRANSLATE_NOOP("RecordLabels", "日期无效（应为 YYYY-MM-DD 的真实日期）"),
    "bad_datetime": QT_TRANSLATE_NOOP("RecordLabels", "时间无效"),
    "bad_region_code": QT_TRANSLATE_NOOP("RecordLabels", "区划代码应为12位数字的村（社区）代码"),
    "bad_clock": QT_TRANSLATE_NOOP("RecordLabels", "修改时间戳格式错误"),
    "bad_code": QT_TRANSLATE_NOOP("RecordLabels", "编码只能包含半角字母、数字和符号"),
    "bad_id_number": QT_TRANSLATE_NOOP("RecordLabels", "身份证号无效"),
    "bad_reference": QT_TRANSLATE_NOOP("RecordLabels", "指向的记录不存在"),
    "bad_answer": QT_TRANSLATE_NOOP("RecordLabels", "表单答案不符合该题的要求"),
}
_UNKNOWN_REASON = QT_TRANSLATE_NOOP("RecordLabels", "服务器未接收（原因代码：%1）")
_ANSWER = QT_TRANSLATE_NOOP("RecordLabels", "表单答案：%1")
_EMPTY = QT_TRANSLATE_NOOP("RecordLabels", "（空）")
_YES = QT_TRANSLATE_NOOP("RecordLabels", "是")
_NO = QT_TRANSLATE_NOOP("RecordLabels", "否")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


@cache
def _question_labels() -> dict[str, tuple[str, str]]:
    """Question id -> (Chinese, English) label over every shipped form (newest version wins)."""
    from app.forms.definition import load_all_forms

    out: dict[str, tuple[str, str]] = {}
    for form in load_all_forms().values():
        for q in form.questions.values():
            out.setdefault(q.id, (q.label, q.label_en))
    return out


def field_label(field: str) -> str:
    """A column's name for people; a form answer ``answers.<key>`` as its question's label."""
    if field.startswith(("answers.", "checks.")):
        key = field.split(".", 1)[1]
        qid = key.rsplit(".", 1)[-1]
        label = _question_labels().get(qid)
        name = form_text.pick(*label) if label else key
        return _tr(_ANSWER).replace("%1", name)
    return _tr(FIELDS[field]) if field in FIELDS else field


def value_text(tbl: str, field: str, value: Any) -> str:
    """A value as people read it: enum codes as their labels (草稿, 待验收…), 是/否, （空）."""
    if value is None or value == "":
        return _tr(_EMPTY)
    if isinstance(value, bool):
        return _tr(_YES if value else _NO)
    if (tbl, field) in value_rules.REFERENCES or field.endswith("_id"):
        return ""  # a row id says nothing to people; the record is named elsewhere
    rule = value_rules.rule_for(tbl, field)
    if rule is not None and rule.kind == "datetime" and isinstance(value, str):
        from app.domain.localtime import local_minute

        return local_minute(value) or value
    enum = getattr(rule, "enum", None) if rule is not None else None
    if enum is not None and isinstance(value, str):
        try:
            return label_of(enum, value)
        except (AttributeError, KeyError, TypeError):  # an enum without display labels
            return value
    if tbl in ("formresponse", "acceptance") and field == "status" and isinstance(value, str):
        from app.domain.enums import VisitStatus

        return label_of(VisitStatus, value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def reason_text(code: str, message: str) -> str:
    """Why the server refused: its own Chinese words in the Chinese interface, translated by code
    in another language (a code this laptop does not know says so, with the code)."""
    if not form_text.english() and message:
        return message
    if code in REASONS:
        return _tr(REASONS[code])
    return message if not form_text.english() else _tr(_UNKNOWN_REASON).replace("%1", code or "?")
