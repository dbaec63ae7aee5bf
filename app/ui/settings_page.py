"""设置: language, idle lock, federation name and server address."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.auth import idle_minutes
from app.ui.context import AppContext
from app.ui.data_safety import DataSafetyBox
from app.ui.i18n import LANGUAGES


class SettingsPage(QWidget):
    """Edits ``Settings`` and saves them to the profile."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        s = ctx.settings
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(s.language), 0))
        self.idle = QSpinBox()
        self.idle.setObjectName("idle_lock_minutes")
        # The federation's policy caps the idle time; a user may shorten it, never turn the lock off.
        policy = ctx.policy_max_idle
        self.idle.setRange(1, idle_minutes(0, policy))
        self.idle.setSuffix(self.tr(" 分钟"))
        self.idle.setValue(idle_minutes(s.idle_lock_minutes, policy))
        self.federation = QLineEdit(s.federation_name)
        self.server = QLineEdit(s.server_url)
        self.server.setPlaceholderText("https://canlian.example.gov.cn")
        self.saved = QLabel()
        self.saved.setObjectName("saved")
        save = QPushButton(self.tr("保存设置"))
        save.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow(self.tr("界面语言（重启后生效）"), self.language)
        form.addRow(self.tr("无操作自动锁定"), self.idle)
        form.addRow(self.tr("出证单位（验收单抬头）"), self.federation)
        form.addRow(self.tr("服务器地址"), self.server)
        form.addRow(self.tr("数据文件夹"), QLabel(str(ctx.store.home)))
        form.addRow(self.tr("本机设备号"), QLabel(ctx.store.device_id))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(save)
        layout.addWidget(self.saved)
        layout.addWidget(DataSafetyBox(ctx))
        layout.addStretch(1)

    def save(self) -> None:
        s = self.ctx.settings
        s.language = self.language.currentData()
        s.idle_lock_minutes = self.idle.value()
        s.federation_name = self.federation.text().strip() or s.federation_name
        s.server_url = self.server.text().strip()
        s.save(self.ctx.store.home)
        idle = getattr(self.window(), "idle_lock", None)
        if idle is not None:
            idle.set_minutes(s.idle_lock_minutes)
        self.saved.setText(self.tr("已保存"))
