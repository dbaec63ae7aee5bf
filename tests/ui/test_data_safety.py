"""Settings' 数据安全: backups and restore, password change, removing this laptop's data; screens in both languages."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from app.services import profile
from app.services.registry import RegistryService
from app.services.settings import Settings
from app.store.backups import list_backups, make_backup
from app.ui.context import AppContext
from app.ui.tasks import TaskRunner
from tests.helpers.profiles import household_data

SHOTS = os.environ.get("HOMEVISIT_SHOTS")


def shot(widget, name):
    if SHOTS:
        widget.adjustSize()
        widget.resize(max(widget.width(), 480), widget.height())
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def ctx(qtbot, tmp_path):
    store, user = profile.create_standalone(tmp_path / "p", "zhangli", "demo1234", display_name="张丽")
    context = AppContext(store=store, settings=Settings(), tasks=TaskRunner())
    context.user = user
    yield context
    context.tasks.wait()
    store.close()


def test_backups_dialog_lists_and_restores(qtbot, ctx, lang):
    from app.ui.data_safety import BackupsDialog

    make_backup(ctx.store.db_path, ctx.store.db_key, "v3")
    dialog = BackupsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    dialog.findChild(type(dialog.restore_button), "backup_now").click()
    assert dialog.table.rowCount() == 2 == len(list_backups(ctx.store.db_path))
    shot(dialog, f"restore_{lang}")


def test_screens_in_both_languages(qtbot, ctx, lang, tmp_path):
    from app.store.damage import Damage, DamagedDatabase
    from app.ui.damage_dialog import DamageDialog
    from app.ui.first_run import FirstRunDialog
    from app.ui.lock_screen import UnlockScreen
    from app.ui.login_dialog import LoginDialog
    from app.ui.switch_user import SwitchUserDialog

    make_backup(ctx.store.db_path, ctx.store.db_key, "daily")
    screens = {
        "login": LoginDialog(opener=lambda u, p: None),
        "lock": UnlockScreen(ctx.auth, "zhangli"),
        "switch_user": SwitchUserDialog(ctx.store, ctx.user),
        "first_run": FirstRunDialog(tmp_path / "fresh", server_url="https://canlian.example.gov.cn"),
        "damaged": DamageDialog(DamagedDatabase(Damage.TRUNCATED, ctx.store.db_path), ctx.store.db_key),
    }
    for name, widget in screens.items():
        qtbot.addWidget(widget)
        shot(widget, f"{name}_{lang}")
    english = lang == "en"
    assert (screens["switch_user"].windowTitle() == "Switch user") is english
    assert (screens["damaged"].restore_button.text() == "Restore from backup") is english
    assert screens["damaged"].restore_button.isEnabled()


def test_switch_user_names_the_current_user_with_the_login(qtbot, ctx, lang):
    """Issue 15 item 7: "当前用户：张丽（zhangli）", not the login alone."""
    from PySide6.QtWidgets import QLabel

    from app.ui.switch_user import SwitchUserDialog

    dialog = SwitchUserDialog(ctx.store, ctx.user)
    qtbot.addWidget(dialog)
    shot(dialog, f"switch_user_names_{lang}")
    intro = dialog.findChild(QLabel, "current_user").text()
    if lang == "en":
        assert intro.startswith("Current user: 张丽 (zhangli). After switching, 张丽's unsynced changes")
    else:
        assert intro.startswith("当前用户：张丽（zhangli）。切换后，张丽 未同步的修改")


def test_password_change_dialog(qtbot, ctx):
    from app.ui.data_safety import ChangePasswordDialog

    dialog = ChangePasswordDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.old, "wrong")
    qtbot.keyClicks(dialog.new, "better-pass-9")
    qtbot.keyClicks(dialog.repeat, "better-pass-9")
    dialog.change()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.error.text()
    dialog.old.clear()
    qtbot.keyClicks(dialog.old, "demo1234")
    dialog.change()
    assert dialog.result() == QDialog.DialogCode.Accepted
    ctx.store.close()
    store, _ = profile.open_profile(ctx.store.home, "zhangli", "better-pass-9")
    ctx.store = store


def test_remove_data_asks_twice_when_changes_are_unsynced(qtbot, ctx, monkeypatch):
    from app.ui.data_safety import DataSafetyBox

    RegistryService(ctx.store).save_household("zhangli", household_data())
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.No if len(asked) == 2 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "warning", answer)
    box = DataSafetyBox(ctx)
    qtbot.addWidget(box)
    box.remove_data()  # yes, then no at the "unsynced" question: nothing removed
    assert len(asked) == 2 and "未同步" in asked[1]
    assert (ctx.store.home / "keys.json").exists()
