"""The login screen: the password opens this laptop's profile, no network needed.

From cold (``opener``, normally ``app.services.profile.open_profile``) the
password must unwrap the user's copy of the profile key; on an open profile
(unlock, switch user) ``AuthService.login`` checks it the same way. Either
way the failures count and the wait grows, shown here as a countdown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.auth import AccountLocked, AuthService, LoginFailed
from app.store.damage import DamagedDatabase
from app.store.models import User

Opener = Callable[[str, str], tuple[Any, User]]


class LoginDialog(QDialog):
    """Asks for user name and password; ``user`` is set when the dialog is accepted.

    With ``locked_user`` it becomes the idle-lock screen: only that user's
    password unlocks it. With ``opener`` it opens the profile from cold and
    keeps what it returned in ``opened``; a damaged database is left in
    ``damage`` and the dialog closes, so the caller can offer a backup.
    """

    def __init__(
        self,
        auth: AuthService | None = None,
        parent: QWidget | None = None,
        locked_user: str | None = None,
        *,
        opener: Opener | None = None,
    ) -> None:
        super().__init__(parent)
        self.auth = auth
        self.opener = opener
        self.user: User | None = None
        self.opened: tuple[Any, User] | None = None
        self.damage: DamagedDatabase | None = None
        self.setWindowTitle(self.tr("HomeVisit 入户访视 - 登录") if not locked_user else self.tr("已锁定"))
        self.setMinimumWidth(380)

        title = QLabel(self.tr("入户访视") if not locked_user else self.tr("已锁定，请输入密码解锁"))
        font = QFont(title.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subtitle = QLabel(self.tr("离线登录：无需网络，密码打开本机加密保存的资料"))
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subtitle.setWordWrap(True)
        subtitle.setStyleSheet("color: #666;")

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("用户名"))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        if locked_user:
            self.username.setText(locked_user)
            self.username.setReadOnly(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)

        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(
            self.tr("登录") if not locked_user else self.tr("解锁"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.login_button.setDefault(True)
        self.buttons.accepted.connect(self.try_login)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._wait = 0
        (self.password if locked_user else self.username).setFocus()

    def try_login(self) -> None:
        try:
            if self.opener is not None:
                self.opened = self.opener(self.username.text(), self.password.text())
                self.user = self.opened[1]
            else:
                assert self.auth is not None
                self.user = self.auth.login(self.username.text(), self.password.text())
        except DamagedDatabase as exc:
            self.damage = exc
            self.done(QDialog.DialogCode.Rejected)
        except AccountLocked as exc:
            self._start_countdown(exc.seconds)
        except LoginFailed as exc:
            self.error.setText(str(exc))
            self.password.selectAll()
            self.password.setFocus()
        else:
            self.accept()

    def _start_countdown(self, seconds: int) -> None:
        self._wait = seconds
        self.login_button.setEnabled(False)
        self._tick_text()
        self._countdown.start()

    def _tick(self) -> None:
        self._wait -= 1
        if self._wait <= 0:
            self._countdown.stop()
            self.login_button.setEnabled(True)
            self.error.setText(self.tr("可以再次尝试登录"))
        else:
            self._tick_text()

    def _tick_text(self) -> None:
        self.error.setText(self.tr("密码错误次数过多，请在 %n 秒后再试", "", self._wait))
