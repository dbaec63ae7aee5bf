"""数据安全 in settings: back up now, restore a backup, change password, remove this laptop's data.

Restoring and removing need the profile closed, so both end the session
(``Session`` in ``app.ui.main`` does the work after every window closed): a
restore is followed by the login to the restored database; removing the data
quits. Removing refuses while changes wait to be synced, unless the user
confirms a second time, told how many changes would be lost.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.localtime import local_minute
from app.services import wipe
from app.services.auth import InvalidAccount, LoginFailed
from app.store.backups import BackupInfo, list_backups, make_backup
from app.ui.context import AppContext


def backup_reason(reason: str) -> str:
    """What a backup's reason (from its file name) means, in the interface language."""
    named = {
        "daily": QCoreApplication.translate("BackupsDialog", "每日"),
        "encrypted": QCoreApplication.translate("BackupsDialog", "加密后"),
    }
    return named.get(reason, QCoreApplication.translate("BackupsDialog", "升级前 %1").replace("%1", reason))


class BackupsDialog(QDialog):
    """The profile's backups, newest first; 恢复所选备份 ends the session and restores it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chosen: BackupInfo | None = None
        self.setWindowTitle(self.tr("备份与恢复"))
        self.resize(640, 380)
        intro = QLabel(
            self.tr(
                "每天首次登录和每次升级前自动备份，保留最近 10 份。备份与数据库一样加密，只能用本机账号的密码打开。"
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backups")
        self.table.setHorizontalHeaderLabels([self.tr("备份时间"), self.tr("原因"), self.tr("大小")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        backup_now = QPushButton(self.tr("立即备份"))
        backup_now.setObjectName("backup_now")
        backup_now.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(self.tr("恢复所选备份…"))
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self.restore_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(backup_now)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.backups = list_backups(self.ctx.store.db_path)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            reason = backup_reason(info.reason)
            for col, text in enumerate(
                (local_minute(info.made_at.isoformat()), reason, f"{info.size / 1e6:.1f} MB")
            ):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        if self.backups:
            self.table.selectRow(0)
        self.restore_button.setEnabled(bool(self.backups))

    def backup_now(self) -> None:
        store = self.ctx.store
        make_backup(store.db_path, store.db_key, "daily")
        self.refresh()

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.backups):
            return
        info = self.backups[row]
        answer = QMessageBox.question(
            self,
            self.tr("恢复备份"),
            self.tr(
                "恢复到 %1 的备份？此后的修改会丢失（当前数据库会移到备份文件夹保留）。恢复后需要重新登录。"
            ).replace("%1", local_minute(info.made_at.isoformat())),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen = info
            self.accept()


class ChangePasswordDialog(QDialog):
    """A user's own password on this laptop: the profile key is rewrapped, no data re-encrypted."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("修改本机密码"))
        self.old, self.new, self.repeat = QLineEdit(), QLineEdit(), QLineEdit()
        for name, field in (("old", self.old), ("new", self.new), ("repeat", self.repeat)):
            field.setObjectName(name)
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("原密码"), self.old)
        form.addRow(self.tr("新密码"), self.new)
        form.addRow(self.tr("再次输入新密码"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def change(self) -> None:
        if self.new.text() != self.repeat.text():
            self.error.setText(self.tr("两次输入的密码不一致"))
            return
        try:
            self.ctx.auth.change_password(self.ctx.actor, self.old.text(), self.new.text())
        except (LoginFailed, InvalidAccount) as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class DataSafetyBox(QGroupBox):
    """The settings page's 数据安全 group."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("数据安全"), parent)
        self.ctx = ctx
        row = QHBoxLayout(self)
        for name, text, slot in (
            ("backups", self.tr("备份与恢复…"), self.open_backups),
            ("change_password", self.tr("修改本机密码…"), self.change_password),
            ("remove_data", self.tr("清除本机资料…"), self.remove_data),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)

    def open_backups(self) -> None:
        dialog = BackupsDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.window().session.restore_backup(dialog.chosen.path)  # type: ignore[attr-defined]

    def change_password(self) -> None:
        if ChangePasswordDialog(self.ctx, self).exec() == QDialog.DialogCode.Accepted:
            QMessageBox.information(
                self, self.tr("修改本机密码"), self.tr("密码已修改，下次登录请使用新密码。")
            )

    def remove_data(self) -> None:
        first = QMessageBox.warning(
            self,
            self.tr("清除本机资料"),
            self.tr("清除后，本机的数据库、照片、签名和备份全部删除，无法恢复。继续吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if first != QMessageBox.StandardButton.Yes:
            return
        confirmations = 1
        pending = wipe.unsynced_count(self.ctx.store)
        if pending:
            second = QMessageBox.warning(
                self,
                self.tr("清除本机资料"),
                self.tr("本机还有 %1 项修改未同步，清除后将永久丢失。确定仍要清除吗？").replace(
                    "%1", str(pending)
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if second != QMessageBox.StandardButton.Yes:
                return
            confirmations = 2
        wipe.check_removal(self.ctx.store, confirmations=confirmations)
        self.window().session.remove_data()  # type: ignore[attr-defined]
