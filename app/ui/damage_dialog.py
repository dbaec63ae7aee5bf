"""The damaged-database screen: what happened, what to do, and the latest good backup to restore.

Shown at start when the database is empty, cut short, malformed or does not
open with this laptop's key. The damaged file is never written to or
replaced by a new profile: restoring moves it aside into ``backups/`` and
puts the backup in its place.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.domain.localtime import local_minute
from app.store.backups import BackupInfo, latest_good_backup, restore
from app.store.damage import Damage, DamagedDatabase
from app.ui.data_safety import backup_reason


class DamageDialog(QDialog):
    """Explains ``damage``; accepted after the latest good backup was restored."""

    def __init__(self, damage: DamagedDatabase, db_key: bytes | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.damage = damage
        self.setWindowTitle(self.tr("数据库已损坏"))
        self.setMinimumWidth(520)
        titles = {
            Damage.EMPTY: self.tr("数据库文件是空的"),
            Damage.TRUNCATED: self.tr("数据库文件不完整"),
            Damage.MALFORMED: self.tr("数据库文件已损坏"),
            Damage.WRONG_KEY: self.tr("数据库与本机密钥不匹配"),
        }
        title = QLabel(titles[damage.kind])
        title.setObjectName("damage_title")
        title.setStyleSheet("font-size: 18px; font-weight: bold; color: #c62828;")
        kept = self.tr("原文件已保留，请从备份恢复。")
        causes = {
            Damage.EMPTY: self.tr("文件长度为 0 字节，可能是磁盘已满或复制中断。"),
            Damage.TRUNCATED: self.tr("文件比应有的短，可能是复制或断电中断。"),
            Damage.MALFORMED: self.tr("文件中的数据页已损坏，无法读取。"),
            Damage.WRONG_KEY: self.tr("密钥文件与数据库不匹配，或文件头已损坏。"),
        }
        message = QLabel(f"{causes[damage.kind]}{kept}")
        message.setObjectName("damage_message")
        message.setWordWrap(True)
        where = QLabel(self.tr("文件位置：%1").replace("%1", str(damage.path)))
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        where.setStyleSheet("color: #666;")
        self.backup: BackupInfo | None = latest_good_backup(damage.path, db_key)
        if self.backup is not None:
            offer = self.tr(
                "最近一份完好的备份：%1（%2）。恢复后，此备份之后的修改会丢失；损坏的文件会移到备份文件夹保留。"
            )
            offer = offer.replace("%1", local_minute(self.backup.made_at.isoformat())).replace(
                "%2", backup_reason(self.backup.reason)
            )
        else:
            offer = self.tr("没有找到可用的备份。请不要删除数据文件夹，联系管理员或技术支持。")
        self.offer = QLabel(offer)
        self.offer.setObjectName("damage_offer")
        self.offer.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(self.tr("从备份恢复"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restore")
        self.restore_button.setEnabled(self.backup is not None)
        quit_button = buttons.addButton(self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setObjectName("quit")
        self.restore_button.clicked.connect(self.restore_latest)
        quit_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(message)
        layout.addWidget(where)
        layout.addSpacing(8)
        layout.addWidget(self.offer)
        layout.addWidget(buttons)

    def restore_latest(self) -> None:
        if self.backup is None:
            return
        restore(self.damage.path, self.backup.path)
        self.accept()
