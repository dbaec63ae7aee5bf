"""A photo viewer: one picture as large as the window allows, with 上一张 / 下一张.

The pictures are loaded by the caller (``load(key, done)``, in a worker: attachments
may be encrypted on disk); the viewer shows "正在加载…" until each one arrives.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

Loader = Callable[[str, Callable[[bytes], None]], None]
VIEW_SIDE = 1600  # the stored photos' long side (app.services.attachments.MAX_SIDE)


class PhotoViewer(QDialog):
    """``keys`` in order, starting at ``index``; ← → or the buttons move through them."""

    def __init__(self, keys: list[str], index: int, load: Loader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo_viewer")
        self.setWindowTitle(self.tr("查看照片"))
        self.keys = keys
        self.index = max(0, min(index, len(keys) - 1))
        self.load = load
        self.pixmaps: dict[str, QPixmap] = {}
        self.image = QLabel()
        self.image.setObjectName("viewer_image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(320, 240)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setStyleSheet("background: #20262c; color: white;")
        self.counter = QLabel()
        self.counter.setObjectName("viewer_counter")
        self.previous_button = QPushButton(self.tr("◀ 上一张"))
        self.previous_button.setObjectName("previous_photo")
        self.next_button = QPushButton(self.tr("下一张 ▶"))
        self.next_button.setObjectName("next_photo")
        close = QPushButton(self.tr("关闭"))
        close.setObjectName("close_viewer")
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.counter)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        layout.addLayout(buttons)
        self.resize(1000, 700)
        self._show()

    def step(self, delta: int) -> None:
        target = self.index + delta
        if 0 <= target < len(self.keys):
            self.index = target
            self._show()

    def current_key(self) -> str:
        return self.keys[self.index] if self.keys else ""

    def _show(self) -> None:
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.keys) - 1)
        self.counter.setText(
            self.tr("第 %1 / %2 张").replace("%1", str(self.index + 1)).replace("%2", str(len(self.keys)))
        )
        key = self.current_key()
        if key in self.pixmaps:
            self._paint()
            return
        self.image.setPixmap(QPixmap())
        self.image.setText(self.tr("正在加载…"))
        if key:
            self.load(key, lambda data, k=key: self._loaded(k, data))

    def _loaded(self, key: str, data: bytes) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        self.pixmaps[key] = pixmap
        if key == self.current_key():
            if pixmap.isNull():
                self.image.setText(self.tr("无法显示这张照片（可能尚未下载）"))
            else:
                self._paint()

    def _paint(self) -> None:
        pixmap = self.pixmaps[self.current_key()]
        if pixmap.isNull():
            return
        self.image.setText("")
        self.image.setPixmap(
            pixmap.scaled(
                self.image.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.current_key() in self.pixmaps:
            self._paint()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Left:
            self.step(-1)
        elif event.key() == Qt.Key.Key_Right:
            self.step(1)
        else:
            super().keyPressEvent(event)
