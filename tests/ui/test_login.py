from PySide6.QtWidgets import QDialog

from app.services.auth import AuthService
from app.ui.idle_lock import IdleLock
from app.ui.login_dialog import LoginDialog


def test_login_dialog_accepts_right_password(qtbot, store):
    auth = AuthService(store)
    auth.create_user("wangli", "secret123")
    dialog = LoginDialog(auth)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "wangli")
    qtbot.keyClicks(dialog.password, "secret123")
    dialog.login_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user.username == "wangli"


def test_login_dialog_locks_after_repeated_failures(qtbot, store):
    auth = AuthService(store)
    auth.create_user("wangli", "secret123")
    dialog = LoginDialog(auth)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "wangli")
    for _ in range(3):
        dialog.password.clear()
        qtbot.keyClicks(dialog.password, "wrong")
        dialog.login_button.click()
    assert "秒后再试" in dialog.error.text()
    assert not dialog.login_button.isEnabled()
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_idle_lock_fires_after_inactivity(qtbot):
    fired = []
    lock = IdleLock(1, lambda: fired.append(True))
    lock._timer.setInterval(50)  # a minute is too long for a test; the mechanism is the same
    lock._timer.start()
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    assert fired == [True]
