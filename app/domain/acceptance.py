"""Completion acceptance (竣工验收): checklists, measured limits, conclusion and deadline.

Checklists per project kind, plus the records check (查阅资料) and the on-site
check (现场核查), live in ``resources/catalogs/acceptance_checklists.json``.
For kinds marked ``derive_item_limits`` the measured limits of the project's
catalogue items (ramp slope, door width, ...) become checks too, so a limit is
written once, in the renovation catalogue.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from app.domain.enums import CheckResult, ProjectKind
from app.domain.renovation import RenovationCatalog, format_quantity, load_catalog
from app.paths import resources_dir

CHECKLIST_PATH = resources_dir() / "catalogs" / "acceptance_checklists.json"
DEFAULT_RECTIFICATION_DAYS = 15
# Project facts live in the acceptance's ``checks`` map under ``fact.<key>``.
FACT_PREFIX = "fact."


class InvalidMeasurement(ValueError):
    """A measured value typed at acceptance is not a number."""


@dataclass(frozen=True, slots=True)
class Limit:
    """Bounds of a measured value; ``*_exclusive`` makes a bound strict (insulation > 0.5 MΩ)."""

    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False
    format: str = ""
    low_text: str = ""
    high_text: str = ""
    low_text_en: str = ""
    high_text_en: str = ""
    # Nominal values where the standard has them (wire 1.5/2.5/4/6 mm²): anything else is a misreading.
    choices: tuple[Decimal, ...] = ()
    # The maximum depends on another check's measured value (breaker rating by wire section).
    max_by_check: str = ""
    max_by: Mapping[Decimal, Decimal] = field(default_factory=dict)
    # Other bounds for a household with a flag (``wheelchair_user``: switches 0.9–1.1 m).
    when: Mapping[str, Limit] = field(default_factory=dict)

    def show(self, value: Decimal) -> str:
        """A value as written on site: ``850 mm``, or ``1:12`` for a ratio."""
        if self.format == "ratio":
            return f"1:{format_quantity(value)}"
        return f"{format_quantity(value)}{(' ' + self.unit) if self.unit else ''}"

    def describe(self) -> str:
        """The limit as a caseworker reads it: ``≥ 800 mm``, ``1.2–1.4 m``, ``> 0.5 MΩ``, ``不陡于 1:12``."""
        if self.format == "ratio" and self.min is not None and self.max is None:
            return f"不陡于 {self.show(self.min)}"
        u = f" {self.unit}" if self.unit else ""
        lo = None if self.min is None else format_quantity(self.min)
        hi = None if self.max is None else format_quantity(self.max)
        if lo is not None and hi is not None:
            return f"{lo}–{hi}{u}"
        if lo is not None:
            return f"{'>' if self.min_exclusive else '≥'} {lo}{u}"
        if hi is not None:
            return f"{'<' if self.max_exclusive else '≤'} {hi}{u}"
        return ""


@dataclass(frozen=True, slots=True)
class Check:
    """One line of an acceptance checklist; ``limit`` set means a value must be measured."""

    code: str
    name: str
    method: str = ""
    limit: Limit | None = None
    item_code: str | None = None
    name_en: str = ""
    method_en: str = ""

    @property
    def is_measured(self) -> bool:
        return self.limit is not None


@dataclass(frozen=True, slots=True)
class FactSpec:
    """A project fact the team records from the documents (合同编号, 开工日期, 鉴定机构 …).

    Stored in the acceptance's ``checks`` map under ``fact.<key>``; printed on the
    certificate and covered by its verification code.
    """

    key: str
    label: str
    label_en: str = ""
    type: str = "text"  # text | date | money | choice
    choices: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True, slots=True)
class SignerSpec:
    """One party that signs (and perhaps seals) the certificate."""

    role: str
    label: str
    label_en: str = ""
    relation: bool = False
    seal: bool = False
    keeps_copy: bool = False
    accepting_body: bool = False
    kinds: tuple[ProjectKind, ...] = ()

    def applies_to(self, kind: ProjectKind | str) -> bool:
        return not self.kinds or ProjectKind(kind) in self.kinds


@dataclass(frozen=True, slots=True)
class Checklist:
    """The checks an acceptance team works through for one project kind."""

    kind: ProjectKind
    title: str
    checks: tuple[Check, ...]
    title_en: str = ""
    records_title_en: str = ""
    onsite_title_en: str = ""
    team_label_en: str = ""
    records_title: str = "查阅资料"
    records_checks: tuple[Check, ...] = ()
    onsite_title: str = "现场核查"
    onsite_checks: tuple[Check, ...] = ()
    derive_item_limits: bool = False
    rectification_days: int = DEFAULT_RECTIFICATION_DAYS
    facts: tuple[FactSpec, ...] = ()
    signers: tuple[SignerSpec, ...] = ()
    team_label: str = "验收组成员"
    pass_opinion: str = ""
    pass_opinion_en: str = ""


def _fact(raw: Mapping[str, object]) -> FactSpec:
    return FactSpec(
        key=str(raw["key"]),
        label=str(raw["label"]),
        label_en=str(raw.get("label_en", "")),
        type=str(raw.get("type", "text")),
        choices=tuple(str(c) for c in raw.get("choices", ()) or ()),  # type: ignore[union-attr]
        hint=str(raw.get("hint", "")),
    )


def _signer(raw: Mapping[str, object]) -> SignerSpec:
    return SignerSpec(
        role=str(raw["role"]),
        label=str(raw["label"]),
        label_en=str(raw.get("label_en", "")),
        relation=bool(raw.get("relation", False)),
        seal=bool(raw.get("seal", False)),
        keeps_copy=bool(raw.get("keeps_copy", False)),
        accepting_body=bool(raw.get("accepting_body", False)),
        kinds=tuple(ProjectKind(k) for k in raw.get("kinds", ()) or ()),  # type: ignore[union-attr]
    )


def _limit(raw: Mapping[str, object] | None) -> Limit | None:
    if raw is None:
        return None
    max_by = raw.get("max_by") or {}
    base = Limit(
        unit=str(raw.get("unit", "")),
        min=None if raw.get("min") is None else Decimal(str(raw["min"])),
        max=None if raw.get("max") is None else Decimal(str(raw["max"])),
        min_exclusive=bool(raw.get("min_exclusive", False)),
        max_exclusive=bool(raw.get("max_exclusive", False)),
        format=str(raw.get("format", "")),
        low_text=str(raw.get("low_text", "")),
        high_text=str(raw.get("high_text", "")),
        low_text_en=str(raw.get("low_text_en", "")),
        high_text_en=str(raw.get("high_text_en", "")),
        choices=tuple(Decimal(str(c)) for c in raw.get("choices", ()) or ()),  # type: ignore[union-attr]
        max_by_check=str(max_by.get("check", "")),  # type: ignore[union-attr]
        max_by={Decimal(k): Decimal(str(v)) for k, v in (max_by.get("limits") or {}).items()},  # type: ignore[union-attr]
    )
    variants = {
        flag: replace(
            base,
            min=None if body.get("min") is None else Decimal(str(body["min"])),
            max=None if body.get("max") is None else Decimal(str(body["max"])),
        )
        for flag, body in (raw.get("when") or {}).items()  # type: ignore[union-attr]
    }
    return replace(base, when=variants) if variants else base


def _check(raw: Mapping[str, object]) -> Check:
    return Check(
        code=str(raw["code"]),
        name=str(raw["name"]),
        method=str(raw.get("method", "")),
        limit=_limit(raw.get("measure")),  # type: ignore[arg-type]
        name_en=str(raw.get("name_en", "")),
        method_en=str(raw.get("method_en", "")),
    )


def parse_checklists(raw: Mapping[str, object]) -> dict[ProjectKind, Checklist]:
    """Build checklists from the JSON structure of ``acceptance_checklists.json``."""
    records = raw.get("records_check", {})
    onsite = raw.get("onsite_check", {})
    days = int(raw.get("rectification_days", DEFAULT_RECTIFICATION_DAYS))  # type: ignore[arg-type]
    common_facts = tuple(_fact(f) for f in raw.get("project_facts", {}).get("facts", ()))  # type: ignore[union-attr]
    signer_block = raw.get("signers", {})
    signers = tuple(_signer(p) for p in signer_block.get("parties", ()))  # type: ignore[union-attr]
    team_label = str(signer_block.get("team_label", "验收组成员"))  # type: ignore[union-attr]
    result: dict[ProjectKind, Checklist] = {}
    for kind, body in raw["kinds"].items():  # type: ignore[union-attr]
        result[ProjectKind(kind)] = Checklist(
            kind=ProjectKind(kind),
            title=body.get("title", ""),
            checks=tuple(_check(c) for c in body.get("checks", ())),
            title_en=str(body.get("title_en", "")),
            records_title_en=str(records.get("title_en", "")),  # type: ignore[union-attr]
            onsite_title_en=str(onsite.get("title_en", "")),  # type: ignore[union-attr]
            team_label_en=str(signer_block.get("team_label_en", "")),  # type: ignore[union-attr]
            records_title=records.get("title", "查阅资料"),
            records_checks=tuple(_check(c) for c in records.get("checks", ())),
            onsite_title=onsite.get("title", "现场核查"),
            onsite_checks=tuple(_check(c) for c in onsite.get("checks", ())),
            derive_item_limits=bool(body.get("derive_item_limits", False)),
            rectification_days=days,
            facts=common_facts + tuple(_fact(f) for f in body.get("facts", ())),
            signers=tuple(sp for sp in signers if sp.applies_to(kind)),
            team_label=team_label,
            pass_opinion=str(body.get("pass_opinion", "")),
            pass_opinion_en=str(body.get("pass_opinion_en", "")),
        )
    return result


@lru_cache(maxsize=4)
def load_checklists(path: Path = CHECKLIST_PATH) -> dict[ProjectKind, Checklist]:
    """Load (once per path) every project kind's checklist."""
    return parse_checklists(json.loads(Path(path).read_text(encoding="utf-8")))


def all_signers(checklists: Mapping[ProjectKind, Checklist] | None = None) -> list[SignerSpec]:
    """Every signing party of any kind, once, in print order (the acceptance screen lists them)."""
    seen: dict[str, SignerSpec] = {}
    for checklist in (checklists or load_checklists()).values():
        for spec in checklist.signers:
            seen.setdefault(spec.role, spec)
    order = [s.role for s in _all_parties()]
    return sorted(seen.values(), key=lambda s: order.index(s.role) if s.role in order else len(order))


def _all_parties() -> list[SignerSpec]:
    raw = json.loads(CHECKLIST_PATH.read_text(encoding="utf-8"))
    return [_signer(p) for p in raw.get("signers", {}).get("parties", ())]


def normalise_fact(spec: FactSpec, value: str) -> str:
    """A typed fact as stored: dates ISO (YYYY-MM-DD), money with two decimals; raises ``ValueError``."""
    text = (value or "").strip()
    if not text:
        return ""
    if spec.type == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"“{spec.label}”应为日期（如 2026-05-08）") from None
    if spec.type == "money":
        try:
            amount = Decimal(text.replace(",", "").removesuffix("元"))
        except InvalidOperation:
            raise ValueError(f"“{spec.label}”应为金额（元）") from None
        if not amount.is_finite() or amount < 0:
            raise ValueError(f"“{spec.label}”应为不小于 0 的金额")
        return f"{amount.quantize(Decimal('0.01'))}"
    if spec.type == "choice" and spec.choices and text not in spec.choices:
        raise ValueError(f"“{spec.label}”应为{'/'.join(spec.choices)}之一")
    return text


def checklist_for(
    kind: ProjectKind | str,
    item_codes: Iterable[str] = (),
    *,
    checklists: Mapping[ProjectKind, Checklist] | None = None,
    catalog: RenovationCatalog | None = None,
    flags: Iterable[str] = (),
) -> Checklist:
    """The checklist for a project of ``kind`` containing the catalogue items ``item_codes``.

    Each item with an ``acceptance_check`` in the catalogue adds that check
    (“煤气泄漏报警：按测试键报警器发出声光报警”). When the kind derives item
    limits, each limit of each item adds a measured check named after the item
    (e.g. “室内外坡道：坡道净宽”), once per item. ``flags`` (``wheelchair_user``)
    switch a limit to its variant for that household.
    """
    kind = ProjectKind(kind)
    base = (checklists or load_checklists())[kind]
    flags = frozenset(flags)
    if flags:
        base = replace(base, checks=tuple(_for_household(c, flags) for c in base.checks))
    catalog = catalog or load_catalog()
    extra: list[Check] = []
    for code in dict.fromkeys(item_codes):
        item = catalog.item(code)
        if item.acceptance_check:
            extra.append(
                Check(
                    code=f"{item.code}.check",
                    name=f"{item.name}：{item.acceptance_check}",
                    item_code=item.code,
                    name_en=_joined_en(item.name_en, item.acceptance_check_en),
                )
            )
        if not base.derive_item_limits:
            continue
        for lim in item.limits:
            extra.append(
                Check(
                    code=f"{item.code}.{lim.key}",
                    name=f"{item.name}：{lim.name}",
                    method=lim.source,
                    limit=Limit(
                        unit=lim.unit,
                        min=lim.min,
                        max=lim.max,
                        format=lim.format,
                        low_text=lim.low_text,
                        high_text=lim.high_text,
                        low_text_en=lim.low_text_en,
                        high_text_en=lim.high_text_en,
                    ),
                    item_code=item.code,
                    name_en=_joined_en(item.name_en, lim.name_en),
                    method_en=lim.source_en,
                )
            )
    return replace(base, checks=base.checks + tuple(extra)) if extra else base


def _joined_en(item_en: str, part_en: str) -> str:
    """A derived check's English name, ``Ramp: clear width``, when both halves have English."""
    return f"{item_en}: {part_en}" if item_en and part_en else ""


def english_texts(
    checklists: Mapping[ProjectKind, Checklist] | None = None, catalog: RenovationCatalog | None = None
) -> dict[str, str]:
    """Every checklist text with English beside it, Chinese -> English: section titles, check names and
    methods (the catalogue items' derived checks too) and a measured limit's low/high words.

    The domain words its messages in Chinese with these texts in them (“坡道：坡道净宽”实测…); the
    interface looks the texts up here to show them in English.
    """
    checklists = checklists or load_checklists()
    catalog = catalog or load_catalog()
    out: dict[str, str] = {}

    def add(chinese: str, english: str) -> None:
        if chinese and english:
            out.setdefault(chinese, english)

    for kind in checklists:
        codes = [item.code for item in catalog.items.values() if item.kind is kind]
        checklist = checklist_for(kind, codes, checklists=checklists, catalog=catalog)
        for chinese, english in (
            (checklist.title, checklist.title_en),
            (checklist.records_title, checklist.records_title_en),
            (checklist.onsite_title, checklist.onsite_title_en),
            (checklist.team_label, checklist.team_label_en),
            (checklist.pass_opinion, checklist.pass_opinion_en),
        ):
            add(chinese, english)
        for check in checklist.checks + checklist.records_checks + checklist.onsite_checks:
            add(check.name, check.name_en)
            add(check.method, check.method_en)
            limits = [check.limit, *check.limit.when.values()] if check.limit else []
            for lim in limits:
                add(lim.low_text, lim.low_text_en)
                add(lim.high_text, lim.high_text_en)
    return out


def _for_household(check: Check, flags: frozenset[str]) -> Check:
    """``check`` with the limit variant of the first flag it has one for."""
    if check.limit is None:
        return check
    for flag in sorted(flags):
        if flag in check.limit.when:
            return replace(check, limit=check.limit.when[flag])
    return check


# --- measurements --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeasurementVerdict:
    """Whether a measured value is within its check's limits; ``message`` explains a miss."""

    ok: bool
    value: Decimal
    message: str = ""

    def __bool__(self) -> bool:
        return self.ok

    @property
    def result(self) -> CheckResult:
        """The check result the value alone implies (a miss needs rectifying)."""
        return CheckResult.PASS if self.ok else CheckResult.RECTIFY


def evaluate_measurement(
    check: Check, value: Decimal | int | float | str, others: Mapping[str, Decimal] | None = None
) -> MeasurementVerdict:
    """Compare ``value`` with ``check``'s limits; raises ``InvalidMeasurement`` for non-numbers
    and for values that are not one of the check's nominal values.

    ``others`` holds the other checks' measured values by code, for limits that
    depend on one (a breaker's rating on the wire section measured).
    """
    if check.limit is None:
        raise ValueError(f"检查项“{check.name}”不需要测量")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidMeasurement(f"“{check.name}”的实测值“{value}”不是有效数字") from None
    if not number.is_finite():
        raise InvalidMeasurement(f"“{check.name}”的实测值“{value}”不是有效数字")
    lim = check.limit
    if lim.choices and number not in lim.choices:
        listed = "/".join(format_quantity(c) for c in lim.choices)
        raise InvalidMeasurement(
            f"“{check.name}”应为标称值 {listed}{(' ' + lim.unit) if lim.unit else ''} 之一，“{value}”不是标称值，请核对铭牌或标识"
        )
    other = (others or {}).get(lim.max_by_check) if lim.max_by_check else None
    if other is not None and other in lim.max_by:
        bound = lim.max_by[other]
        lim = replace(lim, max=bound if lim.max is None else min(lim.max, bound))
    too_low = lim.min is not None and (number <= lim.min if lim.min_exclusive else number < lim.min)
    too_high = lim.max is not None and (number >= lim.max if lim.max_exclusive else number > lim.max)
    if not (too_low or too_high):
        return MeasurementVerdict(True, number)
    direction = (lim.low_text or "偏小") if too_low else (lim.high_text or "偏大")
    return MeasurementVerdict(
        False, number, f"“{check.name}”实测{lim.show(number)}，{direction}，应为{lim.describe()}，需整改"
    )


# --- conclusion ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What the team found for one check."""

    code: str
    name: str
    result: CheckResult
    measured: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Conclusion:
    """The overall verdict: passed, or rectification needed by ``deadline``."""

    passed: bool
    result: CheckResult
    text: str
    failing: tuple[str, ...] = field(default_factory=tuple)
    deadline: date | None = None


def rectification_deadline(accepted_on: date, days: int = DEFAULT_RECTIFICATION_DAYS) -> date:
    """``days`` calendar days after acceptance, moved off a weekend to the next Monday.

    Public holidays are not known offline; the team can set a later date by hand.
    """
    if days < 1:
        raise ValueError("整改期限天数必须至少为1天")
    due = accepted_on + timedelta(days=days)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


PASS_TEXT = "经查阅资料和现场核查，各项均符合要求，验收合格。"


def conclude(
    outcomes: Iterable[CheckOutcome],
    accepted_on: date,
    *,
    rectification_days: int = DEFAULT_RECTIFICATION_DAYS,
    pass_text: str = "",
) -> Conclusion:
    """Overall conclusion: any 不合格 or 整改 means the works go back for rectification.

    不涉及 (the plan did not touch it) counts as neither; ``pass_text`` is the kind's own
    opinion (a dangerous house is not "taught to the family").
    """
    outcomes = list(outcomes)
    if not outcomes:
        raise ValueError("没有任何检查结果，不能得出验收结论")
    if all(CheckResult(o.result) is CheckResult.NOT_APPLICABLE for o in outcomes):
        raise ValueError("所有检查均为“不涉及”，不能得出验收结论")
    ok = (CheckResult.PASS, CheckResult.NOT_APPLICABLE)
    failing = tuple(o.name for o in outcomes if CheckResult(o.result) not in ok)
    if not failing:
        return Conclusion(True, CheckResult.PASS, pass_text or PASS_TEXT)
    deadline = rectification_deadline(accepted_on, rectification_days)
    listed = "、".join(failing[:5]) + ("等" if len(failing) > 5 else "")
    text = f"{listed}共{len(failing)}项不符合要求，须于{deadline.year}年{deadline.month}月{deadline.day}日前整改完毕后重新验收。"
    return Conclusion(False, CheckResult.RECTIFY, text, failing, deadline)
