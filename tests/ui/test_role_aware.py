"""Issue 15 "what to build" 1: the app offers only what the user's role may do on the server
(app.contract.roles): a worker never starts an on-site acceptance; an acceptor sees it, and no
开始访视 (visits are the caseworkers')."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from app.services.auth import AuthService
from tests.services.test_acceptance_service import awaiting_project
from tests.services.test_certificates_service import an_id
from tests.ui.helpers import open_household


@pytest.fixture
def project(ctx):
    number = an_id()
    return awaiting_project(ctx.store, "lighting", person={"id_number": number, "cert_number": number + "42"})


def _as(ctx, role):
    if role != "worker":
        auth = AuthService(ctx.store)
        auth.create_user("yanshou", "demo1234", role=role, regions=["3308"], display_name="严守")
        ctx.user = auth.get_user("yanshou")


def _page(qtbot, ctx, project_id):
    from app.ui.projects.screen import ProjectsScreen

    screen = ProjectsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    screen.open_project(project_id)
    qtbot.waitUntil(lambda: screen.page.actions.count() > 0)
    return screen.page


def test_a_worker_sees_no_acceptance_action(qtbot, ctx, project):
    page = _page(qtbot, ctx, project.id)
    qtbot.waitUntil(lambda: page.findChild(QLabel, "awaiting_acceptor") is not None)
    assert page.findChild(QPushButton, "start_acceptance") is None
    assert (
        page.findChild(QPushButton, "to_accepted") is None
        and page.findChild(QPushButton, "to_rectifying") is None
    )


def test_an_acceptor_sees_the_acceptance(qtbot, ctx, project):
    _as(ctx, "acceptor")
    page = _page(qtbot, ctx, project.id)
    qtbot.waitUntil(lambda: page.findChild(QPushButton, "start_acceptance") is not None)


@pytest.mark.parametrize(("role", "visits"), [("worker", True), ("acceptor", False), ("supervisor", True)])
def test_start_visit_only_for_roles_that_record_visits(qtbot, ctx, role, visits):
    from app.services.registry import RegistryService
    from app.ui.main import build_main_window

    _as(ctx, role)
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    hit = RegistryService(ctx.store).search("张三丰")[0]
    open_household(qtbot, window, hit.household_id, hit.person_id)
    page = window.household_page
    assert page.visit_button.isVisible() is visits
    assert page.edit_button.isVisible() is (role != "acceptor")


@pytest.mark.parametrize(("role", "opens"), [("worker", True), ("acceptor", False)])
def test_double_clicking_a_member_edits_only_where_the_role_may(qtbot, ctx, role, opens, monkeypatch):
    """Polish 5: an acceptor double-clicking a member gets no edit dialog (app.contract.roles)."""
    from app.services.registry import RegistryService
    from app.ui.main import build_main_window
    from app.ui.registry import household_page

    opened: list[object] = []

    class Spy:
        def __init__(self, *args, **kwargs) -> None:
            opened.append(args)

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(household_page, "PersonDialog", Spy)
    _as(ctx, role)
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    hit = RegistryService(ctx.store).search("张三丰")[0]
    open_household(qtbot, window, hit.household_id, hit.person_id)
    page = window.household_page
    index = page.members.model().index(0, 0)
    page.members.setCurrentIndex(index)
    page.members.doubleClicked.emit(index)
    assert bool(opened) is opens
