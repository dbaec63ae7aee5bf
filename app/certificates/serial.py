"""Certificate serial numbers (验收单编号) that stay unique across offline devices.

A serial is ``<device prefix>-<year>-<sequence>-<random tag>``, e.g.
``QZ07-2026-000123-K7M2Q``. Each laptop gets its own prefix when it is enrolled
(county pinyin initials plus a device number), and counts its own sequence per
year, so two devices never issue the same serial without talking to each other.

The tag is 5 random Crockford base-32 characters (25 bits, ``secrets``): knowing
one serial, a stranger cannot guess the next one (the public check page answers
"unknown" for a serial it does not know, so guessing costs 2^25 tries per
sequence number, and the check is rate-limited). Serials printed before the tag
was added (``QZ07-2026-000123``) still parse and still verify.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
_SERIAL = re.compile(r"^([A-Z][A-Z0-9]{1,7})-(\d{4})-(\d{6})(?:-([0-9A-HJKMNP-TV-Z]{5}))?$")
MAX_SEQ = 999_999
TAG_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base-32: no I, L, O, U
TAG_LENGTH = 5


def random_tag() -> str:
    """A fresh random serial tag (cryptographically random, not derived from anything)."""
    return "".join(secrets.choice(TAG_ALPHABET) for _ in range(TAG_LENGTH))


class InvalidSerial(ValueError):
    """The text is not a well-formed certificate serial, or its parts are out of range."""


@dataclass(frozen=True, slots=True, order=True)
class Serial:
    """A parsed serial; ``str()`` gives the printed form."""

    prefix: str
    year: int
    seq: int
    tag: str = ""  # empty on serials printed before the random tag was added

    def __str__(self) -> str:
        base = f"{self.prefix}-{self.year:04d}-{self.seq:06d}"
        return f"{base}-{self.tag}" if self.tag else base


def _check_parts(prefix: str, year: int, seq: int, tag: str = "") -> None:
    if not _PREFIX.match(prefix):
        raise InvalidSerial(f"设备编号前缀“{prefix}”无效：应为2-8位大写字母或数字，以字母开头，如 QZ07")
    if not 2000 <= year <= 2099:
        raise InvalidSerial(f"验收单编号年份“{year}”无效")
    if not 1 <= seq <= MAX_SEQ:
        raise InvalidSerial(f"验收单流水号“{seq}”超出范围（1-{MAX_SEQ}）")
    if tag and (len(tag) != TAG_LENGTH or any(c not in TAG_ALPHABET for c in tag)):
        raise InvalidSerial(f"验收单编号校验段“{tag}”无效：应为{TAG_LENGTH}位字母或数字")


def make_serial(device_prefix: str, year: int, seq: int, tag: str = "") -> str:
    """The serial for the ``seq``-th certificate a device issued in ``year``.

    New certificates pass ``tag=random_tag()``; without a tag this is the old form.
    """
    prefix = device_prefix.strip().upper()
    tag = tag.strip().upper()
    _check_parts(prefix, year, seq, tag)
    return str(Serial(prefix, year, seq, tag))


def parse_serial(text: str) -> Serial:
    """Parse a printed or typed serial (case and surrounding spaces ignored); raises ``InvalidSerial``."""
    m = _SERIAL.match(text.strip().upper())
    if not m:
        raise InvalidSerial(f"验收单编号“{text}”格式不对，应如 QZ07-2026-000123-K7M2Q")
    serial = Serial(m.group(1), int(m.group(2)), int(m.group(3)), m.group(4) or "")
    _check_parts(serial.prefix, serial.year, serial.seq, serial.tag)
    return serial


def is_valid_serial(text: str) -> bool:
    """Whether ``text`` parses as a serial."""
    try:
        parse_serial(text)
    except InvalidSerial:
        return False
    return True


def next_serial(device_prefix: str, year: int, last_seq: int | None, tag: str = "") -> str:
    """The serial after ``last_seq`` (``None`` when the device has issued none this year)."""
    return make_serial(device_prefix, year, (last_seq or 0) + 1, tag)
