"""The sync screen against a real server: login binds the laptop, a sync runs with progress."""

import pytest

from app.services.registry import RegistryService
from app.services.settings import Settings
from app.ui.context import AppContext
from app.ui.sync.sync_view import SyncView
from app.ui.tasks import TaskRunner
from tests.helpers.profiles import household_data


@pytest.fixture
def view(qtbot, live_server, make_profile):
    live_server.create_user("wangli", "secret123", regions=("3308",), display_name="王丽")
    store = make_profile("laptop")
    ctx = AppContext(store=store, settings=Settings(), tasks=TaskRunner())
    widget = SyncView(ctx)
    qtbot.addWidget(widget)
    widget.server.setText(live_server.url)
    yield widget
    ctx.tasks.wait()


def test_login_binds_then_sync_pushes(qtbot, view):
    qtbot.keyClicks(view.username, "wangli")
    qtbot.keyClicks(view.password, "wrongpass")
    view.login_button.click()
    qtbot.waitUntil(lambda: "登录失败" in view.binding.text(), timeout=10000)

    view.password.clear()
    qtbot.keyClicks(view.password, "secret123")
    view.login_button.click()
    qtbot.waitUntil(lambda: "本机已绑定" in view.binding.text(), timeout=10000)
    assert "用户 王丽（wangli）" in view.binding.text()  # the person, with the account's login

    RegistryService(view.ctx.store).save_household("wangli", household_data())
    view.refresh()
    qtbot.waitUntil(lambda: "待上传修改：0" not in view.status.text())
    with qtbot.wait_signal(view.ctx.events.sync_state_changed, timeout=20000):
        view.sync_button.click()
    assert view.progress.format() == "同步完成"
    qtbot.waitUntil(lambda: "待上传修改：0 项" in view.status.text())
    assert "上次同步成功：上传" in view.summary.text()


def test_duplicate_registrations_are_listed_and_merged(qtbot, monkeypatch, store):
    from PySide6.QtWidgets import QMessageBox
    from sqlmodel import select

    from app.store.models import Household, Person
    from tests.helpers.profiles import VALID_ID, a_village

    # Two laptops registered the same person offline; after a pull both rows are here.
    with store.unit_of_work("a") as uow:
        h = uow.add(Household(address="1号", region_code=a_village()))
        for name in ("王芳", "王芳芳"):
            uow.add(Person(household_id=h.id, region_code=h.region_code, name=name, id_number=VALID_ID))
    ctx = AppContext(store=store, settings=Settings(), tasks=TaskRunner())
    widget = SyncView(ctx)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.duplicates.rowCount() == 2)
    assert widget.duplicates.item(0, 0).text() == "110105********002X"
    assert "（1）" in widget.tabs.tabText(2)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    widget.duplicates.selectRow(0)
    widget.merge_selected()
    qtbot.waitUntil(lambda: widget.duplicates.rowCount() == 0)
    with store.session() as s:
        live = s.exec(select(Person).where(Person.deleted == False)).all()  # noqa: E712
    assert [p.name for p in live] == ["王芳"]


def test_a_failed_sync_says_why_and_the_last_sync_line_says_it_failed(qtbot, store):
    """Issue 15 finding 7: the server is down -> the reason in the status line, not a success line."""
    import socket

    from app.services.sync import SyncService

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store.set_state("server_url", f"http://127.0.0.1:{port}")  # nothing listens there any more
    store.set_state("token", "a-token")
    ctx = AppContext(store=store, settings=Settings(), tasks=TaskRunner())
    widget = SyncView(ctx)
    widget.service = SyncService(store, retries=0)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.snapshot is not None)
    with qtbot.wait_signal(ctx.events.sync_state_changed, timeout=20000):
        widget.sync_button.click()
    qtbot.waitUntil(lambda: "上次同步失败" in widget.status.text())
    assert "连不上服务器" in widget.status.text()
    assert widget.progress.format() == "同步失败"
    assert "成功" not in widget.summary.text()
    ctx.tasks.wait()
