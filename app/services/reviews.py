"""A supervisor's review of a visit, as the worker's laptop sees it (no Qt).

Reviews are made on the server's console and arrive with a sync (``visitreview``, read-only
here: no caseworker may write one). A returned visit (退回) is on the worker's to-do list
with the supervisor's comment until the worker reopens it, corrects it and completes it
again; then it is resubmitted and waits for a review again. The state rule is
``app.domain.visit_review``'s, the one the console runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.visit_review import RETURNED, review_state
from app.services.visits import VisitError, VisitService
from app.store.models import Visit
from app.store.read import persons
from app.store.read import reviews as read_reviews
from app.store.read.live import live_rows
from app.store.store import Store


@dataclass(frozen=True)
class ReviewState:
    """A visit's review state (``pending``/``resubmitted``/``approved``/``returned``) and its newest review."""

    state: str
    decision: str = ""
    comment: str = ""
    reviewer: str = ""
    reviewed_at: str = ""


@dataclass(frozen=True)
class ReturnedVisit:
    """A visit the supervisor returned, waiting for the worker's correction."""

    visit_id: str
    household_id: str
    person_id: str
    person_name: str
    place: str
    started_at: str
    status: str  # completed (not yet reopened) or draft (being corrected)
    comment: str
    reviewer: str
    reviewed_at: str


def _state(visit: Visit, review: object | None) -> str:
    newest = (review.decision, review.visit_ended_at) if review is not None else None  # type: ignore[attr-defined]
    return review_state(visit.status, visit.ended_at, newest)


class ReviewService:
    def __init__(self, store: Store, visits: VisitService | None = None) -> None:
        self.store = store
        self.visits = visits or VisitService(store)

    def state_of(self, visit_id: str) -> ReviewState:
        """The review state of one visit (``pending`` if never reviewed)."""
        with self.store.session() as s:
            visit = s.get(Visit, visit_id)
            reviews = read_reviews.of_visit(s, visit_id)
            if visit is None:
                return ReviewState("pending")
            newest = reviews[0] if reviews else None
            state = _state(visit, newest)
            if newest is None:
                return ReviewState(state)
            return ReviewState(state, newest.decision, newest.comment, newest.reviewer, newest.reviewed_at)

    def returned_visits(self, worker: str = "") -> list[ReturnedVisit]:
        """Visits whose newest review returned them and that are not completed again, newest review first.

        ``worker`` narrows to one worker's visits (a worker's to-do list); empty: every visit.
        """
        with self.store.session() as s:
            newest = read_reviews.newest_per_visit(s)
            returned = {vid: r for vid, r in newest.items() if r.decision == RETURNED}
            if not returned:
                return []
            where = [Visit.id.in_(list(returned))]  # type: ignore[attr-defined]
            if worker:
                where.append(Visit.worker == worker)  # type: ignore[arg-type]
            visits = [v for v in live_rows(s, Visit, *where) if _state(v, returned[v.id]) == RETURNED]
            names = persons.names(s, {v.person_id for v in visits if v.person_id})
        items = [
            ReturnedVisit(
                v.id,
                v.household_id,
                v.person_id or "",
                names.get(v.person_id or "", ""),
                v.place,
                v.started_at,
                v.status,
                returned[v.id].comment,
                returned[v.id].reviewer,
                returned[v.id].reviewed_at,
            )
            for v in visits
        ]
        return sorted(items, key=lambda i: i.reviewed_at, reverse=True)

    def reopen_returned(self, actor: str, visit_id: str) -> Visit:
        """Reopen a returned visit for correction; the supervisor's comment is the reason."""
        state = self.state_of(visit_id)
        if state.state != RETURNED:
            raise VisitError("该访视没有被退回，无需按退回意见修改")
        visit = self.visits.get_visit(visit_id)
        if visit.status != "completed":
            return visit  # reopened already: the worker carries on correcting it
        return self.visits.reopen_visit(actor, visit_id, f"审核退回：{state.comment}"[:2000])
