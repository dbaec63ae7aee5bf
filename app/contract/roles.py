"""What each role may write, and which project-status moves it may make: the server enforces
these (``server/permissions.py``) and the app offers only what they allow.

- ``WRITABLE``: the tables a role may change inside its regions.
- ``may_move(role, old, new)``: a project-status change along the flow
  (``app.domain.renovation``). A laptop coalesces unsent edits of one field, so several
  steps made offline arrive as one move: any status *reachable* along the flow counts. The
  acceptance outcomes (合格/整改) are the acceptance team's; archiving and reopening a
  settled project (accepted or archived) are the federation's (乡镇/县区残联, 管理员), and a
  reopening is recorded in the server's audit log.
- ``may_create_with(role, status)``: the status a new project may start in; a caseworker's
  project starts before the acceptance (never already accepted or archived).
- ``may_move_need(role, old, new)``: a need item's status change along its follow-up
  (``app.domain.needs``); a closed item (已办结/无法办理) is reopened by the federation only.
- ``may_tombstone(role, tbl, status)``: records with legal weight are never deleted by a
  caseworker: project events, acceptances, certificates, and a project past its application.
- ``may_unmask_id(role, regions, region)``: ledgers (台账) show ID and certificate numbers
  masked; the federation (县区/乡镇残联 supervisors, administrators) may export them whole for
  a region inside its own, and such an export is audited as one with unmasked data.
- ``may_review(role)``: a visit's review (``visitreview``, 通过/退回) is written by the
  federation (乡镇/县区残联, 管理员) of the visit's region, never by the worker whose visit it is:
  the table is in no caseworker's ``WRITABLE``, and ``server.workflow`` makes its ``reviewer``
  the signed-in reviewer.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from app.domain import needs
from app.domain.enums import ProjectStatus, Role
from app.domain.regions import UnknownRegion, covers
from app.domain.renovation import next_statuses

S = ProjectStatus
SETTLED = frozenset({S.ACCEPTED, S.ARCHIVED})
OUTCOMES = frozenset({S.ACCEPTED, S.RECTIFYING})

# What a home-visit worker records: the registry, visits, forms, photos, and the
# application for a renovation project (project, planned items, its first events).
_WORKER = frozenset(
    {
        "household",
        "person",
        "visit",
        "formresponse",
        "attachment",
        "attachmentlink",
        "renovationproject",
        "renovationitem",
        "projectevent",
        "needitem",
    }
)
# What the acceptance team records: projects and their items and events, the
# acceptance itself with its checklist, the certificate, and their photos/PDFs.
_ACCEPTOR = frozenset(
    {
        "renovationproject",
        "renovationitem",
        "projectevent",
        "acceptance",
        "certificate",
        "attachment",
        "attachmentlink",
        "needitem",  # an accepted project closes the household's matching need items
    }
)


def _all_tables() -> frozenset[str]:
    from app.contract.schema import TABLES

    return frozenset(TABLES)


WRITABLE: dict[str, frozenset[str]] = {
    Role.WORKER.value: _WORKER,
    Role.ACCEPTOR.value: _ACCEPTOR,
    Role.SUPERVISOR.value: _all_tables(),
    Role.ADMIN.value: _all_tables(),
}

# The statuses each role may move a project *to* (along the flow).
_TARGETS: dict[str, frozenset[ProjectStatus]] = {
    Role.WORKER.value: frozenset(ProjectStatus) - OUTCOMES - {S.ARCHIVED},
    Role.ACCEPTOR.value: frozenset(ProjectStatus) - {S.ARCHIVED},
    Role.SUPERVISOR.value: frozenset(ProjectStatus),
    Role.ADMIN.value: frozenset(ProjectStatus),
}
# Reopening a settled project: back to the acceptance, or to rectification.
REOPEN_TARGETS = frozenset({S.AWAITING_ACCEPTANCE, S.RECTIFYING})
_REOPENERS = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})
_LEGAL_WEIGHT = frozenset({"projectevent", "acceptance", "certificate"})


REVIEWERS = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})
REVIEW_TABLE = "visitreview"


def may_review(role: str) -> bool:
    """Whether ``role`` may approve or return a completed visit (inside its regions)."""
    return role in REVIEWERS and may_write(role, REVIEW_TABLE)


def may_write(role: str, tbl: str) -> bool:
    """Whether a user with ``role`` may change rows of ``tbl`` (inside its regions)."""
    return tbl in WRITABLE.get(role, frozenset())


@cache
def reachable(status: ProjectStatus) -> frozenset[ProjectStatus]:
    """Every status the flow leads to from ``status`` (one step or several)."""
    seen: set[ProjectStatus] = set()
    todo = list(next_statuses(status))
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo.extend(next_statuses(s))
    return frozenset(seen)


def is_reopening(old: str, new: str) -> bool:
    return old in SETTLED and new in REOPEN_TARGETS


def may_move(role: str, old: str, new: str) -> bool:
    """Whether ``role`` may change a project's status from ``old`` to ``new``."""
    if old == new:
        return True
    try:
        old_s, new_s = ProjectStatus(old), ProjectStatus(new)
    except ValueError:
        return False
    if is_reopening(old_s, new_s):
        return role in _REOPENERS
    return new_s in reachable(old_s) and new_s in _TARGETS.get(role, frozenset())


def may_create_with(role: str, status: str) -> bool:
    """Whether ``role`` may create a project already in ``status``.

    The acceptance team and the federation record projects run on paper before the app,
    so they may enter any status; a caseworker's project starts before its acceptance.
    """
    try:
        s = ProjectStatus(status)
    except ValueError:
        return False
    if role == Role.WORKER.value:
        return s in _TARGETS[role]
    return role in WRITABLE and s in ProjectStatus


def moves_for(role: str, status: str) -> list[ProjectStatus]:
    """The next statuses the app should offer ``role`` for a project in ``status``."""
    offered = [s for s in next_statuses(status) if may_move(role, status, s)]
    if status in SETTLED and role in _REOPENERS:
        offered += sorted(REOPEN_TARGETS, key=list(ProjectStatus).index)
    return offered


def may_tombstone(role: str, tbl: str, project_status: str | None = None) -> bool:
    """Whether ``role`` may mark a row of ``tbl`` deleted (``project_status``: its project's, if any)."""
    if role in _REOPENERS:
        return True
    if tbl in _LEGAL_WEIGHT:
        return False
    if tbl == "renovationproject":
        return project_status in (None, "", S.APPLIED.value)
    if tbl == "renovationitem":
        return project_status not in SETTLED
    return True


def may_move_need(role: str, old: str, new: str) -> bool:
    """Whether ``role`` may change a need item's status from ``old`` to ``new``.

    Offline edits of one field coalesce, so any status reachable along the follow-up
    counts; from a final status only the federation reopens (back to 待办 or 办理中).
    """
    if old == new:
        return True
    try:
        old_s, new_s = needs.NeedStatus(old), needs.NeedStatus(new)
    except ValueError:
        return False
    if old_s in needs.FINAL_STATUSES:
        return role in _REOPENERS and new_s in needs.REOPEN_TARGETS
    return new_s in _reachable_need(old_s)


@cache
def _reachable_need(status: needs.NeedStatus) -> frozenset[needs.NeedStatus]:
    seen: set[needs.NeedStatus] = set()
    todo = list(needs.NEXT_STATUSES[status])
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo.extend(needs.NEXT_STATUSES[s])
    return frozenset(seen)


UNMASK_ID = "unmask_id"  # the permission's name in audit entries and the console
_UNMASKERS = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})


def may_unmask_id(role: str, regions: Iterable[str], region: str = "") -> bool:
    """Whether ``role`` may see whole ID and certificate numbers in a ledger of ``region``.

    ``regions`` are the user's own; ``region`` the ledger's ("" = all of the user's). A
    supervisor or administrator may, inside their regions; every other role sees masks.
    """
    if role not in _UNMASKERS:
        return False
    if not region:
        return True
    try:
        return covers(list(regions), region)
    except UnknownRegion:
        return False
