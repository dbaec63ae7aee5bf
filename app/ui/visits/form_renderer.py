"""Renders one page of a response's form and keeps it live while the caseworker answers.

Widgets are made for every question of the page, relevant or not, and shown or
hidden as answers change: a field being typed in is never rebuilt under the
caret. Only adding or removing a repeat entry rebuilds the page. Each edit is
queued to the database worker, where ``VisitService`` normalises it and runs
the calculations; the ``SaveResult`` that comes back (the stored value and
every calculation it changed) is applied to the page's session, so the screen
shows what is stored. A save that fails puts the stored value back and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.forms.answer_values import is_empty
from app.forms.errors import AnswerError
from app.forms.model import Page, Question, Repeat
from app.services.visits import SaveResult
from app.ui import form_text
from app.ui.visits.answer_saver import AnswerSaver
from app.ui.visits.question_widgets import (
    SIGNATURE_SIDE,
    PhotoQuestion,
    QuestionWidget,
    SignatureQuestion,
    make_question_widget,
)
from app.ui.widgets.photo_viewer import VIEW_SIDE, PhotoViewer

if TYPE_CHECKING:
    from app.forms.engine import FormSession


@dataclass(frozen=True)
class RemovedEntry:
    """A repeat entry just removed, kept so 撤销 can put it back."""

    repeat_id: str
    entry_id: str
    index: int
    answers: dict[str, object]
    number: int  # 第 n 项, as the caseworker saw it


class FormRenderer(QScrollArea):
    """One response, one page at a time; ``changed`` after every edit (progress, errors)."""

    changed = Signal()

    def __init__(
        self,
        session: FormSession,
        response_id: str,
        saver: AnswerSaver | None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.response_id = response_id
        self.saver = saver
        self.read_only = read_only or saver is None
        self.page_index = 0
        self.widgets: dict[str, QuestionWidget] = {}
        self.repeat_boxes: dict[str, QGroupBox] = {}
        self.repeat_messages: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.in_flight: dict[str, int] = {}  # key -> saves sent and not yet answered
        self.save_errors: dict[str, str] = {}  # key -> why its last save failed (until one succeeds)
        self.show_all_errors = False
        self.thumb_paths: dict[str, str] = {}
        self.refused_values: dict[str, object] = {}  # what was typed where the check refused it
        self.undo: RemovedEntry | None = None  # the last removed repeat entry, until undone or gone
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

    # -- building ------------------------------------------------------------------

    @property
    def page(self) -> Page:
        return self.session.definition.pages[self.page_index]

    def show_page(self, index: int) -> None:
        """Build the widgets of page ``index`` and fill them from the session."""
        self._flush_all()
        if index != self.page_index:
            self.undo = None
        self.page_index = index
        self._build()

    def _build(self) -> None:
        scroll = self.verticalScrollBar().value()
        self.widgets = {}
        self.repeat_boxes = {}
        self.repeat_messages = {}
        content = QWidget()
        content.setObjectName("form_page")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 12, 24, 16)
        layout.setSpacing(6)
        title = QLabel(form_text.page_title(self.page))
        title.setStyleSheet("font-size: 17px; font-weight: bold; color: #1f6fb2;")
        layout.addWidget(title)
        if self.undo is not None and not self.read_only:
            layout.addWidget(self._undo_bar(self.undo))
        for item in self.page.items:
            if isinstance(item, Question):
                if item.type == "calculate" and not item.label:
                    continue
                layout.addWidget(self._make(item.id, item))
            else:
                layout.addWidget(self._make_repeat(item))
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            # Later, not now: the button whose click rebuilt the page is still on the stack.
            old.hide()
            old.deleteLater()
        self.setWidget(content)
        self.refresh()
        self.verticalScrollBar().setValue(scroll)
        self._load_thumbnails()

    def _make(self, key: str, question: Question) -> QuestionWidget:
        choices = self.session.choices_for(key) if question.type in ("select_one", "select_multiple") else []
        widget = make_question_widget(key, question, choices)
        widget.set_read_only(self.read_only)
        widget.answered.connect(self._answered)
        if isinstance(widget, PhotoQuestion):
            widget.photos_chosen.connect(self._photos_chosen)
            widget.photo_removed.connect(self._photo_removed)
            widget.open_requested.connect(self.open_viewer)
        if isinstance(widget, SignatureQuestion):
            widget.signed.connect(self._signed)
            widget.open_requested.connect(self.open_viewer)
        self.widgets[key] = widget
        return widget

    def _make_repeat(self, repeat: Repeat) -> QGroupBox:
        box = QGroupBox(form_text.item_label(repeat))
        box.setObjectName(f"repeat_{repeat.id}")
        column = QVBoxLayout(box)
        message = QLabel()
        message.setStyleSheet("color: #c62828;")
        message.setVisible(False)
        column.addWidget(message)
        for n, entry in enumerate(self.session.entries(repeat.id), start=1):
            frame = QFrame()
            frame.setObjectName(f"entry_{entry}")
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            frame.setStyleSheet(f"QFrame#entry_{entry} {{ background: #fafbfc; border: 1px solid #d8dee4; }}")
            inner = QVBoxLayout(frame)
            header = QHBoxLayout()
            label_value = ""
            if repeat.entry_label:
                label_key = f"{repeat.id}[{entry}].{repeat.entry_label}"
                label_value = self._display_label(label_key)
            heading = QLabel(
                self.tr("第 %1 项").replace("%1", str(n)) + (f"：{label_value}" if label_value else "")
            )
            heading.setStyleSheet("font-weight: bold;")
            header.addWidget(heading, 1)
            if not self.read_only:
                remove = QPushButton(self.tr("删除此项"))
                remove.setObjectName("remove_entry")
                remove.clicked.connect(lambda _=False, e=entry: self._remove_entry(repeat.id, e))
                header.addWidget(remove)
            inner.addLayout(header)
            for q in repeat.questions:
                if q.type == "calculate" and not q.label:
                    continue
                inner.addWidget(self._make(f"{repeat.id}[{entry}].{q.id}", q))
            column.addWidget(frame)
        if not self.read_only:
            add = QPushButton(self.tr("＋ 添加一项"))
            add.setObjectName("add_entry")
            add.setEnabled(len(self.session.entries(repeat.id)) < repeat.max_count)
            add.clicked.connect(lambda: self._add_entry(repeat.id))
            column.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        self.repeat_boxes[repeat.id] = box
        self.repeat_messages[repeat.id] = message
        return box

    def _display_label(self, key: str) -> str:
        value = self.session.value(key)
        if value is None:
            return ""
        try:
            for v, label in form_text.choices(self.session.question(key), self.session.choices_for(key)):
                if v == value:
                    return label
        except AnswerError:
            pass
        return str(value)

    # -- keeping it live -----------------------------------------------------------------

    def refresh(self) -> None:
        """Show/hide, values, cascades and messages from the session's current state."""
        errors = self.session.errors()
        warnings = self.session.warnings()
        unanswered = set(self.session.open_required())
        for key, widget in self.widgets.items():
            relevant = self.session.is_relevant(key)
            widget.setVisible(relevant)
            if not relevant:
                continue
            q = widget.question
            if q.type in ("select_one", "select_multiple") and q.choice_filter is not None:
                widget.set_choices(self.session.choices_for(key))
            # A value on its way to the store, or refused before it, stays as entered.
            if key in self.session.refused:
                widget.set_value(self.refused_values.get(key))  # a rebuilt page shows it too
            elif key not in self.in_flight:
                widget.set_value(self.session.value(key))
            if q.has_value and q.type != "calculate":
                widget.set_required(self.session.is_required(key))
            else:
                widget.set_required(False)
            shown = self.show_all_errors or key in self.touched
            if key in self.save_errors:
                widget.set_message(self.save_errors[key], "error")
            elif key in unanswered and shown:
                widget.set_message(form_text.required_message(), "error")
            elif key in errors and shown:
                widget.set_message(errors[key], "error")
            elif key in errors and key not in unanswered and key in self.touched:
                widget.set_message(errors[key], "error")
            elif key in warnings:
                widget.set_message(warnings[key], "warning")
            else:
                widget.set_message("")
        for repeat_id, box in self.repeat_boxes.items():
            relevant = self.session.is_relevant(repeat_id)
            box.setVisible(relevant)
            text = errors.get(repeat_id, "") if (self.show_all_errors and relevant) else ""
            self.repeat_messages[repeat_id].setText(form_text.message(text))
            self.repeat_messages[repeat_id].setVisible(bool(text))

    def _answered(self, key: str, value: object) -> None:
        """Send the answer to the service; the page follows when it says what it stored."""
        if self.read_only:
            return
        assert self.saver is not None
        self.touched.add(key)
        try:
            # The same checks the service and the server run (the engine's type check, then
            # app.contract.answers), here as the value is typed: the caseworker reads why at
            # once, in the field and in the list alike.
            self.session.check_entry(key, value)
        except AnswerError as exc:
            self.session.refuse_entry(key, exc.message)
            self.refused_values[key] = value
            self.refresh()
            self.changed.emit()
            return
        self.session.clear_refusal(key)
        self.refused_values.pop(key, None)
        self.in_flight[key] = self.in_flight.get(key, 0) + 1
        self.saver.save(
            self.response_id,
            key,
            value,
            lambda result: self._stored(key, result),
            lambda message: self._not_stored(key, message),
        )

    def _landed(self, key: str) -> None:
        left = self.in_flight.get(key, 0) - 1
        if left > 0:
            self.in_flight[key] = left
        else:
            self.in_flight.pop(key, None)

    def _stored(self, key: str, result: SaveResult) -> None:
        self._landed(key)
        self.save_errors.pop(key, None)
        self.session.apply_stored(result.changed)
        self.refresh()
        self.changed.emit()

    def _not_stored(self, key: str, message: str) -> None:
        """The store refused the value: show the stored one again, and why."""
        self._landed(key)
        self.save_errors[key] = self.tr("未能保存：%1。已恢复为上次保存的值。").replace("%1", message)
        widget = self.widgets.get(key)
        if widget is not None and key not in self.in_flight:
            widget.show_stored(self.session.value(key))
        self.refresh()
        self.changed.emit()

    def _add_entry(self, repeat_id: str) -> None:
        assert self.saver is not None
        self._flush_all()
        self.undo = None
        self.saver.add_entry(self.response_id, repeat_id, self._entry_added)

    def _entry_added(self, result: SaveResult) -> None:
        self.session.apply_stored(result.changed)
        self._build()
        self.changed.emit()

    def _remove_entry(self, repeat_id: str, entry_id: str) -> None:
        """Remove an entry; a filled one only after asking, and either way it can be undone."""
        assert self.saver is not None
        self._flush_all()
        entries = self.session.entries(repeat_id)
        n = entries.index(entry_id) + 1 if entry_id in entries else 0
        prefix = f"{repeat_id}[{entry_id}]."
        answers = {k: v for k, v in self.session.answers.items() if k.startswith(prefix)}
        filled = any(
            not is_empty(v) and self.session.question(k).type != "calculate" for k, v in answers.items()
        )
        if filled:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("删除此项"),
                self.tr("第 %1 项已填写了内容，确定删除吗？删除后可以点“撤销”恢复。").replace("%1", str(n)),
                QMessageBox.StandardButton.NoButton,
                self,
            )
            delete = box.addButton(self.tr("删除"), QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
            box.setObjectName("confirm_remove_entry")
            box.exec()
            if box.clickedButton() is not delete:
                return
        self.undo = RemovedEntry(repeat_id, entry_id, max(n - 1, 0), answers, n)
        self.saver.remove_entry(self.response_id, repeat_id, entry_id, self._entry_added)

    def _undo_bar(self, removed: RemovedEntry) -> QFrame:
        bar = QFrame()
        bar.setObjectName("undo_bar")
        bar.setStyleSheet("QFrame#undo_bar { background: #fff8e1; border: 1px solid #e0c36a; }")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        label = form_text.item_label(self.session.definition.repeats[removed.repeat_id])
        row.addWidget(
            QLabel(self.tr("已删除“%1”的第 %2 项。").replace("%1", label).replace("%2", str(removed.number))),
            1,
        )
        undo = QPushButton(self.tr("撤销"))
        undo.setObjectName("undo_remove")
        undo.clicked.connect(self.undo_remove)
        row.addWidget(undo)
        return bar

    def undo_remove(self) -> None:
        """Put the last removed entry back where it was, with its answers."""
        removed, self.undo = self.undo, None
        if removed is None or self.saver is None:
            return
        self.saver.restore_entry(
            self.response_id,
            removed.repeat_id,
            removed.entry_id,
            removed.index,
            removed.answers,
            self._entry_added,
        )

    # -- photos and signatures -------------------------------------------------------------

    def _photos_chosen(self, key: str, paths: list[str]) -> None:
        assert self.saver is not None
        self.saver.store_photos(self.response_id, key, paths, lambda shas: self._photos_stored(key, shas))

    def _photos_stored(self, key: str, shas: list[str]) -> None:
        q = self.session.question(key)
        if q.max_count > 1:
            current = self.session.value(key) or []
            value: object = list(dict.fromkeys([*current, *shas]))[: q.max_count]  # type: ignore[misc]
        else:
            value = shas[-1] if shas else None
        self._answered(key, value)
        self._load_thumbnails()

    def _photo_removed(self, key: str, sha: str) -> None:
        current = self.session.value(key)
        if isinstance(current, list):
            self._answered(key, [s for s in current if s != sha] or None)
        else:
            self._answered(key, None)
        self._load_thumbnails()

    def _signed(self, key: str, png: bytes) -> None:
        assert self.saver is not None
        self.saver.store_signature(self.response_id, key, png, lambda sha: self._signature_stored(key, sha))

    def _signature_stored(self, key: str, sha: str) -> None:
        self._answered(key, sha)
        self._load_thumbnails()

    def _image_widgets(self) -> list[tuple[QuestionWidget, list[str]]]:
        out = []
        for key, widget in self.widgets.items():
            if isinstance(widget, (PhotoQuestion, SignatureQuestion)):
                value = self.session.value(key)
                shas = list(value) if isinstance(value, list) else ([str(value)] if value else [])
                out.append((widget, shas))
        return out

    def _load_thumbnails(self) -> None:
        pairs = self._image_widgets()
        missing = [s for _, shas in pairs for s in shas if s not in self.thumb_paths]
        if not missing:
            self._show_thumbnails()
        elif self.saver is not None:
            signatures = {s for w, shas in pairs if isinstance(w, SignatureQuestion) for s in shas}
            photos = [s for s in missing if s not in signatures]
            if photos:
                self.saver.thumbnails(photos, self._thumbnails_loaded)
            if signatures & set(missing):
                self.saver.thumbnails(
                    [s for s in missing if s in signatures], self._thumbnails_loaded, side=SIGNATURE_SIDE
                )

    def open_viewer(self, key: str, sha: str) -> PhotoViewer | None:
        """Show a question's pictures large, starting at ``sha``; 上一张/下一张 walk the rest."""
        if self.saver is None:
            return None
        value = self.session.value(key)
        shas = list(value) if isinstance(value, list) else ([str(value)] if value else [])
        if sha not in shas:
            return None
        saver = self.saver
        viewer = PhotoViewer(shas, shas.index(sha), lambda s, done: saver.image(s, VIEW_SIDE, done), self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
        self.viewer = viewer
        return viewer

    def _thumbnails_loaded(self, paths: dict[str, str]) -> None:
        self.thumb_paths.update(paths)
        self._show_thumbnails()

    def _show_thumbnails(self) -> None:
        for widget, shas in self._image_widgets():
            widget.set_images([(s, self.thumb_paths.get(s, "")) for s in shas])  # type: ignore[attr-defined]

    # -- helpers ---------------------------------------------------------------------------

    def _flush_all(self) -> None:
        for widget in list(self.widgets.values()):
            widget.flush()

    def flush(self) -> None:
        """Report every pending text edit now (page change, close)."""
        self._flush_all()

    def reveal_errors(self) -> None:
        """After a refused completion: show every open required question and error."""
        self.show_all_errors = True
        self.refresh()

    def focus_key(self, key: str) -> None:
        widget = self.widgets.get(key)
        if widget is None:
            return
        self.ensureWidgetVisible(widget, 40, 80)
        widget.focus_input()
