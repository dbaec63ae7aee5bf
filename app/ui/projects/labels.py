"""Display helpers shared by the project screens."""

from __future__ import annotations

from decimal import Decimal

from app.domain.enums import LabelledEnum, ProjectKind, ProjectStatus
from app.domain.regions import UnknownRegion, default_catalog

STATUS_COLOURS = {
    ProjectStatus.RECTIFYING: "#c62828",
    ProjectStatus.AWAITING_ACCEPTANCE: "#e65100",
    ProjectStatus.ACCEPTED: "#2e7d32",
    ProjectStatus.ARCHIVED: "#607d8b",
}


def label(enum: type[LabelledEnum], value: str) -> str:
    """The Chinese label of a stored code, or the code itself when unknown."""
    try:
        return enum(value).label
    except ValueError:
        return value


def kind_label(value: str) -> str:
    return label(ProjectKind, value)


def status_label(value: str) -> str:
    return label(ProjectStatus, value)


def region_name(code: str) -> str:
    """Township and village name without province and city."""
    try:
        path = default_catalog().path(code)
    except UnknownRegion:
        return code
    return "".join(r.name for r in path[-2:])


def yuan(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


IMAGE_FILTER = "图片 (*.jpg *.jpeg *.png *.bmp *.webp)"
