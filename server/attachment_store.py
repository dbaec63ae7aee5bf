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


PARTIAL_TTL_S = 24 * 3600.0  # an upload untouched this long is dropped


class AttachmentStore(Protocol):
    """The operations the attachment routes need.

    Unfinished uploads belong to their uploader (``owner``): each has its own partial file,
    so nobody can block or poison another's upload of the same hash; the first to finish
    with the right hash publishes it.
    """

    def received(self, sha256: str, owner: str) -> int:
        """Bytes ``owner`` has sent of an unfinished upload (0 if none)."""
        ...

    def size(self, sha256: str) -> int:
        """Bytes of the complete file (0 if not complete)."""
        ...

    def is_complete(self, sha256: str) -> bool: ...

    def append(self, sha256: str, owner: str, offset: int, data: bytes) -> int:
        """Append ``data`` at ``offset`` (must equal ``received``); returns the new size."""
        ...

    def finish(self, sha256: str, owner: str) -> None:
        """Check the hash of the received bytes and publish them; raises ``HashMismatch``."""
        ...

    def expire(self, now: float) -> int:
        """Drop unfinished uploads older than ``PARTIAL_TTL_S``; returns how many."""
        ...

    def path(self, sha256: str) -> Path:
        """A local path to a complete file (a cloud store would download or redirect)."""
        ...


class FolderAttachmentStore:
    """Attachments in a folder: ``<root>/<aa>/<sha256>``, uploads in ``<root>/partial/<sha256>.<owner>``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "partial").mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _partial(self, sha256: str, owner: str) -> Path:
        tag = hashlib.sha256(owner.encode()).hexdigest()[:16]  # any user name becomes a safe file name
        return self.root / "partial" / f"{sha256}.{tag}"

    def is_complete(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size if self.is_complete(sha256) else 0

    def received(self, sha256: str, owner: str) -> int:
        part = self._partial(sha256, owner)
        return part.stat().st_size if part.is_file() else 0

    def append(self, sha256: str, owner: str, offset: int, data: bytes) -> int:
        held = self.received(sha256, owner)
        if offset != held:
            raise RangeMismatch(held)
        with open(self._partial(sha256, owner), "ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return held + len(data)

    def finish(self, sha256: str, owner: str) -> None:
        part = self._partial(sha256, owner)
        digest = hashlib.sha256()
        with open(part, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha256:
            part.unlink(missing_ok=True)
            raise HashMismatch("上传的文件内容与其校验值不符，已丢弃，请重新上传")
        if self.is_complete(sha256):
            part.unlink(missing_ok=True)  # someone finished first: the same bytes
            return
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, target)

    def expire(self, now: float) -> int:
        count = 0
        for part in (self.root / "partial").iterdir():
            try:
                if now - part.stat().st_mtime > PARTIAL_TTL_S:
                    part.unlink()
                    count += 1
            except FileNotFoundError:
                continue
        return count
