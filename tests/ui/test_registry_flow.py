"""A caseworker's registry flows: search, open a household, edit with an invalid ID."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox
from sqlmodel import select

from app.store.models import Change, Person
from app.ui.registry.dialogs import HouseholdDialog, PersonDialog
from tests.ui.helpers import open_household


def search(qtbot, window, text):
    view = window.registry_view
    with qtbot.wait_signal(view.results_shown, timeout=3000):
        view.search.clear()
        if text.isascii():
            qtbot.keyClicks(view.search, text)
        else:  # QTest types ASCII only; Chinese arrives from the input method as one commit
            view.search.insert(text)
    return [view.model.hit(r).name for r in range(view.model.rowCount())]


def test_search_by_initials_and_open_household_with_keyboard(qtbot, main_window):
    assert search(qtbot, main_window, "zsf")[0] == "张三丰"
    view = main_window.registry_view
    qtbot.keyClick(view.search, Qt.Key.Key_Return)  # into the results
    assert view.table.hasFocus() or view.table.currentIndex().row() == 0
    page = main_window.household_page
    with qtbot.wait_signal(page.shown, timeout=5000):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert main_window.registry_stack.currentWidget() is page
    assert page.members.item(0, 0).text() == "张三丰"
    # ID and certificate numbers are masked on screen
    assert page.members.item(0, 3).text() == "110105********002X"
    qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert main_window.registry_stack.currentWidget() is view


def test_list_masks_id_numbers(qtbot, main_window):
    search(qtbot, main_window, "张三丰")
    model = main_window.registry_view.model
    assert model.data(model.index(0, 2)) == "110105********002X"


def test_filter_by_category(qtbot, main_window):
    view = main_window.registry_view
    index = view.category.findData("4")
    with qtbot.wait_signal(view.results_shown, timeout=3000):
        view.category.setCurrentIndex(index)
    rows = [view.model.hit(r) for r in range(view.model.rowCount())]
    assert rows and all(h.category == "4" for h in rows)


def test_invalid_id_is_shown_at_once_and_nothing_is_saved(qtbot, main_window, ctx):
    search(qtbot, main_window, "张三丰")
    hit = main_window.registry_view.model.hit(0)
    open_household(qtbot, main_window, hit.household_id, hit.person_id)
    person = main_window.household_page.current_person()
    with ctx.store.session() as s:
        changes_before = len(s.exec(select(Change)).all())

    dialog = PersonDialog(ctx, hit.household_id, person)
    qtbot.addWidget(dialog)
    dialog.id_number.clear()
    qtbot.keyClicks(dialog.id_number, "110105194912310021")  # wrong check digit
    error = dialog.errors["id_number"]
    assert not error.isHidden() and "校验位" in error.text()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "未保存" in dialog.banner.text()
    with ctx.store.session() as s:
        assert s.get(Person, person.id).id_number == "11010519491231002X"
        assert len(s.exec(select(Change)).all()) == changes_before


def test_valid_edit_is_saved(qtbot, main_window, ctx):
    search(qtbot, main_window, "张三丰")
    hit = main_window.registry_view.model.hit(0)
    with ctx.store.session() as s:
        person = s.get(Person, hit.person_id)
    dialog = PersonDialog(ctx, hit.household_id, person)
    qtbot.addWidget(dialog)
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "13905708888")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with ctx.store.session() as s:
        assert s.get(Person, person.id).phone == "13905708888"


def test_new_household_requires_address(qtbot, ctx):
    dialog = HouseholdDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "请填写家庭住址" in dialog.errors["address"].text()
    assert dialog.saved is None


def test_certificate_mismatch_shown_while_typing(qtbot, ctx):
    dialog = PersonDialog(ctx, "unused")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.id_number, "11010519491231002X")
    dialog.category.setCurrentIndex(dialog.category.findData("4"))
    dialog.level.setCurrentIndex(dialog.level.findData("2"))
    qtbot.keyClicks(dialog.cert, "11010519491231002X12")
    assert "视力残疾" in dialog.errors["cert_number"].text()
    assert "女" in dialog.derived.text() and "1949-12-31" in dialog.derived.text()
    QApplication.processEvents()
