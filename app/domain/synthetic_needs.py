"""Fictitious need items for seeded profiles (``homevisit seed``): pure, no I/O.

``need_items(rng, person, visit_day, today)`` gives the need items one visited person might
have on a county's ledger, in every follow-up state: pending, referred, in hand, closed (by
a delivery, a subsidy, an accepted project or by hand) and cannot be met, with dates that
make some open ones overdue. The same ``rng`` state gives the same items.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from app.domain.needs import NeedClosedKind, NeedStatus, NeedType

T = NeedType
_DETAILS: dict[NeedType, tuple[str, ...]] = {
    T.REHABILITATION: ("肢体功能训练", "康复评估", "言语训练", "白内障复明手术", "听觉言语训练"),
    T.DEVICE: ("普通轮椅", "助行器", "坐便椅", "盲杖", "助听器", "手动护理床"),
    T.EDUCATION: ("学费资助", "送教上门"),
    T.EMPLOYMENT: ("职业技能培训", "就业岗位推荐", "农村实用技术培训"),
    T.SOCIAL_SECURITY: ("重度残疾人护理补贴", "困难残疾人生活补贴"),
    T.CARE: ("居家托养", "日间照料"),
    T.ACCESSIBILITY: ("",),
    T.LIGHTING: ("",),
    T.DANGEROUS_HOUSE: ("",),
    T.RELIEF: ("产业帮扶", "小额信贷"),
}
_WEIGHTS: dict[NeedType, int] = {
    T.REHABILITATION: 6,
    T.DEVICE: 6,
    T.EDUCATION: 1,
    T.EMPLOYMENT: 2,
    T.SOCIAL_SECURITY: 3,
    T.CARE: 2,
    T.ACCESSIBILITY: 3,
    T.LIGHTING: 2,
    T.DANGEROUS_HOUSE: 1,
    T.RELIEF: 1,
}
_REFERRALS: dict[NeedType, str] = {
    T.REHABILITATION: "县残疾人康复中心",
    T.DEVICE: "市辅助器具服务中心",
    T.EDUCATION: "县教育局",
    T.EMPLOYMENT: "县残疾人就业服务所",
    T.SOCIAL_SECURITY: "乡镇民政办",
    T.CARE: "县残疾人托养中心",
    T.ACCESSIBILITY: "乡镇残联",
    T.LIGHTING: "乡镇残联",
    T.DANGEROUS_HOUSE: "县住建局",
    T.RELIEF: "乡镇民政办",
}
_CLOSED_KIND: dict[NeedType, NeedClosedKind] = {
    T.DEVICE: NeedClosedKind.DELIVERY,
    T.SOCIAL_SECURITY: NeedClosedKind.SUBSIDY,
    T.ACCESSIBILITY: NeedClosedKind.ACCEPTANCE,
    T.LIGHTING: NeedClosedKind.ACCEPTANCE,
    T.DANGEROUS_HOUSE: NeedClosedKind.ACCEPTANCE,
}
_MANUAL_REASONS = ("已完成服务并回访", "已享受相关政策", "本人已自行解决")
_UNABLE_REASONS = ("本人或家属暂不同意", "不符合申请条件", "已迁出本地")
_DUE_DAYS: dict[NeedType, int] = {T.DEVICE: 60, T.ACCESSIBILITY: 90, T.LIGHTING: 90, T.DANGEROUS_HOUSE: 120}
# How the follow-up stands, as a share of the items (every state appears in a few dozen persons).
_STATES: tuple[tuple[NeedStatus, int], ...] = (
    (NeedStatus.PENDING, 3),
    (NeedStatus.REFERRED, 2),
    (NeedStatus.IN_PROGRESS, 2),
    (NeedStatus.CLOSED, 4),
    (NeedStatus.UNABLE, 1),
)
SHARE_WITH_NEEDS = 0.45  # of visited persons


def need_items(
    rng: random.Random, person: Mapping[str, Any], visit_day: date, today: date
) -> list[dict[str, Any]]:
    """NeedItem fields (no ids, household or region) for one person visited on ``visit_day``."""
    if rng.random() >= SHARE_WITH_NEEDS:
        return []
    types = list(_WEIGHTS)
    chosen = set(rng.choices(types, weights=[_WEIGHTS[t] for t in types], k=rng.randint(1, 3)))
    if person.get("level") in ("1", "2") and not person.get("has_care_subsidy") and rng.random() < 0.5:
        chosen.add(T.SOCIAL_SECURITY)
    out = []
    for need_type in sorted(chosen):
        status = rng.choices([s for s, _ in _STATES], weights=[w for _, w in _STATES])[0]
        due = visit_day + timedelta(days=_DUE_DAYS.get(need_type, 30))
        item: dict[str, Any] = {
            "need_type": need_type.value,
            "detail": rng.choice(_DETAILS[need_type]),
            "status": status.value,
            "opened_on": visit_day.isoformat(),
            "due_on": due.isoformat(),
            "referral_to": "" if status == NeedStatus.PENDING else _REFERRALS[need_type],
        }
        if status in (NeedStatus.CLOSED, NeedStatus.UNABLE):
            span = max((today - visit_day).days, 1)
            item["closed_on"] = (visit_day + timedelta(days=rng.randint(1, span))).isoformat()
            if status == NeedStatus.UNABLE:
                item.update(closed_kind=NeedClosedKind.MANUAL.value, close_reason=rng.choice(_UNABLE_REASONS))
            else:
                kind = _CLOSED_KIND.get(need_type, NeedClosedKind.MANUAL)
                item["closed_kind"] = kind.value
                if kind == NeedClosedKind.MANUAL:
                    item["close_reason"] = rng.choice(_MANUAL_REASONS)
        out.append(item)
    return out
