"""Issue 15 item 8 (findings 10): forms that help — dates, one message per problem, progress,
prefilled contacts, undoable removal of a repeat entry, message lines that move nothing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app.forms.answer_values import DATE_MESSAGE
from tests.ui.test_visit_flow import (  # noqa: F401 - fixtures
    ctx,
    immediate,
    open_window,
    pick,
    saved_answers,
    show_key,
    type_text,
)


def test_a_date_typed_with_slashes_is_stored_as_iso(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["assistive_devices"])
    widget = show_key(window, 0, "sign_date")
    type_text(qtbot, widget, "2020/1/5")
    assert saved_answers(ctx, window)["sign_date"] == "2020-01-05"
    assert widget.edit.text() == "2020-01-05"
    assert widget.message.text() == ""


def test_the_calendar_picks_a_day(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["assistive_devices"])
    widget = show_key(window, 0, "sign_date")
    widget.calendar_button.pick(dt.date(2021, 3, 9))
    assert saved_answers(ctx, window)["sign_date"] == "2021-03-09"
    assert widget.edit.text() == "2021-03-09"
    widget.edit.setText("20200105")
    widget.calendar_button.menu().aboutToShow.emit()  # opening the calendar shows the typed day
    assert widget.calendar_button.calendar.selectedDate().toString("yyyy-MM-dd") == "2020-01-05"


def test_a_wrong_date_says_one_thing_in_the_field_and_in_the_list(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["assistive_devices"])
    widget = show_key(window, 0, "sign_date")
    session = window.renderers[0].session
    type_text(qtbot, widget, "")
    before = session.progress()[0]
    type_text(qtbot, widget, "2020/13/5")
    assert widget.edit.text() == "2020/13/5"  # what was typed stays to be corrected
    assert widget.message.text() == DATE_MESSAGE
    assert session.errors()["sign_date"] == DATE_MESSAGE  # the list of open items shows this
    assert "sign_date" not in session.open_required()  # not "此项为必填项" as well
    assert "sign_date" not in saved_answers(ctx, window)
    assert session.progress()[0] == before
    listed = [window.open_list.item(i).text() for i in range(window.open_list.count())]
    label = session.question("sign_date").label
    mine = [text for text in listed if f"· {label}：" in text]
    assert len(mine) == 1 and mine[0].endswith(DATE_MESSAGE)
    type_text(qtbot, widget, "2020.1.5")
    assert saved_answers(ctx, window)["sign_date"] == "2020-01-05"
    assert "sign_date" not in session.errors() and widget.message.text() == ""
    assert session.progress()[0] == before + 1


def test_progress_counts_only_valid_answers(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["needs_assessment"])
    session = window.renderers[0].session
    widget = show_key(window, 0, "contact_phone")
    type_text(qtbot, widget, "")
    base = session.progress()[0]
    type_text(qtbot, widget, "123")  # stored (it is text) but breaks the form's constraint
    assert saved_answers(ctx, window)["contact_phone"] == "123"
    assert "contact_phone" in session.errors()
    assert session.progress()[0] == base
    type_text(qtbot, widget, "13905701234")
    assert session.progress()[0] == base + 1


def test_contact_fields_are_prefilled_from_the_registry(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["needs_assessment"])
    answers = saved_answers(ctx, window)
    assert answers["contact_name"] == "王建国"  # the household head
    assert answers["contact_phone"] == "13905701234"


def _answer_box(button_text: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return

    QTimer.singleShot(0, click)


def _entries(window) -> list[str]:
    return window.renderers[0].session.entries("devices")


def test_removing_a_filled_entry_asks_and_can_be_undone(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["assistive_devices"])
    show_key(window, 0, "has_need")
    pick(qtbot, window.renderers[0].widgets["has_need"], True)
    window.go_to(0, window._page_of(window.renderers[0].session, "devices"))
    renderer = window.renderers[0]
    if not _entries(window):
        qtbot.mouseClick(renderer.findChild(QPushButton, "add_entry"), Qt.MouseButton.LeftButton)
    entry = _entries(window)[0]
    key = f"devices[{entry}].has_since"
    window.go_to(0, window._page_of(renderer.session, key))
    type_text(qtbot, window.renderers[0].widgets[key], "2019-05-01")
    renderer = window.renderers[0]

    _answer_box("取消")
    qtbot.mouseClick(renderer.findChild(QPushButton, "remove_entry"), Qt.MouseButton.LeftButton)
    assert _entries(window) == [entry]  # asked, and 取消 kept it

    _answer_box("删除")
    qtbot.mouseClick(renderer.findChild(QPushButton, "remove_entry"), Qt.MouseButton.LeftButton)
    assert entry not in _entries(window) and key not in saved_answers(ctx, window)
    undo = renderer.findChild(QPushButton, "undo_remove")
    assert undo is not None and undo.isVisible()

    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert _entries(window)[0] == entry
    assert saved_answers(ctx, window)[key] == "2019-05-01"
    assert renderer.findChild(QPushButton, "undo_remove") is None


def test_a_message_appearing_moves_nothing_below(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["needs_assessment"])
    renderer = window.renderers[0]
    phone = show_key(window, 0, "contact_phone")
    keys = list(renderer.widgets)
    below = next(
        renderer.widgets[k]
        for k in keys[keys.index("contact_phone") + 1 :]
        if renderer.widgets[k].isVisible()
    )
    qtbot.wait(10)
    y = below.mapTo(renderer.widget(), below.rect().topLeft()).y()
    type_text(qtbot, phone, "123")
    qtbot.wait(10)
    assert phone.message.text()  # the form's constraint message is shown
    assert below.mapTo(renderer.widget(), below.rect().topLeft()).y() == y


def test_a_value_the_server_would_refuse_is_refused_as_it_is_typed(qtbot, ctx):  # noqa: F811
    """Issue 14 item 1: the laptop runs the contract's answer check when the value is entered."""
    from app.contract.answers import check_answer, index_form
    from app.forms.definition import get_form

    window = open_window(qtbot, ctx, ["needs_assessment"])
    widget = show_key(window, 0, "contact_name")
    session = window.renderers[0].session
    widget.edit.setText("王\x00建国")
    widget._pending = True
    widget.flush()
    import json

    index = index_form(json.loads(get_form("needs_assessment").path.read_text(encoding="utf-8")))
    server = check_answer(index, "contact_name", "王\x00建国")
    assert server is not None
    assert widget.message.text() == server.message == session.errors()["contact_name"]
    assert saved_answers(ctx, window)["contact_name"] == "王建国"  # the last good value stays stored
