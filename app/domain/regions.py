"""The catalogue of administrative divisions (行政区划) and the region-scope rule.

Codes are kept at their natural length: province 2 digits, city 4, county 6,
township 9, village or community 12 (resources/catalogs/README.md says why and
where the data comes from). Every synced row carries a 12-digit village code,
and a user's scope is a list of prefixes of such codes, so "may this user see
that row" is ``covers(prefixes, row.region_code)``.

The catalogue is read once from ``resources/catalogs/regions.json``;
``default_catalog()`` returns the shared instance.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from app.paths import resources_dir

CATALOG_PATH = resources_dir() / "catalogs" / "regions.json"


class RegionLevel(StrEnum):
    """Level of a division; the value is what regions.json stores."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


CODE_LENGTHS: dict[RegionLevel, int] = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}
_LENGTHS = frozenset(CODE_LENGTHS.values())
_FULL_WIDTH_DIGITS = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９"}


class UnknownRegion(ValueError):
    """No division with this code (or name) is in the catalogue."""


class InvalidRegionCode(UnknownRegion):
    """The text is not shaped like a division code at all."""


@dataclass(frozen=True, slots=True)
class Region:
    """One division: its natural-length code, name, level and parent's code."""

    code: str
    name: str
    level: RegionLevel
    parent: str | None

    @property
    def area_code(self) -> str:
        """The 6-digit GB/T 2260 form (``330800`` for Quzhou, ``330802`` for a Kecheng village)."""
        return area_code(self.code)


def normalise_prefix(text: str) -> str:
    """Turn a typed region code into its natural-length prefix.

    Accepts spaces and full-width digits and the zero-padded forms in common use:
    ``330000`` → ``33``, ``330800`` → ``3308``, ``330802000000`` → ``330802``,
    ``330802001000`` → ``330802001``. Raises ``InvalidRegionCode`` otherwise.
    """
    code = re.sub(r"\s+", "", str(text).translate(_FULL_WIDTH_DIGITS))
    return _normalise_code(code)


@lru_cache(maxsize=4096)
def _normalise_code(code: str) -> str:
    if not code:
        raise InvalidRegionCode("请输入区划代码")
    if not code.isascii() or not code.isdigit():
        raise InvalidRegionCode(f"区划代码“{code}”只能由数字组成")
    if len(code) not in _LENGTHS:
        raise InvalidRegionCode(f"区划代码“{code}”应为2、4、6、9或12位数字，现在是{len(code)}位")
    # Strip zero groups from the right, one level at a time, so that a padded
    # higher-level code (330800, 330802000000) means the division itself.
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) == 9 and code.endswith("000"):
        code = code[:6]
    if len(code) == 6 and code.endswith("00"):
        code = code[:4]
    if len(code) == 4 and code.endswith("00"):
        code = code[:2]
    if code == "00":
        raise InvalidRegionCode("区划代码不能全为0")
    return code


def area_code(code: str) -> str:
    """The 6-digit GB/T 2260 area code of a division (the county's for townships and villages).

    ``330802001001`` → ``330802``; ``3308`` → ``330800``; ``33`` → ``330000``.
    This is the code a resident ID number starts with.
    """
    natural = normalise_prefix(code)
    return natural[:6].ljust(6, "0")


def covers(prefixes: Iterable[str], code: str) -> bool:
    """Whether a scope (list of region-code prefixes) includes the row with ``code``.

    SYNC.md: ``330802`` covers every village of Kecheng, ``33`` the whole province.
    Padded prefixes are accepted (``330800`` means Quzhou). An empty scope covers nothing.
    """
    target = normalise_prefix(code)
    return any(target.startswith(normalise_prefix(p)) for p in prefixes)


def scopes_overlap(first: Iterable[str], second: Iterable[str]) -> bool:
    """Whether two scopes share any row: a prefix of one lies inside the other (``covers``, either way).

    The supervisor of Kecheng (``330802``) and a worker of one of its villages overlap; the
    workers of two villages do not, nor does anyone with an empty scope.
    """
    a, b = list(first), list(second)
    return any(covers(a, code) for code in b) or any(covers(b, code) for code in a)


class RegionCatalog:
    """All known divisions, with lookups by code, by parent and by prefix."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_code: dict[str, Region] = {}
        self._children: dict[str | None, list[Region]] = {}
        for region in regions:
            if region.code in self._by_code:
                raise ValueError(f"区划目录中代码{region.code}重复")
            self._by_code[region.code] = region
            self._children.setdefault(region.parent, []).append(region)
        for kids in self._children.values():
            kids.sort(key=lambda r: r.code)
        # Sorted village codes make "all villages under a prefix" a bisect and a short scan.
        self._village_codes = sorted(c for c, r in self._by_code.items() if r.level is RegionLevel.VILLAGE)
        self._full_names: dict[str, str] = {}

    @classmethod
    def from_file(cls, path: Path | str) -> RegionCatalog:
        """Read a catalogue in the regions.json shape."""
        with open(path, encoding="utf-8") as f:
            rows = json.load(f)
        return cls(
            Region(code=row["code"], name=row["name"], level=RegionLevel(row["level"]), parent=row["parent"])
            for row in rows
        )

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        try:
            return normalise_prefix(code) in self._by_code
        except InvalidRegionCode:
            return False

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def get(self, code: str) -> Region:
        """The division with this code (padded forms accepted); ``UnknownRegion`` if none."""
        natural = normalise_prefix(code)
        try:
            return self._by_code[natural]
        except KeyError:
            raise UnknownRegion(f"区划代码“{code}”不在区划目录中，请核对或联系管理员更新目录") from None

    def name(self, code: str) -> str:
        """The division's own name (``信安街道``)."""
        return self.get(code).name

    def path(self, code: str) -> list[Region]:
        """The division and its ancestors, province first."""
        chain = [self.get(code)]
        while chain[-1].parent is not None:
            chain.append(self._by_code[chain[-1].parent])
        chain.reverse()
        return chain

    def full_name(self, code: str, *, with_province: bool = True) -> str:
        """Names from the province down: ``浙江省衢州市柯城区信安街道坊门街社区``."""
        natural = normalise_prefix(code)
        full = self._full_names.get(natural)
        if full is None:
            full = "".join(r.name for r in self.path(natural))
            self._full_names[natural] = full
        if not with_province:
            province = self.path(natural)[0]
            if province.level is RegionLevel.PROVINCE:
                return full[len(province.name) :]
        return full

    def children(self, code: str | None = None) -> list[Region]:
        """The divisions directly under ``code`` (the provinces if ``None``), by code."""
        key = None if code is None else self.get(code).code
        return list(self._children.get(key, ()))

    def villages_under(self, prefix: str) -> list[Region]:
        """Every village and community whose code starts with ``prefix``, by code."""
        natural = normalise_prefix(prefix)
        codes = self._village_codes
        out = []
        for i in range(bisect_left(codes, natural), len(codes)):
            if not codes[i].startswith(natural):
                break
            out.append(self._by_code[codes[i]])
        return out

    def covers(self, prefixes: Iterable[str], code: str) -> bool:
        """Same rule as the module-level ``covers`` (kept here for callers holding a catalogue)."""
        return covers(prefixes, code)

    def county_of(self, code: str) -> Region:
        """The county-level division a township or village belongs to (itself for a county)."""
        natural = normalise_prefix(code)
        if len(natural) < 6:
            raise UnknownRegion(f"“{self.full_name(natural)}”是县级以上区划，没有所属县区")
        return self.get(natural[:6])

    def resolve(self, text: str) -> Region:
        """A division from a code or a name (``柯城区``, ``衢州市柯城区``, ``浙江省衢州市柯城区``).

        A bare name must be unique in the catalogue; otherwise the message asks for more of
        the full name.
        """
        text = text.strip()
        try:
            return self.get(text)
        except InvalidRegionCode:
            pass
        # The cheap suffix test first: full names are built only for the few divisions whose own
        # name ends the text (a 10,000-row roster spent a fifth of its import here otherwise).
        matches = [
            r
            for r in self._by_code.values()
            if r.name == text or text.endswith(r.name) and self.full_name(r.code).endswith(text)
        ]
        if not matches:
            raise UnknownRegion(f"找不到名为“{text}”的区划")
        if len(matches) > 1:
            options = "、".join(self.full_name(r.code, with_province=False) for r in matches[:5])
            raise UnknownRegion(f"“{text}”有{len(matches)}处同名：{options}；请写上级名称以区分")
        return matches[0]


@lru_cache(maxsize=1)
def default_catalog() -> RegionCatalog:
    """The catalogue shipped in resources/catalogs/regions.json, read once."""
    return RegionCatalog.from_file(CATALOG_PATH)


def village_area_code(village_code: str) -> str:
    """The 6-digit county area code of a 12-digit village code (``330802001001`` → ``330802``)."""
    code = normalise_prefix(village_code)
    if len(code) != 12:
        raise InvalidRegionCode(f"“{village_code}”不是12位村（社区）代码")
    return code[:6]
