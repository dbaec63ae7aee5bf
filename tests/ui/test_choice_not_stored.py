"""Issue 15 (polish 4): in English a select_one shows no choice until one is picked, and stores only real choices.

A combo box starts on its empty "(select)" entry, which stores nothing; radio buttons start unchecked.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from app.ui.i18n import install_translators
from app.ui.visits.question_widgets import SelectOneQuestion
from tests.ui.test_visit_flow import answer, ctx, immediate, open_window, pick, show_key  # noqa: F401 - fixtures


@pytest.fixture
def english_ui(qapp):
    translators = install_translators(qapp, "en")
    yield
    for t in translators:
        QApplication.removeTranslator(t)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese))


def test_no_select_one_shows_a_choice_it_has_not_stored(qtbot, english_ui, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["needs_assessment", "assistive_devices"])
    combos = 0
    for form, renderer in enumerate(window.renderers):
        combos += _check_form(window, form, renderer)
    assert combos, "the device lists are combo boxes"


def _check_form(window, form, renderer) -> int:
    session = renderer.session
    if "has_need" in session.definition.questions:
        session.set_answer("has_need", True)  # the device page is relevant
    for repeat_id in session.definition.repeats:
        session.add_repeat_entry(repeat_id)
    combos = 0
    for index in range(len(session.definition.pages)):
        window.go_to(form, index)  # a page not yet relevant too: its widgets are built the same way
        for key, widget in renderer.widgets.items():
            if not isinstance(widget, SelectOneQuestion) or not session.is_relevant(key):
                continue
            stored = session.value(key)
            if widget.uses_combo:
                combos += 1
                shown = widget.combo.currentData()
                assert widget.combo.itemData(0) is None and widget.combo.itemText(0) == "(select)", key
                assert shown == stored, f"{key} shows {widget.combo.currentText()!r}, stores {stored!r}"
            else:
                checked = [b.property("value") for b in widget.group.buttons() if b.isChecked()]
                assert checked == ([stored] if stored is not None else []), key
    return combos


def test_a_combo_stores_only_a_real_choice(qtbot, english_ui, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["assistive_devices"])
    session = window.current().session
    pick(qtbot, show_key(window, 0, "has_need"), True)  # through the UI, so every answer is saved
    answer(qtbot, window, 0, "devices")
    entry = session.entries("devices")[0]
    key = f"devices[{entry}].device_class"
    widget = show_key(window, 0, key)
    assert widget is not None and widget.uses_combo and widget.combo.currentIndex() == 0
    assert session.value(key) is None
    chosen = widget.combo.itemData(2)
    pick(qtbot, widget, chosen)
    assert session.value(key) == chosen is not None
    widget = window.current().widgets[key]
    while widget.combo.currentIndex() > 0:
        qtbot.keyClick(widget.combo, Qt.Key.Key_Up)
    assert widget.combo.currentText() == "(select)"
    assert session.value(key) is None  # back to "(select)": the answer is cleared, not the first choice
