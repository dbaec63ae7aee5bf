"""Polish 7: English text carries English punctuation, in the translations and where code joins texts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from app.ui import form_text
from app.ui.i18n import install_translators
from tests.ui.test_visit_flow import ctx, immediate, open_window  # noqa: F401 - fixtures

TS = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "homevisit_en.ts"
FULL_WIDTH = re.compile("[：（）；，。、！？【】]")


def test_no_english_translation_has_full_width_punctuation():
    wrong = []
    for context in ET.parse(TS).getroot():
        for message in context.findall("message"):
            translation = message.find("translation")
            texts = [translation.text or ""] + [n.text or "" for n in translation.findall("numerusform")]
            wrong += [f"[{context.findtext('name')}] {t}" for t in texts if FULL_WIDTH.search(t)]
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def english_ui(qapp):
    translators = install_translators(qapp, "en")
    yield
    for t in translators:
        QApplication.removeTranslator(t)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese))


def test_joined_texts_follow_the_language(qtbot, english_ui, ctx):  # noqa: F811
    assert (form_text.colon(), form_text.semicolon(), form_text.bracketed("x")) == (": ", "; ", " (x)")
    window = open_window(qtbot, ctx, ["needs_assessment"])
    lines = [window.open_list.item(i).text() for i in range(window.open_list.count())]
    assert lines and all("：" not in line and ": " in line for line in lines), lines[:3]


def test_chinese_keeps_full_width(qtbot, ctx):  # noqa: F811
    assert (form_text.colon(), form_text.semicolon(), form_text.bracketed("x")) == ("：", "；", "（x）")
