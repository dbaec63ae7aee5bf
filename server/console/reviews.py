"""Visit review state on the server, read from the synced ``visitreview`` records.

A review is one ``visitreview`` row (written by ``review_pages`` through the push path,
so laptops receive it). A visit's state:

- ``pending``: completed and never reviewed;
- ``resubmitted``: completed again after a review (its ``ended_at`` is no longer the one the
  newest review judged) — waiting for review again;
- ``approved`` / ``returned``: the newest review judged the visit as it stands.

The same rule runs on the laptop (``app.services.reviews``); both compare the visit's
``ended_at`` with the review's ``visit_ended_at``, never two machines' clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, select

from app.domain.enums import VisitStatus
from server.models import Record

PENDING = "pending"
RESUBMITTED = "resubmitted"
APPROVED = "approved"
RETURNED = "returned"
STATE_LABELS = {PENDING: "待审核", RESUBMITTED: "已重新提交", APPROVED: "已通过", RETURNED: "已退回"}


@dataclass(frozen=True)
class Review:
    row_id: str
    visit_id: str
    decision: str
    comment: str
    reviewer: str
    reviewed_at: str
    visit_ended_at: str


def _value(fields: dict[str, Any], name: str) -> Any:
    pair = fields.get(name)
    return "" if pair is None or pair[0] is None else pair[0]


def _review(rec: Any) -> Review:
    f = rec.fields
    return Review(
        rec.row_id,
        str(_value(f, "visit_id")),
        str(_value(f, "decision")),
        str(_value(f, "comment")),
        str(_value(f, "reviewer")),
        str(_value(f, "reviewed_at")),
        str(_value(f, "visit_ended_at")),
    )


def _newest_first(reviews: list[Review]) -> list[Review]:
    return sorted(reviews, key=lambda r: (r.reviewed_at, r.row_id), reverse=True)


def reviews_in(db: Session, region_prefix: str) -> dict[str, list[Review]]:
    """Every live review in a region (a code prefix), per visit, newest first."""
    c = Record.__table__.c  # type: ignore[attr-defined]
    query = select(c.row_id, c.fields).where(c.tbl == "visitreview", c.deleted == False)  # noqa: E712
    if region_prefix:
        query = query.where(c.region_code.startswith(region_prefix))
    out: dict[str, list[Review]] = {}
    for rec in db.execute(query):
        r = _review(rec)
        out.setdefault(r.visit_id, []).append(r)
    return {k: _newest_first(v) for k, v in out.items()}


def reviews_of(db: Session, visit_id: str, region_code: str) -> list[Review]:
    """The reviews of one visit, newest first (they share its village)."""
    c = Record.__table__.c  # type: ignore[attr-defined]
    rows = db.execute(
        select(c.row_id, c.fields).where(
            c.tbl == "visitreview",
            c.region_code == region_code,
            c.deleted == False,  # noqa: E712
            Record.fields[("visit_id", 0)].as_string() == visit_id,  # type: ignore[index]
        )
    )
    return _newest_first([_review(r) for r in rows])


def state(visit_status: str, ended_at: str, reviews: list[Review]) -> str:
    """A visit's review state (module docstring); ``reviews`` newest first."""
    if not reviews:
        return PENDING
    newest = reviews[0]
    if newest.visit_ended_at == ended_at or visit_status != VisitStatus.COMPLETED.value:
        return newest.decision  # judged as it stands (or reopened after a return, not yet resubmitted)
    return RESUBMITTED


def states(db: Session, by_visit: dict[str, list[Review]]) -> dict[str, str]:
    """The state of every reviewed visit in ``by_visit``."""
    if not by_visit:
        return {}
    c = Record.__table__.c  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    ids = sorted(by_visit)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        query = select(c.row_id, c.fields).where(c.tbl == "visit", or_(c.row_id.in_(part)))
        for rec in db.execute(query):
            out[rec.row_id] = state(
                str(_value(rec.fields, "status")), str(_value(rec.fields, "ended_at")), by_visit[rec.row_id]
            )
    return out
