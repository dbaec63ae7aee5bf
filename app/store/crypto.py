"""The profile's cryptography: password keys, key wrapping, subkeys and streamed file encryption.

One random 256-bit *root key* protects a profile. It never touches the disk in
clear: each enrolled user keeps a copy wrapped (AES-GCM) by a key derived from
their password with argon2id (``hash_secret_raw``, per-user salt), so changing
a password rewraps 32 bytes instead of re-encrypting the data. The database
key and the file key are derived from the root with HKDF, one label each, so
a key leaked from one use says nothing about the other.

Files (photos, signatures, PDFs, backups' companions) are encrypted in chunks
of ``CHUNK`` bytes: each chunk is sealed with its own nonce (file prefix +
counter) and an associated datum holding its index and whether it is the last
one, so chunks cannot be reordered, dropped or the file cut short unnoticed,
and a 100 MB file never has to sit in memory.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import BinaryIO

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
CHUNK = 64 * 1024
MAGIC = b"HVE1"
_PREFIX_BYTES = 8
_LEN = struct.Struct(">I")


class DecryptionFailed(ValueError):
    """Ciphertext that does not open with this key: a wrong key, or damaged or altered bytes."""


@dataclass(frozen=True)
class Argon2Params:
    """argon2id cost: about 0.2 s and 64 MiB on a field laptop, so guessing is slow and login is not."""

    time_cost: int = 3
    memory_cost: int = 64 * 1024  # KiB
    parallelism: int = 2


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def password_key(password: str, salt: bytes, params: Argon2Params) -> bytes:
    """The key-encryption key of ``password`` (argon2id, raw 32 bytes)."""
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def seal(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """``(nonce, ciphertext)`` of ``plaintext`` under ``key``, bound to ``aad``."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        raise DecryptionFailed("密钥不正确或数据已损坏") from None


def subkey(root: bytes, label: str) -> bytes:
    """A key for one use (``database``, ``files``…) derived from the root key."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=label.encode()).derive(root)


def _chunk_aad(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">QB", index, 1 if last else 0)


def encrypt_stream(key: bytes, src: BinaryIO, dst: BinaryIO) -> None:
    """Write ``src`` to ``dst`` encrypted: MAGIC, nonce prefix, then length-prefixed sealed chunks."""
    aead = AESGCM(key)
    prefix = os.urandom(_PREFIX_BYTES)
    dst.write(MAGIC + prefix)
    index = 0
    chunk = src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        last = not following
        nonce = prefix + struct.pack(">I", index)
        sealed = aead.encrypt(nonce, chunk, _chunk_aad(index, last))
        dst.write(_LEN.pack(len(sealed)) + sealed)
        if last:
            return
        chunk, index = following, index + 1


def decrypt_stream(key: bytes, src: BinaryIO, dst: BinaryIO) -> None:
    """The inverse of ``encrypt_stream``; raises ``DecryptionFailed`` on any alteration or cut."""
    head = src.read(len(MAGIC) + _PREFIX_BYTES)
    if len(head) != len(MAGIC) + _PREFIX_BYTES or not head.startswith(MAGIC):
        raise DecryptionFailed("不是本程序加密的文件")
    aead = AESGCM(key)
    prefix = head[len(MAGIC) :]
    index = 0
    while True:
        size_bytes = src.read(_LEN.size)
        if len(size_bytes) != _LEN.size:
            raise DecryptionFailed("加密文件不完整")
        sealed = src.read(_LEN.unpack(size_bytes)[0])
        nonce = prefix + struct.pack(">I", index)
        last = src.peek(1) == b"" if hasattr(src, "peek") else None
        if last is None:
            pos = src.tell()
            last = src.read(1) == b""
            src.seek(pos)
        try:
            dst.write(aead.decrypt(nonce, sealed, _chunk_aad(index, bool(last))))
        except InvalidTag:
            raise DecryptionFailed("密钥不正确或文件已损坏") from None
        if last:
            return
        index += 1


def is_encrypted_file(head: bytes) -> bool:
    return head.startswith(MAGIC)
