"""What the logged-in user's role may do, for the screens: the shared rule table
(``app.contract.roles``) asked with the user's role, so the app offers only what the server
accepts (a caseworker never starts an acceptance, the acceptance team never starts a visit)."""

from __future__ import annotations

from app.contract import roles
from app.domain.enums import ProjectStatus, Role
from app.ui.context import AppContext


def role_of(ctx: AppContext) -> str:
    """The user's role; no user (a stand-alone tool or a test) counts as an administrator."""
    return ctx.user.role if ctx.user is not None else Role.ADMIN.value


def may_write(ctx: AppContext, tbl: str) -> bool:
    return roles.may_write(role_of(ctx), tbl)


def moves(ctx: AppContext, status: str) -> list[ProjectStatus]:
    """The status moves to offer for a project in ``status``."""
    return roles.moves_for(role_of(ctx), status)


def apply_to_household_page(page: object, ctx: AppContext) -> None:
    """Hide the household page's actions the role may not take (its buttons, by attribute)."""
    for attr, tbl in (
        ("visit_button", "visit"),
        ("edit_button", "household"),
        ("add_person_button", "person"),
        ("edit_person_button", "person"),
    ):
        button = getattr(page, attr, None)
        if button is not None:
            button.setVisible(may_write(ctx, tbl))
