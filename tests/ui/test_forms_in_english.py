"""Issue 15 finding 8: with the interface in English, every form shows the English its file carries.

Walks every page of every form version with every repeat holding one entry and
fails on a Chinese title, question, repeat or choice where the form file has
an English one (``title_en`` / ``label_en``).
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QGroupBox, QLabel

from app.forms.definition import form_files, load_form
from app.forms.engine import FormSession
from app.forms.model import Repeat
from app.ui import form_text
from app.ui.visits.form_renderer import FormRenderer
from app.ui.visits.question_widgets import SelectMultipleQuestion, SelectOneQuestion
from tests.ui.test_visit_flow import ctx, immediate  # noqa: F401 - fixtures

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def english():
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English))
    yield
    QLocale.setDefault(before)


def _all_versions():
    return [load_form(path) for versions in form_files().values() for path in versions.values()]


@pytest.mark.parametrize("definition", _all_versions(), ids=lambda d: f"{d.id}.v{d.version}")
def test_every_form_text_with_an_english_version_shows_it(qtbot, english, definition):
    session = FormSession.start(definition, {"today": "2026-12-01"})
    for repeat_id in definition.repeats:
        session.add_repeat_entry(repeat_id)
    renderer = FormRenderer(session, "response", saver=None, read_only=True)
    qtbot.addWidget(renderer)
    wrong = []
    for index, page in enumerate(definition.pages):
        renderer.show_page(index)
        shown = [label.text() for label in renderer.widget().findChildren(QLabel)]
        if page.title_en and page.title_en not in shown:
            wrong.append(f"page {page.id}: {page.title!r}")
        for item in page.items:
            if isinstance(item, Repeat) and item.label_en:
                titles = [box.title() for box in renderer.widget().findChildren(QGroupBox)]
                if item.label_en not in titles:
                    wrong.append(f"repeat {item.id}: {item.label!r}")
        for key, widget in renderer.widgets.items():
            q = widget.question
            if q.label_en and widget.label_text != q.label_en:
                wrong.append(f"{key}: {widget.label_text!r}")
            if isinstance(widget, SelectOneQuestion | SelectMultipleQuestion):
                english_of = {c.value: c.label_en for c in q.choices if c.label_en}
                for value, label in widget.choices:
                    if value in english_of and HAN.search(label):
                        wrong.append(f"{key} choice {value}: {label!r}")
    assert form_text.form_title(definition) == (definition.title_en or definition.title)
    assert not wrong, "\n".join(wrong[:40])


def test_required_message_is_english(qapp):
    from app.ui.i18n import install_translators

    before = QLocale()
    translators = install_translators(qapp, "en")
    try:
        assert form_text.english() and form_text.required_message() == "This field is required"
    finally:
        for t in translators:
            qapp.removeTranslator(t)
        QLocale.setDefault(before)


@pytest.fixture
def english_ui(qapp):
    from PySide6.QtWidgets import QApplication

    from app.ui.i18n import install_translators

    before = QLocale()
    translators = install_translators(qapp, "en")
    yield
    for t in translators:
        QApplication.removeTranslator(t)
    QLocale.setDefault(before)


def test_person_dialog_errors_are_english(qtbot, english_ui, ctx):  # noqa: F811
    """The registry service's own messages (phone, name, ID number) read in English."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.registry.dialogs import PersonDialog

    dialog = PersonDialog(ctx, ctx.household_id)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.mark_clean())
    dialog.show()
    qtbot.keyClicks(dialog.phone, "12345")
    assert dialog.errors["phone"].text().startswith("Invalid phone number")
    qtbot.keyClicks(dialog.id_number, "33010219900101123")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    shown = {name: label.text() for name, label in dialog.errors.items() if label.text()}
    assert {"phone", "name", "id_number"} <= set(shown), shown
    chinese = {name: text for name, text in shown.items() if HAN.search(text)}
    assert not chinese, chinese


def test_alert_texts_are_english(qtbot, english_ui):
    """resources/alerts.json carries title_en/message_en; the alert box and the list show them."""
    from app.forms.alerts import evaluate_alerts, load_alert_rules
    from app.ui.visits.alert_handled import PersonAlertsBox

    rules = load_alert_rules()
    assert all(r.title_en and r.message_en for r in rules), [r.id for r in rules if not r.title_en]
    assert all("[[" not in r.message_en for r in rules)
    alerts = evaluate_alerts({"level": "1", "has_care_subsidy": False}, rules)
    assert any(a.rule_id == "severe_without_care_subsidy" for a in alerts)
    box = PersonAlertsBox()
    qtbot.addWidget(box)
    box.show_alerts(alerts)
    texts = [label.text() for label in box.findChildren(QLabel) if label.text()]
    assert any("care subsidy" in t for t in texts)
    assert not [t for t in texts if HAN.search(t)], texts
    assert form_text.alert_title(alerts[0]) == alerts[0].title_en
