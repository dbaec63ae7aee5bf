"""Resident ID numbers (GB 11643-1999) and disability certificate numbers.

``parse_id_number`` and ``parse_disability_cert`` are the only ways to turn
typed text into these values; both raise a ``ValueError`` subclass whose
message, in Chinese, says which part of the number is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import mul

from app.domain.enums import DisabilityCategory, DisabilityLevel, Gender

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    """The text is not a valid resident ID number."""


class InvalidDisabilityCert(ValueError):
    """The text is not a valid disability certificate number for this person."""


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != len(_WEIGHTS):
        raise ValueError(f"需要17位数字，现在是{len(first17)}位")
    total = sum(map(mul, map(int, first17), _WEIGHTS))  # a roster checks each ID up to twice: kept lean
    return _CHECK_CHARS[total % 11]


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A checked 18-character resident ID number, stored upper-case."""

    value: str

    @property
    def area_code(self) -> str:
        return self.value[:6]

    @property
    def birth_date(self) -> date:
        v = self.value
        return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))

    @property
    def gender(self) -> Gender:
        return Gender.MALE if int(self.value[16]) % 2 == 1 else Gender.FEMALE

    def age_on(self, day: date) -> int:
        """Full years of age on ``day``."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def masked(self) -> str:
        return mask_id_number(self.value)

    def __str__(self) -> str:
        return self.value


_FULL_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９ＸｘＩ"}
_SPACES = re.compile(r"\s+")


def normalise_id_text(text: str) -> str:
    """Strip spaces and full-width characters, and upper-case the check letter."""
    return _SPACES.sub("", text.translate(_FULL_WIDTH)).upper()


def parse_id_number(text: str, *, today: date | None = None) -> IdNumber:
    """Check ``text`` as a resident ID number and return it normalised.

    Raises ``InvalidIdNumber`` naming the part that is wrong: length, characters,
    birth date (impossible or in the future) or check character.
    """
    value = normalise_id_text(text)
    if not value:
        raise InvalidIdNumber("请输入身份证号")
    if len(value) != 18:
        raise InvalidIdNumber(f"身份证号应为18位，现在是{len(value)}位")
    if not _ID_SHAPE.match(value):
        raise InvalidIdNumber("身份证号前17位必须是数字，最后一位是数字或X")
    if value[:2] in {"00"} or value[:6] == "000000":
        raise InvalidIdNumber(f"身份证号第1-6位地区码“{value[:6]}”无效")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber(f"身份证号第7-14位出生日期“{value[6:14]}”不是有效日期") from None
    today = today or date.today()
    if born > today:
        raise InvalidIdNumber(f"身份证号中的出生日期{born:%Y-%m-%d}晚于今天")
    if born.year < 1870:
        raise InvalidIdNumber(f"身份证号中的出生年份{born.year}不可能")
    expected = id_check_char(value[:17])
    if value[17] != expected:
        raise InvalidIdNumber(f"身份证号校验位错误：最后一位应为“{expected}”，请核对每一位数字")
    return IdNumber(value)


def mask_id_number(value: str) -> str:
    """Keep the area code and the last four characters: ``330802********123X``."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_cert_number(value: str) -> str:
    """Mask the ID-number part of a certificate number, keep category and level: ``330802********123X42``.

    Shorter text (a malformed or partial number) is masked like an ID number, never shown whole.
    """
    if len(value) >= 18:
        return mask_id_number(value[:18]) + value[18:]
    return mask_id_number(value)


@dataclass(frozen=True, slots=True)
class DisabilityCert:
    """A disability certificate number (残疾人证号): ID + category digit + level digit."""

    value: str

    @property
    def id_number(self) -> IdNumber:
        return IdNumber(self.value[:18])

    @property
    def category(self) -> DisabilityCategory:
        return DisabilityCategory(self.value[18])

    @property
    def level(self) -> DisabilityLevel:
        return DisabilityLevel(self.value[19])

    def masked(self) -> str:
        return mask_cert_number(self.value)

    def __str__(self) -> str:
        return self.value


def make_disability_cert(id_number: str, category: DisabilityCategory, level: DisabilityLevel) -> str:
    """The certificate number a person with these facts holds."""
    return f"{id_number}{category.value}{level.value}"


def parse_disability_cert(
    text: str,
    *,
    id_number: str | None = None,
    category: DisabilityCategory | str | None = None,
    level: DisabilityLevel | str | None = None,
    today: date | None = None,
) -> DisabilityCert:
    """Check a 20-character certificate number, and that it agrees with the person.

    Any of ``id_number``, ``category`` and ``level`` that are given must match the
    number's first 18 characters, 19th and 20th digit respectively.
    """
    value = normalise_id_text(text)
    if len(value) != 20:
        raise InvalidDisabilityCert(f"残疾人证号应为20位（身份证号+类别+等级），现在是{len(value)}位")
    try:
        holder = parse_id_number(value[:18], today=today)
    except InvalidIdNumber as exc:
        raise InvalidDisabilityCert(f"残疾人证号前18位不是有效身份证号：{exc}") from None
    try:
        cat = DisabilityCategory(value[18])
    except ValueError:
        raise InvalidDisabilityCert(f"残疾人证号第19位残疾类别“{value[18]}”无效，应为1-7") from None
    try:
        lvl = DisabilityLevel(value[19])
    except ValueError:
        raise InvalidDisabilityCert(f"残疾人证号第20位残疾等级“{value[19]}”无效，应为1-4") from None
    if lvl is DisabilityLevel.UNRATED:
        raise InvalidDisabilityCert("残疾人证号第20位残疾等级不能为0，持证人须已定级")
    if id_number is not None and normalise_id_text(id_number) != holder.value:
        raise InvalidDisabilityCert("残疾人证号前18位与本人身份证号不一致")
    if category is not None and DisabilityCategory(category) is not cat:
        raise InvalidDisabilityCert(
            f"残疾人证号第19位为{cat.label}，与登记的{DisabilityCategory(category).label}不一致"
        )
    if level is not None and DisabilityLevel(level) is not lvl:
        raise InvalidDisabilityCert(
            f"残疾人证号第20位为{lvl.label}，与登记的{DisabilityLevel(level).label}不一致"
        )
    return DisabilityCert(value)
