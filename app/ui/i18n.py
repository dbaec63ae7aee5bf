"""Interface language: Simplified Chinese is the source language, English a translation.

Every visible string is written in Chinese inside ``self.tr()``;
``resources/i18n/homevisit_en.ts`` (Qt Linguist format, compiled to ``.qm``)
holds the English. Qt's own dialogs get Qt's translations.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.paths import resources_dir

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}


def install_translators(app: QApplication, lang: str) -> list[QTranslator]:
    """Load the translators for ``lang`` into ``app``; keep the returned list alive."""
    translators: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{'zh_CN' if lang == 'zh_CN' else 'en'}", qt_dir):
        app.installTranslator(qt)
        translators.append(qt)
    if lang == "en":
        ours = QTranslator(app)
        if ours.load(str(resources_dir() / "i18n" / "homevisit_en.qm")):
            app.installTranslator(ours)
            translators.append(ours)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese if lang == "zh_CN" else QLocale.Language.English))
    return translators
