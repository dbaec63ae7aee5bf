"""The decompression-bomb guard (app/store/images.py) with real crafted bombs: tiny files, huge sizes."""

import io
import struct
import time
import zlib

import pytest
from PIL import Image
from sqlmodel import select

from app.certificates.images import photo_reader, signature_reader
from app.services.attachments import AttachmentError, AttachmentService
from app.services.registry import RegistryService
from app.store.images import MAX_JPEG_PIXELS, MAX_OTHER_PIXELS, ImageTooLarge, check_pixels, open_image
from app.store.models import Attachment
from tests.helpers.profiles import household_data


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width`` × ``height`` white pixels: a few kB that decode to gigabytes."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def jpeg_bomb(width: int, height: int) -> bytes:
    """A real 16×16 JPEG whose frame header (SOF0) is rewritten to declare ``width`` × ``height``."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """80 million pixels (over our 50 M cap for PNG, under Pillow's own warning at 89 M)."""
    return png_bomb(10_000, 8_000)


def test_the_crafted_bombs_are_small_files_that_declare_huge_sizes(bomb):
    assert len(bomb) < 30_000
    assert Image.open(io.BytesIO(bomb)).size == (10_000, 8_000)
    assert Image.open(io.BytesIO(jpeg_bomb(12_000, 12_000))).size == (12_000, 12_000)


def test_open_image_refuses_a_png_bomb_before_decoding_with_a_chinese_message(bomb):
    start = time.perf_counter()
    with pytest.raises(ImageTooLarge) as caught:
        open_image(bomb)
    assert time.perf_counter() - start < 0.5  # the header only; decoding would take seconds and GBs
    message = str(caught.value)
    assert "图片尺寸过大" in message and "10000×8000" in message and "50 百万像素" in message


def test_open_image_refuses_a_bomb_past_pillows_own_limit_in_chinese_too():
    with pytest.raises(ImageTooLarge, match="图片尺寸过大"):
        open_image(png_bomb(20_000, 20_000))  # 400 M pixels: Pillow itself raises at open


def test_jpeg_has_the_higher_cap_because_it_is_decoded_reduced():
    with pytest.raises(ImageTooLarge, match="12000×12000"):
        open_image(jpeg_bomb(12_000, 12_000))  # 144 M pixels
    check_pixels(12_000, 9_000, "JPEG")  # a 108-megapixel phone photo passes
    with pytest.raises(ImageTooLarge):
        check_pixels(12_000, 9_000, "PNG")
    assert MAX_JPEG_PIXELS > MAX_OTHER_PIXELS


def test_open_image_lets_an_ordinary_photo_through(tmp_path):
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (4000, 3000), (10, 120, 30)).save(path, "JPEG")
    with open_image(path) as im:
        im.load()
        assert im.size == (4000, 3000)


def _household(store):
    return RegistryService(store).save_household("zhangli", household_data())


def test_adding_a_bomb_as_photo_or_signature_stores_nothing(store, bomb):
    household = _household(store)
    service = AttachmentService(store)
    with pytest.raises(AttachmentError, match="图片尺寸过大"):
        service.add_photo("zhangli", "household", household.id, "photo", bomb)
    with pytest.raises(AttachmentError, match="图片尺寸过大"):
        service.add_photo("zhangli", "household", household.id, "photo", jpeg_bomb(12_000, 12_000))
    with pytest.raises(AttachmentError, match="图片尺寸过大"):
        service.add_signature("zhangli", "household", household.id, "signature", bomb)
    with store.session() as s:
        assert s.exec(select(Attachment)).all() == []
    assert not list(store.files.all_paths())


def test_a_synced_bomb_gets_no_thumbnail_and_no_certificate_picture(store, bomb, tmp_path):
    sha = store.files.put_bytes(bomb)  # as a pulled attachment lands: bytes in the file store, not decoded
    with pytest.raises(AttachmentError, match="图片尺寸过大"):
        AttachmentService(store).thumbnail_data(sha)
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb)
    assert photo_reader(path, 40, 30) is None
    assert signature_reader(path, 40, 15) is None
