"""Console acts go to the server's one audit log (``server.accounts.audit``), in the act's transaction."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlmodel import Session

from server import accounts
from server.console.web import client_ip


def audit(
    db: Session,
    request: Request,
    actor: str,
    action: str,
    *,
    target: str = "",
    device_id: str = "",
    tbl: str = "",
    row_id: str = "",
    **detail: Any,
) -> None:
    """Add the audit entry to ``db``'s transaction, with the browser's address; the caller commits."""
    accounts.audit(
        db,
        actor=actor,
        action=action,
        target=target,
        device_id=device_id,
        tbl=tbl,
        row_id=row_id,
        detail={**detail, "ip": client_ip(request)},
    )
