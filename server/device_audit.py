"""Laptop audit events, received at sync: stored once each, their hash chain checked per device.

A laptop seals its audit events into a hash chain (``app.contract.audit_chain``)
and uploads them after its push (``POST /sync/audit``). The server takes the
device and the uploading user from the token, never from the body, and stores
each event once: ``(device_id, seq)`` is its id, so a retried upload changes
nothing. Each new event's seal is recomputed from the seal of the event before
it (the one already held, or the device id for the first); a mismatch — an
event edited, deleted or inserted on the laptop after it was sealed — is
stored with ``chain_ok`` false and reported once in the audit log as
``audit_chain_broken``. So is a retried event whose content differs from the
one held (the laptop rewrote history it had already sent).
"""

from __future__ import annotations

import time

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.contract import protocol as p
from app.contract.audit_chain import link
from server import accounts
from server.models import DeviceAudit, ServerUser

BROKEN = "audit_chain_broken"


def _same(held: DeviceAudit, ev: p.DeviceAuditEvent) -> bool:
    return (held.at, held.actor, held.action, held.tbl, held.row_id, held.detail, held.hash) == (
        ev.at,
        ev.actor,
        ev.action,
        ev.tbl,
        ev.row_id,
        ev.detail,
        ev.hash,
    )


def _previous_hash(session: Session, device_id: str, seq: int) -> str:
    """The seal of the held event just before ``seq`` (the device id when there is none)."""
    found = session.exec(
        select(DeviceAudit.hash)
        .where(DeviceAudit.device_id == device_id, DeviceAudit.seq < seq)
        .order_by(col(DeviceAudit.seq).desc())
        .limit(1)
    ).first()
    return found or device_id


def receive(
    *, session: Session, user: ServerUser, device_id: str, upload: p.AuditUpload
) -> p.AuditUploadResponse:
    """Store the new events of one upload, check their chain, commit; see the module docstring."""
    events = sorted(upload.events, key=lambda e: e.seq)
    seqs = [e.seq for e in events]
    held = (
        {
            row.seq: row
            for row in session.exec(
                select(DeviceAudit).where(DeviceAudit.device_id == device_id, col(DeviceAudit.seq).in_(seqs))
            )
        }
        if seqs
        else {}
    )
    now = time.time()
    broken: list[int] = []
    changed: list[int] = []
    stored = duplicates = 0
    previous: str | None = None
    last_seq: int | None = None
    for ev in events:
        if ev.seq == last_seq:
            continue  # the same event twice in one upload
        last_seq = ev.seq
        if ev.seq in held:
            duplicates += 1
            if not _same(held[ev.seq], ev):
                changed.append(ev.seq)
            previous = held[ev.seq].hash
            continue
        if previous is None:
            previous = _previous_hash(session, device_id, ev.seq)
        expected = link(
            previous, device_id, (ev.seq, ev.at, ev.actor, ev.action, ev.tbl, ev.row_id, ev.detail)
        )
        ok = expected == ev.hash
        if not ok:
            broken.append(ev.seq)
        session.add(
            DeviceAudit(
                device_id=device_id,
                seq=ev.seq,
                user_id=user.id or 0,
                username=user.username,
                received_at=now,
                at=ev.at,
                actor=ev.actor,
                action=ev.action,
                tbl=ev.tbl,
                row_id=ev.row_id,
                detail=ev.detail,
                hash=ev.hash,
                chain_ok=ok,
            )
        )
        stored += 1
        previous = ev.hash  # the next event was sealed after this one's seal, whatever it covers
    if broken or changed:
        accounts.audit(
            session,
            actor=user.username,
            action=BROKEN,
            target=device_id,
            device_id=device_id,
            detail={"broken_seqs": broken[:100], "changed_seqs": changed[:100]},
        )
    session.commit()
    head = session.exec(select(func.max(DeviceAudit.seq)).where(DeviceAudit.device_id == device_id)).one()
    return p.AuditUploadResponse(
        stored=stored,
        duplicates=duplicates,
        chain_ok=not (broken or changed),
        broken_seqs=sorted(broken + changed),
        head_seq=int(head or 0),
    )


def device_events(
    *,
    session: Session,
    device_id: str | None = None,
    actor: str | None = None,
    username: str | None = None,
    action: str | None = None,
    broken_only: bool = False,
    before_id: int | None = None,
    limit: int = 200,
) -> list[DeviceAudit]:
    """Stored laptop audit events, newest first, filtered."""
    query = select(DeviceAudit)
    for column, wanted in (
        (DeviceAudit.device_id, device_id),
        (DeviceAudit.actor, actor),
        (DeviceAudit.username, username),
        (DeviceAudit.action, action),
    ):
        if wanted:
            query = query.where(column == wanted)
    if broken_only:
        query = query.where(DeviceAudit.chain_ok == False)  # noqa: E712
    if before_id:
        query = query.where(col(DeviceAudit.id) < before_id)
    return list(session.exec(query.order_by(col(DeviceAudit.id).desc()).limit(limit)))
