"""Certificate serial numbers: format, parsing and uniqueness across devices."""

import pytest

from app.certificates.serial import (
    InvalidSerial,
    Serial,
    is_valid_serial,
    make_serial,
    next_serial,
    parse_serial,
)


def test_make_serial_format():
    assert make_serial("QZ07", 2026, 123) == "QZ07-2026-000123"
    assert make_serial(" qz07 ", 2026, 999999) == "QZ07-2026-999999"


def test_parse_round_trip():
    s = parse_serial(" qz07-2026-000123 ")
    assert s == Serial("QZ07", 2026, 123)
    assert str(s) == "QZ07-2026-000123"


@pytest.mark.parametrize(
    ("prefix", "year", "seq", "message"),
    [
        ("Q", 2026, 1, "前缀"),
        ("7QZ", 2026, 1, "前缀"),
        ("QZ-7", 2026, 1, "前缀"),
        ("QZ07ABCDE", 2026, 1, "前缀"),
        ("QZ07", 1999, 1, "年份"),
        ("QZ07", 2026, 0, "流水号"),
        ("QZ07", 2026, 1_000_000, "流水号"),
    ],
)
def test_make_serial_rejects(prefix, year, seq, message):
    with pytest.raises(InvalidSerial, match=message):
        make_serial(prefix, year, seq)


@pytest.mark.parametrize(
    "text",
    ["", "QZ07-2026-123", "QZ07-26-000123", "QZ07_2026_000123", "QZ07-2026-0001234", "QZ07-2026-000000"],
)
def test_parse_rejects(text):
    with pytest.raises(InvalidSerial):
        parse_serial(text)
    assert not is_valid_serial(text)


def test_two_devices_never_collide():
    a = {make_serial("QZ07", 2026, n) for n in range(1, 2001)}
    b = {make_serial("QZ08", 2026, n) for n in range(1, 2001)}
    assert len(a) == len(b) == 2000
    assert not a & b
    assert all(is_valid_serial(s) for s in a | b)


def test_serials_sort_by_device_year_sequence():
    serials = [parse_serial(s) for s in ("QZ07-2026-000010", "QZ07-2025-000900", "QZ07-2026-000009")]
    assert [str(s) for s in sorted(serials)] == ["QZ07-2025-000900", "QZ07-2026-000009", "QZ07-2026-000010"]


def test_next_serial():
    assert next_serial("QZ07", 2026, None) == "QZ07-2026-000001"
    assert next_serial("QZ07", 2026, 41) == "QZ07-2026-000042"


def test_new_serials_carry_a_random_tag_and_old_ones_still_parse():
    from app.certificates.serial import TAG_ALPHABET, TAG_LENGTH, random_tag

    tags = {random_tag() for _ in range(2000)}
    assert len(tags) > 1990  # 25 random bits: a repeat in 2,000 draws is rare
    assert all(len(t) == TAG_LENGTH and set(t) <= set(TAG_ALPHABET) for t in tags)
    serial = make_serial("QZ07", 2026, 123, "k7m2q")
    assert serial == "QZ07-2026-000123-K7M2Q"
    assert parse_serial(serial.lower()) == Serial("QZ07", 2026, 123, "K7M2Q")
    assert str(parse_serial(serial)) == serial
    assert parse_serial("QZ07-2026-000123") == Serial("QZ07", 2026, 123)  # printed before the tag
    for bad in ("QZ07-2026-000123-K7M2", "QZ07-2026-000123-K7M2QQ", "QZ07-2026-000123-K7M2U"):
        assert not is_valid_serial(bad)
    with pytest.raises(InvalidSerial, match="校验段"):
        make_serial("QZ07", 2026, 1, "ILOU1")
