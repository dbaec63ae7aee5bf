"""A one-line message that always keeps its place, so a message appearing moves nothing.

A field's error line is laid out even while empty (its height reserved), so the fields
and buttons below stay where the caseworker is about to click. A text longer than the
line is elided and shown whole in the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class MessageLine(QLabel):
    """A reserved, single-line, elided message label (``set_message``; empty = blank line)."""

    def __init__(self, style: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setStyleSheet(style)
        self.setWordWrap(False)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.ensurePolished()
        super().setText("国Ag")  # a Chinese glyph may come from a taller fallback font
        self.setFixedHeight(self.sizeHint().height())
        super().setText("")

    def set_message(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text if text else "")
        self._elide()

    def setText(self, text: str) -> None:
        self.set_message(text)

    def text(self) -> str:
        """The whole message (what is painted may be elided)."""
        return self.full_text

    def _elide(self) -> None:
        width = max(self.width(), 40)
        super().setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()
