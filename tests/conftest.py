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
