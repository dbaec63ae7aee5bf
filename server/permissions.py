"""Role rules of the push path: which tables each role may write (SYNC.md, docs/sync.md).

Region scope is checked separately (``sync_service.in_scope``); these rules
decide what kind of record a role may change inside its regions. The table is
data a federation might tune, but it guards the server, so it lives here in one
place with its test (tests/sync/test_scope_and_roles.py) rather than in a file
an operator edits by hand.
"""

from __future__ import annotations

from typing import Any

from app.contract.schema import TABLES
from app.domain.enums import ProjectStatus, Role

# What a home-visit worker records: the registry, visits, forms, photos, and the
# application for a renovation project (project, planned items, its first event).
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
    }
)
_ALL = frozenset(TABLES)

WRITABLE: dict[str, frozenset[str]] = {
    Role.WORKER.value: _WORKER,
    Role.ACCEPTOR.value: _ACCEPTOR,
    Role.SUPERVISOR.value: _ALL,
    Role.ADMIN.value: _ALL,
}

_TABLE_LABELS = {
    "household": "家庭户",
    "person": "残疾人信息",
    "visit": "走访记录",
    "formresponse": "表单",
    "attachment": "附件",
    "attachmentlink": "附件",
    "renovationproject": "改造项目",
    "renovationitem": "改造项目明细",
    "projectevent": "项目进度",
    "acceptance": "验收记录",
    "certificate": "验收证书",
}


# Acceptance outcomes are the acceptance team's (and the federation's) to record, and a
# project accepted or archived is out of a caseworker's hands. Without this, a worker's
# laptop edited offline after the acceptance would carry a later clock and its older step
# of the flow would win the merge over "accepted".
_OUTCOMES = frozenset({ProjectStatus.ACCEPTED.value, ProjectStatus.RECTIFYING.value})
_SETTLED = frozenset(
    {ProjectStatus.ACCEPTED.value, ProjectStatus.ARCHIVED.value, ProjectStatus.TERMINATED.value}
)
_STATUS_FIELDS = {("renovationproject", "status"), ("projectevent", "to_status")}


def status_refusal(role: str, tbl: str, field: str, new: Any, current: Any) -> str | None:
    """Why a worker may not make this project-status change (Chinese), or ``None`` if it may."""
    if role != Role.WORKER.value or (tbl, field) not in _STATUS_FIELDS or new == current:
        return None
    if new in _OUTCOMES:
        return (
            f"“{ProjectStatus(new).label}”只能由验收人员在现场验收时录入，服务器未接收；"
            "请在改造项目中放弃这项更改，或联系验收组"
        )
    if tbl == "renovationproject" and current in _SETTLED:
        return (
            f"该项目已“{ProjectStatus(current).label}”，专职委员不能再改变它的状态，服务器未接收；"
            "如确需更改，请联系县区残联"
        )
    return None


def may_write(role: str, tbl: str) -> bool:
    """Whether a user with ``role`` may change rows of ``tbl`` (inside its regions)."""
    return tbl in WRITABLE.get(role, frozenset())


def forbidden_message(role: str, tbl: str) -> str:
    """The Chinese reason a write was refused, saying what the caseworker can do."""
    try:
        role_label = Role(role).label
    except ValueError:
        role_label = role or "未知角色"
    what = _TABLE_LABELS.get(tbl, tbl)
    return (
        f"您的账号角色（{role_label}）无权修改{what}，服务器未接收；"
        "请由有权限的同事（如验收人员或县区残联）录入，或联系管理员调整角色"
    )
