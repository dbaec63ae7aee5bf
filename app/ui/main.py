"""Start the desktop app: first run or login opens the profile, then the main window until quit.

Log out closes every window and the profile and shows the login again; switch
user keeps the profile open and rebuilds the main window for the new user
(their regions, their name on every change).
"""

from __future__ import annotations

import logging
import sys
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QToolButton

from app.paths import resources_dir
from app.services import profile
from app.services.auth import record_session_act, start_session
from app.services.forms_sync import use_profile_forms
from app.services.profile import ProfileStatus
from app.services.settings import Settings
from app.services.wipe import DeviceWiped, delete_profile_files
from app.store.backups import backup_if_due, restore
from app.store.damage import DamagedDatabase
from app.store.migrations import DatabaseTooNew
from app.store.models import User
from app.store.store import Store
from app.store.sync_state import StateKey
from app.ui import gc_guard
from app.ui.context import AppContext
from app.ui.damage_dialog import DamageDialog
from app.ui.first_run import FirstRunDialog
from app.ui.i18n import install_translators
from app.ui.idle_lock import IdleLock
from app.ui.lock_screen import SessionLock
from app.ui.login_dialog import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.switch_user import SwitchUserDialog
from app.ui.system_lock import SystemLockWatcher
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def make_application(lang: str) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("HomeVisit")
    app.setOrganizationName("HomeVisit")
    app.setStyle("Fusion")
    gc_guard.install(app)  # cycles collected on the GUI thread, never on a worker
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "homevisit.png")))
    app._translators = install_translators(app, lang)  # type: ignore[attr-defined]
    return app


def open_context(home: Path, store: Store | None = None) -> AppContext:
    """The context of an opened profile (``store``), or of a plain one opened here (the demo)."""
    store = store or Store(home)
    use_profile_forms(home)  # form versions this profile received from the server
    # The federation's idle-lock ceiling, read once as the profile opens (never on the GUI thread later).
    policy = int(store.get_state(StateKey.POLICY_MAX_IDLE_MINUTES) or 0) or None
    return AppContext(store=store, settings=Settings.load(home), tasks=TaskRunner(), policy_max_idle=policy)


class Session(QObject):
    """What the main window's 锁定 / 切换用户 / 退出登录 ask for; ``run_app`` acts on ``outcome``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.outcome = "quit"
        self.next_user: User | None = None
        self.restore_path: Path | None = None

    def switch_user(self) -> None:
        ctx = self.window.ctx
        dialog = SwitchUserDialog(ctx.store, ctx.user, self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if dialog.revoked:
            self.device_wiped(str(DeviceWiped()))
        elif accepted and dialog.user is not None:
            self.outcome, self.next_user = "switch", dialog.user
            self._close_all()

    def log_out(self) -> None:
        self.outcome = "logout"
        self._close_all()

    def restore_backup(self, backup: Path) -> None:
        """End the session; ``run_app`` restores ``backup`` once the profile is closed, then asks to log in."""
        self.outcome, self.restore_path = "logout", backup
        self._close_all()

    def remove_data(self) -> None:
        """End the session; ``run_app`` deletes the profile once it is closed."""
        self.outcome = "wiped"
        self._close_all()

    def device_wiped(self, message: str) -> None:
        """The server revoked this laptop: its keys are gone; close everything, then the files go."""
        self.outcome = "wiped"
        self._close_all()
        QMessageBox.critical(None, "HomeVisit", message)

    def _close_all(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget is not self.window and widget.isVisible():
                widget.close()
        self.window.close()


def build_main_window(ctx: AppContext) -> MainWindow:
    """The main window with every feature screen plugged in, the session lock and idle lock armed."""
    window = MainWindow(ctx)
    from app.ui import features

    features.install(window)
    session = Session(window)
    window.session = session  # type: ignore[attr-defined]

    def audit_lock(username: str) -> None:
        ctx.tasks.run_db(
            partial(record_session_act, ctx.store, username, "lock"),
            lambda _none: None,
            lambda exc: log.warning("lock not audited: %s", exc),
        )

    session_lock = SessionLock(
        lambda: ctx.auth, lambda: ctx.user.username if ctx.user else None, parent=window, on_locked=audit_lock
    )
    window.session_lock = session_lock  # type: ignore[attr-defined]
    system = SystemLockWatcher(session_lock.lock, parent=window)  # the OS locking or going to sleep
    system.listen(window)
    window.system_lock = system  # type: ignore[attr-defined]
    idle = IdleLock(
        ctx.settings.idle_lock_minutes, session_lock.lock, parent=window, policy_max=ctx.policy_max_idle
    )
    QCoreApplication.instance().installEventFilter(idle)  # type: ignore[union-attr]
    window.idle_lock = idle  # type: ignore[attr-defined]
    for name, text, slot, keys in (
        ("lock_now", QCoreApplication.translate("MainWindow", "锁定"), session_lock.lock, "Ctrl+L"),
        ("switch_user", QCoreApplication.translate("MainWindow", "切换用户"), session.switch_user, ""),
        ("log_out", QCoreApplication.translate("MainWindow", "退出登录"), session.log_out, ""),
    ):
        button = QToolButton(window)
        button.setObjectName(name)
        button.setText(text)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        window.statusBar().addPermanentWidget(button)
        if keys:
            action = QAction(window)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            window.addAction(action)
    return window


def lock(window: MainWindow) -> None:
    """Lock the whole application now (every window covered until the password)."""
    window.session_lock.lock()  # type: ignore[attr-defined]


def start_screen(home: Path) -> tuple[Store, User] | None:
    """First run, login, or the damaged-database screen, until a profile is open (``None``: quit)."""
    while True:
        state = profile.status(home)
        if state is ProfileStatus.FRESH:
            first = FirstRunDialog(home, server_url=Settings.load(home).server_url)
            if first.exec() != QDialog.DialogCode.Accepted or first.opened is None:
                return None
            return first.opened
        if state is ProfileStatus.KEYS_MISSING:
            QMessageBox.critical(
                None,
                "HomeVisit",
                QCoreApplication.translate(
                    "LoginDialog",
                    "本机的密钥文件 keys.json 不见了，加密的资料无法打开。请不要删除数据文件夹，联系管理员恢复密钥文件或备份。",
                ),
            )
            return None
        login = LoginDialog(opener=lambda u, p: profile.open_profile(home, u, p))
        accepted = login.exec() == QDialog.DialogCode.Accepted
        if login.damage is not None:
            if DamageDialog(login.damage, login.damage.key).exec() == QDialog.DialogCode.Accepted:
                continue  # restored: log in again to the restored database
            return None
        if not accepted or login.opened is None:
            return None
        return login.opened


def run_app(home: Path, *, lang: str | None = None, user: User | None = None) -> int:
    """The desktop app's main loop; ``user`` skips the login (the demo's ready-logged-in start)."""
    settings = Settings.load(home)
    app = make_application(lang or settings.language)
    try:
        if user is not None:
            ctx = open_context(home)
        else:
            opened = start_screen(home)
            if opened is None:
                return 0
            ctx = open_context(home, opened[0])
            user = opened[1]
    except DatabaseTooNew as exc:
        QMessageBox.critical(None, "HomeVisit", str(exc))
        return 1
    except DamagedDatabase as exc:
        if DamageDialog(exc, exc.key).exec() == QDialog.DialogCode.Accepted:
            return run_app(home, lang=lang)
        return 1
    code = 0
    while True:
        ctx.user = user
        start_session(ctx.store, user)  # before the window shows: its first reads are this user's regions
        window = build_main_window(ctx)
        window.show()
        # The daily backup copies the whole database (seconds on a large registry): never on the login path.
        daily = partial(backup_if_due, ctx.store.db_path, ctx.store.db_key)
        ctx.tasks.run_db(daily, lambda _made: None, lambda exc: log.warning("daily backup failed: %s", exc))
        code = app.exec()
        ctx.tasks.wait()
        session: Session = window.session  # type: ignore[attr-defined]
        window.deleteLater()
        if session.outcome in ("switch", "logout"):
            record_session_act(ctx.store, user.username, "logout")  # the window is gone: no GUI-thread rule
        if session.outcome == "switch" and session.next_user is not None:
            user = session.next_user
            continue
        ctx.store.close()
        if session.outcome == "wiped":
            delete_profile_files(home)
            return code
        if session.outcome != "logout":
            return code
        if session.restore_path is not None:
            restore(ctx.store.db_path, session.restore_path)
        opened = start_screen(home)
        if opened is None:
            return code
        ctx = open_context(home, opened[0])
        user = opened[1]
