"""A row of image thumbnails; a click opens the picture large, a × under each removes it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

THUMB = 96


class _ClickableImage(QLabel):
    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class ThumbnailStrip(QWidget):
    """Shows (key, image) pairs; ``open_requested(key)`` on a click, ``remove_requested(key)`` on ×.

    ``size`` is the box of each picture: photos are square, a signature's preview is wide
    and large enough to read.
    """

    remove_requested = Signal(str)
    open_requested = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, removable: bool = True, size: tuple[int, int] = (THUMB, THUMB)
    ) -> None:
        super().__init__(parent)
        self.removable = removable
        self.size_ = size
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(8)
        self.row.addStretch(1)
        self.keys: list[str] = []

    def set_removable(self, removable: bool) -> None:
        self.removable = removable

    def set_images(self, items: list[tuple[str, str]]) -> None:
        """Replace the thumbnails; ``items`` are (key, path to an image file or its bytes)."""
        while self.row.count() > 1:
            widget = self.row.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.keys = [key for key, _ in items]
        width, height = self.size_
        for i, (key, path) in enumerate(items):
            cell = QWidget()
            cell.setObjectName(f"thumb_{i}")
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            image = _ClickableImage()
            image.setObjectName("thumb_image")
            image.setFixedSize(width, height)
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image.setStyleSheet("border: 1px solid #8c959f; background: white;")
            pixmap = QPixmap()
            if isinstance(path, bytes):  # thumbnail bytes (decrypted in memory, never written out plain)
                pixmap.loadFromData(path)
            elif path:
                pixmap.load(path)
            if not pixmap.isNull():
                image.setPixmap(
                    pixmap.scaled(
                        width - 4,
                        height - 4,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
                image.setCursor(Qt.CursorShape.PointingHandCursor)
                image.setToolTip(self.tr("点击放大查看"))
                image.clicked.connect(lambda k=key: self.open_requested.emit(k))
            else:
                image.setText(self.tr("未下载"))
            column.addWidget(image)
            if self.removable:
                remove = QToolButton()
                remove.setText(self.tr("移除"))
                remove.setObjectName("remove_thumb")
                remove.clicked.connect(lambda _=False, k=key: self.remove_requested.emit(k))
                column.addWidget(remove, 0, Qt.AlignmentFlag.AlignHCenter)
            self.row.insertWidget(self.row.count() - 1, cell)
