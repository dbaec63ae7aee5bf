"""Row ids and timestamps made on this device."""

from __future__ import annotations

from datetime import UTC, datetime

import uuid6


def new_id() -> str:
    """A UUIDv7: unique without coordination and sorting by creation time."""
    return str(uuid6.uuid7())


def utc_now() -> str:
    """Now as ISO-8601 UTC text with milliseconds, e.g. ``2026-11-25T14:49:36.123Z``."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
