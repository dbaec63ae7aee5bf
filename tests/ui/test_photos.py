"""Issue 15 item 3: a readable signature preview, a photo viewer, a translated photo dialog that
starts in Pictures, and camera capture through the system camera app and an import folder."""

from __future__ import annotations

import os
import time

from PIL import Image
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QLabel

from app.ui.i18n import install_translators
from app.ui.widgets import photo_field
from app.ui.widgets.photo_field import PhotoField, pictures_folder
from app.ui.widgets.photo_viewer import PhotoViewer
from tests.ui.test_signature_kept import draw
from tests.ui.test_visit_flow import ctx, immediate, open_window, pick, show_key  # noqa: F401


def _photos(tmp_path, n: int) -> list[str]:
    paths = []
    for i, colour in enumerate(["red", "green", "blue"][:n]):
        path = tmp_path / f"p{i}.jpg"
        Image.new("RGB", (1200, 900), colour).save(path)
        paths.append(str(path))
    return paths


def test_thumbnails_open_a_viewer_with_next_and_previous(qtbot, ctx, tmp_path, monkeypatch):  # noqa: F811
    paths = _photos(tmp_path, 3)
    monkeypatch.setattr(photo_field, "ask_for_photos", lambda dialog: paths)
    window = open_window(qtbot, ctx, ["needs_assessment"])
    widget = show_key(window, 0, "photos")
    qtbot.mouseClick(widget.field.add_button, Qt.MouseButton.LeftButton)
    shas = window.renderers[0].session.value("photos")
    assert len(shas) == 3
    images = widget.field.thumbs.findChildren(QLabel, "thumb_image")
    qtbot.waitUntil(lambda: len(widget.field.thumbs.findChildren(QLabel, "thumb_image")) == 3)
    images = [
        w
        for w in widget.field.thumbs.findChildren(QLabel, "thumb_image")
        if w.pixmap() and not w.pixmap().isNull()
    ]
    assert len(images) == 3
    qtbot.mouseClick(images[1], Qt.MouseButton.LeftButton)
    viewer = window.renderers[0].viewer
    assert isinstance(viewer, PhotoViewer) and viewer.current_key() == shas[1]
    qtbot.waitUntil(lambda: viewer.image.pixmap() is not None and not viewer.image.pixmap().isNull())
    assert viewer.image.pixmap().width() > 300  # enlarged, not the 96 px thumbnail
    assert viewer.counter.text() == "第 2 / 3 张"
    qtbot.mouseClick(viewer.next_button, Qt.MouseButton.LeftButton)
    assert viewer.current_key() == shas[2] and not viewer.next_button.isEnabled()
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert viewer.current_key() == shas[0] and not viewer.previous_button.isEnabled()
    viewer.close()


def test_the_confirmed_signature_preview_is_readable(qtbot, ctx):  # noqa: F811
    window = open_window(qtbot, ctx, ["assistive_devices"])
    pick(qtbot, show_key(window, 0, "has_need"), False)
    widget = show_key(window, 0, "person_signature")
    draw(qtbot, widget.pad)
    qtbot.mouseClick(widget.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(widget.saved_view.findChildren(QLabel, "thumb_image")))
    image = widget.saved_view.findChildren(QLabel, "thumb_image")[0]
    assert image.width() >= 360 and image.height() >= 120
    qtbot.waitUntil(lambda: image.pixmap() is not None and not image.pixmap().isNull())
    assert image.pixmap().width() >= 300  # drawn at preview size, not a 96 px smudge


def test_the_photo_dialog_is_translated_and_starts_in_pictures(qtbot, qapp, tmp_path, monkeypatch):
    pictures = tmp_path / "Pictures"
    pictures.mkdir()
    found = photo_field.QStandardPaths.standardLocations
    monkeypatch.setattr(
        photo_field.QStandardPaths,
        "standardLocations",
        lambda kind: (
            [str(pictures)]
            if kind == photo_field.QStandardPaths.StandardLocation.PicturesLocation
            else found(kind)
        ),
    )
    monkeypatch.setattr(PhotoField, "last_folder", None)
    translators = install_translators(qapp, "zh_CN")
    try:
        field = PhotoField(3)
        qtbot.addWidget(field)
        dialog = field.file_dialog()
        qtbot.addWidget(dialog)
        assert dialog.testOption(dialog.Option.DontUseNativeDialog)
        assert pictures_folder() == pictures
        assert os.path.samefile(dialog.directory().absolutePath(), pictures)
        look_in = dialog.findChild(QLabel, "lookInLabel")
        assert look_in is not None and look_in.text() == "查找范围："
        file_type = dialog.findChild(QLabel, "fileTypeLabel")
        assert file_type is not None and file_type.text() == "文件类型："
        assert "图片" in dialog.nameFilters()[0]
    finally:
        for t in translators:
            QApplication.removeTranslator(t)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese))


def test_photos_taken_with_the_camera_app_are_offered(qtbot, tmp_path, monkeypatch):
    roll = tmp_path / "Camera Roll"
    roll.mkdir()
    old = roll / "old.jpg"
    Image.new("RGB", (40, 30), "gray").save(old)
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    monkeypatch.setattr(photo_field, "camera_folder", lambda: roll)
    field = PhotoField(3)
    qtbot.addWidget(field)
    field.show()
    field.start_camera(launch=False)
    assert (
        field.import_row.isVisible() and not field.import_button.isEnabled()
    )  # the old photo is not offered
    Image.new("RGB", (40, 30), "white").save(roll / "WIN_20261202_0930.jpg")
    qtbot.waitUntil(lambda: field.import_button.isEnabled(), timeout=5000)  # the watcher (or the poll) saw it
    assert "1" in field.import_button.text()
    with qtbot.waitSignal(field.files_chosen) as chosen:
        qtbot.mouseClick(field.import_button, Qt.MouseButton.LeftButton)
    assert chosen.args[0] == [str(roll / "WIN_20261202_0930.jpg")]
    assert not field.import_button.isEnabled()  # not offered twice
