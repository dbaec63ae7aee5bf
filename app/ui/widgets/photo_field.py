"""A photo answer: thumbnails, "从文件添加…" and "用相机拍照" through the system's camera app.

The field only asks for files and shows thumbnails; storing the photo (downscale,
hash, link) is the caller's job in a worker, so picking a 12-megapixel photo never
freezes the window.

Camera capture uses the laptop's own camera app and an import folder instead of Qt
Multimedia: QtMultimedia with its FFmpeg back end is ≈24 MB more in the bundle
(libavcodec 15.0, libavformat 3.0, Qt6Multimedia 2.0, swscale 1.2, avutil 1.1, the FFmpeg
plugin 0.9, bindings 0.9 MB; PySide6-Addons 6.12, measured) on a ≈171 MB bundle, and a new
dependency; the system app costs nothing and is the one the caseworker knows. After
"用相机拍照" the field watches the camera's folder (Pictures/Camera Roll on Windows, else
Pictures) and offers each photo taken since, one click to add.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QFileSystemWatcher,
    QProcess,
    QStandardPaths,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.widgets.thumbnails import ThumbnailStrip

# The file-dialog filter for photos, shared by every "add photo" button (filed under PhotoField).
IMAGE_FILTER = QT_TRANSLATE_NOOP("PhotoField", "图片 (*.jpg *.jpeg *.png *.bmp *.webp)")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}
LINUX_CAMERA_APPS = ("snapshot", "cheese", "kamoso", "guvcview")
POLL_MS = 2000  # the watcher may miss files written on some drives: look again now and then


def image_filter() -> str:
    """:data:`IMAGE_FILTER` in the interface language."""
    return QCoreApplication.translate("PhotoField", IMAGE_FILTER)


def pictures_folder() -> Path:
    """The user's Pictures folder (QStandardPaths), where a photo dialog starts."""
    found = QStandardPaths.standardLocations(QStandardPaths.StandardLocation.PicturesLocation)
    return next((Path(p) for p in found if Path(p).is_dir()), Path.home())


def camera_folder() -> Path:
    """Where the system camera app saves: Pictures/Camera Roll (Windows), else Pictures."""
    roll = pictures_folder() / "Camera Roll"
    return roll if roll.is_dir() else pictures_folder()


def open_camera_app() -> bool:
    """Start the system camera app; ``False`` when none is known on this system."""
    if sys.platform.startswith("win"):
        return QDesktopServices.openUrl(QUrl("microsoft.windows.camera:"))
    if sys.platform == "darwin":
        return QProcess.startDetached("open", ["-a", "Photo Booth"])[0]
    for name in LINUX_CAMERA_APPS:
        if shutil.which(name):
            return QProcess.startDetached(name, [])[0]
    return False


def new_images(folder: Path, since: float) -> list[Path]:
    """Image files in ``folder`` written at or after ``since`` (epoch seconds), oldest first."""
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]
    except OSError:
        return []
    fresh = [p for p in found if p.stat().st_mtime >= since]
    return sorted(fresh, key=lambda p: p.stat().st_mtime)


def photo_dialog(parent: QWidget | None, title: str) -> QFileDialog:
    """Qt's own file dialog for photos, translated (查找范围, 文件类型…; a native one is not),
    starting in the folder photos were last taken from, else the user's Pictures folder."""
    start = PhotoField.last_folder or pictures_folder()
    dialog = QFileDialog(parent, title, str(start), image_filter())
    dialog.setObjectName("photo_file_dialog")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    # Qt 6's Chinese catalogue lacks the dialog's own "&Look in:", "File &name:"…: set them here.
    label = QFileDialog.DialogLabel
    for which, text in (
        (label.LookIn, QT_TRANSLATE_NOOP("PhotoField", "查找范围：")),
        (label.FileName, QT_TRANSLATE_NOOP("PhotoField", "文件名：")),
        (label.FileType, QT_TRANSLATE_NOOP("PhotoField", "文件类型：")),
        (label.Accept, QT_TRANSLATE_NOOP("PhotoField", "打开")),
        (label.Reject, QT_TRANSLATE_NOOP("PhotoField", "取消")),
    ):
        dialog.setLabelText(which, QCoreApplication.translate("PhotoField", text))
    return dialog


def ask_for_photos(dialog: QFileDialog) -> list[str]:
    """Run the photo dialog; the files chosen (none when cancelled)."""
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return []
    return dialog.selectedFiles()


def pick_photos(parent: QWidget | None, title: str) -> list[str]:
    """Photos chosen in the shared, translated :func:`photo_dialog`; remembers their folder."""
    paths = ask_for_photos(photo_dialog(parent, title))
    if paths:
        PhotoField.last_folder = Path(paths[0]).parent
    return paths


class PhotoField(QWidget):
    """Thumbnails of the photos taken so far plus buttons to add more (up to ``max_count``)."""

    files_chosen = Signal(list)  # paths
    remove_requested = Signal(str)
    open_requested = Signal(str)
    last_folder: Path | None = None  # the folder photos were last picked from, for the next dialog

    def __init__(self, max_count: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_count = max_count
        self.count = 0
        self.read_only = False
        self.watch_folder: Path | None = None
        self.watch_since = 0.0
        self.offered: list[Path] = []
        self.taken: set[Path] = set()
        self.thumbs = ThumbnailStrip()
        self.thumbs.remove_requested.connect(self.remove_requested)
        self.thumbs.open_requested.connect(self.open_requested)
        self.add_button = QPushButton(self.tr("从文件添加…"))
        self.add_button.setObjectName("add_photo")
        self.add_button.clicked.connect(self.choose_files)
        self.camera_button = QPushButton(self.tr("用相机拍照"))
        self.camera_button.setObjectName("camera")
        self.camera_button.setToolTip(self.tr("打开电脑的相机程序；拍好的照片会出现在这里，点一下即可添加"))
        self.camera_button.clicked.connect(self.start_camera)
        self.limit = QLabel()
        self.limit.setStyleSheet("color: #666;")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.camera_button)
        buttons.addWidget(self.limit)
        buttons.addStretch(1)
        self.import_note = QLabel()
        self.import_note.setObjectName("camera_note")
        self.import_note.setWordWrap(True)
        self.import_note.setStyleSheet("color: #174a7c;")
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_camera_photos")
        self.import_button.clicked.connect(self.import_new)
        imports = QHBoxLayout()
        imports.setContentsMargins(0, 0, 0, 0)
        imports.addWidget(self.import_note, 1)
        imports.addWidget(self.import_button)
        self.import_row = QWidget()
        self.import_row.setLayout(imports)
        self.import_row.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.thumbs)
        layout.addLayout(buttons)
        layout.addWidget(self.import_row)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self.scan())
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self.scan)
        self._update()

    def set_images(self, items: list[tuple[str, str]]) -> None:
        self.count = len(items)
        self.thumbs.set_removable(not self.read_only)
        self.thumbs.set_images(items)
        self._update()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if read_only:
            self.stop_watching()
        self._update()

    def _update(self) -> None:
        room = self.max_count - self.count
        self.add_button.setVisible(not self.read_only)
        self.add_button.setEnabled(room > 0)
        self.camera_button.setVisible(not self.read_only)
        self.camera_button.setEnabled(room > 0)
        self.limit.setText(
            self.tr("最多 %1 张").replace("%1", str(self.max_count)) if not self.read_only else ""
        )

    # -- from files ----------------------------------------------------------------------

    def file_dialog(self) -> QFileDialog:
        return photo_dialog(self, self.tr("选择照片"))

    def choose_files(self) -> None:
        paths = ask_for_photos(self.file_dialog())
        if paths:
            PhotoField.last_folder = Path(paths[0]).parent
            self.files_chosen.emit(paths[: self.max_count - self.count])

    # -- from the camera app ---------------------------------------------------------------

    def start_camera(self, *, launch: bool = True) -> None:
        """Open the camera app and watch its folder for the photos taken from now on."""
        self.watch_folder = camera_folder()
        self.watch_since = time.time() - 1
        self.offered = []
        opened = open_camera_app() if launch else True
        folder = str(self.watch_folder)
        if folder not in self.watcher.directories():
            self.watcher.addPath(folder)
        self.poll.start()
        if opened:
            note = self.tr("拍好照片后，新照片会出现在这里（%1）。").replace("%1", folder)
        else:
            note = self.tr("没有找到相机程序。请用任何相机拍照并存入 %1，新照片会出现在这里。").replace(
                "%1", folder
            )
        self.import_note.setText(note)
        self.import_row.setVisible(True)
        self.scan()

    def scan(self) -> None:
        """Offer the photos written into the watched folder since 用相机拍照."""
        if self.watch_folder is None:
            return
        self.offered = [p for p in new_images(self.watch_folder, self.watch_since) if p not in self.taken]
        n = len(self.offered)
        self.import_button.setText(self.tr("添加新照片（%1 张）").replace("%1", str(n)))
        self.import_button.setEnabled(n > 0 and self.count < self.max_count)

    def import_new(self) -> None:
        paths = self.offered[: self.max_count - self.count]
        if not paths:
            return
        self.taken.update(paths)
        self.files_chosen.emit([str(p) for p in paths])
        self.scan()

    def stop_watching(self) -> None:
        self.poll.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        self.watch_folder = None
        self.import_row.setVisible(False)
