"""Content-addressed file store for photos, signatures, certificate PDFs and other attachments.

A file is known by the SHA-256 of its bytes; the same bytes are stored once
however many rows link to them. With a key (every encrypted profile) the bytes
on disk are AES-GCM chunks (``app.store.crypto``) and the file's name is a
keyed hash of the digest, so the folder reveals neither the pictures nor which
known file they are. Writes go to a temporary file that is fsynced and
renamed, so a crash never leaves a half-written attachment under its final
name. Files are mode 0600 in 0700 folders.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.store import crypto
from app.store.db import private_dir


class MissingFile(FileNotFoundError):
    """An attachment whose bytes are not (yet) on this device."""


class _HashingReader(io.RawIOBase):
    """Reads through to ``src`` while hashing what passes, so a file is hashed and encrypted in one pass."""

    def __init__(self, src: BinaryIO) -> None:
        self.src = src
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.src.read(size)
        self.digest.update(data)
        return data


class FileStore:
    """Files by SHA-256 under one folder, encrypted when the store has a key."""

    def __init__(self, root: Path, key: bytes | None = None) -> None:
        self.root = private_dir(Path(root))
        self.key = key

    def path(self, sha256: str) -> Path:
        """Where the (encrypted, with a key) bytes of ``sha256`` live on disk."""
        if self.key is None:
            return self.root / sha256[:2] / sha256
        name = hmac.new(self.key, sha256.encode(), hashlib.sha256).hexdigest()
        return self.root / name[:2] / name

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put_bytes(self, data: bytes) -> str:
        """Store ``data`` and return its SHA-256 hex digest."""
        digest = hashlib.sha256(data).hexdigest()
        if not self.has(digest):
            self._write(digest, io.BytesIO(data))
        return digest

    def put_file(self, source: Path) -> str:
        """Store the file at ``source`` (streamed, never read whole) and return its digest."""
        with open(source, "rb") as fh:
            reader = _HashingReader(fh)
            tmp = self._write_temp(reader)
        digest = reader.digest.hexdigest()
        target = self.path(digest)
        if target.is_file():
            tmp.unlink()
        else:
            private_dir(target.parent)
            os.replace(tmp, target)
        return digest

    def read(self, sha256: str) -> bytes:
        out = io.BytesIO()
        self.copy_to(sha256, out)
        return out.getvalue()

    def open(self, sha256: str) -> io.BytesIO:
        """The file's bytes as an in-memory file (for PIL, reportlab, Qt buffers)."""
        return io.BytesIO(self.read(sha256))

    def source(self, sha256: str) -> Path | io.BytesIO:
        """Something PIL and reportlab open: the file itself when plain, its decrypted bytes in memory otherwise.

        No decrypted copy is ever written to disk.
        """
        return self.path(sha256) if self.key is None else self.open(sha256)

    def copy_to(self, sha256: str, dst: BinaryIO) -> None:
        """Write the file's plain bytes to ``dst``, decrypting chunk by chunk."""
        try:
            with open(self.path(sha256), "rb") as fh:
                if self.key is None:
                    while chunk := fh.read(crypto.CHUNK):
                        dst.write(chunk)
                else:
                    crypto.decrypt_stream(self.key, fh, dst)
        except FileNotFoundError:
            raise MissingFile(f"附件 {sha256[:12]}… 尚未下载到本机") from None

    def all_paths(self) -> Iterator[Path]:
        return (p for p in self.root.rglob("*") if p.is_file() and not p.name.startswith(".part-"))

    def _write(self, digest: str, src: BinaryIO) -> None:
        tmp = self._write_temp(src)
        target = self.path(digest)
        private_dir(target.parent)
        os.replace(tmp, target)

    def _write_temp(self, src: BinaryIO) -> Path:
        fd, name = tempfile.mkstemp(dir=self.root, prefix=".part-")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as fh:
                if self.key is None:
                    while chunk := src.read(crypto.CHUNK):
                        fh.write(chunk)
                else:
                    crypto.encrypt_stream(self.key, src, fh)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp
