"""Issue 15, item 5: a conflict says who wrote each value, by name, never by device id.

Two laptops and the real server on a loopback port (SQLite and PostgreSQL): 张丽 on laptop A and
王博 on laptop B change the same household's phone while offline; B syncs, then A. A's sync
screen lists the conflict with the household, the field's label, both values, and who and when:
"张丽（本机） · …" for A's own value and "王博 · …" for B's, in Chinese and in English; no cell
holds a device id. The names of B's devices come with the user directory at sync.
"""

from __future__ import annotations

import os
import time

import pytest
from PySide6.QtCore import QLocale

from app.services.auth import AuthService
from app.services.registry import RegistryService
from app.services.settings import Settings
from app.services.sync import SyncService
from app.services.user_names import ClockWriter
from app.ui.context import AppContext
from app.ui.labels import ClockWriterLabel
from app.ui.sync.sync_view import SyncView
from app.ui.tasks import TaskRunner
from tests.helpers.profiles import household_data

SHOTS = os.environ.get("HOMEVISIT_SHOTS")


@pytest.fixture
def conflicted(laptop):
    """Laptop A holding one open conflict over the phone of a household B registered."""
    a = laptop("laptop-a", user="zhangli", display_name="张丽")
    b = laptop("laptop-b", user="wangbo", display_name="王博")
    home = RegistryService(b.store).save_household("wangbo", household_data(head_name="李哲"))
    SyncService(b.store).sync()
    SyncService(a.store).sync()

    # Offline, B first, then A (A's value is the later one and stays current on both).
    RegistryService(b.store).save_household(
        "wangbo", household_data(head_name="李哲", phone="13905702222"), home.id
    )
    time.sleep(0.01)
    RegistryService(a.store).save_household(
        "zhangli", household_data(head_name="李哲", phone="13905701111"), home.id
    )
    SyncService(b.store).sync()
    SyncService(a.store).sync()
    assert [(c.field, c.loser_value) for c in SyncService(a.store).conflicts()] == [("phone", "13905702222")]
    return a, b


def _cells(qtbot, a, lang: str) -> list[str]:
    ctx = AppContext(store=a.store, settings=Settings(), tasks=TaskRunner())
    ctx.user = AuthService(a.store).get_user("zhangli")
    view = SyncView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitUntil(lambda: view.conflicts.rowCount() == 1, timeout=10000)
    if SHOTS:
        view.tabs.setCurrentIndex(0)
        view.grab().save(os.path.join(SHOTS, f"sync-conflicts-{lang}.png"))
    cells = [view.conflicts.item(0, c).text() for c in range(view.conflicts.columnCount())]
    view.close()
    ctx.tasks.wait()
    return cells


def _assert_no_device_id(cells: list[str], a, b) -> None:
    for device in {
        a.store.device_id,
        b.store.device_id,
        *(c.store.get_state("server_device_id") for c in (a, b)),
    }:
        assert device and not any(device in cell for cell in cells), (device, cells)


def test_a_conflict_names_the_colleague_who_wrote_the_other_value(qtbot, conflicted):
    a, b = conflicted
    cells = _cells(qtbot, a, "zh")
    record, field, current, current_by, other, other_by = cells
    assert record.startswith("家庭：李哲") and field == "电话"
    assert current == "13905701111" and current_by.startswith("张丽（本机） · 20")
    assert other == "13905702222" and other_by.startswith("王博 · 20")
    _assert_no_device_id(cells, a, b)
    # A device nobody listed is "another device", still no id.
    assert ClockWriterLabel.of(ClockWriter(None)) == "另一台设备"


def test_the_conflict_names_in_english(qtbot, conflicted, qapp):
    from app.ui.i18n import install_translators

    a, b = conflicted
    before = QLocale()
    translators = install_translators(qapp, "en")
    try:
        cells = _cells(qtbot, a, "en")
        record, field, _, current_by, _, other_by = cells
        assert record.startswith("Household: 李哲") and field == "Phone"
        assert current_by.startswith("张丽 (this laptop) · 20") and other_by.startswith("王博 · 20")
        _assert_no_device_id(cells, a, b)
        assert ClockWriterLabel.of(ClockWriter(None)) == "Another device"
        assert ClockWriterLabel.of(ClockWriter(None, here=True)) == "This laptop"
    finally:
        for t in translators:
            qapp.removeTranslator(t)
        QLocale.setDefault(before)
