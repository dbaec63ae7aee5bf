"""A row of image thumbnails with an optional remove button under each."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

THUMB = 96


class ThumbnailStrip(QWidget):
    """Shows (key, image path) pairs; ``remove_requested(key)`` when a × is clicked."""

    remove_requested = Signal(str)
    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, removable: bool = True) -> None:
        super().__init__(parent)
        self.removable = removable
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(8)
        self.row.addStretch(1)
        self.keys: list[str] = []

    def set_removable(self, removable: bool) -> None:
        self.removable = removable

    def set_images(self, items: list[tuple[str, str]]) -> None:
        """Replace the thumbnails; ``items`` are (key, path to an image file)."""
        while self.row.count() > 1:
            widget = self.row.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.keys = [key for key, _ in items]
        for i, (key, path) in enumerate(items):
            cell = QWidget()
            cell.setObjectName(f"thumb_{i}")
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            image = QLabel()
            image.setFixedSize(THUMB, THUMB)
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image.setStyleSheet("border: 1px solid #c9d1d9; background: white;")
            pixmap = QPixmap()
            if isinstance(path, bytes):  # thumbnail bytes (decrypted in memory, never written out plain)
                pixmap.loadFromData(path)
            elif path:
                pixmap.load(path)
            if not pixmap.isNull():
                image.setPixmap(
                    pixmap.scaled(
                        THUMB - 4,
                        THUMB - 4,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
            else:
                image.setText(self.tr("未下载"))
            image.setToolTip(key[:12])
            column.addWidget(image)
            if self.removable:
                remove = QToolButton()
                remove.setText(self.tr("移除"))
                remove.setObjectName("remove_thumb")
                remove.clicked.connect(lambda _=False, k=key: self.remove_requested.emit(k))
                column.addWidget(remove, 0, Qt.AlignmentFlag.AlignHCenter)
            self.row.insertWidget(self.row.count() - 1, cell)
