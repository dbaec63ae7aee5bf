"""Realistic but fictitious households and disabled persons, for demos, tests and benchmarks.

``generate(n, seed)`` yields the same households for the same arguments on every
machine and every day: nothing depends on the clock, on hashing or on the
catalogue's iteration order beyond its content. Names, addresses and phone numbers
are made up; ID and certificate numbers are valid by checksum and consistent with
the person (area code of the household's county, birth date, gender digit), but
are drawn at random and belong to nobody on purpose.

The distributions are rough figures for a county's register of disabled people in
households receiving home visits, not statistics; they are here to make lists,
searches and reports look like real work.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from typing import Any, TypeVar

from app.domain.enums import (
    DisabilityCategory,
    DisabilityLevel,
    EconomicStatus,
    Gender,
    HouseGrade,
    HousingType,
    PersonStatus,
)
from app.domain.ids import id_check_char, make_disability_cert
from app.domain.regions import RegionCatalog, UnknownRegion, default_catalog

T = TypeVar("T")

QUZHOU = "3308"
_FIRST_BIRTH = date(1935, 1, 1)
_LAST_BIRTH = date(2022, 12, 31)


@dataclass(frozen=True, slots=True)
class SyntheticHousehold:
    """One generated household and its disabled members (1 or 2).

    ``household`` keys: region_code, address, phone, economic_status, head_name,
    house_grade, housing_type. Each person: name, id_number, gender, birth_date,
    cert_number, category, level, status, phone, relation (to the head of household).
    """

    index: int
    household: dict[str, Any]
    persons: list[dict[str, Any]] = field(default_factory=list)


class _Weighted:
    """Draws from a fixed list by weight with one random number and a bisect (faster than choices)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def draw(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cum, rng.random() * self.total)]


# --- names -------------------------------------------------------------------

# Frequency order as commonly listed (national); duplicates and obvious typos removed.
_SURNAME_ORDER = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞"
    "樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹"
    "关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位霍翁隋植甘景薄单包司柏宁柯阮桂闵解强丛华车冉房边辜吉"
    "饶刁瞿戚丘古米池滕晋苑邬臧畅宫来苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇"
    "敖糜鄢冷卓花艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僖桑荆谌银扬明沙伏岑习胥保和蔺水"
    "云昌凤酆常皮康元平湛禹无贝茅麻危骆支咎经裘缪干宣贲杭诸钮嵇滑荣荀羊於惠家芮羿储汲邴松富乌巴弓牧隗"
    "山宓蓬郗班仰秋伊仉"
)
# Approximate national shares (%) of the most common surnames.
_TOP_SHARES = {
    "王": 7.1, "李": 7.0, "张": 6.7, "刘": 5.4, "陈": 4.5, "杨": 3.1, "黄": 2.2, "赵": 2.0, "吴": 2.0,
    "周": 1.9, "徐": 1.5, "孙": 1.5, "马": 1.3, "朱": 1.2, "胡": 1.2, "郭": 1.1, "何": 1.1, "高": 1.1,
    "林": 1.1, "罗": 0.9, "郑": 0.9, "梁": 0.8, "谢": 0.75, "宋": 0.67, "唐": 0.66, "许": 0.65,
}  # fmt: skip
# Surnames more common around Quzhou than nationally (rough multipliers).
_LOCAL_BOOST = {
    "徐": 2.0, "毛": 4.0, "郑": 2.0, "祝": 5.0, "姜": 3.0, "汪": 2.5, "余": 2.0, "叶": 2.0,
    "方": 2.0, "程": 1.5, "江": 2.0, "吴": 1.3, "周": 1.3, "占": 10.0, "柴": 3.0, "翁": 2.0,
}  # fmt: skip
_COMPOUND_SHARES = {"欧阳": 0.04, "诸葛": 0.02, "上官": 0.01, "司马": 0.01}


def _surname_table() -> _Weighted:
    pairs: list[tuple[str, float]] = []
    for rank, surname in enumerate(dict.fromkeys(_SURNAME_ORDER + "占"), start=1):
        share = _TOP_SHARES.get(surname, 0.62 * (27 / rank) ** 1.05)
        pairs.append((surname, share * _LOCAL_BOOST.get(surname, 1.0)))
    pairs.extend(_COMPOUND_SHARES.items())
    return _Weighted(pairs)


# Given names by birth cohort: (whole two-character names, first characters,
# second characters, one-character names), male then female.
_GIVEN: dict[str, dict[Gender, tuple[str, str, str, str]]] = {
    "old": {
        Gender.MALE: (
            "建国 国强 德明 志华 春生 根土 水根 金水 樟根 福生 荣华 有才 德兴 土根 长富 炳坤 金富 "
            "茂林 永福 财根 松林 德水 立新 解放 新华 国庆 援朝 宝根 锡林 文清",
            "德国志春金水福荣有长永茂松立新宝文土财树云",
            "明华生根富兴林水才坤清福昌发贵泉山海",
            "忠林明华强根发富贵土水生荣",
        ),
        Gender.FEMALE: (
            "秀英 桂英 玉兰 凤英 金花 菊花 美英 月娥 彩凤 爱珍 桂香 秀珍 翠花 玉珍 雪英 兰英 "
            "冬梅 金娥 素珍 彩娥 春香 银花 小妹 美娟 玉凤 招娣 菊英 爱莲",
            "秀桂玉凤金菊美月彩爱翠雪兰素春银招冬",
            "英兰花珍娥凤香莲梅娟芳仙妹琴",
            "英兰珍芳娥凤花梅",
        ),
    },
    "middle": {
        Gender.MALE: (
            "建华 卫东 红军 国平 建军 志强 海军 建平 卫国 向阳 国华 伟民 小平 建新 志刚 永强 "
            "建明 立军 跃进 东升 红兵 晓东 文斌 建伟 国良",
            "建卫红国志海向伟小永立跃东晓文",
            "华东军平强民新刚明良斌伟兵峰荣",
            "伟军勇斌强平明辉海峰刚波涛",
        ),
        Gender.FEMALE: (
            "丽华 红梅 春燕 海燕 秀丽 小红 晓燕 丽萍 美华 红英 建芬 卫红 爱华 玉芬 彩霞 "
            "雪芳 丽娟 美玲 素芬 慧芳 小燕 菊芳 月红",
            "丽红春海秀小晓美建卫爱玉彩雪慧素菊",
            "华梅燕丽红萍英芬霞芳娟玲琴",
            "丽红霞燕芳萍玲琴英娟敏华",
        ),
    },
    "young": {
        Gender.MALE: (
            "志伟 俊杰 伟杰 建锋 晓峰 文杰 海涛 志勇 俊峰 鹏飞 宇航 家豪 晨阳 天宇 浩 "
            "俊辉 振华 凯文 嘉伟 明杰 子健 亚伟 旭东",
            "志俊伟建晓文海鹏宇家晨天振凯嘉明子亚旭",
            "伟杰锋峰涛勇飞航豪阳宇辉华文健东斌",
            "磊涛鹏杰浩俊超斌亮飞宇晨勇",
        ),
        Gender.FEMALE: (
            "婷婷 晓燕 丽娜 佳丽 晓丽 雅琴 秀丽 丹丹 静怡 晓敏 倩倩 雪梅 慧敏 莉莉 思琪 "
            "佳佳 梦婷 晓婷 亚楠 欣然",
            "婷晓丽佳雅秀丹静倩雪慧莉思梦亚欣",
            "婷燕娜丽琴敏倩梅怡琪佳楠然颖",
            "婷静敏丹倩娜雪佳颖琳慧洁",
        ),
    },
    "child": {
        Gender.MALE: (
            "子轩 浩然 宇轩 梓豪 俊熙 一鸣 子墨 皓轩 宇航 浩宇 明轩 博文 晨阳 沐阳 锦程 "
            "思源 泽宇 睿泽 奕辰 嘉懿 梓睿 浩轩 一航",
            "子浩宇梓俊一皓明博晨沐锦思泽睿奕嘉",
            "轩然豪熙鸣墨宇文阳程源泽辰懿睿航",
            "睿轩浩铭哲宇晨阳",
        ),
        Gender.FEMALE: (
            "欣怡 梓涵 子涵 诗涵 一诺 雨萱 可馨 思涵 佳怡 梦琪 语嫣 紫萱 若曦 依诺 雨桐 "
            "梓萱 欣妍 可欣 语桐 佳琪 思彤 安琪 沐瑶",
            "欣梓子诗一雨可思佳梦语紫若依安沐",
            "怡涵诺萱馨琪嫣曦桐妍欣彤瑶",
            "萱涵怡琪妍彤瑶悦",
        ),
    },
}
_GIVEN_PARSED = {
    cohort: {
        g: (whole.split(), list(first), list(second), list(single))
        for g, (whole, first, second, single) in by_gender.items()
    }
    for cohort, by_gender in _GIVEN.items()
}


def _cohort(year: int) -> str:
    if year < 1960:
        return "old"
    if year < 1980:
        return "middle"
    if year < 2002:
        return "young"
    return "child"


# --- households ----------------------------------------------------------------

_ECONOMIC = _Weighted(
    [
        (EconomicStatus.DIBAO, 25),
        (EconomicStatus.DIBIAN, 10),
        (EconomicStatus.TEKUN, 5),
        (EconomicStatus.GENERAL, 60),
    ]
)
_GRADE_RURAL = _Weighted(
    [(HouseGrade.A, 58), (HouseGrade.B, 22), (HouseGrade.C, 8), (HouseGrade.D, 3), (None, 9)]
)
_GRADE_URBAN = _Weighted([(HouseGrade.A, 70), (HouseGrade.B, 8), (HouseGrade.C, 2), (None, 20)])
# Codes of HousingType (= the housing form's house_type choices).
_HOUSING_RURAL = _Weighted(
    [(HousingType.OWN_RURAL, 84), (HousingType.PRIVATE_RENT, 5), (HousingType.RELATIVES, 5),
     (HousingType.PUBLIC_RENT, 2), (HousingType.OTHER, 4)]
)  # fmt: skip
_HOUSING_URBAN = _Weighted(
    [(HousingType.OWN_URBAN, 56), (HousingType.PUBLIC_RENT, 20), (HousingType.OWN_RURAL, 10),
     (HousingType.PRIVATE_RENT, 10), (HousingType.OTHER, 4)]
)  # fmt: skip
_ESTATES = (
    "锦绣花园 紫荆苑 东方明珠 江滨花园 荷花小区 白云新村 天宁小区 书院小区 凯旋公寓 阳光城 "
    "月亮湾小区 金色家园 翠苑小区 南湖花园 桂花园 新桥小区 府山苑 水亭小区 柯城花园 衢化生活区"
).split()
_NATURAL_VILLAGES = (
    "下宅 上坞 后山 塘边 大坞 新屋 石门 樟树底 桥头 岭脚 坑口 畈上 前山 里村 外村 下山 "
    "上塘 竹林 枫树湾 黄泥垄 山背 溪边 墩头 茶园 新塘 老屋基 庙前 殿下 堰头 对门山"
).split()
_PHONE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 157 158 159 "
    "173 177 180 181 182 183 185 186 187 188 189 191 199"
).split()

# --- persons -------------------------------------------------------------------

_CATEGORY = _Weighted(
    [
        (DisabilityCategory.PHYSICAL, 45),
        (DisabilityCategory.PSYCHOSOCIAL, 14),
        (DisabilityCategory.INTELLECTUAL, 12),
        (DisabilityCategory.VISION, 11),
        (DisabilityCategory.HEARING, 10),
        (DisabilityCategory.MULTIPLE, 5),
        (DisabilityCategory.SPEECH, 3),
    ]
)
_LEVEL = _Weighted(
    [
        (DisabilityLevel.LEVEL_1, 12),
        (DisabilityLevel.LEVEL_2, 18),
        (DisabilityLevel.LEVEL_3, 30),
        (DisabilityLevel.LEVEL_4, 40),
    ]
)
_STATUS = _Weighted([(PersonStatus.REGISTERED, 95), (PersonStatus.MOVED_OUT, 3), (PersonStatus.DECEASED, 2)])
# Birth year of the head of household: weighted towards older heads.
_HEAD_YEAR = _Weighted(
    [(y, 1.0 if y < 1950 else 1.5 if y < 1965 else 1.1 if y < 1980 else 0.5) for y in range(1935, 1999)]
)
# How the (first) disabled person relates to the head, with the birth-year offset from the head.
_RELATION = _Weighted([("户主", 46), ("配偶", 15), ("子女", 28), ("父母", 6), ("孙子女", 3), ("兄弟姐妹", 2)])
_YEAR_OFFSET = {
    "户主": (0, 0),
    "配偶": (-3, 6),
    "子女": (20, 38),
    "父母": (-36, -20),
    "孙子女": (44, 62),
    "兄弟姐妹": (-8, 8),
}
_SECOND_RELATION = {
    "户主": ("配偶", "子女", "子女", "父母"),
    "配偶": ("户主", "户主", "子女"),
    "子女": ("户主", "配偶", "子女"),
    "父母": ("户主", "父母"),
    "孙子女": ("子女", "户主"),
    "兄弟姐妹": ("户主",),
}


class _Generator:
    """Holds the state of one run: the random stream and the ID numbers already used."""

    def __init__(self, seed: int, villages: list[tuple[str, str, bool]], last_birth: date) -> None:
        self.rng = random.Random(seed)
        self.villages = villages
        self.last_birth = last_birth
        self.last_year = last_birth.year
        self.used_ids: set[str] = set()
        self.surnames = _surname_table()

    # Small helpers ----------------------------------------------------------------

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def phone(self) -> str:
        return self.pick(_PHONE_PREFIXES) + f"{int(self.rng.random() * 100_000_000):08d}"

    def given_name(self, gender: Gender, year: int) -> str:
        whole, first, second, single = _GIVEN_PARSED[_cohort(year)][gender]
        r = self.rng.random()
        if r < 0.25:
            return self.pick(single)
        if r < 0.6:
            return self.pick(whole)
        return self.pick(first) + self.pick(second)

    def other_surname(self, surname: str) -> str:
        for _ in range(4):
            other = self.surnames.draw(self.rng)
            if other != surname:
                return other
        return other

    def birth_date(self, year: int) -> date:
        start = date(year, 1, 1).toordinal()
        end = min(date(year, 12, 31), self.last_birth).toordinal()
        return date.fromordinal(start + int(self.rng.random() * (end - start + 1)))

    def id_number(self, area: str, born: date, gender: Gender) -> str:
        stem = f"{area}{born:%Y%m%d}"
        odd = gender is Gender.MALE
        while True:
            # Sequence 001-999; odd for men, even for women (GB 11643).
            k = int(self.rng.random() * 499)
            seq = 2 * k + 1 if odd else 2 * k + 2
            first17 = f"{stem}{seq:03d}"
            if first17 not in self.used_ids:
                self.used_ids.add(first17)
                return first17 + id_check_char(first17)

    # Households -------------------------------------------------------------------

    def address(self, full_name: str, is_community: bool) -> str:
        rng = self.rng
        if is_community:
            floor = 1 + int(rng.random() * 18)
            return (
                f"{full_name} {self.pick(_ESTATES)}{1 + int(rng.random() * 40)}幢"
                f"{1 + int(rng.random() * 4)}单元{floor}{1 + int(rng.random() * 4):02d}室"
            )
        number = 1 + int(rng.random() * 180)
        if rng.random() < 0.75:
            return f"{full_name}{self.pick(_NATURAL_VILLAGES)}自然村{number}号"
        return f"{full_name}{number}号"

    def household(self, index: int) -> SyntheticHousehold:
        rng = self.rng
        code, full_name, is_community = self.pick(self.villages)
        area = code[:6]
        head_gender = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
        head_year = min(_HEAD_YEAR.draw(rng), self.last_year)
        surname = self.surnames.draw(rng)
        head_name = surname + self.given_name(head_gender, head_year)
        household_phone = self.phone()
        urban = is_community
        household = {
            "region_code": code,
            "address": self.address(full_name, is_community),
            "phone": household_phone,
            "economic_status": _ECONOMIC.draw(rng),
            "head_name": head_name,
            "house_grade": (_GRADE_URBAN if urban else _GRADE_RURAL).draw(rng),
            "housing_type": (_HOUSING_URBAN if urban else _HOUSING_RURAL).draw(rng).value,
        }
        wanted = [_RELATION.draw(rng)]
        if rng.random() < 0.10:
            wanted.append(self.pick(_SECOND_RELATION[wanted[0]]))
        spouse_surname = self.other_surname(surname)
        taken: set[str] = set()
        persons = []
        for relation in wanted:
            relation, year = self.fit(relation, head_year, taken)
            taken.add(relation)
            persons.append(self.person(relation, year, area, surname, spouse_surname, head_name, head_gender))
        return SyntheticHousehold(index=index, household=household, persons=persons)

    def fit(self, relation: str, head_year: int, taken: set[str]) -> tuple[str, int]:
        """A relation and birth year that fit the head's age, falling back when the first does not.

        A parent born before 1935 or a grandchild not yet born is replaced by the head,
        the spouse or a child, in that order; the head and the spouse appear only once.
        """
        for candidate in (relation, "户主", "配偶", "子女"):
            if candidate in taken and candidate in ("户主", "配偶"):
                continue
            low, high = _YEAR_OFFSET[candidate]
            year = head_year + low + int(self.rng.random() * (high - low + 1))
            if 1935 <= year <= self.last_year:
                return candidate, year
        # A very young head with no room for a child: a spouse of nearly the same age.
        return "配偶" if "配偶" not in taken else "兄弟姐妹", min(max(head_year, 1935), self.last_year)

    def person(
        self,
        relation: str,
        year: int,
        area: str,
        surname: str,
        spouse_surname: str,
        head_name: str,
        head_gender: Gender,
    ) -> dict[str, Any]:
        """One disabled person with ``relation`` to the head of household, born in ``year``."""
        rng = self.rng
        if relation == "户主":
            gender, name = head_gender, head_name
        else:
            if relation == "配偶":
                gender = Gender.FEMALE if head_gender is Gender.MALE else Gender.MALE
                family = spouse_surname
            else:
                gender = Gender.MALE if rng.random() < 0.56 else Gender.FEMALE
                if relation == "父母" and gender is Gender.FEMALE:
                    family = spouse_surname if rng.random() < 0.5 else self.other_surname(surname)
                elif relation in ("子女", "孙子女") and rng.random() < 0.1:
                    family = spouse_surname
                else:
                    family = surname
            name = family + self.given_name(gender, year)
            while name == head_name:
                name = family + self.given_name(gender, year)
        born = self.birth_date(year)
        id_number = self.id_number(area, born, gender)
        category = _CATEGORY.draw(rng)
        level = _LEVEL.draw(rng)
        own_phone = year <= 2008 and rng.random() < 0.55
        return {
            "name": name,
            "id_number": id_number,
            "gender": gender,
            "birth_date": born,
            "cert_number": make_disability_cert(id_number, category, level),
            "category": category,
            "level": level,
            "status": _STATUS.draw(rng),
            "phone": self.phone() if own_phone else None,
            "relation": relation,
        }


def villages_for(regions: Sequence[str] | None, catalog: RegionCatalog | None = None) -> list[str]:
    """The 12-digit village codes a run draws from: under Quzhou, or under the given prefixes."""
    catalog = catalog or default_catalog()
    codes: dict[str, None] = {}
    for prefix in regions if regions else (QUZHOU,):
        for village in catalog.villages_under(prefix):
            codes[village.code] = None
    if not codes:
        wanted = "、".join(regions or (QUZHOU,))
        raise UnknownRegion(f"区划“{wanted}”下没有村（社区），无法生成数据")
    return sorted(codes)


def generate(
    households: int,
    seed: int = 0,
    regions: Sequence[str] | None = None,
    today: date | None = None,
    *,
    catalog: RegionCatalog | None = None,
) -> Iterator[SyntheticHousehold]:
    """Yield ``households`` fictitious households, the same ones for the same arguments.

    ``regions`` are region-code prefixes (default: all of Quzhou, 3308); households are
    spread evenly over the villages and communities under them. ``today`` only caps
    birth dates (none later than 2022 in any case), so ID numbers stay valid on that day.
    ID numbers are unique within one call.
    """
    if households < 0:
        raise ValueError("生成的户数不能为负数")
    catalog = catalog or default_catalog()
    last_birth = min(_LAST_BIRTH, today) if today else _LAST_BIRTH
    if last_birth < _FIRST_BIRTH:
        raise ValueError("“今天”的日期早于1935年，无法生成出生日期")
    villages = [
        (
            code,
            catalog.full_name(code, with_province=False),
            catalog.name(code).endswith("社区"),
        )
        for code in villages_for(regions, catalog)
    ]
    gen = _Generator(seed, villages, last_birth)
    # A generator expression, so that bad arguments fail here and not at the first next().
    return (gen.household(index) for index in range(households))
