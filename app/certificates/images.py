"""Photos and signatures, downscaled once to the size they print at.

Phone photos are 3-12 MB; embedding them whole would make a 500-certificate
batch gigabytes. Each picture is decoded at reduced size (JPEG draft mode),
turned upright (EXIF), shrunk to ~180 dpi of its box and handed to reportlab
as JPEG bytes, which it embeds without re-encoding. Signatures are flattened
on white and kept lossless in grey so strokes stay crisp.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections import OrderedDict
from pathlib import Path

from PIL import Image, ImageOps
from reportlab.lib.utils import ImageReader

from app.store.images import open_image

log = logging.getLogger(__name__)
PRINT_DPI = 180
_MM_PER_INCH = 25.4


def _box_px(width_mm: float, height_mm: float) -> tuple[int, int]:
    return (round(width_mm / _MM_PER_INCH * PRINT_DPI), round(height_mm / _MM_PER_INCH * PRINT_DPI))


class JpegImage:
    """JPEG bytes reportlab embeds as they are.

    Used instead of ``ImageReader(BytesIO)``: that object refers to itself through
    a bound method, so every photo lingered until a full garbage collection and a
    batch grew by ~100 KB per certificate; it also decoded the JPEG just to name it.
    reportlab names an image that is not an ``ImageReader`` by ``str()``, so the
    digest below lets identical photos share one embedded copy.
    """

    def __init__(self, data: bytes, size: tuple[int, int]) -> None:
        self.data = data
        self.size = size
        self._name = "jpeg-" + hashlib.sha1(data, usedforsecurity=False).hexdigest()

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self.data)

    def getSize(self) -> tuple[int, int]:
        return self.size

    def __str__(self) -> str:
        return self._name


Picture = JpegImage | ImageReader


def photo_reader(path: Path, width_mm: float, height_mm: float) -> JpegImage | None:
    """A downscaled JPEG of ``path`` fitting the box, or ``None`` when the file is unreadable."""
    box = _box_px(width_mm, height_mm)
    try:
        with open_image(path) as im:
            im.draft("RGB", (box[0] * 2, box[1] * 2))
            im = ImageOps.exif_transpose(im)
            if im.mode != "RGB":
                im = im.convert("RGB")
            im.thumbnail(box, Image.Resampling.BILINEAR, reducing_gap=2.0)
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=80, optimize=False)
            size = im.size
    except (OSError, ValueError) as exc:
        log.warning("certificate photo %s unreadable: %s", path, exc)
        return None
    return JpegImage(buf.getvalue(), size)


def signature_reader(path: Path, width_mm: float, height_mm: float) -> ImageReader | None:
    """A grey, white-backed signature fitting the box, or ``None`` when unreadable."""
    box = _box_px(width_mm, height_mm)
    try:
        with open_image(path) as im:
            im = im.convert("RGBA")
            flat = Image.new("RGBA", im.size, (255, 255, 255, 255))
            flat.alpha_composite(im)
            grey = flat.convert("L")
            grey.thumbnail(box, Image.Resampling.LANCZOS)
    except (OSError, ValueError) as exc:
        log.warning("certificate signature %s unreadable: %s", path, exc)
        return None
    return ImageReader(grey)


class ReaderCache:
    """A small LRU of downscaled pictures, so a signature reused across a batch is shrunk once.

    Bounded, so a batch's memory does not grow with the number of certificates.
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str, float, int, float, float], ImageReader | None] = (
            OrderedDict()
        )

    def get(self, kind: str, path: Path, width_mm: float, height_mm: float) -> Picture | None:
        """The reader for ``path`` as a ``photo`` or ``signature``, shrinking it on first use."""
        make = photo_reader if kind == "photo" else signature_reader
        if hasattr(path, "read"):  # decrypted bytes of an encrypted profile's file: nothing to key a cache on
            return make(path, width_mm, height_mm)
        try:
            st = Path(path).stat()
            key = (kind, str(path), st.st_mtime, st.st_size, width_mm, height_mm)
        except OSError:
            log.warning("certificate picture %s missing", path)
            return None
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        reader = make(Path(path), width_mm, height_mm)
        self._items[key] = reader
        if len(self._items) > self._size:
            self._items.popitem(last=False)
        return reader
