"""完成前检查: the visit's answers by form and section, what is still open, and the signatures.

Shown by 完成访视 before anything is completed (as ODK's and Kobo's review screens): a click
on an open item jumps to its question; 确认完成访视 completes. Built from the engine sessions
the window already holds, so nothing is read from the database here.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.ui import form_text

if TYPE_CHECKING:
    from app.forms.engine import FormSession

ROLE_JUMP = Qt.ItemDataRole.UserRole


def _esc(text: str) -> str:
    return html.escape(text, quote=False)  # Qt's rich text shows &#x27; literally


def _colon() -> str:
    return form_text.colon()


def _page_index(session: FormSession, key: str) -> int:
    qid = key.rsplit(".", 1)[-1]
    d = session.definition
    page_id = d.repeats[key].page if key in d.repeats else d.questions[qid].page
    return next(i for i, p in enumerate(d.pages) if p.id == page_id)


class ReviewPage(QWidget):
    """The review before completion; ``jump(form, page, key)`` to fix an item, ``confirm`` to complete."""

    jump = Signal(int, int, str)
    confirm = Signal()
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_page")
        self.title = QLabel(self.tr("完成前检查"))
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setObjectName("review_summary")
        self.summary.setWordWrap(True)
        self.open_items = QListWidget()
        self.open_items.setObjectName("review_open_items")
        self.open_items.setWordWrap(True)
        self.open_items.itemClicked.connect(self._clicked)
        self.signatures = QLabel()
        self.signatures.setObjectName("review_signatures")
        self.signatures.setWordWrap(True)
        self.answers = QTextBrowser()
        self.answers.setObjectName("review_answers")
        self.answers.setOpenLinks(False)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.open_title = QLabel(self.tr("未填或有误（点击跳转修改）"))
        self.open_title.setStyleSheet("font-weight: bold;")
        lv.addWidget(self.open_title)
        lv.addWidget(self.open_items, 8)
        sig_title = QLabel(self.tr("签字"))
        sig_title.setStyleSheet("font-weight: bold; margin-top: 6px;")
        lv.addWidget(sig_title)
        lv.addWidget(self.signatures)
        lv.addStretch(1)  # nothing open: the signatures stay at the top
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.answers)
        splitter.setSizes([380, 700])
        self.back_button = QPushButton(self.tr("返回修改"))
        self.back_button.setObjectName("review_back")
        self.back_button.clicked.connect(self.back)
        self.confirm_button = QPushButton(self.tr("确认完成访视"))
        self.confirm_button.setObjectName("review_confirm")
        self.confirm_button.setStyleSheet("font-weight: bold;")
        self.confirm_button.clicked.connect(self.confirm)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    # -- filling -------------------------------------------------------------------

    def show_sessions(self, sessions: list[FormSession]) -> None:
        """Fill the page from the window's sessions (form order)."""
        self.open_items.clear()
        open_count = 0
        signatures: list[str] = []
        parts: list[str] = []
        for f, s in enumerate(sessions):
            unanswered = set(s.open_required())
            for key, message in s.errors().items():
                message = (
                    form_text.required_message()
                    if key in unanswered
                    else form_text.problem(s.definition, key, message)
                )
                page = _page_index(s, key)
                label = self._label(s, key)
                item = QListWidgetItem(
                    f"{form_text.form_title(s.definition)} · {form_text.page_title(s.definition.pages[page])}"
                    f" · {label}{_colon()}{message}"
                )
                item.setData(ROLE_JUMP, (f, page, key))
                item.setForeground(Qt.GlobalColor.darkRed)
                self.open_items.addItem(item)
                open_count += 1
            parts.append(f"<h3>{_esc(form_text.form_title(s.definition))}</h3>")
            for page in s.definition.pages:
                keys = s.visible_questions(page)
                if not keys:
                    continue
                rows = []
                for key in keys:
                    if key in s.definition.repeats:
                        rows.append(
                            f"<tr><td colspan='2'><b>{_esc(self._label(s, key))}</b>"
                            f" ({len(s.entries(key))})</td></tr>"
                        )
                        continue
                    q = s.question(key)
                    if q.type == "note":
                        continue
                    if q.type == "signature":
                        signed = bool(s.value(key))
                        mark = self.tr("已签字") if signed else self.tr("未签字")
                        signatures.append(f"{'✓' if signed else '✗'} {self._label(s, key)}{_colon()}{mark}")
                    value = self.value_text(s, key)
                    colour = "#999" if value == self._empty() else "#000"
                    indent = "&nbsp;&nbsp;&nbsp;&nbsp;" if "[" in key else ""
                    rows.append(
                        f"<tr><td width='380' style='color:#555; padding-right:12px'>{indent}{_esc(self._label(s, key))}</td>"
                        f"<td style='color:{colour}'>{_esc(value)}</td></tr>"
                    )
                parts.append(
                    f"<h4>{_esc(form_text.page_title(page))}</h4><table cellspacing='2'>{''.join(rows)}</table>"
                )
        self.answers.setHtml("".join(parts))
        self.signatures.setText("<br>".join(_esc(x) for x in signatures) or self.tr("本次访视无需签字"))
        self.open_title.setVisible(open_count > 0)
        self.open_items.setVisible(open_count > 0)
        if open_count:
            self.summary.setText(
                self.tr("还有 %1 项未填或有误，补全后才能完成。点击左侧条目跳转到该题。").replace(
                    "%1", str(open_count)
                )
            )
            self.summary.setStyleSheet("color: #b71c1c;")
        else:
            self.summary.setText(self.tr("所有必填项均已填写。请核对下面的答案，确认无误后完成访视。"))
            self.summary.setStyleSheet("color: #2e7d32;")
        self.confirm_button.setEnabled(open_count == 0)

    @staticmethod
    def _label(s: FormSession, key: str) -> str:
        item = s.definition.repeats[key] if key in s.definition.repeats else s.question(key)
        return form_text.item_label(item)

    def _empty(self) -> str:
        return self.tr("（未填）")

    def value_text(self, s: FormSession, key: str) -> str:
        """An answer as people read it: choice labels, 是/否, photo counts, units."""
        q = s.question(key)
        value = s.value(key)
        if value is None or value == "" or value == []:
            return self._empty()
        if q.type == "yes_no" or isinstance(value, bool):
            return self.tr("是") if value else self.tr("否")
        if q.type in ("select_one", "select_multiple"):
            labels = dict(form_text.choices(q, [(c.value, c.label) for c in q.choices]))
            values = value if isinstance(value, list) else [value]
            return form_text.enumeration().join(labels.get(str(v), str(v)) for v in values)
        if q.type == "photo":
            count = len(value) if isinstance(value, list) else 1
            return self.tr("%1 张照片").replace("%1", str(count))
        if q.type == "signature":
            return self.tr("已签字")
        text = str(value)
        return f"{text} {form_text.unit(q.unit)}".strip() if q.unit else text

    def _clicked(self, item: QListWidgetItem) -> None:
        f, page, key = item.data(ROLE_JUMP)
        self.jump.emit(int(f), int(page), str(key))
