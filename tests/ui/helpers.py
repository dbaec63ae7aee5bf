"""Small helpers shared by the widget tests."""

from __future__ import annotations


def open_household(qtbot, window, household_id: str, person_id: str = "") -> None:
    """Open a household's page and wait until its data (read in the worker) is on screen."""
    page = window.household_page
    with qtbot.wait_signal(page.shown, timeout=5000):
        window.open_household(household_id, person_id)
