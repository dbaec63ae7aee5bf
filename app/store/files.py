"""Content-addressed file store for photos, signatures and other attachments.

A file lives at ``files/<first two hex>/<sha256>``; the same bytes are stored
once however many rows link to them. Writes go to a temporary file that is
fsynced and renamed, so a crash never leaves a half-written attachment under
its final name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class MissingFile(FileNotFoundError):
    """An attachment whose bytes are not (yet) on this device."""


class FileStore:
    """Files by SHA-256 under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> str:
        """Store ``data`` and return its SHA-256 hex digest."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.is_file():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def read(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise MissingFile(f"附件 {sha256[:12]}… 尚未下载到本机") from None
