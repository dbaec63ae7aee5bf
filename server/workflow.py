"""The renovation workflow enforced on pushes: status moves, settled projects, tombstones, authors.

Rules (``app.contract.roles`` holds the role tables):

- a project's status moves only along the flow, to statuses the role may set; a new
  project starts only in a status the role may create it in;
- once a project is settled (验收合格 or 归档), its own fields, its items, its acceptances,
  its certificates and its events keep the values they have: only a supervisor's reopening
  (recorded in the audit log) opens it again. Filling a field that is still empty stays
  possible for the acceptance team, which is how a certificate is issued after the
  acceptance (its serial goes on the acceptance; the certificate row is new);
- a project event, once recorded, is rewritten by nobody but the federation;
- a worker never tombstones a record with legal weight;
- a need item's status moves along its follow-up; a closed one is reopened by the federation only;
- ``visit.worker`` and ``projectevent.actor`` name the user who pushed them, for the
  roles that record their own work (worker, acceptor).

The project's state is the one the batch has reached so far, so an acceptance finished
and a certificate issued in one sync arrive in the order they were made.
"""

from __future__ import annotations

from typing import Any

from app.contract import protocol as p
from app.contract import roles
from app.domain import needs
from app.domain.enums import ProjectStatus, Role
from server.permissions import role_label
from server.validation import Refusal

_PROJECT = "renovationproject"
_NEED = "needitem"
_UNDER_PROJECT = ("renovationitem", "acceptance", "certificate", "projectevent")
_WORKFLOW_TABLES = frozenset({_PROJECT, *_UNDER_PROJECT})
_AUTHOR_FIELDS = {("visit", "worker"), ("projectevent", "actor")}
_REVIEWER = ("visitreview", "reviewer")  # the signed-in reviewer, whatever the role
_SELF_RECORDING = frozenset({Role.WORKER.value, Role.ACCEPTOR.value})

ACTOR_MISMATCH = "actor_mismatch"
BAD_TRANSITION = "bad_transition"
SETTLED = "settled"
TOMBSTONE_FORBIDDEN = "tombstone_forbidden"


def _label(status: Any) -> str:
    try:
        return ProjectStatus(status).label
    except ValueError:
        return str(status)


def _value(fields: dict[str, Any] | None, name: str) -> Any:
    pair = (fields or {}).get(name)
    return None if pair is None else pair[0]


class Workflow:
    """Checks one batch's changes against the workflow, as the batch is applied.

    ``records`` is the push's view of the rows (updated as changes apply); ``projects``
    gives the fields of projects the batch references but does not write.
    """

    def __init__(
        self,
        role: str,
        username: str,
        records: dict[tuple[str, str], Any],
        batch_fields: dict[tuple[str, str], dict[str, Any]],
        projects: dict[str, dict[str, Any]],
    ) -> None:
        self.role = role
        self.username = username
        self.records = records
        self.batch_fields = batch_fields
        self.projects = projects
        self.reopened: list[tuple[str, str, str]] = []  # (project id, from, to), for the audit log

    def _fields(self, tbl: str, row_id: str) -> dict[str, Any] | None:
        rec = self.records.get((tbl, row_id))
        if rec is not None:
            return rec.fields
        if tbl == _PROJECT:
            return self.projects.get(row_id)
        return None

    def _project_status(self, ch: p.Change) -> str | None:
        if ch.tbl == _PROJECT:
            status = _value(self._fields(_PROJECT, ch.row_id), "status")
            return status if isinstance(status, str) else None
        if ch.tbl not in _UNDER_PROJECT:
            return None
        project_id = _value(self._fields(ch.tbl, ch.row_id), "project_id")
        if project_id is None:
            project_id = self.batch_fields.get((ch.tbl, ch.row_id), {}).get("project_id")
        if not isinstance(project_id, str):
            return None
        status = _value(self._fields(_PROJECT, project_id), "status")
        return status if isinstance(status, str) else None

    def refusal(self, ch: p.Change) -> Refusal | None:
        """Why the workflow does not allow this change now, or ``None``."""
        if ch.tbl == _NEED and ch.field == "status":
            return self._need_move(ch)
        if (ch.tbl, ch.field) == _REVIEWER and ch.value != self.username:
            return Refusal(
                p.FORBIDDEN,
                ACTOR_MISMATCH,
                f"审核人须为登录账号本人（{self.username}），服务器未接收",
            )
        if ch.tbl not in _WORKFLOW_TABLES and (ch.tbl, ch.field) not in _AUTHOR_FIELDS:
            return None  # the registry and visits: nothing of the workflow applies
        if (
            (ch.tbl, ch.field) in _AUTHOR_FIELDS
            and self.role in _SELF_RECORDING
            and ch.value != self.username
        ):
            return Refusal(
                p.FORBIDDEN,
                ACTOR_MISMATCH,
                f"“{ch.tbl}.{ch.field}”须为登录账号本人（{self.username}），服务器未接收；请用本人账号登录后录入",
            )
        status = self._project_status(ch)
        stored_row = self._fields(ch.tbl, ch.row_id)
        current = _value(stored_row, ch.field)
        if ch.field == "deleted" and ch.value is True and current is not True:
            if not roles.may_tombstone(self.role, ch.tbl, status):
                return Refusal(
                    p.FORBIDDEN,
                    TOMBSTONE_FORBIDDEN,
                    f"{role_label(self.role)}不能删除这条有法律效力的记录，服务器未接收；如确需删除，请联系县区残联",
                )
        if ch.tbl == _PROJECT and ch.field == "status":
            return self._status_move(ch, stored_row, current)
        if ch.tbl == "projectevent":
            if current not in (None, "") and current != ch.value and self.role in _SELF_RECORDING:
                return Refusal(
                    p.FORBIDDEN,
                    BAD_TRANSITION,
                    "项目进度记录一经录入不能改写，服务器未接收；如有错误，请新增一条进度说明或联系县区残联",
                )
            if ch.field == "to_status" and current is None and not roles.may_create_with(self.role, ch.value):
                return self._outcome_refusal(ch.value)
        if status in roles.SETTLED and not self._opens_settled(ch, current):
            return Refusal(
                p.FORBIDDEN,
                SETTLED,
                f"该项目已“{_label(status)}”，其项目、明细、验收和证书不能再修改，服务器未接收；"
                "如确需更改，请由县区残联先重新开启项目",
            )
        return None

    def _need_move(self, ch: p.Change) -> Refusal | None:
        """A need item's status moves along its follow-up (``app.domain.needs``)."""
        current = _value(self._fields(_NEED, ch.row_id), "status")
        if current is None or not isinstance(ch.value, str):
            return None  # a new item starts in any status; the value rule checks the code
        if roles.may_move_need(self.role, current, ch.value):
            return None
        return Refusal(
            p.FORBIDDEN,
            BAD_TRANSITION,
            f"需求事项不能从“{needs.label(needs.NeedStatus, current)}”改为“{needs.label(needs.NeedStatus, ch.value)}”"
            "（已办结或无法办理的需求只能由县区残联重新开启），服务器未接收",
        )

    def _outcome_refusal(self, new: Any) -> Refusal:
        return Refusal(
            p.FORBIDDEN,
            BAD_TRANSITION,
            f"“{_label(new)}”只能由验收人员或县区残联录入，服务器未接收；请在改造项目中放弃这项更改，或联系验收组",
        )

    def _status_move(self, ch: p.Change, stored_row: dict[str, Any] | None, current: Any) -> Refusal | None:
        new = ch.value
        if current is None:  # a new project, or one whose status was never set
            if roles.may_create_with(self.role, new):
                return None
            return self._outcome_refusal(new)
        if roles.may_move(self.role, current, new):
            if roles.is_reopening(current, new):
                self.reopened.append((ch.row_id, current, new))
            return None
        if current in roles.SETTLED:
            return Refusal(
                p.FORBIDDEN,
                SETTLED,
                f"该项目已“{_label(current)}”，{role_label(self.role)}不能再改变它的状态，服务器未接收；如确需更改，请联系县区残联",
            )
        if new in roles.OUTCOMES or new == ProjectStatus.ARCHIVED.value:
            return self._outcome_refusal(new)
        return Refusal(
            p.FORBIDDEN,
            BAD_TRANSITION,
            f"项目不能从“{_label(current)}”改为“{_label(new)}”（不符合改造流程），服务器未接收",
        )

    def _opens_settled(self, ch: p.Change, current: Any) -> bool:
        """Whether a change to a settled project's records is still allowed."""
        if ch.tbl == _PROJECT and ch.field == "status":
            return True  # judged by _status_move
        if self.role == Role.WORKER.value:
            return False
        if ch.tbl == "projectevent" and current is None:
            return True  # the timeline grows (archiving, reopening)
        # A field set for the first time (a new certificate, the serial on the acceptance).
        return current in (None, "")
