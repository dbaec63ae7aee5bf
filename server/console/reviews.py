"""Visit review state on the server, read from the synced ``visitreview`` records.

A review is one ``visitreview`` row (written by ``review_pages`` through the push path,
so laptops receive it). A visit's state:

- ``pending``: completed and never reviewed;
- ``resubmitted``: completed again after a review (its ``ended_at`` is no longer the one the
  newest review judged) — waiting for review again;
- ``approved`` / ``returned``: the newest review judged the visit as it stands.

The rule is ``app.domain.visit_review``'s, which the laptop runs too (``app.services.reviews``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, select

from app.domain.visit_review import APPROVED, PENDING, RESUBMITTED, RETURNED, review_state
from app.domain.visit_review import LABELS as STATE_LABELS
from server.models import Record
from server.region_filter import within

__all__ = ["APPROVED", "PENDING", "RESUBMITTED", "RETURNED", "STATE_LABELS", "Review", "state", "states"]


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
    query = query.where(within(c.region_code, region_prefix))
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
    newest = (reviews[0].decision, reviews[0].visit_ended_at) if reviews else None
    return review_state(visit_status, ended_at, newest)


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
