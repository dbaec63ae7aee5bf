"""A visit's review state (访视审核), the one rule the console and the laptop share.

A review (``visitreview``) records the visit's ``ended_at`` it judged (``visit_ended_at``).
The newest review decides, unless the visit was completed again since: then it is
resubmitted and waits for a review again. Two values of one machine are compared, never
two machines' clocks.
"""

from __future__ import annotations

PENDING = "pending"
RESUBMITTED = "resubmitted"
APPROVED = "approved"
RETURNED = "returned"
LABELS = {PENDING: "待审核", RESUBMITTED: "已重新提交", APPROVED: "已通过", RETURNED: "已退回"}


def review_state(visit_status: str, visit_ended_at: str, newest: tuple[str, str] | None) -> str:
    """The state of a visit; ``newest`` is its newest review's (decision, visit_ended_at), if any.

    A returned visit the worker has reopened (a draft again) stays returned until it is
    completed again.
    """
    if newest is None:
        return PENDING
    decision, judged_end = newest
    if judged_end == visit_ended_at or visit_status != "completed":
        return decision
    return RESUBMITTED
