"""English for the ledgers' Chinese column headers and titles, shown on the screen's preview.

The workbook itself is a Chinese filing and keeps its Chinese headers; the preview
shows them in the interface language. A test checks that every header of
``app.contract.ledger.definitions`` is listed here.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.contract.ledger.columns import LedgerKind

TITLES: dict[LedgerKind, str] = {
    LedgerKind.HOUSEHOLDS: QT_TRANSLATE_NOOP("LedgerHeaders", "家庭户台账"),
    LedgerKind.PERSONS: QT_TRANSLATE_NOOP("LedgerHeaders", "残疾人台账"),
    LedgerKind.VISITS: QT_TRANSLATE_NOOP("LedgerHeaders", "入户访视台账"),
    LedgerKind.PROJECTS: QT_TRANSLATE_NOOP("LedgerHeaders", "改造项目台账"),
    LedgerKind.NEEDS: QT_TRANSLATE_NOOP("LedgerHeaders", "需求台账"),
    LedgerKind.DEVICES: QT_TRANSLATE_NOOP("LedgerHeaders", "辅助器具采购清单"),
    LedgerKind.ACCEPTANCES: QT_TRANSLATE_NOOP("LedgerHeaders", "验收台账"),
}

NUMBER = QT_TRANSLATE_NOOP("LedgerHeaders", "序号")  # the workbook's first column

HEADERS: dict[str, str] = {
    text: text
    for text in (
        QT_TRANSLATE_NOOP("LedgerHeaders", "序号"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "县（市、区）"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "乡镇（街道）"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "村（社区）"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "家庭住址"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "户主姓名"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "联系电话"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "家庭经济状况"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "住房类型"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "危房等级"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "在册残疾人数"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "最近访视日期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "姓名"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "性别"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "身份证号"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "残疾人证号"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "残疾类别"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "残疾等级"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "人员状态"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "与户主关系"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "困难残疾人生活补贴"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "重度残疾人护理补贴"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "访视日期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "起止时间"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "被访残疾人"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "访视人员"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "访视状态"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "已完成表单数"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "已完成表单"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "残疾人"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "项目类型"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "项目名称"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "项目状态"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "施工单位"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "预算（元）"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "计划金额（元）"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "结算金额（元）"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "申请日期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "完成期限"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "验收日期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "验收结论"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "验收单编号"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "开工日期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "竣工日期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "验收轮次"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "验收组成员"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "群众满意度"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "整改期限"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "出具日期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "辅具类别"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "器具编码"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "分类代码"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "器具名称"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "单位"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "需求人数"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "需求数量"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "其中需评估"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "其中到期更换"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "补贴标准（元）"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "金额（元）"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "需求类型"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "需求内容"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "转介去向（责任单位）"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "跟进状态"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "登记日期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "办理期限"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "是否逾期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "办结日期"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "办结方式"),
        QT_TRANSLATE_NOOP("LedgerHeaders", "办结说明"),
    )
}


class LedgerHeaders:
    """The translation context of ledger headers and titles (lupdate files them under this name)."""

    @staticmethod
    def header(header: str) -> str:
        return QCoreApplication.translate("LedgerHeaders", HEADERS.get(header, header))

    @staticmethod
    def title(kind: LedgerKind) -> str:
        return QCoreApplication.translate("LedgerHeaders", TITLES[kind])


def header_text(header: str) -> str:
    """A column header in the interface language (a header not listed stays Chinese)."""
    return LedgerHeaders.header(header)


def title_text(kind: LedgerKind) -> str:
    """A ledger's title in the interface language."""
    return LedgerHeaders.title(kind)
