"""The device procurement list (辅助器具采购清单) added up from device-needs forms, on laptop and server alike.

Each person's latest completed device-needs form counts (an older one is superseded);
a form answering "no need" counts nothing; every listed entry adds its quantity
(1 when blank) to its device, and to "to assess" / "replacement due" / "delivered"
(marked delivered with a delivery date) when so.
The catalogue (``resources/catalogs/devices.json``, prices in ``device_prices.json``)
gives names, units, classes and the subsidy per unit; the caller loads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

DEVICE_FORM = "assistive_devices"  # the form whose repeat lists device needs


@dataclass
class DeviceLine:
    """One device of the procurement list: the catalogue item and what the needs add up to."""

    code: str
    item: Mapping[str, Any]
    unit_price: Decimal | None = None
    persons: set[str] = field(default_factory=set)
    quantity: int = 0
    assessment: int = 0
    replacement: int = 0
    delivered: int = 0  # of ``quantity``: entries marked delivered with a delivery date

    @property
    def amount(self) -> Decimal | None:
        return None if self.unit_price is None else self.unit_price * self.quantity


@dataclass(frozen=True, slots=True)
class DeviceForm:
    """A completed device-needs form: whose (person, or the visit for a household), when, its answers."""

    who: str
    started_at: str
    completed_at: str
    answers: Mapping[str, Any]


def is_delivered(answers: Mapping[str, Any], prefix: str) -> bool:
    """A device entry (``prefix``: ``devices[<entry>].``) handed over: marked delivered, with its date."""
    return answers.get(prefix + "delivered") is True and bool(answers.get(prefix + "delivered_on"))


def latest_forms(forms: Iterable[DeviceForm]) -> list[DeviceForm]:
    """Each person's latest form, by visit start then completion."""
    latest: dict[str, DeviceForm] = {}
    for f in forms:
        seen = latest.get(f.who)
        if seen is None or (f.started_at or "", f.completed_at or "") > (
            seen.started_at or "",
            seen.completed_at or "",
        ):
            latest[f.who] = f
    return list(latest.values())


def device_lines(
    forms: Iterable[DeviceForm], items: Sequence[Mapping[str, Any]], prices: Mapping[str, Any]
) -> list[DeviceLine]:
    """The procurement lines of the latest ``forms``, in catalogue order (``items``: devices.json's)."""
    by_code = {str(item.get("code")): item for item in items}
    order = {code: i for i, code in enumerate(by_code)}
    lines: dict[str, DeviceLine] = {}
    for form in latest_forms(forms):
        answers = form.answers
        if answers.get("has_need") is False:
            continue
        entries = answers.get("devices") if isinstance(answers.get("devices"), list) else []
        for entry in entries:
            prefix = f"devices[{entry}]."
            code = str(answers.get(prefix + "device") or "")
            if not code:
                continue
            line = lines.get(code)
            if line is None:
                price = prices.get(code)
                unit = None if price is None else Decimal(str(price)).quantize(Decimal("0.01"))
                line = lines[code] = DeviceLine(code, by_code.get(code, {"name": code}), unit)
            quantity = int(answers.get(prefix + "quantity") or 1)
            line.persons.add(form.who)
            line.quantity += quantity
            line.assessment += quantity if answers.get(prefix + "assessment_needed") else 0
            line.replacement += quantity if answers.get(prefix + "replacement_overdue") else 0
            line.delivered += quantity if is_delivered(answers, prefix) else 0
    return sorted(lines.values(), key=lambda d: (order.get(d.code, len(order)), d.code))
