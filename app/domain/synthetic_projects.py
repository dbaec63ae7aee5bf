"""Synthetic renovation projects for seed and demo data: plans, status paths, acceptance answers, facts.

Pure functions over the catalogues (renovation items, checklists): a seeder
calls them and writes the rows. Everything they return obeys the same rules as
a real project — each step of a path passes ``check_transition``, plans stay
inside the per-household cap and ``max_per_household``, measured values are
nominal values inside (or, for a failing round, just outside) their limits —
so a seeded county looks like a real one and every seeded certificate verifies.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.domain.acceptance import FACT_PREFIX, Check, Checklist, evaluate_measurement
from app.domain.enums import CheckResult, ProjectKind, ProjectStatus
from app.domain.renovation import CatalogItem, RenovationCatalog, check_transition, load_catalog

S = ProjectStatus
# The full flow; a county that skips 资格审核/公示/采购 is the same path without them.
FULL_FLOW = (
    S.APPLIED, S.ELIGIBILITY_REVIEW, S.PUBLICITY, S.ASSESSED, S.SURVEYED, S.PLANNED, S.PROCUREMENT,
    S.UNDER_CONSTRUCTION, S.AWAITING_ACCEPTANCE,
)  # fmt: skip
CONTRACTORS = (
    ("衢州市安居建筑装饰工程有限公司", "周建华", "13857012345"),
    ("柯城区明亮电气安装队", "吴志明", "13905708866"),
    ("衢江区宜居家装服务部", "徐国庆", "13757023419"),
    ("常山县安家建设有限公司", "方建平", "13587091123"),
)
# 项目编号 letters per kind, as the catalogue codes its items (WZA-01, ZM-01 …).
_NUMBER_PREFIX = {"accessibility": "WZA", "lighting": "ZM", "clean_bright": "JJ", "dangerous_house": "WF"}
_COUNTABLE = ("个", "套", "盏", "把", "处", "台", "樘", "间", "辆", "块", "张")


def status_path(
    target: ProjectStatus | str, *, rectified: bool = False, skip_optional: bool = False
) -> list[ProjectStatus]:
    """The statuses a project went through to reach ``target``, first to last.

    ``rectified`` sends an accepted (or archived) project through one 整改 round first;
    ``skip_optional`` leaves out 资格审核, 公示 and 采购/招标; 终止/放弃 happens after the plan.
    """
    target = ProjectStatus(target)
    # 公示 follows 资格审核, so a path to 公示 keeps both.
    keep = {target, S.ELIGIBILITY_REVIEW} if target is S.PUBLICITY else {target}
    optional = (S.ELIGIBILITY_REVIEW, S.PUBLICITY, S.PROCUREMENT)
    flow = [s for s in FULL_FLOW if not (skip_optional and s in optional and s not in keep)]
    if target in flow:
        path = flow[: flow.index(target) + 1]
    elif target is S.TERMINATED:
        path = [*flow[: flow.index(S.PLANNED) + 1], S.TERMINATED]
    elif target is S.RECTIFYING:
        path = [*flow, S.RECTIFYING]
    else:
        done = [*flow, S.RECTIFYING, S.AWAITING_ACCEPTANCE] if rectified else list(flow)
        path = [*done, S.ACCEPTED] + ([S.ARCHIVED] if target is S.ARCHIVED else [])
    for old, new in zip(path, path[1:], strict=False):
        check_transition(old, new)
    return path


def plan_lines(
    kind: ProjectKind | str, rng: random.Random, catalog: RenovationCatalog | None = None, *, items: int = 3
) -> list[tuple[CatalogItem, Decimal]]:
    """A one-household plan: a few priced items of ``kind``, quantities within the item's
    ``max_per_household`` and the whole within the kind's budget cap."""
    catalog = catalog or load_catalog()
    kind = ProjectKind(kind)
    choices = [i for i in catalog.items_for(kind) if i.unit_price > 0]
    picked = rng.sample(choices, k=min(len(choices), items))
    cap = catalog.cap_for(kind) or Decimal(10**6)
    lines: list[tuple[CatalogItem, Decimal]] = []
    total = Decimal(0)
    for item in picked:
        qty = Decimal(rng.choice((1, 1, 2, 3))) if item.unit in _COUNTABLE else Decimal(rng.randint(3, 25))
        if item.max_per_household is not None:
            qty = min(qty, item.max_per_household)
        while qty > 1 and total + item.unit_price * qty > cap:
            qty -= 1
        if qty <= 0 or total + item.unit_price * qty > cap:
            continue
        total += item.unit_price * qty
        lines.append((item, qty))
    return lines


def _value(check: Check, good: bool, rng: random.Random, others: Mapping[str, Decimal]) -> str | None:
    """A measured value as typed on site, inside the limits when ``good``; None if none can be found."""
    lim = check.limit
    assert lim is not None
    candidates: list[Decimal]
    if lim.choices:
        candidates = list(lim.choices)
    else:
        lo = lim.min if lim.min is not None else (lim.max or Decimal(1)) / 2
        hi = lim.max if lim.max is not None else lo * 2
        step = (hi - lo) / 4 if hi > lo else Decimal(1)
        candidates = [lo + step * i for i in range(5)] + [lo * Decimal("0.8"), hi * Decimal("1.2")]
    rng.shuffle(candidates)
    for number in candidates:
        number = number.quantize(Decimal("0.01")).normalize()
        try:
            verdict = evaluate_measurement(check, number, others)
        except ValueError:
            continue
        if verdict.ok is good:
            return lim.show(verdict.value)
    return None


@dataclass(frozen=True, slots=True)
class RoundAnswers:
    """The ``checks`` map of one acceptance round and the names of the checks that failed."""

    answers: dict[str, str]
    failing: tuple[str, ...]


def acceptance_answers(
    checklist: Checklist,
    item_ids: Iterable[str],
    rng: random.Random,
    *,
    passed: bool,
    not_applicable: float = 0.1,
) -> RoundAnswers:
    """Results for every check and plan line (``item:<id>``): all 合格 (or 不涉及) when ``passed``,
    otherwise one or two checks 整改 with a measured value outside its limit or a note."""
    answers: dict[str, str] = {}
    checks = [*checklist.records_checks, *checklist.onsite_checks, *checklist.checks]
    failing: list[Check] = []
    if not passed:
        failing = rng.sample(
            [c for c in checklist.checks] or checks, k=min(2, len(checklist.checks or checks))
        )
    numbers: dict[str, Decimal] = {}
    for check in checks:
        bad = check in failing
        if check.limit is not None:
            text = _value(check, not bad, rng, numbers)
            if text is None:
                bad = False
                text = _value(check, True, rng, numbers) or ""
            if text:
                answers[f"{check.code}.value"] = text
                numbers[check.code] = Decimal(text.split()[0].removeprefix("1:"))
        if bad:
            answers[f"{check.code}.result"] = CheckResult.RECTIFY.value
            answers[f"{check.code}.note"] = "不符合要求，须按方案整改"
        elif (
            check.limit is None
            and check.item_code is None
            and rng.random() < not_applicable
            and check in checklist.checks
        ):
            answers[f"{check.code}.result"] = CheckResult.NOT_APPLICABLE.value
        else:
            answers[f"{check.code}.result"] = CheckResult.PASS.value
    for item_id in item_ids:
        answers[f"item:{item_id}.result"] = CheckResult.PASS.value
    names = tuple(c.name for c in failing if answers.get(f"{c.code}.result") == CheckResult.RECTIFY.value)
    return RoundAnswers(answers, names)


def project_facts(
    checklist: Checklist,
    rng: random.Random,
    *,
    county_code: str,
    seq: int,
    started: date,
    contractor: tuple[str, str, str],
    amount: Decimal,
) -> dict[str, str]:
    """``fact.<key>`` values a team copies from the documents (number, contract, dates, funds …)."""
    kind = checklist.kind
    self_funded = (Decimal(0) if rng.random() < 0.7 else amount * Decimal("0.1")).quantize(Decimal("0.01"))
    values = {
        "project_number": f"{county_code}-{_NUMBER_PREFIX.get(kind.value, 'GZ')}-{started.year}-{seq:04d}",
        "batch": f"{started.year}年第{1 if started.month <= 6 else 2}批",
        "contract_number": f"HT{started.year}{seq:05d}",
        "started_on": started.isoformat(),
        "completed_on": (started + timedelta(days=rng.randint(5, 30))).isoformat(),
        "subsidy": f"{(amount - self_funded).quantize(Decimal('0.01'))}",
        "self_funded": f"{self_funded}",
        "warranty": rng.choice(("1年", "2年（自竣工验收之日起）")),
        "contractor_contact": contractor[1],
        "contractor_phone": contractor[2],
        "wheelchair_user": rng.choice(("是", "否", "否")),
        "appraisal_body": "衢州市房屋安全鉴定中心",
        "report_number": f"衢房鉴（{started.year}）第{seq:04d}号",
        "grade_before": rng.choice(("C", "D")),
        "grade_after": "A",
    }
    return {FACT_PREFIX + f.key: values[f.key] for f in checklist.facts if f.key in values}


def signer_answers(checklist: Checklist, names: Mapping[str, str], relation: str = "本人") -> dict[str, str]:
    """``signer.<role>.name`` (and the household's relation) for each party that has a name."""
    out: dict[str, str] = {}
    for spec in checklist.signers:
        name = names.get(spec.role)
        if name:
            out[f"signer.{spec.role}.name"] = name
            if spec.relation:
                out[f"signer.{spec.role}.relation"] = relation
    return out
