"""Plugs the feature screens (visits, projects, sync) into the main window.

Each feature module offers ``install(window)``; a feature that is not there
yet leaves its placeholder in place.
"""

from __future__ import annotations

import importlib
import logging

from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

FEATURES = ("app.ui.visits.feature", "app.ui.projects.feature", "app.ui.sync.feature")


def install(window: MainWindow) -> None:
    for name in FEATURES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # feature not built yet
            raise
        module.install(window)
