"""Need items (需求台账): the taxonomy of needs, the follow-up states and the moves between them.

A need found on a visit becomes a need item (``needitem``) that is followed up until it is
closed: 待办 → 已转介 → 办理中 → 已办结 / 无法办理. The laptop (``app.services.needs``) and the
server (``server.workflow`` through ``app.contract.roles.may_move_need``) both check a
status change against ``NEXT_STATUSES``; a closed item is final, only the federation may
reopen it (``REOPEN_TARGETS``).

Labels: ``.label`` is the Chinese one (stored data, ledgers, server messages); ``EN`` holds the
English the laptop's translation file uses for the same words.
"""

from __future__ import annotations

from datetime import date

from app.domain.enums import LabelledEnum


class NeedType(LabelledEnum):
    """需求类型: one taxonomy for visits, ledgers, the console and the alerts."""

    REHABILITATION = "rehabilitation", "康复服务"
    DEVICE = "device", "辅助器具"
    EDUCATION = "education", "教育资助"
    EMPLOYMENT = "employment", "就业帮扶"
    SOCIAL_SECURITY = "social_security", "社会保障"
    CARE = "care", "托养照护"
    ACCESSIBILITY = "accessibility", "无障碍改造"
    LIGHTING = "lighting", "照明线路改造"
    CLEAN_BRIGHT = "clean_bright", "净居亮居"
    DANGEROUS_HOUSE = "dangerous_house", "危房改造"
    RELIEF = "relief", "困难帮扶"


class NeedStatus(LabelledEnum):
    """需求跟进状态."""

    PENDING = "pending", "待办"
    REFERRED = "referred", "已转介"
    IN_PROGRESS = "in_progress", "办理中"
    CLOSED = "closed", "已办结"
    UNABLE = "unable", "无法办理"


class NeedClosedKind(LabelledEnum):
    """How a need item was closed."""

    ACCEPTANCE = "acceptance", "改造项目验收"
    DELIVERY = "delivery", "辅具交付"
    SUBSIDY = "subsidy", "补贴落实"
    MANUAL = "manual", "人工办结"


EN: dict[str, str] = {
    # need types
    "康复服务": "Rehabilitation",
    "辅助器具": "Assistive device",
    "教育资助": "Education aid",
    "就业帮扶": "Employment support",
    "社会保障": "Social security",
    "托养照护": "Care services",
    "无障碍改造": "Accessibility",
    "照明线路改造": "Lighting and wiring",
    "净居亮居": "Clean & bright home",
    "危房改造": "Dangerous house repair",
    "困难帮扶": "Poverty relief",
    # statuses
    "待办": "Pending",
    "已转介": "Referred",
    "办理中": "In progress",
    "已办结": "Closed",
    "无法办理": "Cannot be met",
    # closed kinds
    "改造项目验收": "Project accepted",
    "辅具交付": "Device delivered",
    "补贴落实": "Subsidy started",
    "人工办结": "Closed by hand",
}

S = NeedStatus
OPEN_STATUSES = frozenset({S.PENDING, S.REFERRED, S.IN_PROGRESS})
FINAL_STATUSES = frozenset({S.CLOSED, S.UNABLE})
NEXT_STATUSES: dict[NeedStatus, tuple[NeedStatus, ...]] = {
    S.PENDING: (S.REFERRED, S.IN_PROGRESS, S.CLOSED, S.UNABLE),
    S.REFERRED: (S.PENDING, S.IN_PROGRESS, S.CLOSED, S.UNABLE),
    S.IN_PROGRESS: (S.REFERRED, S.CLOSED, S.UNABLE),
    S.CLOSED: (),
    S.UNABLE: (),
}
# A closed item reopened by the federation (supervisor, admin) goes back to follow-up.
REOPEN_TARGETS = frozenset({S.PENDING, S.IN_PROGRESS})

# The renovation project kind that meets each housing need (closed by its acceptance).
PROJECT_KIND_NEED: dict[str, NeedType] = {
    "accessibility": NeedType.ACCESSIBILITY,
    "lighting": NeedType.LIGHTING,
    "clean_bright": NeedType.CLEAN_BRIGHT,
    "dangerous_house": NeedType.DANGEROUS_HOUSE,
}

DEFAULT_DUE_DAYS = 30


def next_statuses(status: str) -> tuple[NeedStatus, ...]:
    """The statuses a need item in ``status`` may move to (none for an unknown status)."""
    try:
        return NEXT_STATUSES[NeedStatus(status)]
    except ValueError:
        return ()


def may_move(old: str, new: str) -> bool:
    """Whether a need item may go from ``old`` to ``new`` along the follow-up (no reopening)."""
    if old == new:
        return True
    try:
        return NeedStatus(new) in next_statuses(old)
    except ValueError:
        return False


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def is_overdue(status: str, due_on: str, today: date) -> bool:
    """Open and past its due date (``today`` is China's calendar day)."""
    if not is_open(status) or not due_on:
        return False
    try:
        return date.fromisoformat(due_on) < today
    except ValueError:
        return False


def label(enum: type[LabelledEnum], value: str) -> str:
    """The Chinese label of a code, or the code itself when unknown."""
    try:
        return enum(value).label
    except ValueError:
        return value
