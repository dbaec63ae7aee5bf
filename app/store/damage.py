"""Recognising a damaged database before anything is written to it.

Every check opens the file read-only, so a damaged database is left exactly as
found (for a restore, or for someone to rescue by hand); the app then offers
the latest good backup and never starts a new profile over the old file. Each
kind of damage has its own Chinese message saying what happened and what to
do.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from urllib.parse import quote

import sqlcipher3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app.store.db import SQLITE_HEADER, DatabaseError, key_pragma, quiet


class Damage(StrEnum):
    EMPTY = "empty"
    TRUNCATED = "truncated"
    MALFORMED = "malformed"
    WRONG_KEY = "wrong_key"


MESSAGES = {
    Damage.EMPTY: "数据库文件是空的（0 字节），可能是磁盘已满或复制中断。原文件已保留，请从备份恢复。",
    Damage.TRUNCATED: "数据库文件不完整（比应有的短），可能是复制或断电中断。原文件已保留，请从备份恢复。",
    Damage.MALFORMED: "数据库文件已损坏，无法读取其中的数据。原文件已保留，请从备份恢复。",
    Damage.WRONG_KEY: "数据库无法用本机密钥打开：密钥文件与数据库不匹配，或文件头已损坏。原文件已保留，请从备份恢复。",
}


class DamagedDatabase(RuntimeError):
    """The profile's database cannot be used as it is; ``kind`` says how it is damaged."""

    def __init__(self, kind: Damage, path: Path) -> None:
        super().__init__(MESSAGES[kind])
        self.kind = kind
        self.path = path
        self.key: bytes | None = None  # set by whoever opened it with a key, to look for a good backup


def _connect_ro(path: Path, key: bytes | None) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False)
    quiet(conn)
    if key is not None:
        conn.execute(key_pragma(key))
    return conn


ENCRYPTED_PAGE = 4096  # SQLCipher 4's default page size, which the app never changes
_RESERVE = 80  # per page: a 16-byte IV and a 64-byte HMAC-SHA512


def _header_pages(page1: bytes, key: bytes | None) -> tuple[int, int] | None:
    """``(page size, page count)`` from the database header, or ``None`` when it does not read.

    The count is trusted only when the header says it is current (the
    "version-valid-for" number equals the change counter). An encrypted
    header is decrypted here directly (AES-256-CBC, IV in the page's reserved
    tail), so a file cut short is told apart from a wrong key even when the
    schema's own pages are among those cut off.
    """
    if page1.startswith(SQLITE_HEADER):
        header = page1[16:100]
        size = int.from_bytes(page1[16:18], "big")
        page_size = 65536 if size == 1 else size
    elif key is not None and len(page1) >= ENCRYPTED_PAGE:
        iv = page1[ENCRYPTED_PAGE - _RESERVE : ENCRYPTED_PAGE - _RESERVE + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        header = decryptor.update(page1[16 : ENCRYPTED_PAGE - _RESERVE])[:84]
        page_size = ENCRYPTED_PAGE
    else:
        return None
    # Offsets within the header from byte 16: change counter 24, page count 28, valid-for 92.
    if header[8:12] != header[76:80]:
        return None
    return page_size, int.from_bytes(header[12:16], "big")


def check_database(path: Path, key: bytes | None, *, thorough: bool = True) -> None:
    """Raise ``DamagedDatabase`` if the file at ``path`` cannot be opened with ``key`` or fails its checks.

    ``thorough`` adds ``PRAGMA quick_check`` (every page read, and with SQLCipher
    every page's HMAC verified); without it only the header, the key and the
    length are checked, which costs nothing however large the file is.
    """
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise DamagedDatabase(Damage.EMPTY, path)
    with open(path, "rb") as fh:
        page1 = fh.read(ENCRYPTED_PAGE)
    plain_header = page1.startswith(SQLITE_HEADER)
    header = _header_pages(page1, key)
    if header is None and not plain_header:
        raise DamagedDatabase(Damage.WRONG_KEY, path)
    wal = path.with_name(path.name + "-wal")
    if header and size < header[0] * header[1] and not (wal.exists() and wal.stat().st_size > 0):
        raise DamagedDatabase(Damage.TRUNCATED, path)
    conn = _connect_ro(path, None if plain_header else key)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if thorough:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise DamagedDatabase(Damage.MALFORMED, path)
        except DatabaseError as exc:
            wrong = "not a database" in str(exc) and not plain_header
            raise DamagedDatabase(Damage.WRONG_KEY if wrong else Damage.MALFORMED, path) from None
    finally:
        conn.close()


def integrity_report(path: Path, key: bytes | None) -> list[str]:
    """Problems found by the full checks (``integrity_check``, and ``cipher_integrity_check`` when encrypted)."""
    problems: list[str] = []
    try:
        check_database(path, key, thorough=False)
    except DamagedDatabase as exc:
        return [str(exc)]
    conn = _connect_ro(path, key)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            problems += rows
        if key is not None:
            problems += [r[0] for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    except DatabaseError as exc:
        problems.append(f"{MESSAGES[Damage.MALFORMED]}（{exc}）")
    finally:
        conn.close()
    return problems
