"""Every console action leaves a ``ConsoleAudit`` row, written in the same transaction as the action."""

from __future__ import annotations

import time
from typing import Any

from fastapi import Request
from sqlmodel import Session

from server.console.tables import ConsoleAudit
from server.console.web import client_ip


def audit(
    db: Session,
    request: Request,
    actor: str,
    action: str,
    *,
    target_user: str = "",
    device_id: str = "",
    record: str = "",
    **detail: Any,
) -> None:
    """Add the audit row to ``db``'s transaction; the caller commits it with the action itself."""
    db.add(
        ConsoleAudit(
            at=time.time(),
            actor=actor,
            action=action,
            target_user=target_user,
            device_id=device_id,
            record=record,
            detail=detail,
            ip=client_ip(request),
        )
    )
