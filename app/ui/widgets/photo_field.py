"""A photo answer: thumbnails, "从文件添加" and, where Qt Multimedia exists, a camera button.

The field only asks for files and shows thumbnails; storing the photo (downscale,
hash, link) is the caller's job in a worker, so picking a 12-megapixel photo never
freezes the window.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.widgets.thumbnails import ThumbnailStrip

# The file-dialog filter for photos, shared by every "add photo" button (filed under PhotoField).
IMAGE_FILTER = QT_TRANSLATE_NOOP("PhotoField", "图片 (*.jpg *.jpeg *.png *.bmp *.webp)")


def image_filter() -> str:
    """:data:`IMAGE_FILTER` in the interface language."""
    return QCoreApplication.translate("PhotoField", IMAGE_FILTER)


def camera_available() -> bool:
    """PySide6-Essentials has no QtMultimedia: the camera button is then hidden."""
    return importlib.util.find_spec("PySide6.QtMultimedia") is not None


class PhotoField(QWidget):
    """Thumbnails of the photos taken so far plus buttons to add more (up to ``max_count``)."""

    files_chosen = Signal(list)  # paths
    camera_requested = Signal()
    remove_requested = Signal(str)

    def __init__(self, max_count: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_count = max_count
        self.count = 0
        self.read_only = False
        self.thumbs = ThumbnailStrip()
        self.thumbs.remove_requested.connect(self.remove_requested)
        self.add_button = QPushButton(self.tr("从文件添加…"))
        self.add_button.setObjectName("add_photo")
        self.add_button.clicked.connect(self.choose_files)
        self.camera_button = QPushButton(self.tr("拍照"))
        self.camera_button.setObjectName("camera")
        self.camera_button.setVisible(camera_available())
        self.camera_button.clicked.connect(self.camera_requested)
        self.limit = QLabel()
        self.limit.setStyleSheet("color: #666;")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.camera_button)
        buttons.addWidget(self.limit)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.thumbs)
        layout.addLayout(buttons)
        self._update()

    def set_images(self, items: list[tuple[str, str]]) -> None:
        self.count = len(items)
        self.thumbs.set_removable(not self.read_only)
        self.thumbs.set_images(items)
        self._update()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._update()

    def _update(self) -> None:
        room = self.max_count - self.count
        self.add_button.setVisible(not self.read_only)
        self.add_button.setEnabled(room > 0)
        self.camera_button.setVisible(camera_available() and not self.read_only)
        self.limit.setText(
            self.tr("最多 %1 张").replace("%1", str(self.max_count)) if not self.read_only else ""
        )

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("选择照片"), "", image_filter())
        if paths:
            self.files_chosen.emit(paths[: self.max_count - self.count])
