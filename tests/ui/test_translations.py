"""The English translation: complete, compiled, and actually shown by the widgets."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from app.domain import enums
from app.domain.enums import DisabilityLevel, LabelledEnum, ProjectKind, ProjectStatus
from app.services.auth import AuthService
from app.ui.i18n import install_translators
from app.ui.labels import ENUM_LABELS, enum_choices, enum_label, label_of
from app.ui.login_dialog import LoginDialog

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
i18n = importlib.util.module_from_spec(_spec)
sys.modules["i18n_tool"] = i18n  # dataclasses look their module up by name
_spec.loader.exec_module(i18n)

# Contexts lupdate invents for `x.tr("…")` on another object; PySide never looks strings up there.
KNOWN_UNREACHABLE: set[str] = set()

NAVIGATION = ["Registry", "Visits", "Projects", "Sync", "Settings"]


@pytest.fixture
def english(qapp):
    """The English translators installed for one test, removed afterwards."""
    translators = install_translators(qapp, "en")
    yield translators
    for translator in translators:
        QApplication.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese))


def test_every_interface_string_has_english():
    missing = i18n.missing()
    assert not missing, (
        f"{len(missing)} interface strings have no English; run `python tools/i18n.py update`, "
        "translate them in resources/i18n/homevisit_en.ts (see docs/translation.md), then "
        "`python tools/i18n.py release`:\n" + "\n".join(f"  [{c}] {s}" for c, s in missing)
    )


def test_compiled_qm_matches_the_ts():
    assert i18n.qm_is_current(), "homevisit_en.qm is stale: run `python tools/i18n.py release` and commit it"


def test_translations_keep_placeholders_and_numerus_forms():
    def placeholders(text: str) -> list[str]:
        return sorted(re.findall(r"%(?:\d|n)", text))

    wrong = []
    for m in i18n.messages():
        forms = m.translation.split("|") if m.numerus else [m.translation]
        if m.numerus and len(forms) != 2:
            wrong.append(f"[{m.context}] {m.source}: needs singular and plural, has {len(forms)} forms")
        wrong += [
            f"[{m.context}] {m.source} -> {form}"
            for form in forms
            if m.finished and placeholders(form) != placeholders(m.source)
        ]
    assert not wrong, "translations that lose or add placeholders:\n" + "\n".join(wrong)


def test_every_context_is_one_tr_looks_in():
    unreachable = i18n.unreachable_contexts()
    new = {c: s for c, s in unreachable.items() if c not in KNOWN_UNREACHABLE}
    assert not new, (
        "strings filed under a context no class has, so they never show in English "
        '(call self.tr() in the widget\'s own class, or QCoreApplication.translate("Class", …)):\n'
        + "\n".join(f"  [{c}] {s}" for c, sources in new.items() for s in sources)
    )


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ('self.tr("姓名")', None),
        ('QT_TRANSLATE_NOOP("SyncView", "家庭")', None),
        ('NAMES = {"a": QT_TRANSLATE_NOOP("C", "家庭")}\nself.tr(NAMES["a"])', None),
        ('"""模块说明。"""', None),
        ('self.tr(f"共 {n} 人")', "f-string in tr()"),
        ("self.tr(FILTER)", "tr() of a variable"),
        ('dialog.tr("备注")', "dialog.tr(): lupdate files it under a wrong context"),
        ('x = 1\nlabel.setText("保存失败")', "Chinese literal outside tr()"),
        ('"、".join(names)', None),  # punctuation alone is not flagged
    ],
)
def test_scan_finds_strings_hidden_from_lupdate(tmp_path, code, problem):
    source = tmp_path / "sample.py"
    source.write_text(code, encoding="utf-8")
    problems = [f.problem for f in i18n.scan_file(source)]
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_main_window_in_english(english, main_window):
    nav = [main_window.nav.item(i).text() for i in range(main_window.nav.count())]
    assert nav[: len(NAVIGATION)] == NAVIGATION
    assert main_window.windowTitle() == "HomeVisit"
    assert main_window.registry_view.search.placeholderText().startswith("Search:")
    assert main_window.findChild(QLabel, "status_data").text().startswith("Registered:")


def test_login_dialog_in_english(english, qtbot, store):
    dialog = LoginDialog(AuthService(store))
    qtbot.addWidget(dialog)
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"Username", "Password", "Home visits"} <= texts
    assert dialog.username.placeholderText() == "Username"
    buttons = dialog.findChild(QDialogButtonBox).buttons()
    assert "Sign in" in [b.text() for b in buttons]
    assert dialog.windowTitle() == "HomeVisit - Sign in"


def test_chinese_stays_the_default(qtbot, store):
    dialog = LoginDialog(AuthService(store))
    qtbot.addWidget(dialog)
    assert dialog.username.placeholderText() == "用户名"


@pytest.mark.parametrize(("n", "text"), [(1, "Try again in 1 second."), (30, "Try again in 30 seconds.")])
def test_counts_take_singular_and_plural(english, n, text):
    shown = QCoreApplication.translate("LoginDialog", "密码错误次数过多，请在 %n 秒后再试", "", n)
    assert shown.endswith(text)


ENUM_MEMBERS = [
    member
    for cls in vars(enums).values()
    if isinstance(cls, type) and issubclass(cls, LabelledEnum) and cls is not LabelledEnum
    for member in cls
]


def test_every_enum_label_is_marked_and_has_english():
    english = {m.source for m in i18n.messages() if m.context == "Enums" and m.finished}
    missing = [
        f"{type(m).__name__}.{m.name} “{m.label}”"
        for m in ENUM_MEMBERS
        if m.label not in ENUM_LABELS or m.label not in english
    ]
    assert not missing, (
        "enum labels without an Enums entry: list them with QT_TRANSLATE_NOOP in app/ui/labels.py, "
        "run `tools/i18n.py update` and translate them:\n" + "\n".join(missing)
    )
    assert len(ENUM_MEMBERS) > 40


def test_enum_labels_show_in_english(english):
    assert enum_label(ProjectKind.LIGHTING) == "Lighting rewiring"
    assert enum_choices(DisabilityLevel)[0] == ("1", "Level 1")
    assert label_of(ProjectStatus, "awaiting_acceptance") == "Awaiting acceptance"
    assert label_of(ProjectStatus, "no_such_code") == "no_such_code"


def test_enum_labels_stay_chinese_by_default():
    assert enum_label(ProjectKind.LIGHTING) == "室内照明线路改造"
