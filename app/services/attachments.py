"""Photos and signatures: normalise, store content-addressed, link to the row that uses them.

Photos are turned upright (EXIF orientation applied), shrunk to at most
1600 px on the long side and saved as JPEG quality 85 without EXIF (no GPS or
camera serial leaves the device). Signatures are PNG. The bytes go into the
profile's file store under their SHA-256; an ``Attachment`` row and an
``AttachmentLink`` row go through the unit of work so both sync.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from app.store import crypto, table_registry
from app.store.db import private_dir
from app.store.images import ImageTooLarge, open_image
from app.store.models import Attachment, AttachmentLink
from app.store.read import attachments
from app.store.store import Store

MAX_SIDE = 1600
JPEG_QUALITY = 85
THUMB_SIDE = 160


class AttachmentError(ValueError):
    """A file that cannot be used as a photo or signature."""


@dataclass(frozen=True)
class StoredFile:
    """A stored attachment and its link."""

    sha256: str
    media_type: str
    size: int
    link_id: str


def normalise_photo(data: bytes) -> bytes:
    """JPEG bytes: upright, long side ≤ 1600 px, quality 85, no EXIF."""
    try:
        image = open_image(data)
        # JPEG: decode at a reduced scale (still ≥ 2× the target) instead of full size.
        image.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
        image = ImageOps.exif_transpose(image)
    except ImageTooLarge as exc:
        raise AttachmentError(str(exc)) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise AttachmentError("无法识别的图片文件，请选择 JPG 或 PNG 照片") from exc
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh save carries no EXIF unless passed one: location and device data are dropped.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


class AttachmentService:
    """Adds, lists and thumbnails attachments of one profile."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.thumb_dir = store.home / "thumbs"

    def add_photo(
        self, actor: str, owner_tbl: str, owner_id: str, role: str, source: Path | str | bytes
    ) -> StoredFile:
        """Store a photo (path or bytes) for ``owner`` in ``role``; returns its digest and link."""
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        return self._store(actor, owner_tbl, owner_id, role, normalise_photo(data), "image/jpeg")

    def add_signature(self, actor: str, owner_tbl: str, owner_id: str, role: str, png: bytes) -> StoredFile:
        """Store signature PNG bytes for ``owner`` in ``role``."""
        if not png.startswith(b"\x89PNG"):
            raise AttachmentError("签名应为 PNG 图像")
        try:
            open_image(png).close()  # the header only: a bomb is refused before anything is stored
        except ImageTooLarge as exc:
            raise AttachmentError(str(exc)) from exc
        except (UnidentifiedImageError, OSError) as exc:
            raise AttachmentError("签名应为 PNG 图像") from exc
        return self._store(actor, owner_tbl, owner_id, role, png, "image/png")

    def _store(
        self, actor: str, owner_tbl: str, owner_id: str, role: str, data: bytes, media_type: str
    ) -> StoredFile:
        sha = self.store.files.put_bytes(data)
        with self.store.unit_of_work(actor) as uow:
            # The file belongs to its owner's region: that decides who may sync it (SYNC.md scope).
            region = uow.get(table_registry.model_for(owner_tbl), owner_id).region_code
            if uow.session.get(Attachment, sha) is None:
                uow.add(Attachment(id=sha, media_type=media_type, size=len(data), region_code=region))
            position = len(self._links(uow.session, owner_tbl, owner_id, role))
            link = uow.add(
                AttachmentLink(
                    owner_tbl=owner_tbl,
                    owner_id=owner_id,
                    role=role,
                    sha256=sha,
                    position=position,
                    region_code=region,
                )
            )
            return StoredFile(sha, media_type, len(data), link.id)

    @staticmethod
    def _links(session: object, owner_tbl: str, owner_id: str, role: str | None) -> list[AttachmentLink]:
        return attachments.links(session, [(owner_tbl, owner_id)], role)

    def list_links(self, owner_tbl: str, owner_id: str, role: str | None = None) -> list[AttachmentLink]:
        """Live links of an owner row (optionally of one role), in position order."""
        with self.store.session() as s:
            return self._links(s, owner_tbl, owner_id, role)

    def remove_link(self, actor: str, owner_tbl: str, owner_id: str, role: str, sha256: str) -> None:
        """Tombstone the owner's link(s) to one file; the bytes stay (others may use them)."""
        with self.store.unit_of_work(actor) as uow:
            for link in self._links(uow.session, owner_tbl, owner_id, role):
                if link.sha256 == sha256:
                    uow.delete(link)

    def thumbnail_data(self, sha256: str, side: int = THUMB_SIDE) -> bytes:
        """JPEG bytes of a thumbnail (long side ``side`` px), cached encrypted on an encrypted profile.

        The cache file is named by a keyed hash and sealed with the profile's
        file key, so thumbnails reveal no more than the photos they come from.
        """
        key = self.store.files.key
        if key is None:
            return self.thumbnail(sha256, side).read_bytes()
        name = hmac.new(key, f"thumb|{sha256}|{side}".encode(), hashlib.sha256).hexdigest()
        target = self.thumb_dir / name
        if target.is_file():
            out = io.BytesIO()
            try:
                with open(target, "rb") as fh:
                    crypto.decrypt_stream(key, fh, out)
                return out.getvalue()
            except crypto.DecryptionFailed:
                target.unlink(missing_ok=True)  # a damaged cache entry is made again
        data = self._render_thumbnail(sha256, side)
        private_dir(self.thumb_dir)
        fd, tmp = tempfile.mkstemp(dir=self.thumb_dir, prefix=".part-")
        with os.fdopen(fd, "wb") as fh:
            crypto.encrypt_stream(key, io.BytesIO(data), fh)
        os.replace(tmp, target)
        return data

    def thumbnail(self, sha256: str, side: int = THUMB_SIDE) -> Path:
        """A cached JPEG thumbnail file of a plain profile (an encrypted one has only ``thumbnail_data``)."""
        if self.store.files.key is not None:
            raise AttachmentError("加密的资料不保存未加密的缩略图")
        target = self.thumb_dir / f"{sha256}_{side}.jpg"
        if target.is_file():
            return target
        self.thumb_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(self._render_thumbnail(sha256, side))
        tmp.replace(target)
        return target

    def _render_thumbnail(self, sha256: str, side: int) -> bytes:
        """JPEG bytes of a thumbnail; ``AttachmentError`` for a file that is no image or too large."""
        try:
            image = open_image(self.store.files.read(sha256))
            image.draft("RGB", (side * 2, side * 2))
        except ImageTooLarge as exc:
            raise AttachmentError(str(exc)) from exc
        except (UnidentifiedImageError, OSError) as exc:
            raise AttachmentError("无法识别的图片文件") from exc
        if image.mode in ("RGBA", "LA", "P"):
            # Signatures are transparent PNGs: put them on white so the ink shows.
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.split()[-1])
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        return out.getvalue()
