"""Shared test configuration: Qt runs offscreen; fixtures for fresh profiles."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest


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

    from app.ui.gc_guard import GuiThreadCollector

    request.getfixturevalue("qapp")
    collector = GuiThreadCollector()
    yield
    collector.stop()
    gc.enable()
    gc.collect()
