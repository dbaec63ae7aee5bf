from datetime import UTC, date, timedelta, timezone

from app.domain.localtime import local_day, local_day_start_utc, local_minute, local_second, to_local

QUZHOU = timezone(timedelta(hours=8))


def test_utc_text_is_shown_in_the_local_zone():
    assert local_minute("2026-11-25T01:05:31.123Z", QUZHOU) == "2026-11-25 09:05"
    assert local_second("2026-11-25T01:05:31.123Z", QUZHOU) == "2026-11-25 09:05:31"


def test_early_morning_visit_falls_on_its_local_day():
    assert local_day("2026-11-24T23:30:00.000Z", QUZHOU) == "2026-11-25"


def test_default_zone_is_the_machines():
    assert to_local("2026-11-25T01:05:00Z").utcoffset() is not None  # type: ignore[union-attr]
    assert local_minute("2026-11-25T01:05:00Z", UTC) == "2026-11-25 01:05"


def test_plain_dates_naive_times_and_bad_text_are_shown_as_stored():
    assert local_day("2026-05-01", QUZHOU) == "2026-05-01"
    assert local_minute("2026-05-01T09:00", QUZHOU) == "2026-05-01 09:00"
    assert local_minute("", QUZHOU) == ""
    assert local_minute("昨天上午", QUZHOU) == "昨天上午"
    assert to_local("not a time") is None


def test_a_local_day_starts_at_its_utc_moment():
    assert local_day_start_utc(date(2026, 1, 1), QUZHOU) == "2025-12-31T16:00:00.000Z"
    assert local_day_start_utc(date(2026, 1, 1), UTC) == "2026-01-01T00:00:00.000Z"
