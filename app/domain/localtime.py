"""Stored times are ISO-8601 UTC text (``app.store.row_ids.utc_now``); people read them in their own zone.

A visit at 09:00 in Quzhou is stored as ``01:00Z``: shown as stored it would read
01:00, and one made before 08:00 would fall on the day before. Everything a
screen shows goes through these, in the laptop's time zone. Text without a zone
(a date, or a time a user typed) is shown as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

# Where the users are: federation reports and seeded working hours use it, screens use the laptop's zone.
CHINA_TIME = timezone(timedelta(hours=8), "北京时间")


def parse_stamp(stamp: str | None) -> datetime | None:
    """Stored ISO-8601 text as a ``datetime`` (aware if it names a zone); ``None`` if empty or unreadable."""
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


def to_local(stamp: str, tz: tzinfo | None = None) -> datetime | None:
    """``stamp`` in ``tz`` (default: this machine's zone); naive text unchanged; ``None`` if empty or unreadable."""
    moment = parse_stamp(stamp)
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(tz)


def _format(stamp: str, pattern: str, width: int, tz: tzinfo | None) -> str:
    moment = to_local(stamp, tz)
    if moment is None or len(stamp) <= 10:  # empty, unreadable, or a plain date: as stored
        return stamp[:width].replace("T", " ")
    return moment.strftime(pattern)


def local_day(stamp: str, tz: tzinfo | None = None) -> str:
    """``2026-11-25``: the local calendar day of ``stamp``."""
    return _format(stamp, "%Y-%m-%d", 10, tz)


def local_minute(stamp: str, tz: tzinfo | None = None) -> str:
    """``2026-11-25 09:05``: local date and time to the minute."""
    return _format(stamp, "%Y-%m-%d %H:%M", 16, tz)


def local_second(stamp: str, tz: tzinfo | None = None) -> str:
    """``2026-11-25 09:05:31``: local date and time to the second."""
    return _format(stamp, "%Y-%m-%d %H:%M:%S", 19, tz)


def local_day_start_utc(day: date, tz: tzinfo | None = None) -> str:
    """The stored (UTC) text of the first moment of ``day`` in ``tz`` (default: this machine's zone).

    For "since" filters over stored stamps: in Quzhou, 1 January begins at
    ``…12-31T16:00:00.000Z``, so a visit at 07:00 on New Year's morning is this year's.
    """
    zone = tz or datetime.now().astimezone().tzinfo
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    return start.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def china_today(now: datetime | None = None) -> date:
    """Today's calendar day in China (due dates, overdue flags), whatever the machine's zone."""
    return (now or datetime.now(UTC)).astimezone(CHINA_TIME).date()
