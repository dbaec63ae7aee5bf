"""Issue 15 item 4 (finding 6) and issue 14 item 1: dialogs whose messages move nothing, that check
values with the server's rule while typing, and that ask before throwing edits away."""

from __future__ import annotations

import os

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from app.contract.values import check_field
from app.ui.i18n import install_translators
from app.ui.registry.dialogs import HouseholdDialog, PersonDialog
from tests.ui.test_visit_flow import ctx, immediate, open_window, show_key  # noqa: F401 - fixtures

SHOTS = os.environ.get("HOMEVISIT_SHOTS")


def _y(widget, dialog) -> int:
    return widget.mapTo(dialog, widget.rect().topLeft()).y()


def _open(qtbot, dialog):
    qtbot.addWidget(dialog, before_close_func=lambda d: d.mark_clean())  # closing asks no question
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_phone_error_moves_neither_the_fields_below_nor_save(qtbot, ctx):  # noqa: F811
    dialog = _open(qtbot, PersonDialog(ctx, ctx.household_id))
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    below, geometry, height = _y(dialog.relation, dialog), save.geometry(), dialog.height()
    qtbot.keyClicks(dialog.phone, "12345")
    assert "电话号码格式不正确" in dialog.errors["phone"].text()
    qtbot.wait(10)
    assert _y(dialog.relation, dialog) == below
    assert save.geometry() == geometry and dialog.height() == height
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # refused: every message and the banner at once
    qtbot.wait(10)
    assert "未保存" in dialog.banner.text()
    assert _y(dialog.relation, dialog) == below and save.geometry() == geometry


def test_the_household_dialog_does_not_grow(qtbot, ctx):  # noqa: F811
    dialog = _open(qtbot, HouseholdDialog(ctx))
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    geometry, height = save.geometry(), dialog.height()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # empty: several messages appear
    qtbot.wait(10)
    assert dialog.errors["address"].text() and dialog.banner.text()
    assert save.geometry() == geometry and dialog.height() == height


def test_the_servers_value_rule_is_shown_while_typing(qtbot, ctx):  # noqa: F811
    dialog = _open(qtbot, HouseholdDialog(ctx))
    dialog.head_name.setText("楼" * 101)
    server = check_field("household", "head_name", "楼" * 101)
    assert server is not None and server.reason == "too_long"
    shown = dialog.errors["head_name"].text()
    assert shown == server.message.replace("“household.head_name”", "“户主姓名”")
    dialog.head_name.setText("王建国")
    assert dialog.errors["head_name"].text() == ""


def test_the_person_dialog_checks_like_the_server(qtbot, ctx):  # noqa: F811
    dialog = _open(qtbot, PersonDialog(ctx, ctx.household_id))
    dialog.relation.setCurrentText("x" * 41)
    assert (
        "最多 40 字" in dialog.errors["relation"].text() and "与户主关系" in dialog.errors["relation"].text()
    )
    qtbot.keyClicks(dialog.id_number, "3308")
    assert dialog.errors["id_number"].text() == ""  # a number being typed is not judged yet


def test_the_message_is_english_in_an_english_ui(qtbot, qapp, ctx):  # noqa: F811
    translators = install_translators(qapp, "en")
    try:
        dialog = _open(qtbot, HouseholdDialog(ctx))
        dialog.head_name.setText("楼" * 101)
        assert "is too long (at most 100 characters)" in dialog.errors["head_name"].text()
    finally:
        for translator in translators:
            QApplication.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese))


def _answer(button_text: str, seen: list[str]) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def test_cancel_on_a_changed_dialog_asks_first(qtbot, ctx):  # noqa: F811
    dialog = _open(qtbot, PersonDialog(ctx, ctx.household_id))
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    dialog.name.setText("王小明")
    seen: list[str] = []
    _answer("继续编辑", seen)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert seen and dialog.isVisible() and dialog.name.text() == "王小明"
    _answer("放弃修改", seen)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert len(seen) == 2 and not dialog.isVisible()


def test_cancel_on_an_unchanged_dialog_just_closes(qtbot, ctx):  # noqa: F811
    dialog = _open(qtbot, HouseholdDialog(ctx))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_housing_type_is_coded_and_a_legacy_text_is_kept(qtbot, ctx):  # noqa: F811
    """住房类型 is chosen from the housing form's codes; a row typed before the coding keeps its text."""
    from app.domain.enums import HousingType
    from app.store.models import Household

    dialog = _open(qtbot, HouseholdDialog(ctx))
    codes = [dialog.housing_type.itemData(i) for i in range(dialog.housing_type.count())]
    assert codes == ["", *[m.value for m in HousingType]]
    dialog.housing_type.setCurrentIndex(codes.index("own_rural"))
    assert dialog.data()["housing_type"] == "own_rural"
    old = Household(id="h-old", region_code="330802001001", address="上洋村1号", housing_type="砖木平房")
    legacy = _open(qtbot, HouseholdDialog(ctx, old))
    assert legacy.housing_type.currentText() == "砖木平房" and legacy.data()["housing_type"] == "砖木平房"


LONG_MESSAGE = {
    "zh_CN": "联系电话格式不正确：手机号为11位数字，座机请写区号和号码，如 0570-1234567；"
    "如家庭没有电话，请填写村（社区）联系人的电话，并在备注中写明与本人的关系。",
    "en": "The phone number is not valid: a mobile number has 11 digits and a landline needs its area code,"
    " such as 0570-1234567; if the family has no phone, give the village contact's number and say in the"
    " note how they are related.",
}


def test_a_long_form_message_moves_no_question_below(qtbot, ctx, lang):  # noqa: F811
    """Issue 15 item 4: a message of two lines or more keeps the questions below where they were;
    what does not fit the two reserved lines is elided, and the whole text is in the tooltip."""
    window = open_window(qtbot, ctx, ["needs_assessment"])
    field, below = show_key(window, 0, "name"), window.renderers[0].widgets["gender"]
    y = _y(below, window)
    message = field.message
    assert message.height() >= message.fontMetrics().lineSpacing() * 2  # reserved while empty
    metrics, width = message.fontMetrics(), message.width()
    long = LONG_MESSAGE[lang]
    while metrics.horizontalAdvance(long) < 2.5 * width:  # more than two lines' worth at this width
        long += " " + LONG_MESSAGE[lang]
    field.set_message(long)
    qtbot.wait(10)
    assert _y(below, window) == y
    shown = message.shown_text().split("\n")
    assert len(shown) == 2 and shown[1].endswith("…"), shown
    assert message.text() == long and message.toolTip() == long
    half = next(long[:n] for n in range(len(long)) if metrics.horizontalAdvance(long[:n]) > 1.5 * width)
    field.set_message(half)
    qtbot.wait(10)
    assert _y(below, window) == y
    assert message.shown_text().replace("\n", "").replace(" ", "") == half.replace(" ", "")
    if SHOTS:
        field.set_message(long)
        window.grab().save(os.path.join(SHOTS, f"form-message-two-lines-{lang}.png"))
    field.set_message("")
    qtbot.wait(10)
    assert _y(below, window) == y
