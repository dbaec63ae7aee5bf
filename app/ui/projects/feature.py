"""Plugs the projects screen into the main window."""

from __future__ import annotations

from app.ui.main_window import MainWindow
from app.ui.projects.screen import ProjectsScreen


def install(window: MainWindow) -> None:
    """Replace the projects placeholder with the real screen."""
    screen = ProjectsScreen(window.ctx, window)
    window.replace_screen("projects", screen)
    window.projects_screen = screen  # type: ignore[attr-defined]
