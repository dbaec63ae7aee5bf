"""Issue 15 finding 2: a drawn signature not confirmed with 确认签字 is kept when the page is left."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.ui.test_visit_flow import (  # noqa: F401 - fixtures
    ctx,
    immediate,
    open_window,
    pick,
    saved_answers,
    show_key,
)


def draw(qtbot, pad) -> None:
    points = [QPoint(30 + 5 * i, 70 + (i % 7) * 4) for i in range(40)]
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(pad, point)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=points[-1])


def test_leaving_the_page_keeps_an_unconfirmed_signature(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["assistive_devices"])
    pick(qtbot, show_key(window, 0, "has_need"), False)
    widget = show_key(window, 0, "person_signature")
    assert widget is not None and not widget.isHidden()
    draw(qtbot, widget.pad)
    assert not widget.pad.is_empty()  # drawn, 确认签字 not pressed

    window._step(-1)  # 上一页
    sha = saved_answers(ctx, window).get("person_signature")
    assert isinstance(sha, str) and len(sha) == 64

    widget = show_key(window, 0, "person_signature")
    assert not widget.saved_view.isHidden() and widget.pad.isHidden()  # shown as the signed preview
