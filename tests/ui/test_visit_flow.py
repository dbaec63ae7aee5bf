"""A caseworker's visit, through the widgets: fill each form to completion, constraints, reopen.

Tasks run at once on the test thread (``TaskRunner.set_immediate``), so every
save has landed in SQLite when a click returns; no sleeps.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton
from sqlmodel import select

from app.services.auth import AuthService
from app.services.registry import RegistryService
from app.services.settings import Settings
from app.services.visits import VisitService
from app.store.models import AuditEvent, FormResponse
from app.ui.context import AppContext
from app.ui.tasks import TaskRunner
from app.ui.visits.question_widgets import (
    SelectMultipleQuestion,
    SelectOneQuestion,
    SignatureQuestion,
    TextQuestion,
)
from app.ui.visits.visit_window import VisitWindow, load_visit
from tests.helpers.profiles import household_data, person_data

TODAY = date.today().isoformat()
INTEGER_ANSWERS = {"household_size": "3", "build_year": "1995", "living_floor": "1", "quantity": "1",
                   "height_cm": "165", "weight_kg": "60", "hip_width_cm": "40", "carer_age": "45"}  # fmt: skip
TEXT_ANSWERS = {"contact_phone": "13905701234", "contact_name": "王建国", "informant": "王建国"}


@pytest.fixture
def immediate():
    TaskRunner.set_immediate(True)
    yield
    TaskRunner.set_immediate(False)


@pytest.fixture
def ctx(store, tmp_path, immediate):
    auth = AuthService(store)
    auth.create_user("zhangli", "demo1234", display_name="张丽", role="worker", regions=["330802"])
    registry = RegistryService(store)
    household = registry.save_household("zhangli", household_data())
    person = registry.save_person("zhangli", household.id, person_data())
    context = AppContext(store=store, settings=Settings.load(store.home), tasks=TaskRunner())
    context.user = auth.get_user("zhangli")
    context.household_id, context.person_id = household.id, person.id  # type: ignore[attr-defined]
    return context


def open_window(qtbot, ctx, forms: list[str]) -> VisitWindow:
    service = VisitService(ctx.store)
    visit = service.start_visit(ctx.actor, ctx.household_id, ctx.person_id, forms)
    window = VisitWindow(ctx, service, load_visit(service, visit.id))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def show_key(window: VisitWindow, form: int, key: str):
    renderer = window.renderers[form]
    window.go_to(form, window._page_of(renderer.session, key))
    return window.renderers[form].widgets.get(key)


def type_text(qtbot, widget: TextQuestion, text: str) -> None:
    widget.edit.setFocus()
    widget.edit.selectAll()
    qtbot.keyClick(widget.edit, Qt.Key.Key_Delete)
    enter_text(qtbot, widget.edit, text)
    qtbot.keyClick(widget.edit, Qt.Key.Key_Return)  # editingFinished: saved now, not after the pause


def enter_text(qtbot, edit, text: str) -> None:
    """Keystrokes for ASCII; Chinese arrives as an input-method commit, as from a real IME."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def pick(qtbot, widget: SelectOneQuestion, value: object) -> None:
    if widget.uses_combo:
        assert widget.combo is not None
        combo: QComboBox = widget.combo
        target = combo.findData(value)
        combo.setFocus()
        while combo.currentIndex() < target:
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        return
    button = widget.button(value)
    assert button is not None, f"{widget.key}: no choice {value!r}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def sign(qtbot, widget: SignatureQuestion) -> None:
    pad = widget.pad
    points = [QPoint(30 + 5 * i, 70 + (i % 7) * 4) for i in range(50)]
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=points[0])
    for point in points[1:]:
        qtbot.mouseMove(pad, point)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=points[-1])
    assert not pad.is_empty()
    qtbot.mouseClick(widget.confirm_button, Qt.MouseButton.LeftButton)


def answer(qtbot, window: VisitWindow, form: int, key: str) -> None:
    """Give a plausible answer to one open question, through its widget."""
    renderer = window.renderers[form]
    definition = renderer.session.definition
    if key in definition.repeats:
        window.go_to(form, window._page_of(renderer.session, key))
        add = window.renderers[form].findChild(QPushButton, "add_entry")
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        return
    widget = show_key(window, form, key)
    assert widget is not None and not widget.isHidden(), key
    q = widget.question
    qid = key.rsplit(".", 1)[-1]
    if q.type in ("text", "integer", "decimal", "date"):
        text = {"integer": INTEGER_ANSWERS.get(qid, "1"), "decimal": "50", "date": TODAY}.get(
            q.type, TEXT_ANSWERS.get(qid, "测试")
        )
        type_text(qtbot, widget, text)
    elif q.type == "yes_no":
        pick(qtbot, widget, False)
    elif q.type == "select_one":
        pick(qtbot, widget, widget.choices[0][0])
    elif q.type == "select_multiple":
        assert isinstance(widget, SelectMultipleQuestion)
        box = next(iter(widget.boxes.values()))
        # On the indicator: a wide grid cell's centre lies outside a short label's hit area.
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    elif q.type == "signature":
        sign(qtbot, widget)
    else:
        raise AssertionError(f"cannot answer {key} ({q.type})")


def fill_until_complete(qtbot, window: VisitWindow, form: int = 0) -> None:
    attempts: dict[str, int] = {}
    while errors := window.renderers[form].session.errors():
        key = next(iter(errors))
        attempts[key] = attempts.get(key, 0) + 1
        assert attempts[key] <= 2, f"{key} stays open: {errors[key]}"
        answer(qtbot, window, form, key)


def saved_answers(ctx, window: VisitWindow, form: int = 0) -> dict:
    with ctx.store.session() as s:
        return s.get(FormResponse, window.renderers[form].response_id).answers


def complete(qtbot, window: VisitWindow) -> None:
    """完成访视 shows the review page first; 确认完成访视 completes (or lands on the first open item)."""
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    assert window.reviewing
    if window.review.confirm_button.isEnabled():
        qtbot.mouseClick(window.review.confirm_button, Qt.MouseButton.LeftButton)


def test_needs_assessment_with_constraint_violation_blocking_completion(qtbot, ctx):
    window = open_window(qtbot, ctx, ["needs_assessment"])
    phone = show_key(window, 0, "contact_phone")
    type_text(qtbot, phone, "12345")
    assert not phone.message.isHidden() and "电话" in phone.message.text()
    assert saved_answers(ctx, window)["contact_phone"] == "12345"  # kept as typed, never lost
    fill_until_complete_except = [k for k in window.renderers[0].session.errors() if k != "contact_phone"]
    for key in fill_until_complete_except:
        if key in window.renderers[0].session.errors():
            answer(qtbot, window, 0, key)
    complete(qtbot, window)
    assert window.data.visit.status == "draft"
    # The review page lists what is open; confirming waits until it is fixed; a click jumps there.
    review = window.review
    assert not review.confirm_button.isEnabled() and "未填或有误" in review.summary.text()
    [item] = [
        review.open_items.item(i)
        for i in range(review.open_items.count())
        if "电话" in review.open_items.item(i).text()
    ]
    rect = review.open_items.visualItemRect(item)
    qtbot.mouseClick(review.open_items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not window.reviewing
    phone = window.renderers[0].widgets["contact_phone"]
    message = window.renderers[0].session.errors()["contact_phone"]
    assert not phone.isHidden() and not phone.message.isHidden() and phone.message.text() == message
    type_text(qtbot, phone, "13905701234")
    assert phone.message.text() == ""  # its line stays reserved (issue 15 item 4)
    fill_until_complete(qtbot, window)
    complete(qtbot, window)
    assert window.data.visit.status == "completed"
    answers = saved_answers(ctx, window)
    assert answers["contact_phone"] == "13905701234" and answers["name"] == "王芳"


def test_assistive_devices_with_repeat_cascade_and_signature(qtbot, ctx):
    window = open_window(qtbot, ctx, ["assistive_devices"])
    pick(qtbot, show_key(window, 0, "has_need"), True)
    answer(qtbot, window, 0, "devices")
    renderer = window.renderers[0]
    entry = renderer.session.entries("devices")[0]
    device_class = show_key(window, 0, f"devices[{entry}].device_class")
    pick(qtbot, device_class, "12")
    device = window.renderers[0].widgets[f"devices[{entry}].device"]
    offered = [v for v, _ in device.choices]
    assert offered and all(v.startswith("D") for v in offered)  # cascaded to personal mobility
    pick(qtbot, device, "D01")
    unit = window.renderers[0].widgets[f"devices[{entry}].device_unit"]
    assert unit.value_label.text() == "辆"  # calculated, read-only
    sign(qtbot, show_key(window, 0, "person_signature"))
    fill_until_complete(qtbot, window)
    complete(qtbot, window)
    assert window.data.visit.status == "completed"
    answers = saved_answers(ctx, window)
    assert answers[f"devices[{entry}].device"] == "D01"
    assert ctx.store.files.has(answers["person_signature"])
    signature = show_key(window, 0, "person_signature")
    qtbot.waitUntil(signature.saved_view.isVisible)
    assert signature.saved_view.keys == [answers["person_signature"]]


def test_housing_condition_with_rooms_and_photo(qtbot, ctx, tmp_path, monkeypatch):
    photo = tmp_path / "room.jpg"
    Image.new("RGB", (2400, 1800), "gray").save(photo)
    monkeypatch.setattr("app.ui.widgets.photo_field.ask_for_photos", lambda dialog: [str(photo)])
    window = open_window(qtbot, ctx, ["housing_condition"])
    answer(qtbot, window, 0, "rooms")
    entry = window.renderers[0].session.entries("rooms")[0]
    pick(qtbot, show_key(window, 0, f"rooms[{entry}].room_type"), "entrance")
    pick(qtbot, window.renderers[0].widgets[f"rooms[{entry}].has_steps"], True)
    assert not window.renderers[0].widgets[f"rooms[{entry}].step_count"].isHidden()  # relevance, live
    photos = window.renderers[0].widgets[f"rooms[{entry}].room_photos"]
    qtbot.mouseClick(photos.field.add_button, Qt.MouseButton.LeftButton)
    fill_until_complete(qtbot, window)
    complete(qtbot, window)
    assert window.data.visit.status == "completed"
    answers = saved_answers(ctx, window)
    (sha,) = answers[f"rooms[{entry}].room_photos"]
    assert max(Image.open(ctx.store.files.path(sha)).size) == 1600


def test_completed_visit_is_read_only_until_reopened_with_reason(qtbot, ctx):
    window = open_window(qtbot, ctx, ["assistive_devices"])
    pick(qtbot, show_key(window, 0, "has_need"), False)
    fill_until_complete(qtbot, window)
    complete(qtbot, window)
    assert not window.reopen_button.isHidden() and window.complete_button.isHidden()
    relation = show_key(window, 0, "signer_relation")
    assert not relation.button("self").isEnabled()
    window.reopen("  ")
    assert "原因" in window.banner.text() and window.data.visit.status == "completed"
    window.reopen("签字人关系填错")
    assert window.data.visit.status == "draft"
    relation = show_key(window, 0, "signer_relation")
    pick(qtbot, relation, "spouse")
    assert saved_answers(ctx, window)["signer_relation"] == "spouse"
    with ctx.store.session() as s:
        assert (
            s.exec(select(AuditEvent).where(AuditEvent.action == "reopen")).one().detail == "签字人关系填错"
        )


def test_text_is_saved_after_a_short_pause_without_leaving_the_field(qtbot, ctx):
    window = open_window(qtbot, ctx, ["needs_assessment"])
    widget = show_key(window, 0, "contact_name")
    widget.edit.setFocus()
    widget.edit.clear()  # prefilled from the registry (issue 15 item 8)
    enter_text(qtbot, widget.edit, "李四")
    qtbot.waitUntil(lambda: saved_answers(ctx, window).get("contact_name") == "李四", timeout=2000)


def test_signature_pad_exports_png_and_undo(qtbot):
    from app.ui.widgets.signature_pad import SignaturePad

    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(400, 160)
    pad.show()
    with qtbot.wait_signal(pad.changed):
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
        qtbot.mouseMove(pad, QPoint(120, 90))
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(120, 90))
    image = Image.open(io.BytesIO(pad.to_png()))
    assert image.format == "PNG" and image.getbbox() is not None
    pad.undo()
    assert pad.is_empty()
