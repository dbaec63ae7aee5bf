"""Pinyin search keys: surnames with special readings, compound surnames, addresses."""

import pytest

from app.domain.pinyin import (
    COMPOUND_SURNAMES,
    SURNAME_READINGS,
    is_pinyin_query,
    name_keys,
    name_syllables,
    surname_of,
    text_keys,
)


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三丰", "zhangsanfeng", "zsf"),
        ("王芳", "wangfang", "wf"),
        ("李娜", "lina", "ln"),
        ("单田芳", "shantianfang", "stf"),
        ("曾国藩", "zengguofan", "zgf"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("朴树", "piaoshu", "ps"),
        ("区志明", "ouzhiming", "ozm"),
        ("查良镛", "zhaliangyong", "zly"),
        ("盖聂", "genie", "gn"),
        ("缪丽", "miaoli", "ml"),
        ("翟志刚", "zhaizhigang", "zzg"),
        ("覃海", "qinhai", "qh"),
        ("乐嘉", "yuejia", "yj"),
        ("秘书", "bishu", "bs"),
        ("折兰英", "shelanying", "sly"),
        ("种师道", "chongshidao", "csd"),
        ("卜凡", "bufan", "bf"),
        ("薄一波", "boyibo", "byb"),
        ("吕布", "lvbu", "lb"),
        ("欧阳娜娜", "ouyangnana", "oynn"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("万俟卨", "moqixie", "mqx"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("令狐冲", "linghuchong", "lhc"),
        ("诸葛亮", "zhugeliang", "zgl"),
        ("司马光", "simaguang", "smg"),
    ],
)
def test_name_keys(name, full, initials):
    assert name_keys(name) == (full, initials)


def test_surname_override_only_applies_to_the_first_character():
    # 曾 in a given name keeps pypinyin's ordinary reading (ceng), as the brief asks.
    assert name_keys("张曾") == ("zhangceng", "zc")
    assert name_keys("曾曾")[0].startswith("zeng")


@pytest.mark.parametrize(
    ("name", "surname"),
    [("欧阳娜娜", "欧阳"), ("欧阳", "欧"), ("张三", "张"), ("尉迟恭", "尉迟"), ("单于洋", "单"), ("", "")],
)
def test_surname_of(name, surname):
    # A two-character name is surname + one character even if it spells a compound
    # surname; 单于 is not treated as a compound (单 + 于… is far more common today).
    assert surname_of(name) == surname


def test_every_override_is_lowercase_toneless_pinyin():
    for readings in [*SURNAME_READINGS.values(), *COMPOUND_SURNAMES.values()]:
        for syllable in readings:
            assert syllable.isascii() and syllable.isalpha() and syllable.islower()
    assert all(len(k) == 2 and len(v) == 2 for k, v in COMPOUND_SURNAMES.items())


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("  张 三丰 ", "zhangsanfeng", "zsf"),
        ("阿卜杜拉·买买提", "abodulamaimaiti", "abdlmmt"),
        ("李A", "lia", "la"),
        ("", "", ""),
    ],
)
def test_name_keys_spacing_and_non_chinese(name, full, initials):
    assert name_keys(name) == (full, initials)


def test_name_syllables():
    assert name_syllables("单田芳") == ["shan", "tian", "fang"]


@pytest.mark.parametrize(
    ("text", "full", "initials"),
    [
        ("信安街道", "xinanjiedao", "xajd"),
        ("12幢3单元501", "12zhuang3danyuan501", "12z3dy501"),
        ("Room 5", "room5", "r5"),
        ("", "", ""),
    ],
)
def test_text_keys(text, full, initials):
    assert text_keys(text) == (full, initials)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("zsf", True), ("Zhang San", True), ("张三", False), ("330802", False), ("", False), ("zs1", False)],
)
def test_is_pinyin_query(text, expected):
    assert is_pinyin_query(text) is expected


def test_keys_are_fast_when_cached():
    import time

    name_keys("张三丰")
    start = time.perf_counter()
    for _ in range(10_000):
        name_keys("张三丰")
    assert time.perf_counter() - start < 0.5
