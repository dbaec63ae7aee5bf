"""Issue 15 finding 10: the progress tree follows the current page and question."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.test_visit_flow import ctx, immediate, open_window  # noqa: F401 - fixtures


def _here(window) -> tuple[int, int]:
    return window._form, window.current().page_index


def _nav(window) -> tuple[object, object]:
    from app.ui.visits.visit_window import ROLE_FORM, ROLE_PAGE

    item = window.nav.currentItem()
    assert item is not None and item.isSelected()
    return item.data(0, ROLE_FORM), item.data(0, ROLE_PAGE)


def test_the_tree_selects_the_page_shown(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["needs_assessment", "housing_survey"])
    assert _nav(window) == _here(window)
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert _nav(window) == _here(window) != (0, 0)
    window.go_to(1, window._first_relevant_page(1))  # the second form
    assert _nav(window) == _here(window) == (1, window._first_relevant_page(1))
    window._refresh_side()  # an answer rebuilds the tree: the highlight stays on the current page
    assert _nav(window) == _here(window)


def test_the_tree_follows_the_focus(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["needs_assessment"])
    first = _here(window)
    window.nav.setCurrentItem(window.nav.topLevelItem(0))  # the user clicked elsewhere in the tree
    widget = next(iter(window.current().widgets.values()))
    widget.focus_input()
    qtbot.waitUntil(lambda: window.nav.currentItem() is window.nav_item(*first))
    assert _nav(window) == first
