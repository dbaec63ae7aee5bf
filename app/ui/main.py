"""Start the desktop app: open the profile, log in, show the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.paths import resources_dir
from app.services.forms_sync import use_profile_forms
from app.services.settings import Settings
from app.store.migrations import DatabaseTooNew
from app.store.models import User
from app.store.store import Store
from app.ui.context import AppContext
from app.ui.first_run import FirstRunDialog
from app.ui.i18n import install_translators
from app.ui.idle_lock import IdleLock
from app.ui.login_dialog import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def make_application(lang: str) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("HomeVisit")
    app.setOrganizationName("HomeVisit")
    app.setStyle("Fusion")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "homevisit.png")))
    app._translators = install_translators(app, lang)  # type: ignore[attr-defined]
    return app


def open_context(home: Path) -> AppContext:
    store = Store(home)
    use_profile_forms(home)  # form versions this profile received from the server
    return AppContext(store=store, settings=Settings.load(home), tasks=TaskRunner())


def build_main_window(ctx: AppContext) -> MainWindow:
    """The main window with every feature screen plugged in, and the idle lock armed."""
    window = MainWindow(ctx)
    from app.ui import features

    features.install(window)
    idle = IdleLock(ctx.settings.idle_lock_minutes, lambda: lock(window), parent=window)
    QCoreApplication.instance().installEventFilter(idle)  # type: ignore[union-attr]
    window.idle_lock = idle  # type: ignore[attr-defined]
    return window


def lock(window: MainWindow) -> None:
    """Hide the data behind the lock screen until the same user's password is typed."""
    ctx = window.ctx
    if ctx.user is None:
        return
    window.centralWidget().setVisible(False)
    dialog = LoginDialog(ctx.auth, window, locked_user=ctx.user.username)
    while dialog.exec() != QDialog.DialogCode.Accepted:
        pass
    window.centralWidget().setVisible(True)


def run_app(home: Path, *, lang: str | None = None, user: User | None = None) -> int:
    """The desktop app's main loop; ``user`` skips the login (the demo's ready-logged-in start)."""
    settings = Settings.load(home)
    app = make_application(lang or settings.language)
    try:
        ctx = open_context(home)
    except DatabaseTooNew as exc:
        QMessageBox.critical(None, "HomeVisit", str(exc))
        return 1
    if user is None:
        if not ctx.auth.users():
            first = FirstRunDialog(ctx)
            if first.exec() != QDialog.DialogCode.Accepted:
                return 0
        login = LoginDialog(ctx.auth)
        if login.exec() != QDialog.DialogCode.Accepted:
            return 0
        user = login.user
    ctx.user = user
    window = build_main_window(ctx)
    window.show()
    code = app.exec()
    ctx.tasks.wait()
    ctx.store.close()
    return code
