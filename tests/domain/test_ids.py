from datetime import date

import pytest

from app.domain.enums import DisabilityCategory, DisabilityLevel, Gender
from app.domain.ids import (
    InvalidDisabilityCert,
    InvalidIdNumber,
    id_check_char,
    make_disability_cert,
    mask_id_number,
    parse_disability_cert,
    parse_id_number,
)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "value", "born", "gender"),
    [
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), Gender.FEMALE),
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), Gender.FEMALE),
        (" 440524188001010014 ", "440524188001010014", date(1880, 1, 1), Gender.MALE),
        ("４４０５２４１８８００１０１００１４", "440524188001010014", date(1880, 1, 1), Gender.MALE),
    ],
)
def test_valid_id_numbers(text, value, born, gender):
    idn = parse_id_number(text, today=TODAY)
    assert idn.value == value
    assert idn.birth_date == born
    assert idn.gender is gender


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("", "请输入"),
        ("1101051949123100", "18位"),
        ("11010519491231002Y", "数字"),
        ("110105194913310028", "出生日期"),
        ("110105194902300021", "出生日期"),
        ("110105209901010011", "晚于今天"),
        ("110105194912310021", "校验位"),
    ],
)
def test_invalid_id_numbers_say_which_part(text, part):
    with pytest.raises(InvalidIdNumber, match=part):
        parse_id_number(text, today=TODAY)


def test_invalid_id_number_is_a_value_error():
    assert issubclass(InvalidIdNumber, ValueError)


def test_check_char_matches_published_example():
    assert id_check_char("11010519491231002") == "X"


def test_age():
    assert parse_id_number("11010519491231002X").age_on(date(2026, 12, 30)) == 76
    assert parse_id_number("11010519491231002X").age_on(date(2026, 12, 31)) == 77


def test_mask():
    assert mask_id_number("33080219800101123X") == "330802********123X"


CERT = "11010519491231002X42"


def test_certificate_matches_person():
    cert = parse_disability_cert(CERT, id_number="11010519491231002x", category="4", level="2", today=TODAY)
    assert cert.category is DisabilityCategory.PHYSICAL
    assert cert.level is DisabilityLevel.LEVEL_2
    assert cert.masked() == "110105********002X42"
    assert (
        make_disability_cert("11010519491231002X", DisabilityCategory.PHYSICAL, DisabilityLevel.LEVEL_2)
        == CERT
    )


@pytest.mark.parametrize(
    ("text", "kwargs", "part"),
    [
        ("11010519491231002X4", {}, "20位"),
        ("11010519491231002142", {}, "前18位"),
        ("11010519491231002X82", {}, "第19位"),
        ("11010519491231002X45", {}, "第20位"),
        ("11010519491231002X40", {}, "不能为0"),
        (CERT, {"id_number": "440524188001010014"}, "身份证号不一致"),
        (CERT, {"category": "1"}, "视力残疾"),
        (CERT, {"level": "1"}, "一级"),
    ],
)
def test_invalid_certificates(text, kwargs, part):
    with pytest.raises(InvalidDisabilityCert, match=part):
        parse_disability_cert(text, today=TODAY, **kwargs)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("11010519491231002X42", "110105********002X42"),
        ("", ""),
        ("1101051949", "**********"),  # a partial number is never shown whole
        ("110105194912", "110105**4912"),
    ],
)
def test_mask_cert_number(text, masked):
    from app.domain.ids import mask_cert_number

    assert mask_cert_number(text) == masked
