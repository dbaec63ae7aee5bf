"""First start on a new laptop: create the first local account.

With a server address the account comes from the server instead (the sync
screen's login binds the device); this dialog covers a laptop that has never
seen a network.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.enums import Role
from app.services.auth import InvalidAccount
from app.ui.context import AppContext


class FirstRunDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("首次使用"))
        intro = QLabel(self.tr("本机还没有账号。请创建管理员账号，之后可在同步页面登录服务器并绑定本机。"))
        intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.display = QLineEdit()
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("姓名"), self.display)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("再次输入密码"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def create(self) -> None:
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("两次输入的密码不一致"))
            return
        try:
            self.ctx.auth.create_user(
                self.username.text(),
                self.password.text(),
                role=Role.ADMIN,
                regions=["3308"],
                display_name=self.display.text().strip(),
            )
        except InvalidAccount as exc:
            self.error.setText(str(exc))
            return
        self.accept()
