"""Role rules of the push path, with their Chinese refusals; the rules themselves are the
contract's (``app.contract.roles``), so the app offers only what the server accepts.

Region scope is checked separately (``sync_service.in_scope``); the workflow rules that
look at a project's state are ``server.workflow``'s.
"""

from __future__ import annotations

from app.contract.roles import WRITABLE, may_write
from app.domain.enums import Role

__all__ = ["WRITABLE", "forbidden_message", "may_write", "role_label", "TABLE_LABELS"]

TABLE_LABELS = {
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
    "needitem": "需求事项",
    "visitreview": "访视审核结果",
}


def role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role or "未知角色"


def forbidden_message(role: str, tbl: str) -> str:
    """The Chinese reason a write was refused, saying what the caseworker can do."""
    what = TABLE_LABELS.get(tbl, tbl)
    return (
        f"您的账号角色（{role_label(role)}）无权修改{what}，服务器未接收；"
        "请由有权限的同事（如验收人员或县区残联）录入，或联系管理员调整角色"
    )
