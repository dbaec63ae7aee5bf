"""Synced records written from the console, as ordinary changes through the push path.

A review (``visitreview``) or a conflict's resolution made in the browser goes through
``sync_service.push`` as the signed-in user: the same validation, role × region rules,
workflow, history, ``seq`` and conflict handling as a laptop's push, so laptops receive it
at their next pull like any other change. Its clocks name the device ``console``.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from sqlmodel import Session

from app.contract import protocol as p
from app.contract.hlc import HybridLogicalClock
from server import sync_service
from server.models import ServerUser

CONSOLE_DEVICE = "console"
_CLOCK = HybridLogicalClock(CONSOLE_DEVICE)


class Refusal(Exception):
    """The push refused a change: ``message`` is the server's Chinese reason."""

    def __init__(self, rejected: list[p.Rejected]) -> None:
        self.rejected = rejected
        super().__init__(rejected[0].message if rejected else "服务器未接收")


def new_row_id() -> str:
    return str(uuid.uuid4())


def clock_after(*seen: str | None) -> str:
    """A console clock later than every value in ``seen`` (so the change wins over them)."""
    for value in seen:
        if value:
            _CLOCK.observe(value)
    return _CLOCK.tick()


def write(
    request: Request,
    db: Session,
    user: ServerUser,
    tbl: str,
    row_id: str,
    values: dict[str, Any],
    base: dict[str, str | None] | None = None,
) -> p.PushResponse:
    """Push ``values`` of one row as ``user``; ``base`` gives each field's clock as last seen.

    A new row takes no ``base``. Raises ``Refusal`` (and stores nothing) if any change is refused.
    """
    base = base or {}
    hlc = clock_after(*base.values())
    changes = [
        p.Change(tbl=tbl, row_id=row_id, field=name, value=value, hlc=hlc, base_hlc=base.get(name))
        for name, value in values.items()
    ]
    settings = request.app.state.settings
    answer = sync_service.push(
        session=db,
        user=user,
        request=p.PushRequest(batch_id=f"console-{uuid.uuid4().hex}", changes=changes),
        skew_limit_ms=settings.clock_skew_limit_ms,
        device_id=CONSOLE_DEVICE,
        forms=request.app.state.forms,
    )
    if answer.rejected:
        # The push committed the changes it applied: a console write is all or nothing, so
        # its callers check first; this only happens when a rule refuses what they sent.
        raise Refusal(answer.rejected)
    return answer
