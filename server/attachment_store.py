"""Where attachment bytes live on the server, behind a small interface so S3 can come later.

An upload arrives in chunks appended in order; the bytes received so far sit in
a partial file, and only when the last byte arrives and the SHA-256 matches is
the file moved to its final name. A mismatch discards the partial file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol


class RangeMismatch(ValueError):
    """A chunk that does not start where the stored bytes end."""

    def __init__(self, received: int) -> None:
        self.received = received
        super().__init__(f"分块位置不对：服务器已有 {received} 字节，请从该位置继续上传")


class HashMismatch(ValueError):
    """The finished upload's bytes do not have the SHA-256 they were sent under."""


class AttachmentStore(Protocol):
    """The operations the attachment routes need."""

    def received(self, sha256: str) -> int:
        """Bytes held for ``sha256`` (complete or partial)."""
        ...

    def is_complete(self, sha256: str) -> bool: ...

    def append(self, sha256: str, offset: int, data: bytes) -> int:
        """Append ``data`` at ``offset`` (must equal ``received``); returns the new size."""
        ...

    def finish(self, sha256: str) -> None:
        """Check the hash of the received bytes and publish them; raises ``HashMismatch``."""
        ...

    def path(self, sha256: str) -> Path:
        """A local path to a complete file (a cloud store would download or redirect)."""
        ...


class FolderAttachmentStore:
    """Attachments in a folder: ``<root>/<aa>/<sha256>``, uploads in ``<root>/partial/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "partial").mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _partial(self, sha256: str) -> Path:
        return self.root / "partial" / sha256

    def is_complete(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def received(self, sha256: str) -> int:
        if self.is_complete(sha256):
            return self.path(sha256).stat().st_size
        part = self._partial(sha256)
        return part.stat().st_size if part.is_file() else 0

    def append(self, sha256: str, offset: int, data: bytes) -> int:
        held = self.received(sha256)
        if offset != held or self.is_complete(sha256):
            raise RangeMismatch(held)
        with open(self._partial(sha256), "ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return held + len(data)

    def finish(self, sha256: str) -> None:
        part = self._partial(sha256)
        digest = hashlib.sha256()
        with open(part, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha256:
            part.unlink(missing_ok=True)
            raise HashMismatch("上传的文件内容与其校验值不符，已丢弃，请重新上传")
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, target)
