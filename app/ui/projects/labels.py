"""Display helpers shared by the project screens."""

from __future__ import annotations

from decimal import Decimal

from app.domain.enums import ProjectKind, ProjectStatus
from app.domain.regions import UnknownRegion, default_catalog
from app.ui.labels import label_of

STATUS_COLOURS = {
    ProjectStatus.RECTIFYING: "#c62828",
    ProjectStatus.AWAITING_ACCEPTANCE: "#e65100",
    ProjectStatus.ACCEPTED: "#2e7d32",
    ProjectStatus.ARCHIVED: "#607d8b",
}


def kind_label(value: str) -> str:
    """The translated label of a stored project kind (the code itself when unknown)."""
    return label_of(ProjectKind, value)


def status_label(value: str) -> str:
    """The translated label of a stored project status (the code itself when unknown)."""
    return label_of(ProjectStatus, value)


def region_name(code: str) -> str:
    """Township and village name without province and city."""
    try:
        path = default_catalog().path(code)
    except UnknownRegion:
        return code
    return "".join(r.name for r in path[-2:])


def yuan(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"
