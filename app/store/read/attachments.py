"""Attachment reads: the live files and the live links of a row to them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.store.models import Attachment, AttachmentLink
from app.store.read.live import live_rows


def links(session: Any, owners: Iterable[tuple[str, str]], role: str | None = None) -> list[AttachmentLink]:
    """Live links of these owner rows ``(owner_tbl, owner_id)`` (of one ``role``, if given), owner by owner,
    each in position order."""
    out: list[AttachmentLink] = []
    for owner_tbl, owner_id in owners:
        where = [AttachmentLink.owner_tbl == owner_tbl, AttachmentLink.owner_id == owner_id]
        if role is not None:
            where.append(AttachmentLink.role == role)
        out += live_rows(session, AttachmentLink, *where, order_by=(AttachmentLink.position,))
    return out


def live_attachment_ids(session: Any) -> list[str]:
    """The SHA-256 of every live attachment row."""
    return [a.id for a in live_rows(session, Attachment)]
