"""Installs the sync screen into the main window."""

from __future__ import annotations

from app.ui.main_window import MainWindow
from app.ui.sync.sync_view import SyncView


def install(window: MainWindow) -> None:
    view = SyncView(window.ctx)
    window.replace_screen("sync", view)
    window.sync_view = view  # type: ignore[attr-defined]
