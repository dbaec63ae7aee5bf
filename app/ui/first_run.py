"""First start on a new laptop: log in with a server account, or set up a stand-alone install.

With a server account the laptop is enrolled: the server checks the password
and says who the user is and which regions they cover, and the profile is
created encrypted for that password; later logins work offline. Stand-alone
(a laptop that never syncs) creates a local administrator instead. Either
way the profile is created here, so ``opened`` holds the store and the user.

The enrolment's login is a network call (seconds on a village connection, a
timeout when the server is down): it runs on the task runner's network pool
while the dialog stays responsive and its button waits; ``enrolling`` is true
meanwhile, and ``finished_enrolment`` fires when the answer is in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.contract.errors import SyncError
from app.services import profile
from app.services.auth import InvalidAccount
from app.store.models import User
from app.store.sync_state import StateKey
from app.ui.tasks import TaskRunner


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class FirstRunDialog(QDialog):
    """Two ways to start: 服务器账号 (enrol this laptop) or 单机使用 (local administrator)."""

    finished_enrolment = Signal()

    def __init__(self, home: Path, parent: QWidget | None = None, server_url: str = "") -> None:
        super().__init__(parent)
        self.home = Path(home)
        self.opened: tuple[Any, User] | None = None
        self.tasks = TaskRunner(self)
        self.enrolling = False
        self.setWindowTitle(self.tr("首次使用"))
        self.setMinimumWidth(460)
        intro = QLabel(self.tr("本机还没有资料。请用服务器账号登录（推荐），或设置为单机使用。"))
        intro.setWordWrap(True)

        self.server_url = QLineEdit(server_url)
        self.server_url.setObjectName("server_url")
        self.server_url.setPlaceholderText("https://…")
        self.server_user = QLineEdit()
        self.server_user.setObjectName("server_username")
        self.server_password = _password_field("server_password")
        server_tab = QWidget()
        server_form = QFormLayout(server_tab)
        note = QLabel(self.tr("首次联网登录后，本机记住此账号，以后无需网络也能登录。"))
        note.setWordWrap(True)
        server_form.addRow(note)
        server_form.addRow(self.tr("服务器地址"), self.server_url)
        server_form.addRow(self.tr("用户名"), self.server_user)
        server_form.addRow(self.tr("密码"), self.server_password)

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.display = QLineEdit()
        self.password = _password_field("password")
        self.repeat = _password_field("repeat")
        local_tab = QWidget()
        form = QFormLayout(local_tab)
        local_note = QLabel(self.tr("单机使用：不与服务器同步，由本机管理员管理账号。"))
        local_note.setWordWrap(True)
        form.addRow(local_note)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("姓名"), self.display)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("再次输入密码"), self.repeat)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("first_run_tabs")
        self.tabs.addTab(server_tab, self.tr("服务器账号"))
        self.tabs.addTab(local_tab, self.tr("单机使用"))

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("开始使用"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        self.start_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def create(self) -> None:
        if self.enrolling:
            return
        if self.tabs.currentIndex() == 0:
            self._enrol()
            return
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("两次输入的密码不一致"))
            return
        try:
            self.opened = profile.create_standalone(
                self.home, self.username.text(), self.password.text(), display_name=self.display.text()
            )
        except InvalidAccount as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def _enrol(self) -> None:
        """Log in on the server in the network pool; the answer comes back to ``_enrolled``/``_not_enrolled``."""
        home, url = self.home, self.server_url.text()
        name, password = self.server_user.text(), self.server_password.text()
        self.enrolling = True
        self.start_button.setEnabled(False)
        self.error.setStyleSheet("color: #666;")  # waiting, not an error
        self.error.setText(self.tr("正在连接服务器…"))
        self.tasks.run_net(
            lambda: profile.enrol_with_server(home, url, name, password), self._enrolled, self._not_enrolled
        )

    def _enrolled(self, opened: tuple[Any, User]) -> None:
        self.enrolling = False
        self.opened = opened
        self.error.setText("")
        self.finished_enrolment.emit()
        # An account an administrator made (or reset) starts with a one-time password:
        # the new one is set now, before the profile is used (still before the main window).
        store = opened[0]
        if store.get_state(StateKey.MUST_CHANGE_PASSWORD):
            from app.services.sync import SyncService
            from app.ui.new_password_dialog import NewPasswordDialog

            self.new_password = NewPasswordDialog(
                TaskRunner(), SyncService(store), self.server_password.text(), self
            )
            self.new_password.exec()
        self.accept()

    def _not_enrolled(self, exc: BaseException) -> None:
        self.enrolling = False
        self.start_button.setEnabled(True)
        self.error.setStyleSheet("color: #c62828;")
        known = isinstance(exc, (InvalidAccount, SyncError))
        self.error.setText(str(exc) if known else self.tr("无法登记本机：%1").replace("%1", str(exc)))
        self.finished_enrolment.emit()

    def reject(self) -> None:
        """Cancel waits for an enrolment under way (its profile would otherwise be left half-open)."""
        if self.enrolling:
            return
        super().reject()
