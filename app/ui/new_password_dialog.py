"""设置新密码: asked right after a server login whose password an administrator reset.

The server says so in its login answer (``must_change_password``); the new password goes
to the server (``SyncService.change_password``, on the network pool) and then replaces the
one this laptop keeps for offline login.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.contract.errors import SyncError
from app.services.sync import SyncService
from app.ui.tasks import TaskRunner


class NewPasswordDialog(QDialog):
    def __init__(
        self, tasks: TaskRunner, service: SyncService, current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置新密码"))
        self.tasks, self.service, self.current = tasks, service, current
        self.saved = ""  # the new password, once the server took it
        intro = QLabel(
            self.tr("管理员已重置您的密码。请设置一个只有您自己知道的新密码，之后用新密码登录本机和服务器。")
        )
        intro.setWordWrap(True)
        self.new = QLineEdit()
        self.new.setObjectName("new_password")
        self.again = QLineEdit()
        self.again.setObjectName("new_password_again")
        for edit in (self.new, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("新密码"), self.new)
        form.addRow(self.tr("再次输入新密码"), self.again)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(self.tr("保存新密码"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("save_password")
        self.buttons.accepted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def save(self) -> None:
        new, again = self.new.text(), self.again.text()
        if not new:
            self.error.setText(self.tr("请输入新密码"))
            return
        if new != again:
            self.error.setText(self.tr("两次输入的密码不一致"))
            return
        self.ok.setEnabled(False)
        self.error.setText(self.tr("正在保存…"))
        current, service = self.current, self.service
        self.tasks.run_net(
            lambda: service.change_password(current, new), lambda _r: self._saved(new), self._failed
        )

    def _saved(self, new: str) -> None:
        self.saved = new
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.error.setText(exc.message if isinstance(exc, SyncError) else str(exc))

    def reject(self) -> None:
        # The server accepts nothing else until the password is changed: closing is not offered.
        self.error.setText(self.tr("请先设置新密码"))
