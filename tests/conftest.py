"""Shared test configuration: Qt runs offscreen; fixtures for fresh profiles and the live servers.

The live-server fixtures (tests/helpers/live_fixtures.py) are registered here, once: a
session-scoped fixture imported into several conftests or modules is a separate fixture in
each, and every copy started its own SQLite and PostgreSQL servers.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest

from tests.helpers.live_fixtures import *  # noqa: F403


@pytest.fixture
def store(tmp_path):
    """A fresh, empty profile's store."""
    from app.store.store import Store

    s = Store(tmp_path / "profile")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _collect_on_gui_thread(request):
    """Widget tests collect cycles on the GUI thread only, as the app does (app/ui/gc_guard.py)."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    import gc

    from PySide6.QtCore import QLocale

    from app.ui.gc_guard import GuiThreadCollector

    request.getfixturevalue("qapp")
    locale = QLocale()  # a test that switches the language must not leave it switched for the next
    collector = GuiThreadCollector()
    yield
    QLocale.setDefault(locale)
    collector.stop()
    gc.enable()
    gc.collect()


def pytest_collection_modifyitems(items):
    """The slow tests first, the bundle build before them: under ``-n 2`` (.ci/run) the other worker
    runs the quick ones meanwhile, instead of one long test finishing alone at the end.

    Every PostgreSQL test goes to one worker (``--dist loadgroup``): a pull shows only rows older
    than the oldest transaction running anywhere in the cluster (``server.seq.visible``), so the
    other worker's transactions, in its own databases, would hold back what a pull returns.
    """
    items.sort(
        key=lambda item: (item.get_closest_marker("bundle") is None, item.get_closest_marker("slow") is None)
    )
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.xdist_group("postgres"))


@pytest.fixture(params=["zh_CN", "en"])
def lang(request, qapp):
    """The test runs twice: the interface in Chinese, then in English (the locale is put back by
    ``_collect_on_gui_thread``, as after every Qt test)."""
    from PySide6.QtWidgets import QApplication

    from app.ui.i18n import install_translators

    translators = install_translators(qapp, request.param)
    yield request.param
    for t in translators:
        QApplication.removeTranslator(t)
