"""Pinyin search keys for names and addresses.

A caseworker finds 张三丰 by typing ``zhangsanfeng`` or ``zsf``. The keys are
computed once, when a row is written, and stored in indexed columns; this
module only computes them.

pypinyin reads a character by its most common reading, which is wrong for many
surnames (单 is ``dan`` in 单位 but ``shan`` as a surname). The surname is
therefore read from an override table first; the given name uses pypinyin's
reading with its phrase dictionary. Tones are dropped and ü is written ``v``
(吕 → ``lv``), as pinyin input methods type it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# Surname readings that differ from pypinyin's default reading of the character
# (checked against pypinyin 0.55), plus a few that are right today but have a
# common second reading, kept so an upgrade of pypinyin cannot change them.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "区": ("ou",),
    "查": ("zha",),
    "盖": ("ge",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "覃": ("qin",),
    "乐": ("yue",),
    "秘": ("bi",),
    "折": ("she",),
    "种": ("chong",),
    "卜": ("bu",),
    "薄": ("bo",),
    "都": ("du",),
    "句": ("gou",),
    "阚": ("kan",),
    "召": ("shao",),
    "员": ("yun",),
    "繁": ("po",),
    "藏": ("zang",),
    "隗": ("wei",),
    "能": ("nai",),
    "洗": ("xian",),
    "冼": ("xian",),
    "黑": ("he",),
    "厍": ("she",),
    "莘": ("shen",),
    "郇": ("huan",),
    "祭": ("zhai",),
    "炅": ("gui",),
    "宓": ("mi",),
    "尉": ("wei",),
    "牟": ("mou",),
    "沈": ("shen",),
    "柏": ("bai",),
    "长": ("chang",),
    "重": ("chong",),
    "石": ("shi",),
    "华": ("hua",),
    "任": ("ren",),
    "纪": ("ji",),
    "燕": ("yan",),
    "贾": ("jia",),
    "褚": ("chu",),
    "万": ("wan",),
    "令": ("ling",),
    "行": ("xing",),
    "相": ("xiang",),
    "鲜": ("xian",),
    "占": ("zhan",),
    "过": ("guo",),
    "眭": ("sui",),
}

# Two-character surnames (复姓), each with its reading. 单于 is left out on purpose:
# today a name starting 单于 is far more often 单 + a given name starting 于.
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "上官": ("shang", "guan"),
    "诸葛": ("zhu", "ge"),
    "东方": ("dong", "fang"),
    "皇甫": ("huang", "fu"),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "令狐": ("ling", "hu"),
    "夏侯": ("xia", "hou"),
    "慕容": ("mu", "rong"),
    "宇文": ("yu", "wen"),
    "公孙": ("gong", "sun"),
    "司徒": ("si", "tu"),
    "司空": ("si", "kong"),
    "端木": ("duan", "mu"),
    "澹台": ("tan", "tai"),
    "赫连": ("he", "lian"),
    "呼延": ("hu", "yan"),
    "闻人": ("wen", "ren"),
    "南宫": ("nan", "gong"),
    "申屠": ("shen", "tu"),
    "拓跋": ("tuo", "ba"),
    "轩辕": ("xuan", "yuan"),
    "公羊": ("gong", "yang"),
    "濮阳": ("pu", "yang"),
    "太史": ("tai", "shi"),
    "钟离": ("zhong", "li"),
    "宗政": ("zong", "zheng"),
    "淳于": ("chun", "yu"),
    "鲜于": ("xian", "yu"),
    "亓官": ("qi", "guan"),
    "乐正": ("yue", "zheng"),
    "百里": ("bai", "li"),
    "东郭": ("dong", "guo"),
    "西门": ("xi", "men"),
    "左丘": ("zuo", "qiu"),
    "第五": ("di", "wu"),
    "仉督": ("zhang", "du"),
    "宰父": ("zai", "fu"),
    "谷梁": ("gu", "liang"),
    "羊舌": ("yang", "she"),
    "梁丘": ("liang", "qiu"),
}

# Characters whose default reading is wrong in addresses; the stand-in has the
# address reading (幢 "building" is zhuang, pypinyin says chuang).
_ADDRESS_STAND_INS = str.maketrans({"幢": "壮"})

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007]")
_ALNUM_RUN = re.compile(r"[0-9a-z]+")
_FOREIGN = "\x00"  # marks text pypinyin passed through unconverted


def _passthrough(text: str) -> list[str]:
    return [_FOREIGN + text]


def _lazy_pinyin(text: str) -> list[str]:
    # Imported on first use: its phrase dictionary takes ~0.15 s to load, which the
    # app's start (showing the registry) does not need.
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL, errors=_passthrough)


@lru_cache(maxsize=8192)
def _char_reading(char: str) -> tuple[str, ...]:
    """pypinyin's default reading of one character (cached: surnames repeat a lot)."""
    return tuple(_lazy_pinyin(char))


@lru_cache(maxsize=131072)
def _text_readings(text: str) -> tuple[str, ...]:
    """pypinyin's readings of a run of text, using its phrase dictionary (cached)."""
    return tuple(_lazy_pinyin(text))


def _keys(syllables: Iterable[str]) -> tuple[str, str]:
    full: list[str] = []
    initials: list[str] = []
    for syllable in syllables:
        if syllable.startswith(_FOREIGN):
            # Latin letters and digits are kept as typed (a name may carry a roman
            # letter, an address a house number); punctuation and spaces are dropped.
            for run in _ALNUM_RUN.findall(syllable[1:].lower()):
                full.append(run)
                initials.append(run if run.isdigit() else run[0])
        elif syllable:
            full.append(syllable)
            initials.append(syllable[0])
    return "".join(full), "".join(initials)


def surname_of(name: str) -> str:
    """The surname part of a Chinese name: a known two-character surname, else the first character."""
    name = name.strip()
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def name_syllables(name: str) -> list[str]:
    """Toneless pinyin syllables of a person's name, the surname read as a surname."""
    name = re.sub(r"\s+", "", name)
    if not name:
        return []
    surname = surname_of(name)
    if len(surname) == 2:
        head: tuple[str, ...] = COMPOUND_SURNAMES[surname]
    elif surname in SURNAME_READINGS:
        head = SURNAME_READINGS[surname]
    else:
        head = _char_reading(surname)
    rest = name[len(surname) :]
    return [*head, *(_text_readings(rest) if rest else ())]


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a person's name: 张三丰 → ("zhangsanfeng", "zsf").

    Lower-case, no tones, no spaces; 单田芳 → ("shantianfang", "stf"); 欧阳娜娜 →
    ("ouyangnana", "oynn"). Non-Chinese letters and digits are kept as typed.
    """
    return _keys(name_syllables(name))


def text_keys(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of free text such as an address, without surname rules.

    Digits are kept whole in both keys: 信安街道12号 → ("xinanjiedao12hao", "xajd12h").
    """
    if not _HAN.search(text):
        return _keys([_FOREIGN + text])
    return _keys(_text_readings(text.strip().translate(_ADDRESS_STAND_INS)))


def is_pinyin_query(text: str) -> bool:
    """Whether a search text looks like pinyin (Latin letters only) rather than Chinese."""
    stripped = text.strip().lower()
    return bool(stripped) and stripped.isascii() and stripped.replace(" ", "").isalpha()
