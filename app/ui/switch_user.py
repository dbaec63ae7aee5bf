"""切换用户: another user takes the laptop without closing the profile.

An account already enrolled here unlocks offline. One that is not yet (a
second caseworker on a shared laptop) is checked against the server once and
enrolled: the profile key is wrapped for their password, which is why this
happens here, while the profile is open, and not on the cold login screen.
The previous user's unsynced changes stay in the profile and sync as theirs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.contract.errors import DeviceRevoked, SyncError
from app.services.auth import AccountLocked, AuthService, LoginFailed
from app.services.sync import SyncService
from app.services.wipe import destroy_keys
from app.store import keyfile
from app.store.models import User
from app.store.store import Store
from app.store.sync_state import StateKey
from app.ui.labels import user_label


class SwitchUserDialog(QDialog):
    """Log in as another user; ``user`` is set when accepted."""

    def __init__(self, store: Store, current: User | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.user: User | None = None
        self.revoked = False  # the server said this laptop is revoked: its keys are already gone
        self.setWindowTitle(self.tr("切换用户"))
        self.setMinimumWidth(420)
        login = current.username if current else ""
        name = (current.display_name if current else "") or login
        intro = QLabel(
            self.tr("当前用户：%1。切换后，%2 未同步的修改仍保留在本机，下次同步时上传。")
            .replace("%1", user_label(name, login))
            .replace("%2", name)
        )
        intro.setObjectName("current_user")
        intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        hint = QLabel(self.tr("尚未在本机登录过的服务器账号，需联网登录一次。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        buttons = QDialogButtonBox()
        self.switch_button = buttons.addButton(self.tr("切换"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.switch_button.setObjectName("switch")
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.try_switch)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_switch(self) -> None:
        name, password = self.username.text().strip(), self.password.text()
        auth = AuthService(self.store)
        try:
            server_url = self.store.get_state(StateKey.SERVER_URL)
            if not keyfile.is_enrolled(self.store.home, name) and server_url:
                result = SyncService(self.store).login(server_url, name, password)
                if result.must_change_password:  # a one-time password: the new one is set first
                    from app.ui.new_password_dialog import NewPasswordDialog
                    from app.ui.tasks import TaskRunner

                    asked = NewPasswordDialog(TaskRunner(), SyncService(self.store), password, self)
                    asked.exec()
                    password = asked.saved or password
            self.user = auth.login(name, password)
        except DeviceRevoked:
            destroy_keys(self.store.home)
            self.revoked = True
            self.reject()
        except AccountLocked as exc:
            self.error.setText(str(exc))
        except (LoginFailed, SyncError) as exc:
            self.error.setText(str(exc))
            self.password.selectAll()
        else:
            self.accept()
