"""Plugs the projects screen into the main window and the projects box into the household page."""

from __future__ import annotations

from app.ui.main_window import MainWindow
from app.ui.projects.household_projects import HouseholdProjectsBox
from app.ui.projects.screen import ProjectsScreen


def install(window: MainWindow) -> None:
    """Replace the projects placeholder with the real screen; list a household's projects on its page."""
    screen = ProjectsScreen(window.ctx, window)
    window.replace_screen("projects", screen)
    window.projects_screen = screen  # type: ignore[attr-defined]

    box = HouseholdProjectsBox(window.ctx, window.household_page)
    window.household_page.beside_visits.addWidget(box)
    window.household_projects = box  # type: ignore[attr-defined]

    def open_project(project_id: str) -> None:
        window.show_screen("projects")
        screen.open_project(project_id)

    box.open_project.connect(open_project)
