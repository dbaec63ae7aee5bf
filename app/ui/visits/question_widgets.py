"""One widget per question type; each shows its label, its input and its message.

A widget only reports what the caseworker entered (``answered(key, value)``)
and shows what it is told (``set_value``, ``set_message``); the form renderer
decides what to save and what to show. Typed text is reported after a short
pause (≤ 300 ms) and again when the field loses focus, so a crash loses at
most the last keystrokes of a word.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.forms.answer_values import parse_date
from app.forms.model import Question
from app.ui import form_text
from app.ui.widgets.date_picker import CalendarButton
from app.ui.widgets.message_line import MessageLine
from app.ui.widgets.photo_field import PhotoField
from app.ui.widgets.signature_pad import SignaturePad
from app.ui.widgets.thumbnails import ThumbnailStrip

DEBOUNCE_MS = 250
SIGNATURE_PREVIEW = (360, 130)  # px, the confirmed signature's preview box
SIGNATURE_SIDE = 480  # px, the long side of the preview image fetched for it
RADIO_LIMIT = 7  # more options than this become a combo box
# A message's reserved lines: the forms' longest (53 characters) takes one at 1366 px, two on a
# narrow window or in a repeat's box; anything longer is elided, whole in the tooltip.
MESSAGE_LINES = 2
MESSAGE_STYLES = {
    "error": "color: #c62828; font-size: 12px;",
    "warning": "color: #a15c00; font-size: 12px;",
}


class QuestionWidget(QFrame):
    """Label, input and message of one answer key."""

    answered = Signal(str, object)

    def __init__(self, key: str, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.question = question
        self.read_only = False
        self.setObjectName(f"q_{key}")
        self.label_text = form_text.item_label(question)
        self.label = QLabel(self.label_text)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("font-weight: bold;")
        self.hint = QLabel(form_text.hint(question))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666; font-size: 12px;")
        self.hint.setVisible(bool(question.hint))
        # An answer's message keeps MESSAGE_LINES lines even while empty, so a message appearing
        # (or a longer one, elided with its whole text in the tooltip) never pushes the
        # questions below down under the caseworker's next click.
        self.message = MessageLine(MESSAGE_STYLES["error"], lines=MESSAGE_LINES)
        self.message.setObjectName("message")
        self.message.setVisible(question.has_value and question.type != "calculate")
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 6)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.hint)
        layout.addLayout(self.body)
        layout.addWidget(self.message)

    # -- told by the renderer ----------------------------------------------------

    def set_required(self, required: bool) -> None:
        # The unit is shown once, beside the input (TextQuestion), never appended to the label too.
        text = self.label_text
        self.label.setText(text + (" <span style='color:#c62828'>*</span>" if required else ""))

    def set_value(self, value: object) -> None:
        """Show a stored value without reporting it back."""

    def show_stored(self, value: object) -> None:
        """Put the stored value back after a refused save, even over what was entered."""
        self.set_value(value)

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        """Cascading choices changed (select questions only)."""

    def set_message(self, text: str, level: str = "error") -> None:
        self.message.set_style(MESSAGE_STYLES.get(level, ""))
        self.message.set_message(form_text.message(text, self.question))
        if text:
            self.message.setVisible(True)
        self.setProperty("problem", level if text else "")

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only

    def flush(self) -> None:
        """Report a pending (debounced) edit now."""

    def focus_input(self) -> None:
        self.setFocus()


class TextQuestion(QuestionWidget):
    """text, integer, decimal and date: a line edit reported after a pause or on focus-out."""

    def __init__(self, key: str, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(key, question, parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("input")
        self._pending = False
        self._shown = ""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.flush)
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self._finished)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        if question.type in ("integer", "decimal", "date"):
            self.edit.setMaximumWidth(220)
            self.edit.setPlaceholderText(
                {"integer": self.tr("整数"), "decimal": self.tr("数字"), "date": ""}[question.type]
            )
        if question.unit:
            row.addWidget(QLabel(form_text.unit(question.unit)))
        if question.type == "date":
            self.edit.setPlaceholderText(self.tr("如 2020-01-05 或 2020/1/5"))
            self.calendar_button = CalendarButton()
            self.calendar_button.current_text = self.edit.text
            self.calendar_button.chosen.connect(self._picked)
            row.addWidget(self.calendar_button)
            self.today_button = QToolButton()
            self.today_button.setText(self.tr("今天"))
            self.today_button.clicked.connect(self._today)
            row.addWidget(self.today_button)
        if question.type == "text":
            self.edit.setMaximumWidth(640)
        row.addStretch(1)
        self.body.addLayout(row)

    def _edited(self) -> None:
        self._pending = True
        self.timer.start()

    def _finished(self) -> None:
        """Return or leaving the field: a date typed as 2020/1/5 now reads 2020-01-05."""
        if self.question.type == "date":
            day = parse_date(self.edit.text())
            if day is not None and day.isoformat() != self.edit.text():
                self.edit.setText(day.isoformat())
                self._pending = True
        self.flush()

    def _today(self) -> None:
        from datetime import date

        self._picked(date.today().isoformat())

    def _picked(self, iso: str) -> None:
        self.edit.setText(iso)
        self._pending = True
        self.flush()

    def flush(self) -> None:
        self.timer.stop()
        if not self._pending:
            return
        self._pending = False
        text = self.edit.text().strip()
        if text == self._shown:
            return
        self._shown = text
        self.answered.emit(self.key, text or None)

    def set_value(self, value: object) -> None:
        if self._pending or self.edit.hasFocus():
            return  # never overwrite what is being typed
        text = "" if value is None else str(value)
        self._shown = text
        if self.edit.text() != text:
            self.edit.setText(text)

    def show_stored(self, value: object) -> None:
        self.timer.stop()
        self._pending = False
        self._shown = "" if value is None else str(value)
        self.edit.setText(self._shown)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.edit.setReadOnly(read_only or self.question.readonly)
        if hasattr(self, "today_button"):
            self.today_button.setVisible(not read_only)
            self.calendar_button.setVisible(not read_only)

    def focus_input(self) -> None:
        self.edit.setFocus()


class _ChoiceGrid(QWidget):
    """Buttons laid out in rows of ``columns``."""

    def __init__(self, columns: int) -> None:
        super().__init__()
        self.columns = columns
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(4)

    def fill(self, buttons: list[QAbstractButton]) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for i, button in enumerate(buttons):
            self.grid.addWidget(button, i // self.columns, i % self.columns)
        self.grid.setColumnStretch(self.columns, 1)


class SelectOneQuestion(QuestionWidget):
    """Radio buttons (or a combo box for long lists); yes/no questions use it with 是/否."""

    def __init__(
        self,
        key: str,
        question: Question,
        choices: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(key, question, parent)
        self.choices: list[tuple[str, str]] = []
        self.value: object = None
        self.combo: QComboBox | None = None
        self.uses_combo = False
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.grid = _ChoiceGrid(4)
        self.body.addWidget(self.grid)
        self.set_choices(choices)

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        choices = form_text.choices(self.question, choices)
        if choices == self.choices:
            return
        self.choices = choices
        if len(choices) > RADIO_LIMIT:
            if self.combo is None:
                self.combo = QComboBox()
                self.combo.setObjectName("input")
                self.combo.setMinimumContentsLength(16)
                self.combo.activated.connect(self._combo_chosen)
                self.body.addWidget(self.combo)
            self.uses_combo = True
            self.combo.setVisible(True)
            self.grid.setVisible(False)
            self.combo.blockSignals(True)
            self.combo.clear()
            self.combo.addItem(self.tr("（请选择）"), None)
            for value, label in choices:
                self.combo.addItem(label, value)
            self.combo.blockSignals(False)
        else:
            if self.combo is not None:
                self.combo.setVisible(False)
            self.uses_combo = False
            self.grid.setVisible(True)
            for button in self.group.buttons():
                self.group.removeButton(button)
            buttons: list[QAbstractButton] = []
            for value, label in choices:
                radio = QRadioButton(label)
                radio.setObjectName(f"choice_{value}")
                radio.setProperty("value", value)
                radio.clicked.connect(lambda _=False, v=value: self._chosen(v))
                self.group.addButton(radio)
                buttons.append(radio)
            self.grid.fill(buttons)
        self._show(self.value)
        self._apply_read_only()

    def _chosen(self, value: object) -> None:
        if self.read_only:
            return
        self.value = value
        self.answered.emit(self.key, value)

    def _combo_chosen(self, index: int) -> None:
        assert self.combo is not None
        self._chosen(self.combo.itemData(index))

    def _show(self, value: object) -> None:
        if self.combo is not None and self.uses_combo:
            i = self.combo.findData(value) if value is not None else 0
            self.combo.setCurrentIndex(max(i, 0))
            return
        self.group.setExclusive(False)
        for button in self.group.buttons():
            button.setChecked(button.property("value") == value)
        self.group.setExclusive(True)

    def set_value(self, value: object) -> None:
        self.value = value
        self._show(value)

    def _apply_read_only(self) -> None:
        for button in self.group.buttons():
            button.setEnabled(not (self.read_only or self.question.readonly))
        if self.combo is not None:
            self.combo.setEnabled(not (self.read_only or self.question.readonly))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self._apply_read_only()

    def button(self, value: str) -> QAbstractButton | None:
        """The radio button of a choice (tests click it)."""
        for b in self.group.buttons():
            if b.property("value") == value:
                return b
        return None

    def focus_input(self) -> None:
        buttons = self.group.buttons()
        target = self.combo if self.uses_combo else None
        (target or (buttons[0] if buttons else self)).setFocus()


class YesNoQuestion(SelectOneQuestion):
    """是 / 否 as two radio buttons; the value is a bool."""

    def __init__(self, key: str, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(key, question, [], parent)
        yes, no = QRadioButton(self.tr("是")), QRadioButton(self.tr("否"))
        for button, value, name in ((yes, True, "yes"), (no, False, "no")):
            button.setObjectName(f"choice_{name}")
            button.setProperty("value", value)
            button.clicked.connect(lambda _=False, v=value: self._chosen(v))
            self.group.addButton(button)
        self.grid.fill([yes, no])

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        return

    def _show(self, value: object) -> None:
        self.group.setExclusive(False)
        for button in self.group.buttons():
            button.setChecked(value is not None and button.property("value") == value)
        self.group.setExclusive(True)


class SelectMultipleQuestion(QuestionWidget):
    """Check boxes; the value is the list of ticked choices in choice order."""

    def __init__(
        self,
        key: str,
        question: Question,
        choices: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(key, question, parent)
        self.choices: list[tuple[str, str]] = []
        self.value: list[str] = []
        self.boxes: dict[str, QCheckBox] = {}
        self.grid = _ChoiceGrid(3)
        self.body.addWidget(self.grid)
        self.set_choices(choices)

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        choices = form_text.choices(self.question, choices)
        if choices == self.choices:
            return
        self.choices = choices
        self.boxes = {}
        for value, label in choices:
            box = QCheckBox(label)
            box.setObjectName(f"choice_{value}")
            box.toggled.connect(self._toggled)
            self.boxes[value] = box
        self.grid.fill(list(self.boxes.values()))
        self.set_value(self.value)
        self.set_read_only(self.read_only)

    def _toggled(self) -> None:
        if self.read_only:
            return
        ticked = [v for v, box in self.boxes.items() if box.isChecked()]
        # Ticked values no longer offered (a cascade changed) are kept until saved otherwise.
        kept = [v for v in self.value if v not in self.boxes]
        self.value = kept + ticked
        self.answered.emit(self.key, self.value or None)

    def set_value(self, value: object) -> None:
        self.value = [str(v) for v in value] if isinstance(value, list) else []
        for v, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(v in self.value)
            box.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for box in self.boxes.values():
            box.setEnabled(not read_only)

    def focus_input(self) -> None:
        if self.boxes:
            next(iter(self.boxes.values())).setFocus()


class NoteWidget(QuestionWidget):
    """A note: information for the caseworker, no answer."""

    def __init__(self, key: str, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(key, question, parent)
        self.label.setStyleSheet(
            "background: #eef5fc; color: #174a7c; padding: 6px 8px; border-radius: 4px; font-weight: normal;"
        )

    def set_required(self, required: bool) -> None:
        self.label.setText(self.question.label)


class CalculatedWidget(QuestionWidget):
    """A calculated value, read-only."""

    def __init__(self, key: str, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(key, question, parent)
        self.value_label = QLabel("—")
        self.value_label.setObjectName("value")
        self.value_label.setStyleSheet("color: #333; background: #f3f5f8; padding: 4px 8px;")
        self.value_label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.value_label.setToolTip(self.tr("自动计算，不能修改"))
        self.body.addWidget(self.value_label)

    def set_required(self, required: bool) -> None:
        self.label.setText(self.question.label + self.tr("（自动计算）"))

    def set_value(self, value: object) -> None:
        if value is None or value == "" or value == []:
            text = "—"
        elif isinstance(value, bool):
            text = self.tr("是") if value else self.tr("否")
        elif isinstance(value, list):
            text = "、".join(str(v) for v in value)
        else:
            text = str(value)
        self.value_label.setText(text)


class PhotoQuestion(QuestionWidget):
    """Photos: the renderer stores chosen files and sets the digests as the answer."""

    photos_chosen = Signal(str, list)
    photo_removed = Signal(str, str)
    open_requested = Signal(str, str)  # key, sha: show it large

    def __init__(self, key: str, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(key, question, parent)
        self.field = PhotoField(max(question.max_count, 1))
        self.field.files_chosen.connect(lambda paths: self.photos_chosen.emit(self.key, paths))
        self.field.remove_requested.connect(lambda sha: self.photo_removed.emit(self.key, sha))
        self.field.open_requested.connect(lambda sha: self.open_requested.emit(self.key, sha))
        self.body.addWidget(self.field)
        self.value: list[str] = []

    def set_value(self, value: object) -> None:
        self.value = list(value) if isinstance(value, list) else ([str(value)] if value else [])

    def set_images(self, items: list[tuple[str, str]]) -> None:
        self.field.set_images(items)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.field.set_read_only(read_only)


class SignatureQuestion(QuestionWidget):
    """An inline signature pad; "确认签字" hands the PNG to the renderer to store."""

    signed = Signal(str, bytes)
    open_requested = Signal(str, str)  # key, sha: show it large

    def __init__(self, key: str, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(key, question, parent)
        self.value: object = None
        self._storing = False  # a confirmed drawing is on its way to the store
        self.pad = SignaturePad()
        self.pad.setObjectName("signature_pad")
        # Large enough to read the name signed (a 96 px square made it a smudge), on white.
        self.saved_view = ThumbnailStrip(removable=False, size=SIGNATURE_PREVIEW)
        self.saved_view.open_requested.connect(lambda sha: self.open_requested.emit(self.key, sha))
        self.clear_button = QPushButton(self.tr("清除"))
        self.undo_button = QPushButton(self.tr("撤销一笔"))
        self.confirm_button = QPushButton(self.tr("确认签字"))
        self.confirm_button.setObjectName("confirm_signature")
        self.resign_button = QPushButton(self.tr("重新签字"))
        self.resign_button.setObjectName("resign")
        self.clear_button.clicked.connect(self.pad.clear)
        self.undo_button.clicked.connect(self.pad.undo)
        self.confirm_button.clicked.connect(self._confirm)
        self.resign_button.clicked.connect(self._resign)
        self.pad.changed.connect(self._pad_changed)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.clear_button, self.undo_button, self.confirm_button, self.resign_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.pad.setMaximumWidth(560)
        self.body.addWidget(self.pad)
        self.body.addWidget(self.saved_view)
        self.body.addLayout(buttons)
        self._mode(signed=False)

    def sizeHint(self) -> QSize:
        return QSize(560, 260)

    def _pad_changed(self) -> None:
        self._storing = False  # a new stroke: this drawing has not been sent yet
        self.confirm_button.setEnabled(not self.pad.is_empty())

    def _mode(self, signed: bool) -> None:
        editable = not self.read_only
        self.pad.setVisible(not signed and editable)
        self.saved_view.setVisible(signed)
        self.clear_button.setVisible(not signed and editable)
        self.undo_button.setVisible(not signed and editable)
        self.confirm_button.setVisible(not signed and editable)
        self.confirm_button.setEnabled(not self.pad.is_empty())
        self.resign_button.setVisible(signed and editable)

    def _confirm(self) -> None:
        if not self.pad.is_empty() and not self._storing:
            self._storing = True
            self.signed.emit(self.key, self.pad.to_png())

    def flush(self) -> None:
        """Leaving the page, completing or closing: a drawn but unconfirmed signature is kept, not lost."""
        if not self.pad.isHidden() and not self.read_only:
            self._confirm()

    def _resign(self) -> None:
        self.pad.clear()
        self._mode(signed=False)

    def set_value(self, value: object) -> None:
        self.value = value
        if value:
            self._storing = False
            self.pad.clear()
        self._mode(signed=bool(value))

    def set_images(self, items: list[tuple[str, str]]) -> None:
        self.saved_view.set_images(items)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self._mode(signed=bool(self.value))


def make_question_widget(key: str, question: Question, choices: list[tuple[str, str]]) -> QuestionWidget:
    """The widget for a question's type."""
    kind = question.type
    if kind in ("text", "integer", "decimal", "date"):
        return TextQuestion(key, question)
    if kind == "select_one":
        return SelectOneQuestion(key, question, choices)
    if kind == "select_multiple":
        return SelectMultipleQuestion(key, question, choices)
    if kind == "yes_no":
        return YesNoQuestion(key, question)
    if kind == "note":
        return NoteWidget(key, question)
    if kind == "calculate":
        return CalculatedWidget(key, question)
    if kind == "photo":
        return PhotoQuestion(key, question)
    if kind == "signature":
        return SignatureQuestion(key, question)
    raise ValueError(QCoreApplication.translate("QuestionWidget", "未知题型：%1").replace("%1", kind))
