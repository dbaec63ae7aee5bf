"""Issue 15 finding 8: with the interface in English, every form shows the English its file carries.

Walks every page of every form version with every repeat holding one entry and
fails on a Chinese title, question, repeat, choice or hint where the form file has
an English one (``title_en`` / ``label_en`` / ``hint_en``); triggers every constraint
and warning message through the form engine and checks it reads in English
(``constraint_message_en`` / ``warning_message_en``).
"""

from __future__ import annotations

import itertools
import os
import re
from datetime import date

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QGroupBox, QLabel

from app.forms.definition import form_files, load_form
from app.forms.engine import FormSession
from app.forms.errors import AnswerError
from app.forms.model import FormDefinition, Question, Repeat
from app.ui import form_text
from app.ui.visits.form_renderer import FormRenderer
from app.ui.visits.question_widgets import SelectMultipleQuestion, SelectOneQuestion
from tests.ui.test_visit_flow import ctx, immediate  # noqa: F401 - fixtures

HAN = re.compile(r"[\u4e00-\u9fff]")
FULL_WIDTH = re.compile("[：（）；，。、！？【】]")
SHOTS = os.environ.get("HOMEVISIT_SHOTS")


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
            if q.hint_en and (widget.hint.text() != q.hint_en or widget.hint.isHidden()):
                wrong.append(f"{key} hint: {widget.hint.text()!r}")
            for level, chinese, english_text in (
                ("error", q.constraint_message, q.constraint_message_en),
                ("warning", q.warning_message, q.warning_message_en),
            ):
                if chinese:
                    widget.set_message(chinese, level)
                    if widget.message.text() != (english_text or chinese):
                        wrong.append(f"{key} {level}: {widget.message.text()!r}")
            if isinstance(widget, SelectOneQuestion | SelectMultipleQuestion):
                english_of = {c.value: c.label_en for c in q.choices if c.label_en}
                for value, label in widget.choices:
                    if value in english_of and HAN.search(label):
                        wrong.append(f"{key} choice {value}: {label!r}")
    assert form_text.form_title(definition) == (definition.title_en or definition.title)
    assert not wrong, "\n".join(wrong[:40])


@pytest.mark.parametrize("definition", _all_versions(), ids=lambda d: f"{d.id}.v{d.version}")
def test_every_hint_and_message_has_plain_english(definition):
    """Every hint, constraint and warning message of every shipped form carries its English, written in
    English punctuation, with no Chinese left in it."""
    wrong = []
    for q in definition.questions.values():
        for attr in ("hint", "constraint_message", "warning_message"):
            chinese, english_text = getattr(q, attr), getattr(q, f"{attr}_en")
            if chinese and (not english_text or HAN.search(english_text) or FULL_WIDTH.search(english_text)):
                wrong.append(f"{q.id}.{attr}_en: {english_text!r} for {chinese!r}")
    assert not wrong, "\n".join(wrong)


def _candidates(session: FormSession, key: str, q: Question) -> list[object]:
    """Answers likely to break a question's constraint or warning (limits, far dates, exclusive choices)."""
    if q.type == "integer":
        return [-1000, -3, 0, 200, 99999, 20000000]
    if q.type == "decimal":
        return [-1.0, 0.0, 3.5, 300.0, 99999.0, 1e8]
    if q.type == "date":
        return ["2999-01-01", "1800-01-01"]
    if q.type == "yes_no":
        return [True, False]
    if q.type == "text":
        return ["1", "abc"]
    options = [value for value, _ in session.choices_for(key)]
    if q.type == "select_one":
        return options
    if q.type == "select_multiple":
        return (
            [[o] for o in options] + [list(pair) for pair in itertools.combinations(options, 2)] + [options]
        )
    return []


def _fill(session: FormSession, definition: FormDefinition, turn: int) -> None:
    """Answer every visible question, the ``turn``-th option of each choice, so each turn opens other branches."""
    for _ in range(3):
        for repeat in definition.repeats.values():
            if session.is_relevant(repeat.id) and not session.entries(repeat.id):
                session.add_repeat_entry(repeat.id)
        for key in session.keys():
            q = session.question(key)
            if q.type in ("note", "calculate", "photo", "signature") or q.readonly or q.prefill:
                continue
            if not session.is_relevant(key):
                continue
            if q.type in ("select_one", "select_multiple"):
                options = [value for value, _ in session.choices_for(key)]
                if not options:
                    continue
                pick = options[turn % len(options)]
                value: object = pick if q.type == "select_one" else [pick]
            else:
                plain = {"text": "无", "integer": 2 + turn * 300, "decimal": 1.5 + turn * 300}
                value = {**plain, "date": "2026-01-02", "yes_no": turn % 20 < 10}.get(q.type)
            try:
                session.set_answer(key, value)
            except AnswerError:
                pass


def _messages_through_the_engine(definition: FormDefinition) -> dict[tuple[str, str], tuple[str, str]]:
    """(question id, constraint|warning) -> (answer key, the engine's message), for every message the
    engine gave for some answer in some branch of the form."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for turn in range(60):
        context = {
            "today": "2026-12-01",
            "visit_date": "2026-12-01",
            "age": (40, 12, 70)[turn % 3],
            "category": str(turn % 7 + 1),
            "level": str(turn % 4 + 1),
        }
        session = FormSession.start(definition, context)
        _fill(session, definition, turn)
        for key in session.keys():
            q = session.question(key)
            wanted = [
                kind for kind, text in (("constraint", q.constraint_message), ("warning", q.warning_message))
            ]
            wanted = [kind for kind in wanted if getattr(q, f"{kind}_message") and (q.id, kind) not in found]
            if not wanted or not session.is_relevant(key):
                continue
            before = session.answers.get(key)
            for value in _candidates(session, key, q):
                try:
                    session.set_answer(key, value)
                except AnswerError:
                    continue
                for kind, problems in (("constraint", session.errors()), ("warning", session.warnings())):
                    if kind in wanted and problems.get(key) == getattr(q, f"{kind}_message"):
                        found.setdefault((q.id, kind), (key, problems[key]))
            try:
                session.set_answer(key, before)
            except AnswerError:
                pass
    return found


@pytest.mark.parametrize("definition", _all_versions(), ids=lambda d: f"{d.id}.v{d.version}")
def test_every_constraint_and_warning_the_engine_gives_reads_in_english(qapp, english, definition):
    """Answers are tried in every branch until the engine gives each constraint and warning message of
    the form; each one, shown as the field, the open-items list and the review page show it
    (``form_text.problem``), is the form file's English."""
    found = _messages_through_the_engine(definition)
    wanted = {
        (q.id, kind)
        for q in definition.questions.values()
        for kind in ("constraint", "warning")
        if getattr(q, f"{kind}_message")
    }
    # A few need a catalogue device of one kind (body measures of a wheelchair) that the turns do not
    # reach; the walk above shows their messages on the question itself.
    assert len(found) >= len(wanted) - 3, sorted(wanted - set(found))
    wrong = []
    for (qid, kind), (key, text) in found.items():
        shown = form_text.problem(definition, key, text)
        if shown != getattr(definition.questions[qid], f"{kind}_message_en"):
            wrong.append(f"{key} {kind}: {shown!r}")
    assert not wrong, "\n".join(wrong)


def test_a_typed_out_of_range_answer_reads_in_english_everywhere(qtbot, english_ui, ctx):  # noqa: F811
    """Typed in the visit window, an out-of-range household size shows the form's English in the field, in
    the open-items list and on the review page; a hint reads in English above its question."""
    from tests.ui.test_visit_flow import open_window, show_key, type_text

    window = open_window(qtbot, ctx, ["needs_assessment"])
    q = window.renderers[0].session.definition.questions["household_size"]
    widget = show_key(window, 0, "household_size")
    type_text(qtbot, widget, "99")
    widget = window.renderers[0].widgets["household_size"]
    qtbot.waitUntil(lambda: widget.message.text() == q.constraint_message_en)
    lines = [window.open_list.item(i).text() for i in range(window.open_list.count())]
    assert any(line.endswith(f": {q.constraint_message_en}") for line in lines), lines
    hinted = next(k for k, w in window.renderers[0].widgets.items() if w.question.hint_en)
    assert (
        window.renderers[0].widgets[hinted].hint.text()
        == window.renderers[0].widgets[hinted].question.hint_en
    )
    if SHOTS:
        window.grab().save(os.path.join(SHOTS, "form-constraint-en.png"))
    window.review.show_sessions([r.session for r in window.renderers])
    items = [window.review.open_items.item(i).text() for i in range(window.review.open_items.count())]
    assert any(item.endswith(f": {q.constraint_message_en}") for item in items), items
    assert not [item for item in items if HAN.search(item.replace("王建国", ""))], items


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


# --- issue 15 items 6 (English everywhere): the screens that still showed Chinese -----------------


def test_unfinished_visits_show_english_form_titles(qtbot, english_ui, ctx):  # noqa: F811
    """The drafts tab, the resume list after login and the offer on 开始访视 name the forms in English."""
    from app.forms.definition import get_form
    from app.services.visits import VisitService
    from app.ui.visits.resume_prompt import DraftOffer, ResumePrompt
    from app.ui.visits.visits_screen import VisitsScreen

    service = VisitService(ctx.store)
    forms = ["needs_assessment", "assistive_devices"]
    service.start_visit(ctx.actor, ctx.household_id, ctx.person_id, forms)
    english_titles = [get_form(f).title_en for f in forms]
    assert all(english_titles)

    def forms_cell(table) -> str:
        assert table.rowCount() == 1
        text = table.item(0, 3).text()
        assert all(t in text for t in english_titles) and not HAN.search(text), text
        return text

    screen = VisitsScreen(ctx, service)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    screen.tabs.setCurrentWidget(screen.drafts)
    qtbot.waitUntil(lambda: screen.drafts.table.rowCount() == 1)
    assert forms_cell(screen.drafts.table).count("; ") == 1  # English punctuation between the forms
    drafts = service.unfinished_drafts(ctx.actor)
    prompt = ResumePrompt(drafts)
    qtbot.addWidget(prompt)
    forms_cell(prompt.table)
    offer = DraftOffer(drafts[0])
    qtbot.addWidget(offer)
    text = " ".join(label.text() for label in offer.findChildren(QLabel))
    assert all(t in text for t in english_titles)
    assert not any(get_form(f).title in text for f in forms), text
    if SHOTS:
        screen.grab().save(os.path.join(SHOTS, "drafts-tab-en.png"))
        prompt.resize(760, 320)
        prompt.grab().save(os.path.join(SHOTS, "resume-prompt-en.png"))


def test_project_timeline_notes_are_english(qtbot, english_ui, ctx):  # noqa: F811
    """The timeline's own notes, new and stored by older versions, read in English; a user's note stays."""
    from app.domain.acceptance import PASS_TEXT, checklist_for, conclude
    from app.services.projects import ProjectService, acceptance_note
    from app.store.models import ProjectEvent
    from app.store.row_ids import utc_now
    from app.ui.projects.project_page import ProjectPage
    from tests.services.test_acceptance_service import PLANS

    project = ProjectService(ctx.store).create_project(
        ctx.actor, household_id=ctx.household_id, kind="lighting", lines=PLANS["lighting"]
    )
    checklist = checklist_for("lighting")
    failed = conclude(
        [_outcome("ZM-C02", "fail")], date(2026, 12, 1), rectification_days=checklist.rectification_days
    )
    stored = [
        "由访视登记的需求生成",  # as versions before this one wrote them
        acceptance_note(1, failed.text),
        acceptance_note(2, checklist.pass_opinion),
        acceptance_note(3, PASS_TEXT),
        "村里已公示",  # typed by a user: shown as written
    ]
    with ctx.store.unit_of_work(ctx.actor) as uow:
        for note in stored:
            uow.add(
                ProjectEvent(
                    project_id=project.id,
                    to_status="applied",
                    actor=ctx.actor,
                    at=utc_now(),
                    note=note,
                    region_code=project.region_code,
                )  # fmt: skip
            )
    page = ProjectPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.show_project(project.id)
    qtbot.waitUntil(lambda: page.timeline.rowCount() == 1 + len(stored))
    notes = [page.timeline.item(r, 3).text() for r in range(page.timeline.rowCount())]
    assert "Project created" in notes and "Made from a need recorded on a visit" in notes, notes
    assert f"Round 2 acceptance: {checklist.pass_opinion_en}" in notes, notes
    rectify = next(n for n in notes if n.startswith("Round 1 acceptance: "))
    assert "2026" in rectify and "项不符合要求" not in rectify
    assert "村里已公示" in notes
    assert page.title.text() == "Lighting rewiring for the 王建国 household"  # the default title, worded anew
    # The failed check is named in the checklist's English; only the user's note stays Chinese.
    assert "Residual-current breaker tripping time" in rectify, rectify
    chinese = [n for n in notes if HAN.search(n)]
    assert chinese == ["村里已公示"], chinese
    if SHOTS:
        page.grab().save(os.path.join(SHOTS, "project-timeline-en.png"))


def _outcome(code: str, result: str):
    from app.domain.acceptance import CheckOutcome
    from app.domain.enums import CheckResult

    return CheckOutcome(code, "漏电保护器试验动作时间", CheckResult(result), "", "")


def test_certificate_mismatch_names_the_categories_in_english(qtbot, english_ui, ctx):  # noqa: F811
    """The certificate-number mismatch names the two categories in English too, not only its frame."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.registry.dialogs import PersonDialog
    from tests.helpers.profiles import VALID_ID_2

    dialog = PersonDialog(ctx, ctx.household_id)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.mark_clean())
    dialog.resize(1366, 768)
    dialog.show()
    dialog.name.setText("李四")  # keyClicks types ASCII only
    qtbot.keyClicks(dialog.id_number, VALID_ID_2)
    dialog.category.setCurrentIndex(dialog.category.findData("4"))  # 肢体残疾
    dialog.level.setCurrentIndex(dialog.level.findData("2"))
    qtbot.keyClicks(dialog.cert, VALID_ID_2 + "22")  # the certificate says 听力残疾 (2)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    shown = dialog.errors["cert_number"].text()
    assert "Hearing" in shown and "Physical" in shown, shown
    assert not HAN.search(shown), shown
    if SHOTS:
        dialog.grab().save(os.path.join(SHOTS, "cert-mismatch-en.png"))


def test_a_refused_completion_names_the_forms_in_english(qtbot, english_ui, ctx):  # noqa: F811
    """The banner of a refused 完成访视 (the server-side check, after the review page) reads in English."""
    from app.forms.definition import get_form
    from app.services.visits import VisitIncomplete
    from tests.ui.test_visit_flow import open_window

    window = open_window(qtbot, ctx, ["needs_assessment", "assistive_devices"])
    problems = window.service.problems(window.data.visit.id)
    assert problems
    window._complete_failed(VisitIncomplete(problems))
    text = window.banner.text()
    assert get_form("needs_assessment").title_en in text, text
    assert not HAN.search(text), text


def test_a_conclusion_lists_its_failed_checks_in_english(english_ui):
    """The conclusion names its failed checks in English, a name with "、" in it too (厨房、卫生间…)."""
    from app.domain.acceptance import checklist_for, conclude
    from app.domain.enums import CheckResult
    from app.ui import service_text

    checks = {c.code: c for c in checklist_for("lighting").checks}
    outcomes = [
        _named_outcome(checks["ZM-C09"], CheckResult.RECTIFY),
        _named_outcome(checks["ZM-C18"], CheckResult.FAIL),
    ]
    text = service_text.translate(conclude(outcomes, date(2026, 12, 1)).text)
    assert checks["ZM-C09"].name_en in text and checks["ZM-C18"].name_en in text, text
    assert not HAN.search(text), text


def _named_outcome(check, result):
    from app.domain.acceptance import CheckOutcome

    return CheckOutcome(check.code, check.name, result, "", "")


def test_every_unit_of_the_forms_and_the_catalogue_reads_in_english(english_ui):
    """元, 套, 平方米… beside a field, in the review and on a project's works read in English."""
    import json

    from app.paths import resources_dir

    units = {q.unit for d in _all_versions() for q in d.questions.values() if q.unit}
    catalogue = json.loads((resources_dir() / "catalogs" / "renovation_items.json").read_text("utf-8"))
    units |= {
        m.group(1) for m in re.finditer(r'"unit": "([^"]+)"', json.dumps(catalogue, ensure_ascii=False))
    }
    shown = {u: form_text.unit(u) for u in units}
    assert not [u for u, text in shown.items() if HAN.search(text)], shown
    assert shown["元"] == "yuan" and shown.get("mm", "mm") == "mm"
