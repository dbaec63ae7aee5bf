"""Plugs the feature screens (visits, projects, sync, ledgers) into the main window.

Each feature module offers ``install(window)``, which replaces the window's
placeholder for its screen and connects the feature to the household page.
"""

from __future__ import annotations

from app.ui.ledgers import feature as ledgers_feature
from app.ui.main_window import MainWindow
from app.ui.projects import feature as projects_feature
from app.ui.sync import feature as sync_feature
from app.ui.visits import feature as visits_feature


def install(window: MainWindow) -> None:
    for feature in (visits_feature, projects_feature, sync_feature, ledgers_feature):
        feature.install(window)
