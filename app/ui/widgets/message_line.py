"""A message that always keeps its place, so a message appearing moves nothing.

A field's message is laid out even while empty, with the height of its ``lines`` reserved,
so the fields and buttons below stay where the caseworker is about to click. A text that
needs more lines than that is cut at the last line with "…" and shown whole in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class MessageLine(QLabel):
    """A reserved, elided message label of ``lines`` lines (``set_message``; empty = blank)."""

    def __init__(self, style: str = "", parent: QWidget | None = None, *, lines: int = 1) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.lines = max(1, lines)
        self.setWordWrap(False)  # the lines are broken here (``_fit``), so what is painted is known
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._style: str | None = None
        self.set_style(style)

    def set_style(self, style: str) -> None:
        """Colour and font of the message; the reserved height follows the font."""
        if style == self._style:
            return  # a form refreshes every message after each answer: no restyling then
        self._style = style
        self.setStyleSheet(style)
        self.ensurePolished()
        super().setText("\n".join(["国Ag"] * self.lines))  # a Chinese glyph may come from a taller font
        self.setFixedHeight(self.sizeHint().height())
        self._fit()

    def set_message(self, text: str) -> None:
        if text == self.full_text:
            return
        self.full_text = text
        self.setToolTip(text if text else "")
        self._fit()

    def setText(self, text: str) -> None:
        self.set_message(text)

    def text(self) -> str:
        """The whole message (what is painted may be elided)."""
        return self.full_text

    def shown_text(self) -> str:
        """What is painted: at most ``lines`` lines, the last one elided when the text is longer."""
        return super().text()

    def _fit(self) -> None:
        width = max(self.contentsRect().width(), 40)
        text = self.full_text.replace("\n", " ")
        layout = QTextLayout(text, self.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        spans: list[tuple[int, int]] = []
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            spans.append((line.textStart(), line.textLength()))
        layout.endLayout()
        if len(spans) <= self.lines:
            shown = [text[start : start + length].rstrip() for start, length in spans]
        else:  # the last line takes the rest, cut with "…"
            shown = [text[start : start + length].rstrip() for start, length in spans[: self.lines - 1]]
            rest = text[spans[self.lines - 1][0] :]
            shown.append(self.fontMetrics().elidedText(rest, Qt.TextElideMode.ElideRight, width))
        super().setText("\n".join(shown))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
