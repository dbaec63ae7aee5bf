"""The decompression-bomb guard: an image's pixel count is checked before it is decoded.

A PNG of a few kilobytes can declare 100,000 × 100,000 pixels; decoding it
would take tens of gigabytes. Every place that decodes a picture (photos
added or synced, thumbnails, certificate pictures) opens it through
``open_image``, which reads only the header, checks the declared size against
the caps below and only then lets the caller decode. Qt code checks
``QImageReader(...).size()`` with ``check_pixels`` before ``read()``.

Pillow's own ``Image.MAX_IMAGE_PIXELS`` is process-wide and answers in
English; the caps here apply to our decoding only and refuse in Chinese.

JPEG is decoded reduced (draft mode: 1/2 to 1/8 scale) wherever we shrink
it, so its cap is higher: 120 million pixels covers the 108-megapixel
phone cameras; other formats (PNG, GIF, WebP…) are decoded at full size,
so 50 million pixels (200 MB as RGBA) is their cap.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

from PIL import Image, UnidentifiedImageError

MAX_JPEG_PIXELS = 120_000_000
MAX_OTHER_PIXELS = 50_000_000


class ImageTooLarge(ValueError):
    """An image that declares more pixels than the app will decode."""

    def __init__(self, width: int | None, height: int | None, limit: int) -> None:
        self.width, self.height, self.limit = width, height, limit
        size = f"{width}×{height} 像素，" if width is not None and height is not None else ""
        super().__init__(
            f"图片尺寸过大（{size}超过 {limit // 1_000_000} 百万像素的上限），"
            "为防止内存耗尽没有打开；请换一张照片，或先缩小后再选"
        )


def pixel_limit(image_format: str | None) -> int:
    """The largest pixel count decoded for an image of ``image_format`` (Pillow's or Qt's name)."""
    return MAX_JPEG_PIXELS if (image_format or "").upper() in ("JPEG", "JPG", "MPO") else MAX_OTHER_PIXELS


def check_pixels(width: int, height: int, image_format: str | None = None) -> None:
    """Raise ``ImageTooLarge`` if ``width`` × ``height`` is over the cap for ``image_format``.

    Also for Qt: ``reader = QImageReader(path)``; ``size = reader.size()``;
    ``check_pixels(size.width(), size.height(), bytes(reader.format()).decode())``.
    """
    limit = pixel_limit(image_format)
    if width < 0 or height < 0 or width * height > limit:
        raise ImageTooLarge(width, height, limit)


def open_image(source: bytes | Path | str | IO[bytes]) -> Image.Image:
    """``Image.open`` (header only, nothing decoded yet) after the pixel-count check.

    Raises ``ImageTooLarge`` for a bomb, and Pillow's ``UnidentifiedImageError``
    / ``OSError`` for what is not an image. Pillow's own bomb error (over twice
    its process-wide limit) is turned into ``ImageTooLarge`` too.
    """
    fp = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        image = Image.open(fp)
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(None, None, MAX_OTHER_PIXELS) from exc
    try:
        check_pixels(*image.size, image.format)
    except ImageTooLarge:
        image.close()
        raise
    return image


__all__ = [
    "MAX_JPEG_PIXELS",
    "MAX_OTHER_PIXELS",
    "ImageTooLarge",
    "UnidentifiedImageError",
    "check_pixels",
    "open_image",
    "pixel_limit",
]
