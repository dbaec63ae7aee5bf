"""The banner a record's page shows when the server refused some of its changes.

Where the user works (a project, a household, a visit), not only under 同步: each refused field
by its label, the value and the reason in the interface's language, with the ways forward —
fix the value on the page and resend (a newer edit of the field replaces the refused one), or
discard the refused changes with a recorded reason (the server's values come back).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.sync import RejectedRow, SyncService
from app.ui import form_text
from app.ui.context import AppContext
from app.ui.sync import record_labels
from app.ui.widgets.reason_prompt import ask_required_reason


def rejected_of(service: SyncService, keys: Iterable[tuple[str, str]]) -> list[RejectedRow]:
    """The refused changes of these ``(table, row id)`` records (worker side)."""
    wanted = set(keys)
    return [r for r in service.rejected() if (r.tbl, r.row_id) in wanted]


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


class RejectedBanner(QFrame):
    """Red box listing a record's refused changes; ``changed`` after a resend or a discard."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[RejectedRow] = []
        self.setObjectName("rejected_banner")
        self.setStyleSheet(
            "#rejected_banner { background: #fdecea; border: 1px solid #e57373; border-radius: 4px; }"
            " #rejected_banner QLabel { color: #b71c1c; }"
        )
        self.text = QLabel()
        self.text.setObjectName("rejected_text")
        self.text.setWordWrap(True)
        self.resend = QPushButton(self.tr("改正后重新提交"))
        self.resend.setObjectName("rejected_resend")
        self.resend.setToolTip(
            self.tr("先在本页改正这些值（新的修改会替换被拒收的修改），再点此重新提交；同步时上传。")
        )
        self.resend.clicked.connect(self._resend)
        self.discard = QPushButton(self.tr("放弃这些修改…"))
        self.discard.setObjectName("rejected_discard")
        self.discard.clicked.connect(lambda: self.discard_all())
        buttons = QVBoxLayout()
        buttons.addWidget(self.resend)
        buttons.addWidget(self.discard)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addLayout(buttons)
        self.setVisible(False)

    def show_rows(self, rows: list[RejectedRow]) -> None:
        self.rows = rows
        if not rows:
            self.setVisible(False)
            return
        lines = [
            "<b>" + _esc(self.tr("服务器未接收本记录的 %1 项修改：").replace("%1", str(len(rows)))) + "</b>"
        ]
        english = form_text.english()
        by_reason: dict[str, list[str]] = {}  # one line per reason: the fields it refused
        for r in rows:
            label = record_labels.field_label(r.field)
            value = record_labels.value_text(r.tbl, r.field, r.value)
            shown = (f"{label} ({value})" if english else f"{label}（{value}）") if value else label
            by_reason.setdefault(record_labels.reason_text(r.code, r.message), []).append(shown)
        for reason, fields in by_reason.items():
            shown = (", " if english else "、").join(fields[:12]) + ("…" if len(fields) > 12 else "")
            lines.append(f"• <b>{_esc(shown)}</b><br>&nbsp;&nbsp;{_esc(reason)}")
        self.text.setText("<br>".join(lines))
        self.setVisible(True)

    def _resend(self) -> None:
        ids, service = [r.id for r in self.rows], SyncService(self.ctx.store)
        self.ctx.tasks.run_db(lambda: service.retry(ids), lambda _n: self._done())

    def discard_all(self, reason: str | None = None) -> None:
        """Discard the record's refused changes; a reason is required and recorded."""
        if not self.rows:
            return
        if reason is None:
            reason = ask_required_reason(
                self,
                self.tr("放弃修改"),
                self.tr("放弃后将以服务器上的数据为准。请填写放弃的原因（记录在案，不能为空）："),
                self.tr("原因不能为空。请填写放弃这些修改的原因："),
            )
            if not reason:
                return
        ids, service, actor = [r.id for r in self.rows], SyncService(self.ctx.store), self.ctx.actor
        self.ctx.tasks.run_db(lambda: service.discard(ids, str(reason), actor=actor), lambda _n: self._done())

    def _done(self) -> None:
        self.show_rows([])
        self.changed.emit()
        self.ctx.events.sync_state_changed.emit()
