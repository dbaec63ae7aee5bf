"""Installs the ledger screen into the main window."""

from __future__ import annotations

from app.ui.ledgers.ledger_screen import LedgerScreen
from app.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    screen = LedgerScreen(window.ctx)
    window.replace_screen("ledgers", screen)
    window.ledger_screen = screen  # type: ignore[attr-defined]
