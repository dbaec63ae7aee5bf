"""Fixtures for widget tests: a seeded profile, a logged-in context and the main window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.services.auth import AuthService
from app.services.registry import RegistryService
from app.services.seed import seed_store
from app.services.settings import Settings
from app.store.store import Store
from app.ui.context import AppContext
from app.ui.tasks import TaskRunner
from tests.helpers.profiles import VALID_ID, household_data, person_data


@pytest.fixture(scope="session")
def seeded_profile(tmp_path_factory) -> Path:
    """A small seeded profile with one known family (张三丰) and the user zhangli, made once per session.

    A plain (unencrypted) profile is a folder of files: each ``ctx`` opens a copy of it.
    """
    home = tmp_path_factory.mktemp("seeded") / "profile"
    store = Store(home)
    try:
        seed_store(store, 60, seed=3)
        AuthService(store).create_user("zhangli", "demo1234", regions=["3308"], display_name="张丽")
        registry = RegistryService(store)
        h = registry.save_household("zhangli", household_data(head_name="张三丰"))
        registry.save_person(
            "zhangli", h.id, person_data(name="张三丰", id_number=VALID_ID, cert_number=VALID_ID + "42")
        )
    finally:
        store.close()
    return home


@pytest.fixture
def ctx(qtbot, tmp_path, seeded_profile):
    """A logged-in context on a fresh copy of the seeded profile."""
    store = Store(shutil.copytree(seeded_profile, tmp_path / "profile"))
    tasks = TaskRunner()
    context = AppContext(store=store, settings=Settings(idle_lock_minutes=0), tasks=tasks)
    context.user = AuthService(store).get_user("zhangli")
    yield context
    tasks.wait()
    store.close()


@pytest.fixture
def main_window(qtbot, ctx):
    from app.ui.main import build_main_window

    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.registry_view.model.rowCount() > 0)
    return window


@pytest.fixture
def english_ui(qapp):
    """The interface in English (translators installed, default locale English) for one test."""
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from app.ui.i18n import install_translators

    before = QLocale()
    translators = install_translators(qapp, "en")
    yield
    for t in translators:
        QApplication.removeTranslator(t)
    QLocale.setDefault(before)
