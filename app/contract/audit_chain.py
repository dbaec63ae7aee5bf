"""The audit hash chain's one link, shared: the laptop seals with it, the server checks with it.

``hash_n = SHA-256(hash_{n-1} | device | seq | at | actor | action | tbl |
row_id | detail)`` (fields joined by the unit separator ``\\x1f``), the chain
starting from the device id. ``app.store.audit_chain`` seals a laptop's
events; the server (``server.device_audit``) recomputes each received event's
link and flags one that does not match.
"""

from __future__ import annotations

import hashlib
from typing import Any

FIELDS = ("seq", "at", "actor", "action", "tbl", "row_id", "detail")


def link(previous: str, device: str, row: tuple[Any, ...]) -> str:
    """The seal of one event (``row`` = seq, at, actor, action, tbl, row_id, detail) after ``previous``."""
    text = "\x1f".join([previous, device, *("" if v is None else str(v) for v in row)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
