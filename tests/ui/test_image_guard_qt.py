"""The Qt side of the decompression-bomb guard: QImageReader's size, checked before read()."""

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImageReader

from app.store.images import ImageTooLarge, check_pixels
from tests.store.test_images import png_bomb


def test_qimagereader_gives_a_bombs_size_from_the_header_and_check_pixels_refuses_it(qapp):
    buffer = QBuffer()
    buffer.setData(QByteArray(png_bomb(10_000, 8_000)))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    assert (size.width(), size.height()) == (10_000, 8_000)
    with pytest.raises(ImageTooLarge, match="图片尺寸过大"):
        check_pixels(size.width(), size.height(), bytes(reader.format().data()).decode())
