"""Renovation projects (改造项目): item catalogue, status flow, amounts and budget caps.

The catalogue (items, unit prices, measured limits, caps per household) lives in
``resources/catalogs/renovation_items.json`` so a federation can correct prices
and limits without a code change. Money is ``Decimal`` yuan rounded to fen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from app.domain.enums import ProjectKind, ProjectStatus
from app.paths import resources_dir

CATALOG_PATH = resources_dir() / "catalogs" / "renovation_items.json"
_FEN = Decimal("0.01")

Number = Decimal | int | float | str


class InvalidTransition(ValueError):
    """A project cannot move from its current status to the requested one."""


class UnknownItem(ValueError):
    """An item code is not in the renovation catalogue."""


class OverBudget(ValueError):
    """A household's project costs more than the cap for its kind."""


class InvalidQuantity(ValueError):
    """A quantity or price is not a usable non-negative number."""


def to_decimal(value: Number, what: str = "数量") -> Decimal:
    """``value`` as a finite, non-negative ``Decimal``; floats go through ``str`` to avoid binary noise."""
    try:
        result = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise InvalidQuantity(f"{what}“{value}”不是有效数字") from None
    if not result.is_finite() or result < 0:
        raise InvalidQuantity(f"{what}“{value}”必须是不小于0的数字")
    return result


def money(value: Decimal) -> Decimal:
    """Round to fen (0.01 元), half up as on a receipt."""
    return value.quantize(_FEN, rounding=ROUND_HALF_UP)


# --- catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeasuredLimit:
    """A dimension checked at acceptance, e.g. door clear width ≥ 800 mm."""

    key: str
    name: str
    unit: str
    min: Decimal | None = None
    max: Decimal | None = None
    source: str = ""
    # "ratio" shows N as 1:N (ramp slopes are written 1:12 on site).
    format: str = ""
    low_text: str = ""
    high_text: str = ""
    # English of the texts above, shown when the interface is English (``acceptance.english_texts``).
    name_en: str = ""
    source_en: str = ""
    low_text_en: str = ""
    high_text_en: str = ""


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """One work item a project can contain (坡道, 卫生间扶手, LED 灯具, ...)."""

    code: str
    kind: ProjectKind
    name: str
    unit: str
    unit_price: Decimal
    price_unverified: bool = True
    room: str = ""
    limits: tuple[MeasuredLimit, ...] = ()
    name_en: str = ""
    # More than this in one household is a planning mistake (four commode chairs); None = no limit.
    max_per_household: Decimal | None = None
    # What the acceptance team checks for this item specifically (the gas alarm sounds on test …).
    acceptance_check: str = ""
    acceptance_check_en: str = ""


@dataclass(frozen=True, slots=True)
class BudgetCap:
    """The most a household may receive for one project kind."""

    kind: ProjectKind
    cap: Decimal
    note: str = ""


@dataclass(frozen=True, slots=True)
class RenovationCatalog:
    """The loaded catalogue: items by code and caps by kind."""

    items: Mapping[str, CatalogItem]
    caps: Mapping[ProjectKind, BudgetCap]

    def item(self, code: str) -> CatalogItem:
        """The item with ``code``; raises ``UnknownItem``."""
        try:
            return self.items[code]
        except KeyError:
            raise UnknownItem(f"改造项目编码“{code}”不在项目目录中") from None

    def items_for(self, kind: ProjectKind | str) -> list[CatalogItem]:
        """Items of one project kind, in catalogue order."""
        kind = ProjectKind(kind)
        return [i for i in self.items.values() if i.kind is kind]

    def cap_for(self, kind: ProjectKind | str) -> Decimal | None:
        """The per-household cap for ``kind``, or ``None`` when the catalogue sets none."""
        cap = self.caps.get(ProjectKind(kind))
        return cap.cap if cap else None


def _opt_decimal(raw: object) -> Decimal | None:
    return None if raw is None else Decimal(str(raw))


def parse_catalog(raw: Mapping[str, object]) -> RenovationCatalog:
    """Build a catalogue from the JSON structure of ``renovation_items.json``."""
    items: dict[str, CatalogItem] = {}
    for row in raw["items"]:  # type: ignore[union-attr]
        limits = tuple(
            MeasuredLimit(
                key=lim["key"],
                name=lim["name"],
                unit=lim.get("unit", ""),
                min=_opt_decimal(lim.get("min")),
                max=_opt_decimal(lim.get("max")),
                source=lim.get("source", ""),
                format=lim.get("format", ""),
                low_text=lim.get("low_text", ""),
                high_text=lim.get("high_text", ""),
                name_en=lim.get("name_en", ""),
                source_en=lim.get("source_en", ""),
                low_text_en=lim.get("low_text_en", ""),
                high_text_en=lim.get("high_text_en", ""),
            )
            for lim in row.get("limits", ())
        )
        item = CatalogItem(
            code=row["code"],
            kind=ProjectKind(row["kind"]),
            name=row["name"],
            unit=row["unit"],
            unit_price=Decimal(str(row["unit_price"])),
            price_unverified=bool(row.get("price_unverified", True)),
            room=row.get("room", ""),
            limits=limits,
            name_en=row.get("name_en", ""),
            max_per_household=_opt_decimal(row.get("max_per_household")),
            acceptance_check=row.get("acceptance_check", ""),
            acceptance_check_en=row.get("acceptance_check_en", ""),
        )
        if item.code in items:
            raise ValueError(f"项目目录中编码“{item.code}”重复")
        items[item.code] = item
    caps = {
        ProjectKind(k): BudgetCap(ProjectKind(k), Decimal(str(v["cap"])), v.get("note", ""))
        for k, v in raw.get("budget_caps", {}).items()  # type: ignore[union-attr]
    }
    return RenovationCatalog(items=items, caps=caps)


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_PATH) -> RenovationCatalog:
    """Load (once per path) the renovation catalogue."""
    return parse_catalog(json.loads(Path(path).read_text(encoding="utf-8")))


# --- status flow -----------------------------------------------------------------------------

S = ProjectStatus
# 资格审核, 公示 and 采购/招标 may be skipped (not every county has them for every kind);
# a project may be terminated or given up (终止/放弃), with a reason (REASON_REQUIRED), until its
# works are finished: once awaiting acceptance its outcome is the acceptance team's.
_NEXT: dict[ProjectStatus, tuple[ProjectStatus, ...]] = {
    S.APPLIED: (S.ELIGIBILITY_REVIEW, S.ASSESSED, S.TERMINATED),
    S.ELIGIBILITY_REVIEW: (S.PUBLICITY, S.ASSESSED, S.TERMINATED),
    S.PUBLICITY: (S.ASSESSED, S.TERMINATED),
    S.ASSESSED: (S.SURVEYED, S.TERMINATED),
    S.SURVEYED: (S.PLANNED, S.TERMINATED),
    S.PLANNED: (S.PROCUREMENT, S.UNDER_CONSTRUCTION, S.TERMINATED),
    S.PROCUREMENT: (S.UNDER_CONSTRUCTION, S.TERMINATED),
    S.UNDER_CONSTRUCTION: (S.AWAITING_ACCEPTANCE, S.TERMINATED),
    S.AWAITING_ACCEPTANCE: (S.ACCEPTED, S.RECTIFYING),
    # After rectification the works are inspected again, never passed directly.
    S.RECTIFYING: (S.AWAITING_ACCEPTANCE,),
    S.ACCEPTED: (S.ARCHIVED,),
    S.ARCHIVED: (),
    S.TERMINATED: (),
}
# Moving to these needs a note saying why (the family withdrew, ineligible, moved away …).
REASON_REQUIRED = frozenset({S.TERMINATED})


def next_statuses(status: ProjectStatus | str) -> tuple[ProjectStatus, ...]:
    """Statuses a project in ``status`` may move to next (empty once archived)."""
    return _NEXT[ProjectStatus(status)]


def check_transition(old: ProjectStatus | str, new: ProjectStatus | str, note: str | None = None) -> None:
    """Raise ``InvalidTransition`` unless ``old → new`` is one step of the flow.

    ``note`` is checked only when given (callers that pass it get the reason rule).
    """
    old, new = ProjectStatus(old), ProjectStatus(new)
    allowed = _NEXT[old]
    if new in allowed:
        if note is not None and new in REASON_REQUIRED and not note.strip():
            raise InvalidTransition(f"改为“{new.label}”须写明原因")
        return
    if old is new:
        raise InvalidTransition(f"项目已处于“{old.label}”状态")
    if not allowed:
        raise InvalidTransition(f"项目已“{old.label}”，不能再改为“{new.label}”")
    options = "或".join(f"“{s.label}”" for s in allowed)
    raise InvalidTransition(f"项目不能从“{old.label}”直接改为“{new.label}”，下一步应为{options}")


# --- items and amounts -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProjectItem:
    """One line of a project's plan: what was planned and what was actually done."""

    code: str
    name: str
    unit: str
    unit_price: Decimal
    planned_qty: Decimal
    actual_qty: Decimal | None = None

    @classmethod
    def from_catalog(
        cls,
        item: CatalogItem,
        planned_qty: Number,
        actual_qty: Number | None = None,
        unit_price: Number | None = None,
    ) -> ProjectItem:
        """A plan line for a catalogue item; ``unit_price`` overrides the catalogue (tender price)."""
        return cls(
            code=item.code,
            name=item.name,
            unit=item.unit,
            unit_price=to_decimal(item.unit_price if unit_price is None else unit_price, "单价"),
            planned_qty=to_decimal(planned_qty, "计划数量"),
            actual_qty=None if actual_qty is None else to_decimal(actual_qty, "实际数量"),
        )

    @property
    def planned_amount(self) -> Decimal:
        return money(self.unit_price * self.planned_qty)

    @property
    def actual_amount(self) -> Decimal | None:
        """Settled amount, or ``None`` while the item is not yet done."""
        return None if self.actual_qty is None else money(self.unit_price * self.actual_qty)


@dataclass(frozen=True, slots=True)
class ItemTotals:
    """Sums over a project's items; ``actual`` counts only items with an actual quantity."""

    planned: Decimal
    actual: Decimal


def totals(items: Iterable[ProjectItem]) -> ItemTotals:
    """Planned and actual totals in yuan."""
    planned = actual = Decimal("0.00")
    for it in items:
        planned += it.planned_amount
        if it.actual_amount is not None:
            actual += it.actual_amount
    return ItemTotals(money(planned), money(actual))


def _quantities(items: list[ProjectItem]) -> dict[str, Decimal]:
    """Per catalogue code, the larger of planned and settled quantity summed over the plan's lines."""
    out: dict[str, Decimal] = {}
    for it in items:
        qty = max(it.planned_qty, it.actual_qty or Decimal(0))
        out[it.code] = out.get(it.code, Decimal(0)) + qty
    return out


def check_budget(
    kind: ProjectKind | str,
    items: Iterable[ProjectItem],
    *,
    catalog: RenovationCatalog | None = None,
    strict: bool = False,
) -> list[str]:
    """Warnings (Chinese) about a project's costs; with ``strict`` an excess over the cap raises.

    Warns when the planned or settled total exceeds the cap for ``kind``, when an
    item of another kind is in the plan, when an item's settled quantity
    exceeds its planned quantity (the plan was changed without approval), and
    when a household gets more of an item than the catalogue's ``max_per_household``.
    """
    kind = ProjectKind(kind)
    catalog = catalog or load_catalog()
    items = list(items)
    warnings: list[str] = []
    for it in items:
        cat_item = catalog.items.get(it.code)
        if cat_item is not None and cat_item.kind is not kind:
            warnings.append(f"“{it.name}”属于{cat_item.kind.label}项目，不应列入{kind.label}")
        if it.actual_qty is not None and it.actual_qty > it.planned_qty:
            warnings.append(
                f"“{it.name}”实际数量{format_quantity(it.actual_qty)}{it.unit}超过计划数量{format_quantity(it.planned_qty)}{it.unit}"
            )
    for code, qty in _quantities(items).items():
        most = catalog.items[code].max_per_household if code in catalog.items else None
        if most is not None and qty > most:
            item = catalog.items[code]
            warnings.append(
                f"“{item.name}”共{format_quantity(qty)}{item.unit}，超过每户{format_quantity(most)}{item.unit}的上限，请核实"
            )
    cap = catalog.cap_for(kind)
    if cap is not None:
        sums = totals(items)
        over = []
        if sums.planned > cap:
            over.append(f"{kind.label}计划金额{sums.planned}元超过每户上限{money(cap)}元")
        if sums.actual > cap:
            over.append(f"{kind.label}结算金额{sums.actual}元超过每户上限{money(cap)}元")
        if over and strict:
            raise OverBudget("；".join(over))
        warnings.extend(over)
    return warnings


def format_quantity(value: Decimal) -> str:
    """A quantity without trailing zeros: 2.50 → 2.5, 10 → 10."""
    return format(value.normalize(), "f")
