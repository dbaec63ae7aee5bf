"""Display helpers shared by the project screens."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from app.domain.enums import ProjectKind, ProjectStatus
from app.domain.regions import UnknownRegion, default_catalog
from app.services.projects import default_title_head
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


class ProjectTitle:
    """The translation context of a project's default title (see :func:`project_title`)."""


def project_title(title: str, kind: str) -> str:
    """A project's title in the interface's language: the default one ("王芳户净居亮居", stored in
    Chinese) is worded anew; a title someone typed is shown as written."""
    head = default_title_head(title, kind)
    if head is None:
        return title or kind_label(kind)
    return (
        QCoreApplication.translate("ProjectTitle", "%1户%2")
        .replace("%1", head)
        .replace("%2", kind_label(kind))
    )


def region_name(code: str) -> str:
    """Township and village name without province and city."""
    try:
        path = default_catalog().path(code)
    except UnknownRegion:
        return code
    return "".join(r.name for r in path[-2:])


def yuan(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"
