"""People and devices seen from both ends: a console password reset makes the laptop ask for a new
password; a person's page shows each device's last contact, last upload and the refused changes.
"""

from __future__ import annotations

import pytest

from app.contract.errors import SyncError
from app.services.auth import AuthService
from app.services.registry import RegistryService
from app.services.settings import Settings
from app.store.store import Store
from app.sync.client import SyncClient
from app.ui.context import AppContext
from app.ui.new_password_dialog import NewPasswordDialog
from app.ui.tasks import TaskRunner
from tests.helpers.profiles import household_data, person_data
from tests.server.console.conftest import PASSWORD, sign_in, submit


def _reset_in_console(page, console, username: str) -> str:
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/people/{username}")
    submit(page, "#reset")
    return page.locator("#one-time").inner_text()


def test_a_reset_password_is_changed_at_the_laptops_next_login(console, page, make_profile):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("alice", PASSWORD, role="worker", regions=("330802",))
    store = make_profile("laptop")
    laptop = SyncClient(store, console.url)
    assert laptop.login("alice", PASSWORD, device_name="laptop").must_change_password is False
    secret = _reset_in_console(page, console, "alice")
    with pytest.raises(SyncError):
        laptop.sync()  # the reset ended every login of the account
    result = laptop.login("alice", secret, device_name="laptop")
    assert result.must_change_password is True
    with pytest.raises(SyncError) as wrong:
        laptop.change_password("not-the-password", "brand-new-7")
    assert "当前密码不正确" in wrong.value.message
    with pytest.raises(SyncError) as same:
        laptop.change_password(secret, secret)
    assert "不能与当前密码相同" in same.value.message
    laptop.change_password(secret, "brand-new-7")
    assert laptop.sync().rejected == 0  # the token stays good
    assert AuthService(store).login("alice", "brand-new-7").username == "alice"  # offline login too
    again = SyncClient(make_profile("other"), console.url).login("alice", "brand-new-7")
    assert again.must_change_password is False


def test_the_sync_screen_asks_for_the_new_password(console, page, make_profile, qtbot, lang, shots):
    from app.ui.sync.sync_view import SyncView

    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("alice", PASSWORD, role="worker", regions=("330802",))
    secret = _reset_in_console(page, console, "alice")
    store = make_profile("laptop")
    TaskRunner.set_immediate(True)
    try:
        ctx = AppContext(store=store, settings=Settings(idle_lock_minutes=0), tasks=TaskRunner())
        view = SyncView(ctx)
        qtbot.addWidget(view)
        view.resize(1366, 768)
        view.show()
        view.server.setText(console.url)
        view.username.setText("alice")
        view.password.setText(secret)
        view.login()
        dialog = view.new_password
        assert isinstance(dialog, NewPasswordDialog) and dialog.isVisible()
        dialog.reject()  # cannot be dismissed
        assert dialog.isVisible()
        dialog.new.setText("brand-new-7")
        dialog.again.setText("brand-new-8")
        dialog.save()
        assert dialog.error.text() in ("两次输入的密码不一致", "The two passwords differ")
        dialog.again.setText("brand-new-7")
        dialog.grab().save(str(shots / f"new-password-{lang}.png"))
        dialog.save()
        assert dialog.result() == NewPasswordDialog.DialogCode.Accepted and not dialog.isVisible()
    finally:
        TaskRunner.set_immediate(False)
    assert AuthService(store).login("alice", "brand-new-7").username == "alice"


def test_a_persons_devices_show_last_contact_upload_and_refusals(console, page, make_profile, shots):
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("alice", PASSWORD, role="worker", regions=("330802",))
    store = make_profile("laptop")
    laptop = SyncClient(store, console.url)
    laptop.login("alice", PASSWORD, device_name="笔记本-柯城01")
    registry = RegistryService(store)
    household = registry.save_household("alice", household_data())
    registry.save_person("alice", household.id, person_data())
    with store.unit_of_work("alice") as uow:  # outside alice's regions: refused by the server
        from app.store.models import Household

        uow.add(Household(address="江山市 1号", region_code="330881001001", economic_status="general"))
    report = laptop.sync()
    assert report.rejected > 0
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/people/alice")
    row = page.locator(f"tr[data-device='{store.device_id}']")
    assert row.locator(".last-push").inner_text() not in ("", "从未")
    assert row.locator(".last-seen").inner_text() != ""
    refused = page.locator("#refused").inner_text()
    assert f"：{report.rejected}" in refused.replace(" ", "") and "1 次同步" in refused
    page.screenshot(path=str(shots / "person-devices-zh.png"))
    page.goto(f"{console.url}/console/people/alice?lang=en")
    page.screenshot(path=str(shots / "person-devices-en.png"))


def test_first_run_with_a_one_time_password_sets_the_new_one(console, page, qtbot, tmp_path):
    from PySide6.QtCore import QTimer

    from app.services import profile
    from app.ui.first_run import FirstRunDialog

    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    console.create_user("alice", PASSWORD, role="worker", regions=("330802",))
    secret = _reset_in_console(page, console, "alice")
    home = tmp_path / "new"
    dialog = FirstRunDialog(home, server_url=console.url)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.server_user, "alice")
    qtbot.keyClicks(dialog.server_password, secret)

    def answer() -> None:
        asked = dialog.new_password
        asked.new.setText("brand-new-7")
        asked.again.setText("brand-new-7")
        asked.save()

    TaskRunner.set_immediate(True)
    try:
        QTimer.singleShot(200, answer)
        dialog.create()
    finally:
        TaskRunner.set_immediate(False)
    assert dialog.new_password.saved == "brand-new-7"
    store, _user = dialog.opened
    store.close()
    store, user = profile.open_profile(home, "alice", "brand-new-7")  # the laptop's own login too
    assert user.username == "alice"
    store.close()
    again = SyncClient(Store(tmp_path / "other"), console.url).login("alice", "brand-new-7")
    assert again.must_change_password is False
