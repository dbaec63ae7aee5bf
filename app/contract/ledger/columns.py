"""What every ledger (台账) is made of: its kind, its columns, and the value helpers columns share.

A ``Ledger`` is columns and rows, no Excel yet (``app.contract.ledger.workbook``
writes it); ``app.contract.ledger.definitions`` says which columns each kind has,
and the laptop (``app.services.ledger``) and the server console
(``server.console.ledger_pages``) fill them with source rows from their own
databases. The helpers here are the ledgers' one way to show a region, an
address order, a stored code's label, a UTC stamp as China time, a plain date
and a yes/no. No I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from app.domain.enums import LabelledEnum
from app.domain.localtime import CHINA_TIME, parse_stamp
from app.domain.regions import RegionLevel, UnknownRegion, default_catalog

Progress = Callable[[int, int], None]


class LedgerKind(LabelledEnum):
    """Which ledger; the value is the ``--kind`` name, the label the sheet's Chinese title."""

    HOUSEHOLDS = "households", "家庭户台账"
    PERSONS = "persons", "残疾人台账"
    VISITS = "visits", "入户访视台账"
    PROJECTS = "projects", "改造项目台账"
    NEEDS = "needs", "需求台账"
    DEVICES = "devices", "辅助器具采购清单"
    ACCEPTANCES = "acceptances", "验收台账"


class UnknownLedgerKind(ValueError):
    """A ``--kind`` that is not one of ``LedgerKind``."""


class LedgerCancelled(ValueError):
    """The user stopped an export; nothing was written under the target name."""


def ledger_kind(value: LedgerKind | str) -> LedgerKind:
    """The kind named by ``value``; ``UnknownLedgerKind`` (in Chinese, listing the kinds) if none."""
    try:
        return LedgerKind(value)
    except ValueError:
        known = "、".join(f"{k.value}（{k.label}）" for k in LedgerKind)
        raise UnknownLedgerKind(f"未知的台账类型“{value}”，可选：{known}") from None


@dataclass(frozen=True, slots=True)
class Column:
    """One column: Chinese header, how to get its value from a source row, how to show it.

    ``kind`` is ``text``, ``date`` (a real Excel date), ``money`` (yuan, two decimals) or ``int``.
    """

    header: str
    value: Callable[[Any], Any]
    kind: str = "text"


@dataclass(frozen=True)
class Ledger:
    """A ledger's columns and row values, in filing order, before it becomes a sheet (序号 is added then)."""

    kind: LedgerKind
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    scope: str = ""  # the region and period it covers, shown above the header ("" = everything)
    unmasked: bool = False  # ID and certificate numbers shown whole (``app.contract.roles.may_unmask_id``)

    @classmethod
    def of(
        cls,
        kind: LedgerKind,
        columns: Sequence[Column],
        sources: Iterable[Any],
        *,
        scope: str = "",
        unmasked: bool = False,
    ) -> Ledger:
        """Evaluate ``columns`` over ``sources`` (already in filing order)."""
        cols = tuple(columns)
        rows = [tuple(c.value(src) for c in cols) for src in sources]
        return cls(kind, cols, rows, scope, unmasked)


# --- small shared helpers ---------------------------------------------------------------

_NUMBERS = re.compile(r"(\d+)")


@lru_cache(maxsize=8192)
def region_names(code: str) -> tuple[str, str, str]:
    """County, township and village names of a 12-digit code; an unknown code stays visible as itself."""
    try:
        path = default_catalog().path(code)
    except UnknownRegion:
        return "", "", code
    names = {r.level: r.name for r in path}
    return (
        names.get(RegionLevel.COUNTY, ""),
        names.get(RegionLevel.TOWNSHIP, ""),
        names.get(RegionLevel.VILLAGE, ""),
    )


# Every source row has a ``region_code``; the ledger shows names, county to village.
REGION_COLUMNS = (
    Column("县（市、区）", lambda r: region_names(r.region_code)[0]),
    Column("乡镇（街道）", lambda r: region_names(r.region_code)[1]),
    Column("村（社区）", lambda r: region_names(r.region_code)[2]),
)


def filing_key(address: str) -> tuple[Any, ...]:
    """Address sort key with numbers compared as numbers: 3幢 before 12幢."""
    # split() with a group alternates text and digits, so equal positions always hold equal types.
    return tuple(int(p) if i % 2 else p for i, p in enumerate(_NUMBERS.split(address or "")))


def label(enum: type[LabelledEnum], value: str | None) -> str:
    """The Chinese label of a stored code; an unknown code is shown as it is, empty stays empty."""
    if not value:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return value


def china_time(stamp: str | None) -> datetime | None:
    """A stored UTC stamp (``2026-11-25T14:49:36.123Z``) as naive China time; None if empty or bad."""
    moment = parse_stamp(stamp)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TIME).replace(tzinfo=None)


def china_date(stamp: str | None) -> date | None:
    """The China-time calendar day of a stored UTC stamp."""
    moment = china_time(stamp)
    return moment.date() if moment else None


def plain_date(value: str | None) -> date | None:
    """A stored calendar date (``2026-06-01``, no time zone); None if empty or bad."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def yes(flag: object) -> str:
    return "是" if flag else "否"
