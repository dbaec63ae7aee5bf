"""Certificate serial numbers (验收单编号) that stay unique across offline devices.

A serial is ``<device prefix>-<year>-<sequence>``, e.g. ``QZ07-2026-000123``.
Each laptop gets its own prefix when it is enrolled (county pinyin initials plus
a device number), and counts its own sequence per year, so two devices never
issue the same serial without talking to each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_SERIAL = re.compile(r"^([A-Z][A-Z0-9]{1,7})-(\d{4})-(\d{6})$")
MAX_SEQ = 999_999


class InvalidSerial(ValueError):
    """The text is not a well-formed certificate serial, or its parts are out of range."""


@dataclass(frozen=True, slots=True, order=True)
class Serial:
    """A parsed serial; ``str()`` gives the printed form."""

    prefix: str
    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year:04d}-{self.seq:06d}"


def _check_parts(prefix: str, year: int, seq: int) -> None:
    if not _PREFIX.match(prefix):
        raise InvalidSerial(f"设备编号前缀“{prefix}”无效：应为2-8位大写字母或数字，以字母开头，如 QZ07")
    if not 2000 <= year <= 2099:
        raise InvalidSerial(f"验收单编号年份“{year}”无效")
    if not 1 <= seq <= MAX_SEQ:
        raise InvalidSerial(f"验收单流水号“{seq}”超出范围（1-{MAX_SEQ}）")


def make_serial(device_prefix: str, year: int, seq: int) -> str:
    """The serial for the ``seq``-th certificate a device issued in ``year``."""
    prefix = device_prefix.strip().upper()
    _check_parts(prefix, year, seq)
    return str(Serial(prefix, year, seq))


def parse_serial(text: str) -> Serial:
    """Parse a printed or typed serial (case and surrounding spaces ignored); raises ``InvalidSerial``."""
    m = _SERIAL.match(text.strip().upper())
    if not m:
        raise InvalidSerial(f"验收单编号“{text}”格式不对，应如 QZ07-2026-000123")
    serial = Serial(m.group(1), int(m.group(2)), int(m.group(3)))
    _check_parts(serial.prefix, serial.year, serial.seq)
    return serial


def is_valid_serial(text: str) -> bool:
    """Whether ``text`` parses as a serial."""
    try:
        parse_serial(text)
    except InvalidSerial:
        return False
    return True


def next_serial(device_prefix: str, year: int, last_seq: int | None) -> str:
    """The serial after ``last_seq`` (``None`` when the device has issued none this year)."""
    return make_serial(device_prefix, year, (last_seq or 0) + 1)
