"""同步: server login (binds this laptop), sync with progress and cancel, conflicts, rejected changes.

Automatic sync: every minute, when there is something to send and the server
answers its health check, a sync starts by itself.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.contract import protocol
from app.contract.errors import SyncError
from app.contract.hlc import Timestamp
from app.domain.ids import mask_id_number
from app.domain.localtime import local_minute, local_second
from app.services.duplicates import find_duplicate_persons, merge_persons
from app.services.forms_sync import sync_with_forms
from app.store.models import Household, Person
from app.sync.client import SyncClient, SyncReport, pending_count
from app.sync.service import discard_rejected, list_conflicts, list_rejected, resolve_conflict, retry_rejected
from app.ui.context import AppContext
from app.ui.sync.worker import SyncWorker
from app.ui.widgets.tables import rows_table

AUTO_SYNC_INTERVAL_MS = 60_000
STAGES = {
    "upload": QT_TRANSLATE_NOOP("SyncView", "上传附件"),
    "push": QT_TRANSLATE_NOOP("SyncView", "上传修改"),
    "pull": QT_TRANSLATE_NOOP("SyncView", "下载更新"),
    "download": QT_TRANSLATE_NOOP("SyncView", "下载附件"),
}
TABLE_NAMES = {
    "household": QT_TRANSLATE_NOOP("SyncView", "家庭"),
    "person": QT_TRANSLATE_NOOP("SyncView", "人员"),
    "visit": QT_TRANSLATE_NOOP("SyncView", "访视"),
    "formresponse": QT_TRANSLATE_NOOP("SyncView", "访视表单"),
    "renovationproject": QT_TRANSLATE_NOOP("SyncView", "改造项目"),
    "renovationitem": QT_TRANSLATE_NOOP("SyncView", "改造项目明细"),
    "acceptance": QT_TRANSLATE_NOOP("SyncView", "验收"),
    "certificate": QT_TRANSLATE_NOOP("SyncView", "验收单"),
    "attachment": QT_TRANSLATE_NOOP("SyncView", "附件"),
    "attachmentlink": QT_TRANSLATE_NOOP("SyncView", "附件关联"),
    "projectevent": QT_TRANSLATE_NOOP("SyncView", "项目进度"),
}


def clock_text(hlc: str) -> str:
    """A clock value as local time and device, for people."""
    from datetime import datetime

    try:
        ts = Timestamp.decode(hlc)
    except ValueError:
        return hlc
    return f"{datetime.fromtimestamp(ts.millis / 1000):%Y-%m-%d %H:%M}（{ts.device}）"


FIELD_NAMES = {
    "address": QT_TRANSLATE_NOOP("SyncView", "住址"),
    "phone": QT_TRANSLATE_NOOP("SyncView", "电话"),
    "economic_status": QT_TRANSLATE_NOOP("SyncView", "经济状况"),
    "head_name": QT_TRANSLATE_NOOP("SyncView", "户主"),
    "house_grade": QT_TRANSLATE_NOOP("SyncView", "危房等级"),
    "name": QT_TRANSLATE_NOOP("SyncView", "姓名"),
    "id_number": QT_TRANSLATE_NOOP("SyncView", "身份证号"),
    "cert_number": QT_TRANSLATE_NOOP("SyncView", "残疾人证号"),
    "category": QT_TRANSLATE_NOOP("SyncView", "残疾类别"),
    "level": QT_TRANSLATE_NOOP("SyncView", "残疾等级"),
    "status": QT_TRANSLATE_NOOP("SyncView", "状态"),
    "summary": QT_TRANSLATE_NOOP("SyncView", "访视摘要"),
    "deleted": QT_TRANSLATE_NOOP("SyncView", "删除"),
}

_EMPTY = QT_TRANSLATE_NOOP("SyncView", "（空）")
_YES = QT_TRANSLATE_NOOP("SyncView", "是")
_NO = QT_TRANSLATE_NOOP("SyncView", "否")


def value_text(value: Any) -> str:
    if value is None:
        return QCoreApplication.translate("SyncView", _EMPTY)
    if isinstance(value, bool):
        return QCoreApplication.translate("SyncView", _YES if value else _NO)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class SyncView(QWidget):
    """The sync screen."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.worker: SyncWorker | None = None

        # --- server and login
        self.server = QLineEdit(ctx.store.get_state("server_url") or ctx.settings.server_url)
        self.server.setObjectName("server_url")
        self.server.setPlaceholderText("http://127.0.0.1:8765")
        self.username = QLineEdit(ctx.store.get_state("username") or (ctx.user.username if ctx.user else ""))
        self.username.setObjectName("sync_username")
        self.password = QLineEdit()
        self.password.setObjectName("sync_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_button = QPushButton(self.tr("登录并绑定本机"))
        self.login_button.setObjectName("login")
        self.login_button.clicked.connect(self.login)
        self.binding = QLabel()
        self.binding.setObjectName("binding")
        self.binding.setWordWrap(True)
        login_box = QGroupBox(self.tr("服务器"))
        form = QFormLayout(login_box)
        form.addRow(self.tr("服务器地址"), self.server)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        form.addRow("", self.login_button)
        form.addRow("", self.binding)

        # --- sync now
        self.sync_button = QPushButton(self.tr("立即同步"))
        self.sync_button.setObjectName("sync_now")
        self.sync_button.setStyleSheet("font-weight: bold; padding: 6px 18px;")
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.status = QLabel()
        self.status.setObjectName("sync_status")
        self.status.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("sync_summary")
        self.summary.setWordWrap(True)
        sync_box = QGroupBox(self.tr("同步"))
        sb = QVBoxLayout(sync_box)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress, 1)
        sb.addLayout(row)
        sb.addWidget(self.status)
        sb.addWidget(self.summary)

        # --- conflicts and rejected changes
        self.conflicts = self._table(
            [
                self.tr("数据"),
                self.tr("字段"),
                self.tr("当前值"),
                self.tr("当前值来自"),
                self.tr("另一个值"),
                self.tr("另一个值来自"),
            ]
        )
        self.conflicts.setObjectName("conflicts")
        keep = QPushButton(self.tr("保留当前值"))
        keep.clicked.connect(lambda: self.resolve("current"))
        switch = QPushButton(self.tr("改用另一个值"))
        switch.setObjectName("take_other")
        switch.clicked.connect(lambda: self.resolve("other"))
        conflicts_page = QWidget()
        cl = QVBoxLayout(conflicts_page)
        cl.addWidget(
            QLabel(self.tr("同一字段在两处同时被修改时，较新的修改生效，另一个值保留在这里，可以改用它。"))
        )
        cl.addWidget(self.conflicts)
        buttons = QHBoxLayout()
        buttons.addWidget(keep)
        buttons.addWidget(switch)
        buttons.addStretch(1)
        cl.addLayout(buttons)

        self.rejected = self._table(
            [self.tr("数据"), self.tr("字段"), self.tr("值"), self.tr("原因"), self.tr("时间")]
        )
        self.rejected.setObjectName("rejected")
        retry = QPushButton(self.tr("重新提交"))
        retry.clicked.connect(self.retry_selected)
        discard = QPushButton(self.tr("放弃这些修改…"))
        discard.clicked.connect(self.discard_selected)
        rejected_page = QWidget()
        rl = QVBoxLayout(rejected_page)
        rl.addWidget(QLabel(self.tr("服务器拒收的修改保留在本机，直到修正后重新提交，或您确认放弃。")))
        rl.addWidget(self.rejected)
        buttons = QHBoxLayout()
        buttons.addWidget(retry)
        buttons.addWidget(discard)
        buttons.addStretch(1)
        rl.addLayout(buttons)

        self.tabs = QTabWidget()
        self.tabs.addTab(conflicts_page, self.tr("冲突"))
        self.tabs.addTab(rejected_page, self.tr("被拒收的修改"))

        self.duplicates = self._table(
            [self.tr("身份证号"), self.tr("姓名"), self.tr("住址"), self.tr("登记时间"), self.tr("处理")]
        )
        self.duplicates.setObjectName("duplicates")
        merge = QPushButton(self.tr("合并选中的重复登记…"))
        merge.setObjectName("merge_duplicates")
        merge.clicked.connect(self.merge_selected)
        duplicates_page = QWidget()
        dl = QVBoxLayout(duplicates_page)
        dl.addWidget(
            QLabel(
                self.tr(
                    "同一身份证号在两台电脑上各登记了一次。合并后保留最早的登记，访视、改造项目和照片转到保留的记录上。"
                )
            )
        )
        dl.addWidget(self.duplicates)
        buttons = QHBoxLayout()
        buttons.addWidget(merge)
        buttons.addStretch(1)
        dl.addLayout(buttons)
        self.tabs.addTab(duplicates_page, self.tr("重复登记"))

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(login_box, 1)
        top.addWidget(sync_box, 2)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        self.auto_timer = QTimer(self)
        self.auto_timer.setInterval(AUTO_SYNC_INTERVAL_MS)
        self.auto_timer.timeout.connect(self.auto_sync)
        self.auto_timer.start()
        ctx.events.sync_state_changed.connect(self.refresh)
        self.refresh()

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        return rows_table(headers, fit_contents=True, single=False)

    # --- state --------------------------------------------------------------

    def refresh(self) -> None:
        store = self.ctx.store
        bound = store.get_state("username")
        if store.get_state("token"):
            self.binding.setText(
                self.tr("本机已绑定：用户 %1，设备 %2")
                .replace("%1", bound)
                .replace("%2", store.get_state("server_device_id") or store.device_id)
            )
        else:
            self.binding.setText(self.tr("尚未登录服务器。登录一次后，本机即可离线工作并在有网络时同步。"))
        pending = pending_count(store)
        last = store.get_state("last_sync_success")
        text = self.tr("待上传修改：%1 项").replace("%1", str(pending))
        text += "　" + (
            self.tr("上次成功同步：%1").replace("%1", local_second(last)) if last else self.tr("从未同步")
        )
        self.status.setText(text)
        report = store.get_state("last_sync_report")
        if report:
            r = json.loads(report)
            self.summary.setText(
                self.tr("上次同步：上传 %1 项，下载 %2 条记录，冲突 %3，拒收 %4，用时 %5 秒")
                .replace("%1", str(r.get("pushed", 0)))
                .replace("%2", str(r.get("pulled_rows", 0)))
                .replace("%3", str(r.get("conflicts", 0)))
                .replace("%4", str(r.get("rejected", 0)))
                .replace("%5", str(r.get("seconds", 0)))
            )
        self._fill_conflicts()
        self._fill_rejected()
        self._fill_duplicates()

    def _fill_conflicts(self) -> None:
        rows = list_conflicts(self.ctx.store)
        self.conflicts.setRowCount(len(rows))
        for r, c in enumerate(rows):
            values = [
                self.tr(TABLE_NAMES.get(c.tbl, c.tbl)),
                self.field_label(c.field),
                value_text(c.winner_value),
                clock_text(c.winner_hlc),
                value_text(c.loser_value),
                clock_text(c.loser_hlc),
            ]
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.conflicts.setItem(r, col, item)
        self.tabs.setTabText(0, self.tr("冲突（%1）").replace("%1", str(len(rows))))

    def _fill_rejected(self) -> None:
        rows = list_rejected(self.ctx.store)
        self.rejected.setRowCount(len(rows))
        for r, rc in enumerate(rows):
            values = [
                self.tr(TABLE_NAMES.get(rc.tbl, rc.tbl)),
                self.field_label(rc.field),
                value_text(rc.value),
                rc.message,
                local_minute(rc.rejected_at),
            ]
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, rc.id)
                self.rejected.setItem(r, col, item)
        self.tabs.setTabText(1, self.tr("被拒收的修改（%1）").replace("%1", str(len(rows))))

    def field_label(self, field: str) -> str:
        """A column's Chinese name; a form answer as “表单答案：<question>”."""
        if field.startswith(("answers.", "checks.")):
            return self.tr("表单答案：%1").replace("%1", field.split(".", 1)[1])
        return self.tr(FIELD_NAMES[field]) if field in FIELD_NAMES else field

    def _fill_duplicates(self) -> None:
        groups = find_duplicate_persons(self.ctx.store)
        rows: list[tuple[str, Person, Household | None, bool]] = []
        with self.ctx.store.session() as s:
            for group in groups:
                for i, person_id in enumerate(group.person_ids):
                    person = s.get(Person, person_id)
                    if person is not None:
                        rows.append((group.id_number, person, s.get(Household, person.household_id), i == 0))
        self.duplicates.setRowCount(len(rows))
        for r, (number, person, household, keep) in enumerate(rows):
            values = [
                mask_id_number(number),
                person.name,
                household.address if household else "",
                local_minute(person.created_at),
                self.tr("保留") if keep else self.tr("并入上一条"),
            ]
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, number)
                self.duplicates.setItem(r, col, item)
        self.tabs.setTabText(2, self.tr("重复登记（%1）").replace("%1", str(len(groups))))

    def merge_selected(self) -> None:
        numbers = self._selected_ids(self.duplicates)
        groups = [g for g in find_duplicate_persons(self.ctx.store) if g.id_number in numbers]
        if not groups:
            return
        answer = QMessageBox.question(
            self,
            self.tr("合并重复登记"),
            self.tr("将 %1 组重复登记各合并为一条（保留最早的登记）。确定吗？").replace(
                "%1", str(len(groups))
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        for group in groups:
            keep, *drops = group.person_ids
            for drop in drops:
                merge_persons(self.ctx.store, keep, drop, actor=self.ctx.actor)
        self.ctx.events.households_changed.emit()
        self.refresh()

    def _selected_ids(self, table: QTableWidget) -> list[str]:
        return sorted({item.data(Qt.ItemDataRole.UserRole) for item in table.selectedItems()})

    # --- actions ------------------------------------------------------------

    def login(self) -> None:
        url, user, password = self.server.text().strip(), self.username.text().strip(), self.password.text()
        if not url or not user or not password:
            self.binding.setText(self.tr("请填写服务器地址、用户名和密码"))
            return
        self.login_button.setEnabled(False)
        self.binding.setText(self.tr("正在登录…"))
        store = self.ctx.store

        def work() -> object:
            return SyncClient(store, url).login(user, password, device_name=f"HomeVisit {store.device_id}")

        def done(_: object) -> None:
            self.login_button.setEnabled(True)
            self.password.clear()
            self.ctx.settings.server_url = url
            self.ctx.settings.save(store.home)
            self.refresh()
            self.ctx.events.sync_state_changed.emit()

        def failed(exc: BaseException) -> None:
            self.login_button.setEnabled(True)
            self.binding.setText(self.tr("登录失败：%1").replace("%1", str(exc)))

        self.ctx.tasks.run_net(work, done, failed)

    def start_sync(self) -> None:
        if self.worker is not None:
            return
        store = self.ctx.store
        if not store.get_state("token"):
            self.status.setText(self.tr("请先登录服务器"))
            return
        self.sync_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("正在连接…"))
        self.worker = SyncWorker(lambda **kw: sync_with_forms(store, **kw))
        self.worker.progress.connect(self._on_progress)
        self.worker.succeeded.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self._on_finished)
        self.worker.start()

    def cancel_sync(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat(self.tr("正在取消…"))

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        name = self.tr(STAGES.get(stage, stage))
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress.setFormat(f"{name} %v / %m")
        else:
            self.progress.setRange(0, 0)
            self.progress.setFormat(name)

    def _on_done(self, report: SyncReport) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setFormat(self.tr("已取消") if report.cancelled else self.tr("同步完成"))
        self.ctx.events.households_changed.emit()
        self.ctx.events.visits_changed.emit()
        self.ctx.events.projects_changed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("同步未完成"))
        message = exc.message if isinstance(exc, SyncError) else str(exc)
        self.status.setText(
            self.tr("同步未完成：%1。已保存的数据不受影响，稍后可再次同步。").replace("%1", message)
        )

    def _on_finished(self) -> None:
        self.worker = None
        self.sync_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.ctx.events.sync_state_changed.emit()
        if not self.status.text().startswith(self.tr("同步未完成")):
            self.refresh()

    def auto_sync(self) -> None:
        """Sync by itself when there is something to send and the server answers."""
        store = self.ctx.store
        if self.worker is not None or not self.ctx.settings.auto_sync or not store.get_state("token"):
            return
        if pending_count(store) == 0:
            return
        url = store.get_state("server_url")

        def reachable() -> bool:
            try:
                return requests.get(f"{url}{protocol.API_PREFIX}/health", timeout=2).ok
            except requests.RequestException:
                return False

        self.ctx.tasks.run_net(reachable, lambda ok: self.start_sync() if ok else None, lambda _: None)

    def resolve(self, keep: str) -> None:
        for conflict_id in self._selected_ids(self.conflicts):
            resolve_conflict(self.ctx.store, conflict_id, keep, actor=self.ctx.actor)  # type: ignore[arg-type]
        self.ctx.events.households_changed.emit()
        self.refresh()

    def retry_selected(self) -> None:
        ids = self._selected_ids(self.rejected)
        if ids:
            retry_rejected(self.ctx.store, ids)
            self.refresh()

    def discard_selected(self) -> None:
        ids = self._selected_ids(self.rejected)
        if not ids:
            return
        answer = QMessageBox.question(
            self,
            self.tr("放弃修改"),
            self.tr("确定放弃选中的 %1 项修改吗？放弃后将以服务器上的数据为准，无法恢复。").replace(
                "%1", str(len(ids))
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            discard_rejected(self.ctx.store, ids)
            self.refresh()
