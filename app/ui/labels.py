"""Display labels of the domain enums, translated for the interface language.

The domain keeps its labels in Chinese and free of Qt (``LabelledEnum.label``);
the interface shows them through :func:`enum_label`, which looks each one up
under the translation context ``Enums``. Every label is listed once below with
``QT_TRANSLATE_NOOP`` so lupdate collects it; a test fails when an enum member
has no entry here or no English in the .ts.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.domain.enums import LabelledEnum
from app.domain.localtime import local_minute
from app.services.user_names import ClockWriter

CONTEXT = "Enums"

# Each label once, in the order of app/domain/enums.py (a label shared by two enums, like 整改, once).
ENUM_LABELS: dict[str, str] = {
    text: text
    for text in (
        # DisabilityCategory
        QT_TRANSLATE_NOOP("Enums", "视力残疾"),
        QT_TRANSLATE_NOOP("Enums", "听力残疾"),
        QT_TRANSLATE_NOOP("Enums", "言语残疾"),
        QT_TRANSLATE_NOOP("Enums", "肢体残疾"),
        QT_TRANSLATE_NOOP("Enums", "智力残疾"),
        QT_TRANSLATE_NOOP("Enums", "精神残疾"),
        QT_TRANSLATE_NOOP("Enums", "多重残疾"),
        # DisabilityLevel
        QT_TRANSLATE_NOOP("Enums", "一级"),
        QT_TRANSLATE_NOOP("Enums", "二级"),
        QT_TRANSLATE_NOOP("Enums", "三级"),
        QT_TRANSLATE_NOOP("Enums", "四级"),
        QT_TRANSLATE_NOOP("Enums", "未定级"),
        # Gender
        QT_TRANSLATE_NOOP("Enums", "男"),
        QT_TRANSLATE_NOOP("Enums", "女"),
        # EconomicStatus
        QT_TRANSLATE_NOOP("Enums", "低保"),
        QT_TRANSLATE_NOOP("Enums", "低边"),
        QT_TRANSLATE_NOOP("Enums", "特困"),
        QT_TRANSLATE_NOOP("Enums", "一般"),
        # PersonStatus
        QT_TRANSLATE_NOOP("Enums", "在册"),
        QT_TRANSLATE_NOOP("Enums", "迁出"),
        QT_TRANSLATE_NOOP("Enums", "死亡"),
        QT_TRANSLATE_NOOP("Enums", "长期外出"),
        QT_TRANSLATE_NOOP("Enums", "失联"),
        # Role
        QT_TRANSLATE_NOOP("Enums", "专职委员"),
        QT_TRANSLATE_NOOP("Enums", "验收人员"),
        QT_TRANSLATE_NOOP("Enums", "乡镇/县区残联"),
        QT_TRANSLATE_NOOP("Enums", "管理员"),
        # VisitStatus
        QT_TRANSLATE_NOOP("Enums", "草稿"),
        QT_TRANSLATE_NOOP("Enums", "已完成"),
        # ProjectKind
        QT_TRANSLATE_NOOP("Enums", "无障碍改造"),
        QT_TRANSLATE_NOOP("Enums", "室内照明线路改造"),
        QT_TRANSLATE_NOOP("Enums", "净居亮居"),
        QT_TRANSLATE_NOOP("Enums", "危房改造"),
        # ProjectStatus
        QT_TRANSLATE_NOOP("Enums", "申请"),
        QT_TRANSLATE_NOOP("Enums", "资格审核"),
        QT_TRANSLATE_NOOP("Enums", "公示"),
        QT_TRANSLATE_NOOP("Enums", "评估"),
        QT_TRANSLATE_NOOP("Enums", "勘测"),
        QT_TRANSLATE_NOOP("Enums", "方案"),
        QT_TRANSLATE_NOOP("Enums", "采购/招标"),
        QT_TRANSLATE_NOOP("Enums", "施工"),
        QT_TRANSLATE_NOOP("Enums", "待验收"),
        QT_TRANSLATE_NOOP("Enums", "验收合格"),
        QT_TRANSLATE_NOOP("Enums", "整改"),
        QT_TRANSLATE_NOOP("Enums", "归档"),
        QT_TRANSLATE_NOOP("Enums", "终止/放弃"),
        # CheckResult (整改 above)
        QT_TRANSLATE_NOOP("Enums", "合格"),
        QT_TRANSLATE_NOOP("Enums", "不合格"),
        QT_TRANSLATE_NOOP("Enums", "不涉及"),
        # HousingType
        QT_TRANSLATE_NOOP("Enums", "自有产权房（城镇）"),
        QT_TRANSLATE_NOOP("Enums", "农村自建房"),
        QT_TRANSLATE_NOOP("Enums", "租住公房/廉租房"),
        QT_TRANSLATE_NOOP("Enums", "租住私房"),
        QT_TRANSLATE_NOOP("Enums", "借住亲友房"),
        QT_TRANSLATE_NOOP("Enums", "机构居住"),
        QT_TRANSLATE_NOOP("Enums", "其他"),
        # HouseGrade
        QT_TRANSLATE_NOOP("Enums", "A级（无危险点）"),
        QT_TRANSLATE_NOOP("Enums", "B级（个别危险构件）"),
        QT_TRANSLATE_NOOP("Enums", "C级（局部危房）"),
        QT_TRANSLATE_NOOP("Enums", "D级（整幢危房）"),
        # NeedType (app/domain/needs.py; 无障碍改造, 净居亮居, 危房改造 above)
        QT_TRANSLATE_NOOP("Enums", "康复服务"),
        QT_TRANSLATE_NOOP("Enums", "辅助器具"),
        QT_TRANSLATE_NOOP("Enums", "教育资助"),
        QT_TRANSLATE_NOOP("Enums", "就业帮扶"),
        QT_TRANSLATE_NOOP("Enums", "社会保障"),
        QT_TRANSLATE_NOOP("Enums", "托养照护"),
        QT_TRANSLATE_NOOP("Enums", "照明线路改造"),
        QT_TRANSLATE_NOOP("Enums", "困难帮扶"),
        # NeedStatus
        QT_TRANSLATE_NOOP("Enums", "待办"),
        QT_TRANSLATE_NOOP("Enums", "已转介"),
        QT_TRANSLATE_NOOP("Enums", "办理中"),
        QT_TRANSLATE_NOOP("Enums", "已办结"),
        QT_TRANSLATE_NOOP("Enums", "无法办理"),
        # NeedClosedKind
        QT_TRANSLATE_NOOP("Enums", "改造项目验收"),
        QT_TRANSLATE_NOOP("Enums", "辅具交付"),
        QT_TRANSLATE_NOOP("Enums", "补贴落实"),
        QT_TRANSLATE_NOOP("Enums", "人工办结"),
        # ReviewDecision
        QT_TRANSLATE_NOOP("Enums", "通过"),
        QT_TRANSLATE_NOOP("Enums", "退回"),
    )
}


class Enums:
    """The translation context of enum labels (lupdate files them under this class's name)."""

    @staticmethod
    def label(member: LabelledEnum) -> str:
        """The label of ``member`` in the interface language (Chinese when no English is loaded)."""
        return QCoreApplication.translate("Enums", ENUM_LABELS.get(member.label, member.label))


def enum_label(member: LabelledEnum) -> str:
    """The label of ``member`` in the interface language."""
    return Enums.label(member)


def label_of(enum: type[LabelledEnum], value: str | None) -> str:
    """The translated label of a stored code; "" for none, the code itself when it is unknown."""
    if not value:
        return ""
    try:
        return enum_label(enum(value))
    except ValueError:
        return value


def enum_choices(enum: type[LabelledEnum]) -> list[tuple[str, str]]:
    """(value, translated label) pairs in declaration order, for combo boxes."""
    return [(m.value, enum_label(m)) for m in enum]


class UserLabel:
    """The translation context of a user's name with their login (lupdate files it under this class's name)."""

    @staticmethod
    def of(display_name: str, username: str) -> str:
        """A user where the login matters too (switching user, the synced account): 张丽（zhangli）.

        The login alone when no other name is known.
        """
        if not display_name or display_name == username:
            return username
        template = QCoreApplication.translate("UserLabel", "%1（%2）")
        return template.replace("%1", display_name).replace("%2", username)


def user_label(display_name: str, username: str) -> str:
    """``UserLabel.of``: 张丽（zhangli）, in the interface language."""
    return UserLabel.of(display_name, username)


class ClockWriterLabel:
    """The translation context of who stamped a clock value (lupdate files it under this class's name)."""

    @staticmethod
    def of(writer: ClockWriter) -> str:
        """王博 · 2026-12-01 14:03 (local time); 张丽（本机） for this laptop's own; 另一台设备 when unknown.

        Never a device id: a colleague's device is named by its user, or not at all.
        """
        from app.ui import service_text  # here, not at the top: service_text reads this module's labels

        names = QCoreApplication.translate("ClockWriterLabel", "、").join(
            service_text.translate(n)
            for n in writer.names  # the seeding tool's actor: 示例数据
        )
        if writer.here:
            who = (
                QCoreApplication.translate("ClockWriterLabel", "%1（本机）").replace("%1", names)
                if names
                else QCoreApplication.translate("ClockWriterLabel", "本机")
            )
        else:
            who = names or QCoreApplication.translate("ClockWriterLabel", "另一台设备")
        if writer.millis is None:
            return who
        when = local_minute(datetime.fromtimestamp(writer.millis / 1000, UTC).isoformat())
        return (
            QCoreApplication.translate("ClockWriterLabel", "%1 · %2").replace("%1", who).replace("%2", when)
        )
