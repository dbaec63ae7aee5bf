"""Category, level, economic-status and relation texts as rosters write them, read into the domain's codes.

The 残疾人证 database writes ``视力残疾`` and ``一级``; hand-made sheets write ``视力``,
``1``, ``1级`` or ``壹级``. Each parser returns the enum member or raises
``ValueError`` with a Chinese message listing what is accepted.
"""

from __future__ import annotations

from functools import lru_cache

from app.domain.enums import DisabilityCategory, DisabilityLevel, EconomicStatus, LabelledEnum

_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4", "壹": "1", "贰": "2", "叁": "3", "肆": "4"}
HEAD_RELATIONS = frozenset({"本人", "户主", "户主本人", "本人(户主)", "本人（户主）"})


def _clean(text: str) -> str:
    return "".join(str(text).split())


def _by_label(enum: type[LabelledEnum], text: str, suffix: str = "") -> LabelledEnum | None:
    for member in enum:
        if text in (member.value, member.label) or (suffix and text + suffix == member.label):
            return member
    return None


# A roster repeats a handful of spellings thousands of times: each is parsed once (a refusal is not kept).
@lru_cache(maxsize=512)
def parse_category(text: str) -> DisabilityCategory:
    """``4``, ``肢体``, ``肢体残疾`` → ``DisabilityCategory.PHYSICAL``."""
    value = _clean(text)
    member = _by_label(DisabilityCategory, value, "残疾")
    if member is None:
        options = "、".join(c.label for c in DisabilityCategory)
        raise ValueError(f"残疾类别“{text}”无法识别，应为{options}或1-7")
    return DisabilityCategory(member)


@lru_cache(maxsize=512)
def parse_level(text: str) -> DisabilityLevel:
    """``2``, ``2级``, ``二级``, ``贰级`` → ``DisabilityLevel.LEVEL_2``; ``未定级`` is accepted too."""
    value = _clean(text)
    if value.endswith("级") and value != "未定级":
        value = value[:-1]
    value = _DIGITS.get(value, value)
    member = _by_label(DisabilityLevel, value, "级")
    if member is None:
        raise ValueError(f"残疾等级“{text}”无法识别，应为一级、二级、三级、四级（或1-4）")
    return DisabilityLevel(member)


@lru_cache(maxsize=512)
def parse_economic_status(text: str) -> EconomicStatus:
    """``低保``, ``低保户``, ``低边``, ``特困``, ``一般`` (empty: ``一般``)."""
    value = _clean(text).removesuffix("户").removesuffix("家庭")
    if not value:
        return EconomicStatus.GENERAL
    member = _by_label(EconomicStatus, value)
    if member is None:
        member = {
            "特困供养": EconomicStatus.TEKUN,
            "低保边缘": EconomicStatus.DIBIAN,
            "无": EconomicStatus.GENERAL,
        }.get(value)
    if member is None:
        options = "、".join(e.label for e in EconomicStatus)
        raise ValueError(f"家庭经济状况“{text}”无法识别，应为{options}")
    return EconomicStatus(member)


def is_head(relation: str) -> bool:
    """Whether a 与户主关系 text says the person is the head of household."""
    return _clean(relation) in HEAD_RELATIONS
