"""Password policy and the capped password hasher.

Argon2 is deliberately expensive (64 MiB and tens of milliseconds per hash), so a
flood of logins could exhaust the server's memory: every hash and verification
goes through ``HASHING``, a semaphore that lets only a few run at once; the rest
wait briefly and are then told to retry (429) rather than queue without end.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 200
MAX_CONCURRENT_HASHES = 4
HASH_WAIT_S = 5.0  # how long a login waits for a hashing slot before it gets a 429
COMMON_PASSWORDS_PATH = Path(__file__).resolve().parent / "data" / "common-passwords.txt"

_hasher = PasswordHasher()
HASHING = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)


class WeakPassword(ValueError):
    """A password the policy refuses (message in Chinese)."""


class HashingBusy(RuntimeError):
    """Every hashing slot stayed taken for ``HASH_WAIT_S``: the caller should answer 429."""


@cache
def common_passwords() -> frozenset[str]:
    """The common-password list (lower-cased), read once."""
    lines = COMMON_PASSWORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check_password(password: str, username: str = "") -> None:
    """Raise ``WeakPassword`` unless ``password`` meets the policy."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少需要 {MIN_LENGTH} 位")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码不能超过 {MAX_LENGTH} 位")
    lowered = password.lower()
    if lowered in common_passwords():
        raise WeakPassword("这个密码太常见，很容易被猜到，请换一个")
    if len(set(password)) < 3:
        raise WeakPassword("密码不能由同一两个字符重复组成，请换一个")
    if username and username.strip().lower() in lowered:
        raise WeakPassword("密码不能包含用户名，请换一个")


class _Slot:
    def __enter__(self) -> None:
        if not HASHING.acquire(timeout=HASH_WAIT_S):
            raise HashingBusy("服务器正忙，请稍后再登录")

    def __exit__(self, *_exc: object) -> None:
        HASHING.release()


def hash_password(password: str) -> str:
    """The argon2 hash of ``password``, computed in one of the capped slots."""
    with _Slot():
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (checked in one of the capped slots)."""
    with _Slot():
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
