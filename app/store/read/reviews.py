"""Visit reviews (``visitreview``, written on the server's console): the newest per visit."""

from __future__ import annotations

from typing import Any

from app.store.models import VisitReview
from app.store.read.live import live_rows


def newest_per_visit(session: Any, visit_ids: list[str] | None = None) -> dict[str, VisitReview]:
    """Each visit's newest live review (by ``reviewed_at``), for ``visit_ids`` or every visit."""
    where = (VisitReview.visit_id.in_(visit_ids),) if visit_ids is not None else ()  # type: ignore[attr-defined]
    newest: dict[str, VisitReview] = {}
    for r in live_rows(session, VisitReview, *where, order_by=(VisitReview.reviewed_at, VisitReview.id)):
        newest[r.visit_id] = r  # later rows replace earlier ones
    return newest


def of_visit(session: Any, visit_id: str) -> list[VisitReview]:
    """A visit's live reviews, newest first."""
    rows = live_rows(
        session,
        VisitReview,
        VisitReview.visit_id == visit_id,
        order_by=(VisitReview.reviewed_at, VisitReview.id),
    )
    return rows[::-1]
