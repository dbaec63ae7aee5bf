"""同步: server login (binds this laptop), sync with progress and cancel, conflicts, rejected changes.

Automatic sync: every minute, when there is something to send and the server
answers its health check, a sync starts by itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

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

from app.contract.errors import SyncError
from app.domain.ids import mask_id_number
from app.domain.localtime import local_minute, local_second
from app.services.sync import (
    ConflictRow,
    DuplicateRow,
    QuarantinedRow,
    RejectedRow,
    SyncReport,
    SyncService,
    SyncStatus,
)
from app.services.wipe import DeviceWiped
from app.ui import form_text
from app.ui.context import AppContext
from app.ui.labels import ClockWriterLabel, user_label
from app.ui.new_password_dialog import NewPasswordDialog
from app.ui.sync import record_labels
from app.ui.sync.worker import SyncWorker
from app.ui.widgets.reason_prompt import ask_required_reason
from app.ui.widgets.tables import rows_table

AUTO_SYNC_INTERVAL_MS = 60_000
STAGES = {
    "upload": QT_TRANSLATE_NOOP("SyncView", "上传附件"),
    "push": QT_TRANSLATE_NOOP("SyncView", "上传修改"),
    "audit": QT_TRANSLATE_NOOP("SyncView", "上传操作记录"),
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
    "needitem": QT_TRANSLATE_NOOP("SyncView", "需求事项"),
}


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


FAILURE_KINDS = {
    "network": QT_TRANSLATE_NOOP("SyncView", "连不上服务器（没有网络或服务器未开）"),
    "login": QT_TRANSLATE_NOOP("SyncView", "登录已失效，请重新登录服务器"),
    "server": QT_TRANSLATE_NOOP("SyncView", "服务器拒绝了这次同步"),
    "other": QT_TRANSLATE_NOOP("SyncView", "同步出错"),
}


@dataclass(frozen=True)
class Snapshot:
    """Everything the screen shows, read in the database worker in one go."""

    status: SyncStatus
    conflicts: list[ConflictRow]
    rejected: list[RejectedRow]
    duplicates: list[DuplicateRow]
    quarantined: list[QuarantinedRow] = field(default_factory=list)


def load_snapshot(service: SyncService) -> Snapshot:
    return Snapshot(
        service.status(), service.conflicts(), service.rejected(), service.duplicates(), service.quarantined()
    )


class SyncView(QWidget):
    """The sync screen; every read and write goes through ``SyncService`` in a worker."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = SyncService(ctx.store)
        self.worker: SyncWorker | None = None
        self.snapshot: Snapshot | None = None

        # --- server and login (filled in from the stored binding when the first snapshot arrives)
        self.server = QLineEdit(ctx.settings.server_url)
        self.server.setObjectName("server_url")
        self.server.setPlaceholderText("http://127.0.0.1:8765")
        self.username = QLineEdit(ctx.user.username if ctx.user else "")
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
        # Two lines reserved: the form layout does not grow for a wrapped label (English wraps the device id).
        self.binding.setMinimumHeight(2 * self.binding.fontMetrics().lineSpacing())
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
        self.rejected.setWordWrap(True)
        retry = QPushButton(self.tr("重新提交"))
        retry.clicked.connect(self.retry_selected)
        discard = QPushButton(self.tr("放弃这些修改…"))
        discard.clicked.connect(lambda: self.discard_selected())
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

        # --- pulled rows this laptop could not store (app.sync.quarantine)
        self.quarantine = self._table(
            [
                self.tr("数据"),
                self.tr("记录编号"),
                self.tr("收到的内容"),
                self.tr("无法保存的原因"),
                self.tr("时间"),
            ]
        )
        self.quarantine.setObjectName("quarantine")
        self.quarantine.setWordWrap(True)
        quarantine_page = QWidget()
        ql = QVBoxLayout(quarantine_page)
        note = QLabel(
            self.tr(
                "从服务器下载的这些记录本机无法保存，已原样保留并报告给服务器，其余数据照常同步。"
                "请联系管理员在服务器上修正这些记录。"
            )
        )
        note.setWordWrap(True)
        ql.addWidget(note)
        ql.addWidget(self.quarantine)
        self.tabs.addTab(quarantine_page, self.tr("无法保存的下载"))

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
        """Read the state, conflicts, rejected changes and duplicates in the worker, then show them."""
        service = self.service
        self.ctx.tasks.run_db(lambda: load_snapshot(service), self.show_snapshot)

    def show_snapshot(self, snap: Snapshot) -> None:
        first = self.snapshot is None
        self.snapshot = snap
        st = snap.status
        if first:
            self.server.setText(st.server_url or self.server.text())
            self.username.setText(st.username or self.username.text())
        if st.bound:
            self.binding.setText(
                self.tr("本机已绑定：用户 %1，设备 %2")
                .replace("%1", user_label(st.user_name, st.username))
                .replace("%2", st.device_id)
            )
        else:
            self.binding.setText(self.tr("尚未登录服务器。登录一次后，本机即可离线工作并在有网络时同步。"))
        text = self.tr("待上传修改：%1 项").replace("%1", str(st.pending))
        text += "　" + (
            self.tr("上次成功同步：%1").replace("%1", local_second(st.last_success))
            if st.last_success
            else self.tr("从未同步")
        )
        failure = st.last_failure
        if st.last_failed and failure is not None:
            text += "\n" + self.failure_text(failure.kind, failure.message, local_second(failure.at))
            self.status.setStyleSheet("color: #c62828;")
        else:
            self.status.setStyleSheet("")
        self.status.setText(text)
        r = st.last_report
        if r and not st.last_failed:
            self.summary.setText(
                self.tr("上次同步成功：上传 %1 项，下载 %2 条记录，冲突 %3，拒收 %4，用时 %5 秒")
                .replace("%1", str(r.get("pushed", 0)))
                .replace("%2", str(r.get("pulled_rows", 0)))
                .replace("%3", str(r.get("conflicts", 0)))
                .replace("%4", str(r.get("rejected", 0)))
                .replace("%5", str(r.get("seconds", 0)))
            )
        else:
            self.summary.setText("")
        self._fill_conflicts(snap.conflicts)
        self._fill_rejected(snap.rejected)
        self._fill_duplicates(snap.duplicates)
        self._fill_quarantine(snap.quarantined)

    def failure_text(self, kind: str, message: str, when: str) -> str:
        """ "同步失败（时间）：原因 — 服务器的说明" for the status line."""
        reason = self.tr(FAILURE_KINDS.get(kind, FAILURE_KINDS["other"]))
        if kind in ("network", "login"):  # the reason says it all, in the interface's language
            return self.tr("上次同步失败（%1）：%2。").replace("%1", when).replace("%2", reason)
        return (
            self.tr("上次同步失败（%1）：%2。%3")
            .replace("%1", when)
            .replace("%2", reason)
            .replace("%3", message)
        )

    def _fill(self, table: QTableWidget, rows: list[tuple[str, list[str]]]) -> None:
        table.setRowCount(len(rows))
        for r, (key, values) in enumerate(rows):
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, key)
                table.setItem(r, col, item)

    def record_text(self, tbl: str, record: str) -> str:
        table = self.tr(TABLE_NAMES.get(tbl, tbl))
        return f"{table}{form_text.colon()}{record}" if record else table

    def _fill_conflicts(self, rows: list[ConflictRow]) -> None:
        self._fill(
            self.conflicts,
            [
                (
                    c.id,
                    [
                        self.record_text(c.tbl, c.record),
                        self.field_label(c.field),
                        record_labels.value_text(c.tbl, c.field, c.winner_value),
                        ClockWriterLabel.of(c.winner_by),
                        record_labels.value_text(c.tbl, c.field, c.loser_value),
                        ClockWriterLabel.of(c.loser_by),
                    ],
                )
                for c in rows
            ],
        )
        self.tabs.setTabText(0, self.tr("冲突（%1）").replace("%1", str(len(rows))))

    def _fill_rejected(self, rows: list[RejectedRow]) -> None:
        self._fill(
            self.rejected,
            [
                (
                    rc.id,
                    [
                        self.record_text(rc.tbl, rc.record),
                        self.field_label(rc.field),
                        record_labels.value_text(rc.tbl, rc.field, rc.value),
                        record_labels.reason_text(rc.code, rc.message),
                        local_minute(rc.rejected_at),
                    ],
                )
                for rc in rows
            ],
        )
        self._show_whole(self.rejected, 3)
        self.tabs.setTabText(1, self.tr("被拒收的修改（%1）").replace("%1", str(len(rows))))

    def _show_whole(self, table: QTableWidget, wrap_column: int) -> None:
        """Every cell's whole text as its tooltip; the long column wraps instead of being cut."""
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                if item is not None:
                    item.setToolTip(item.text())
        from PySide6.QtWidgets import QHeaderView

        # The long column wraps at a fixed width (the others fit their contents), so the time
        # column stays on screen at 1366 px and a long reason shows whole on two or three lines.
        table.horizontalHeader().setSectionResizeMode(wrap_column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(wrap_column, 520)
        table.resizeRowsToContents()

    def _fill_quarantine(self, rows: list[QuarantinedRow]) -> None:
        self._fill(
            self.quarantine,
            [
                (
                    str(q.id),
                    [
                        self.tr(TABLE_NAMES.get(q.tbl, q.tbl)),
                        q.row_id,
                        self.received_text(q),
                        self.quarantine_reason(q.error),
                        local_minute(q.quarantined_at),
                    ],
                )
                for q in rows
            ],
        )
        self._show_whole(self.quarantine, 2)
        self.tabs.setTabText(3, self.tr("无法保存的下载（%1）").replace("%1", str(len(rows))))

    def received_text(self, q: QuarantinedRow) -> str:
        """The received row as “label: value” pairs (the columnar row with the page's columns)."""
        from app.contract.page import VALUES

        received = q.received or {}
        columns, row = received.get("columns") or [], received.get("row") or []
        values = row[VALUES] if len(row) > VALUES and isinstance(row[VALUES], list) else []
        colon, sep = (": ", "; ") if form_text.english() else ("：", "；")
        pairs = []
        for name, value in zip(columns, values, strict=False):
            if name.startswith("_") or name in ("id", "seq", "hlc"):
                continue
            pairs.append(f"{self.field_label(name)}{colon}{record_labels.value_text(q.tbl, name, value)}")
        return sep.join(pairs) or json.dumps(received, ensure_ascii=False)[:500]

    def quarantine_reason(self, error: str) -> str:
        """Why the row could not be stored: the kind of error in words, then the technical detail."""
        kind = error.split(":", 1)[0]
        words = {
            "OverflowError": self.tr("数值超出本机能保存的范围"),
            "IntegrityError": self.tr("引用的记录在本机不存在，或与已有记录冲突"),
            "ValueError": self.tr("值的格式不对"),
            "TypeError": self.tr("值的类型不对"),
            "KeyError": self.tr("缺少必需的字段"),
        }.get(kind, self.tr("无法保存"))
        return f"{words} ({error})" if form_text.english() else f"{words}（{error}）"

    def field_label(self, field: str) -> str:
        """A column's name in the interface's language; a form answer as “表单答案：<question>”."""
        return record_labels.field_label(field)

    def _fill_duplicates(self, rows: list[DuplicateRow]) -> None:
        self._fill(
            self.duplicates,
            [
                (
                    d.id_number,
                    [
                        mask_id_number(d.id_number),
                        d.name,
                        d.address,
                        local_minute(d.created_at),
                        self.tr("保留") if d.keep else self.tr("并入上一条"),
                    ],
                )
                for d in rows
            ],
        )
        groups = len({d.id_number for d in rows})
        self.tabs.setTabText(2, self.tr("重复登记（%1）").replace("%1", str(groups)))

    def merge_selected(self) -> None:
        numbers = self._selected_ids(self.duplicates)
        if not numbers:
            return
        answer = QMessageBox.question(
            self,
            self.tr("合并重复登记"),
            self.tr("将 %1 组重复登记各合并为一条（保留最早的登记）。确定吗？").replace(
                "%1", str(len(numbers))
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        service, actor = self.service, self.ctx.actor

        def done(_: int) -> None:
            self.ctx.events.households_changed.emit()
            self.refresh()

        self.ctx.tasks.run_db(
            lambda: service.merge_duplicates(numbers, actor=actor), done, self._action_failed
        )

    def _selected_ids(self, table: QTableWidget) -> list[str]:
        return sorted({item.data(Qt.ItemDataRole.UserRole) for item in table.selectedItems()})

    def _action_failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, self.tr("同步"), getattr(error, "message", None) or str(error))
        self.refresh()

    # --- actions ------------------------------------------------------------

    def login(self) -> None:
        url, user, password = self.server.text().strip(), self.username.text().strip(), self.password.text()
        if not url or not user or not password:
            self.binding.setText(self.tr("请填写服务器地址、用户名和密码"))
            return
        self.login_button.setEnabled(False)
        self.binding.setText(self.tr("正在登录…"))
        service = self.service

        def done(result: object) -> None:
            self.login_button.setEnabled(True)
            self.password.clear()
            self.ctx.settings.server_url = url
            self.ctx.settings.save(self.ctx.store.home)
            self.refresh()
            self.ctx.events.sync_state_changed.emit()
            if getattr(result, "must_change_password", False):  # a password an administrator reset
                self.new_password = NewPasswordDialog(self.ctx.tasks, service, password, self)
                self.new_password.open()

        def failed(exc: BaseException) -> None:
            self.login_button.setEnabled(True)
            message = exc.message if isinstance(exc, SyncError) else str(exc)
            self.binding.setText(self.tr("登录失败：%1").replace("%1", message))

        self.ctx.tasks.run_net(lambda: service.login(url, user, password), done, failed)

    def start_sync(self) -> None:
        if self.worker is not None:
            return
        if self.snapshot is not None and not self.snapshot.status.bound:
            self.status.setText(self.tr("请先登录服务器"))
            return
        self.sync_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("正在连接…"))
        self.worker = SyncWorker(self.service.sync)
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
        if isinstance(exc, DeviceWiped):
            self.window().session.device_wiped(str(exc))  # type: ignore[attr-defined]
            return
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("同步失败"))

    def _on_finished(self) -> None:
        self.worker = None
        self.sync_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.ctx.events.sync_state_changed.emit()  # refreshes this screen and the status bar

    def auto_sync(self) -> None:
        """Sync by itself when there is something to send and the server answers."""
        if self.worker is not None or not self.ctx.settings.auto_sync:
            return
        service = self.service

        def worth_it() -> bool:
            return service.is_bound() and service.pending_count() > 0 and service.server_reachable()

        self.ctx.tasks.run_net(worth_it, lambda ok: self.start_sync() if ok else None, lambda _: None)

    def resolve(self, keep: str) -> None:
        ids = self._selected_ids(self.conflicts)
        if not ids:
            return
        service, actor = self.service, self.ctx.actor

        def done(_: int) -> None:
            self.ctx.events.households_changed.emit()
            self.refresh()

        self.ctx.tasks.run_db(
            lambda: service.resolve(ids, keep, actor=actor),  # type: ignore[arg-type]
            done,
            self._action_failed,
        )

    def retry_selected(self) -> None:
        ids = self._selected_ids(self.rejected)
        if ids:
            service = self.service
            self.ctx.tasks.run_db(lambda: service.retry(ids), lambda _: self.refresh(), self._action_failed)

    def discard_selected(self, reason: str | None = None) -> None:
        """Give up the selected refused changes, with a reason (required, recorded in the audit log)."""
        ids = self._selected_ids(self.rejected)
        if not ids:
            return
        if reason is None:
            prompt = self.tr(
                "放弃选中的 %1 项修改后将以服务器上的数据为准，无法恢复。请填写放弃的原因（记录在案）："
            ).replace("%1", str(len(ids)))
            reason = ask_required_reason(
                self, self.tr("放弃修改"), prompt, self.tr("原因不能为空。请填写放弃这些修改的原因：")
            )
            if not reason:
                return
        service, actor = self.service, self.ctx.actor
        self.ctx.tasks.run_db(
            lambda: service.discard(ids, str(reason), actor=actor),
            lambda _: self.refresh(),
            self._action_failed,
        )
