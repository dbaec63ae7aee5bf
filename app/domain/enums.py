"""Enumerations of the domain, each with its Chinese label.

Values are the stable codes stored in the database and sent over the wire;
labels are for display. Categories and levels follow GB/T 26341-2010.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a Chinese display label."""

    label: str

    def __new__(cls, value: str, label: str) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs in declaration order, for combo boxes and forms."""
        return [(m.value, m.label) for m in cls]


class DisabilityCategory(LabelledEnum):
    """残疾类别; the value is the digit used in the certificate number."""

    VISION = "1", "视力残疾"
    HEARING = "2", "听力残疾"
    SPEECH = "3", "言语残疾"
    PHYSICAL = "4", "肢体残疾"
    INTELLECTUAL = "5", "智力残疾"
    PSYCHOSOCIAL = "6", "精神残疾"
    MULTIPLE = "7", "多重残疾"


class DisabilityLevel(LabelledEnum):
    """残疾等级; 1 is the most severe. ``UNRATED`` exists only on intake forms."""

    LEVEL_1 = "1", "一级"
    LEVEL_2 = "2", "二级"
    LEVEL_3 = "3", "三级"
    LEVEL_4 = "4", "四级"
    UNRATED = "0", "未定级"


class Gender(LabelledEnum):
    MALE = "M", "男"
    FEMALE = "F", "女"


class EconomicStatus(LabelledEnum):
    """家庭经济状况."""

    DIBAO = "dibao", "低保"
    DIBIAN = "dibian", "低边"
    TEKUN = "tekun", "特困"
    GENERAL = "general", "一般"


class PersonStatus(LabelledEnum):
    """户籍/在册状态; a visit's outcome (见到本人 … 失联) may change it."""

    REGISTERED = "registered", "在册"
    MOVED_OUT = "moved_out", "迁出"
    DECEASED = "deceased", "死亡"
    LONG_ABSENT = "long_absent", "长期外出"
    LOST_CONTACT = "lost_contact", "失联"


class Role(LabelledEnum):
    WORKER = "worker", "专职委员"
    ACCEPTOR = "acceptor", "验收人员"
    SUPERVISOR = "supervisor", "乡镇/县区残联"
    ADMIN = "admin", "管理员"


class VisitStatus(LabelledEnum):
    DRAFT = "draft", "草稿"
    COMPLETED = "completed", "已完成"


class ReviewDecision(LabelledEnum):
    """A supervisor's review of a completed visit (访视审核)."""

    APPROVED = "approved", "通过"
    RETURNED = "returned", "退回"


class ProjectKind(LabelledEnum):
    ACCESSIBILITY = "accessibility", "无障碍改造"
    LIGHTING = "lighting", "室内照明线路改造"
    CLEAN_BRIGHT = "clean_bright", "净居亮居"
    DANGEROUS_HOUSE = "dangerous_house", "危房改造"


class ProjectStatus(LabelledEnum):
    """改造项目状态; the order of declaration is the normal flow, 终止/放弃 last.

    资格审核, 公示 and 采购/招标 are steps some counties take and others skip
    (app.domain.renovation allows both); the codes of the older steps never change.
    """

    APPLIED = "applied", "申请"
    ELIGIBILITY_REVIEW = "eligibility_review", "资格审核"
    PUBLICITY = "publicity", "公示"
    ASSESSED = "assessed", "评估"
    SURVEYED = "surveyed", "勘测"
    PLANNED = "planned", "方案"
    PROCUREMENT = "procurement", "采购/招标"
    UNDER_CONSTRUCTION = "construction", "施工"
    AWAITING_ACCEPTANCE = "awaiting_acceptance", "待验收"
    ACCEPTED = "accepted", "验收合格"
    RECTIFYING = "rectifying", "整改"
    ARCHIVED = "archived", "归档"
    TERMINATED = "terminated", "终止/放弃"


class CheckResult(LabelledEnum):
    """One acceptance check's result; 不涉及 when the plan did not touch what it checks."""

    PASS = "pass", "合格"
    FAIL = "fail", "不合格"
    RECTIFY = "rectify", "整改"
    NOT_APPLICABLE = "not_applicable", "不涉及"


class HousingType(LabelledEnum):
    """住房类型; the same codes as the housing form's ``house_type`` question.

    ``household.housing_type`` holds one of these codes; rows written before it was
    coded keep their free text, which ``label_of`` shows as it is.
    """

    OWN_URBAN = "own_urban", "自有产权房（城镇）"
    OWN_RURAL = "own_rural", "农村自建房"
    PUBLIC_RENT = "public_rent", "租住公房/廉租房"
    PRIVATE_RENT = "private_rent", "租住私房"
    RELATIVES = "relatives", "借住亲友房"
    INSTITUTION = "institution", "机构居住"
    OTHER = "other", "其他"


class HouseGrade(LabelledEnum):
    """危房等级 (JGJ 125-2016)."""

    A = "A", "A级（无危险点）"
    B = "B", "B级（个别危险构件）"
    C = "C", "C级（局部危房）"
    D = "D", "D级（整幢危房）"
