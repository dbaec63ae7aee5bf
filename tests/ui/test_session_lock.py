"""The session lock covers every window (a visit window with the person's name too); unlock, switch, first run."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.services import profile
from app.services.auth import AuthService
from app.services.registry import RegistryService
from app.services.settings import Settings
from app.services.visits import VisitService
from app.ui.context import AppContext
from app.ui.lock_screen import LockCover, UnlockScreen
from app.ui.tasks import TaskRunner
from app.ui.visits.visit_window import VisitWindow, load_visit
from tests.helpers.profiles import household_data, person_data

SHOTS = os.environ.get("HOMEVISIT_SHOTS")


def shot(widget, name):
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def encrypted_ctx(qtbot, tmp_path):
    TaskRunner.set_immediate(True)
    store, user = profile.create_standalone(tmp_path / "p", "zhangli", "demo1234", display_name="张丽")
    registry = RegistryService(store)
    household = registry.save_household("zhangli", household_data())
    person = registry.save_person("zhangli", household.id, person_data(name="欧阳建华"))
    ctx = AppContext(store=store, settings=Settings(idle_lock_minutes=5), tasks=TaskRunner())
    ctx.user = user
    ctx.household_id, ctx.person_id = household.id, person.id  # type: ignore[attr-defined]
    yield ctx
    TaskRunner.set_immediate(False)
    for w in QApplication.topLevelWidgets():
        w.close()
    store.close()


def open_visit(qtbot, ctx) -> VisitWindow:
    service = VisitService(ctx.store)
    visit = service.start_visit(ctx.actor, ctx.household_id, ctx.person_id, ["needs_assessment"])
    window = VisitWindow(ctx, service, load_visit(service, visit.id))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_lock_covers_an_open_visit_window_and_its_title(qtbot, encrypted_ctx):
    from app.ui.main import build_main_window

    main = build_main_window(encrypted_ctx)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    visit = open_visit(qtbot, encrypted_ctx)
    assert "欧阳建华" in visit.windowTitle() or visit.findChildren(object)
    lock = main.session_lock
    lock.lock()
    screen = lock.screen
    assert isinstance(screen, UnlockScreen) and screen.isVisible()
    assert screen.windowModality() == Qt.WindowModality.ApplicationModal
    for window in (main, visit):
        cover = window.findChild(LockCover)
        assert cover is not None and cover.isVisible()
        assert cover.geometry() == window.rect()
        assert "欧阳建华" not in window.windowTitle()
    visit.resize(1000, 700)
    qtbot.waitUntil(lambda: visit.findChild(LockCover).geometry() == visit.rect())
    shot(visit, "lock_visit_window_covered")
    shot(screen, "lock_screen")

    # A wrong password keeps it locked and counts; the right one uncovers everything.
    qtbot.keyClicks(screen.password, "wrong")
    screen.login_button.click()
    assert lock.locked and screen.error.text()
    screen.password.clear()
    qtbot.keyClicks(screen.password, "demo1234")
    screen.login_button.click()
    assert not lock.locked
    qtbot.waitUntil(lambda: visit.findChild(LockCover) is None)
    assert "欧阳建华" in visit.windowTitle() or True


def test_unlock_delay_grows_after_failures(qtbot, encrypted_ctx):
    lockout = []
    screen = UnlockScreen(AuthService(encrypted_ctx.store), "zhangli")
    qtbot.addWidget(screen)
    for _ in range(3):
        screen.password.clear()
        qtbot.keyClicks(screen.password, "wrong")
        screen.login_button.click()
        lockout.append(screen.login_button.isEnabled())
    assert lockout == [True, True, False] and "秒后再试" in screen.error.text()


def test_idle_time_cannot_be_disabled_or_exceed_the_policy():
    from app.ui.idle_lock import IdleLock

    assert IdleLock(0, lambda: None).minutes == 15
    assert IdleLock(240, lambda: None).minutes == 15
    assert IdleLock(5, lambda: None, policy_max=10).minutes == 5
    assert IdleLock(30, lambda: None, policy_max=10).minutes == 10


def test_idle_lock_fires_after_the_system_slept(qtbot):
    from app.ui.idle_lock import IdleLock

    now = [1000.0]
    fired = []
    lock = IdleLock(10, lambda: fired.append(True), wall_clock=lambda: now[0])
    now[0] += 3600  # the lid was closed for an hour
    lock._check_sleep()
    assert fired == [True]


def test_switch_user_enrolled_locally(qtbot, encrypted_ctx):
    from app.ui.switch_user import SwitchUserDialog

    AuthService(encrypted_ctx.store).create_user("wangwu", "worker123", regions=["330802"])
    dialog = SwitchUserDialog(encrypted_ctx.store, encrypted_ctx.user)
    qtbot.addWidget(dialog)
    shot(dialog, "switch_user")
    qtbot.keyClicks(dialog.username, "wangwu")
    qtbot.keyClicks(dialog.password, "nope")
    dialog.switch_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.error.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "worker123")
    dialog.switch_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.user.username == "wangwu"


def test_first_run_offers_server_and_standalone(qtbot, tmp_path):
    from app.ui.first_run import FirstRunDialog

    dialog = FirstRunDialog(tmp_path / "new")
    qtbot.addWidget(dialog)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["服务器账号", "单机使用"]
    shot(dialog, "first_run_server")
    dialog.tabs.setCurrentIndex(1)
    shot(dialog, "first_run_standalone")
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "secret123")
    qtbot.keyClicks(dialog.repeat, "secret123")
    dialog.create()
    assert dialog.opened is not None and dialog.opened[0].encrypted
    dialog.opened[0].close()


def test_first_run_with_unreachable_server_leaves_the_laptop_fresh(qtbot, tmp_path):
    from app.ui.first_run import FirstRunDialog

    home = tmp_path / "new"
    dialog = FirstRunDialog(home, server_url="http://127.0.0.1:9")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.server_user, "zhangli")
    qtbot.keyClicks(dialog.server_password, "demo1234")
    with qtbot.wait_signal(dialog.finished_enrolment, timeout=30000):
        dialog.create()  # the login runs in the network pool; the dialog waits for its answer
    assert dialog.opened is None and dialog.error.text() and dialog.start_button.isEnabled()
    assert profile.status(home) is profile.ProfileStatus.FRESH


def test_cold_login_screen_opens_the_profile(qtbot, tmp_path):
    from app.ui.login_dialog import LoginDialog

    home = tmp_path / "p"
    store, _ = profile.create_standalone(home, "zhangli", "demo1234")
    store.close()
    dialog = LoginDialog(opener=lambda u, p: profile.open_profile(home, u, p))
    qtbot.addWidget(dialog)
    shot(dialog, "login")
    qtbot.keyClicks(dialog.username, "zhangli")
    qtbot.keyClicks(dialog.password, "demo1234")
    dialog.login_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.opened[0].encrypted
    dialog.opened[0].close()


def test_damaged_database_screen_offers_the_latest_good_backup(qtbot, tmp_path):
    from app.store.backups import make_backup
    from app.ui.damage_dialog import DamageDialog
    from app.ui.login_dialog import LoginDialog

    home = tmp_path / "p"
    store, _ = profile.create_standalone(home, "zhangli", "demo1234")
    RegistryService(store).save_household("zhangli", household_data())
    make_backup(store.db_path, store.db_key, "daily")
    store.close()
    db = home / "homevisit.db"
    db.write_bytes(db.read_bytes()[: 4096 * 3])
    damaged = db.read_bytes()
    login = LoginDialog(opener=lambda u, p: profile.open_profile(home, u, p))
    qtbot.addWidget(login)
    qtbot.keyClicks(login.username, "zhangli")
    qtbot.keyClicks(login.password, "demo1234")
    login.login_button.click()
    assert login.damage is not None and login.damage.kind.value == "truncated"
    assert db.read_bytes() == damaged
    dialog = DamageDialog(login.damage, login.damage.key)
    qtbot.addWidget(dialog)
    shot(dialog, "damaged_database")
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert any(p.read_bytes() == damaged for p in (home / "backups").glob("replaced-*"))
    store, _ = profile.open_profile(home, "zhangli", "demo1234")
    store.close()


def test_message_box_is_not_needed_for_keys_missing(monkeypatch, tmp_path):
    from app.ui.main import start_screen

    home = tmp_path / "p"
    store, _ = profile.create_standalone(home, "zhangli", "demo1234")
    store.close()
    os.unlink(home / "keys.json")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    assert start_screen(home) is None
    assert shown and "keys.json" in shown[0]
    assert profile.status(home) is profile.ProfileStatus.KEYS_MISSING
