"""``keys.json``: the profile's root key, wrapped once per enrolled user — the gate to the profile.

Account rows in the database decide nothing about who may open it: without a
copy of the root key wrapped for a real password the database and files are
noise. So editing or deleting rows lets nobody in, and copying the folder to
another machine gives nothing without a password.

The file holds, per user, the argon2id salt and cost and the AES-GCM wrapped
root key. Entries are named by a keyed hash of the user name (not the name),
bound to the profile id, so the file lists no one and an entry cannot be moved
to another user or another profile. Written atomically, mode 0600.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from app.store import crypto
from app.store.crypto import Argon2Params, DecryptionFailed

KEYFILE_NAME = "keys.json"
FORMAT = 1


class KeyFileError(RuntimeError):
    """The key file is missing or unreadable."""


class NotEnrolled(KeyError):
    """This user has no key on this laptop."""


class WrongPassword(ValueError):
    """The password does not unwrap this user's key."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def keyfile_path(home: Path) -> Path:
    return Path(home) / KEYFILE_NAME


def exists(home: Path) -> bool:
    return keyfile_path(home).is_file()


def _entry_name(profile_id: str, username: str) -> str:
    return hashlib.sha256(f"homevisit-user|{profile_id}|{username.strip()}".encode()).hexdigest()[:32]


def _aad(profile_id: str, entry: str) -> bytes:
    return f"homevisit-root|{profile_id}|{entry}".encode()


def _load(home: Path) -> dict:
    try:
        data = json.loads(keyfile_path(home).read_text(encoding="ascii"))
    except FileNotFoundError:
        raise KeyFileError("本机密钥文件 keys.json 不存在") from None
    except (OSError, ValueError) as exc:
        raise KeyFileError("本机密钥文件 keys.json 已损坏") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("users"), dict):
        raise KeyFileError("本机密钥文件 keys.json 格式不正确")
    return data


def _save(home: Path, data: dict) -> None:
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=home, prefix=".keys-")
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, keyfile_path(home))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _wrap(
    profile_id: str, root: bytes, username: str, password: str, params: Argon2Params
) -> tuple[str, dict]:
    entry = _entry_name(profile_id, username)
    salt = os.urandom(crypto.SALT_BYTES)
    kek = crypto.password_key(password, salt, params)
    nonce, wrapped = crypto.seal(kek, root, _aad(profile_id, entry))
    return entry, {"salt": _b64(salt), "nonce": _b64(nonce), "wrapped": _b64(wrapped), **asdict(params)}


def create(home: Path, username: str, password: str, *, params: Argon2Params | None = None) -> bytes:
    """A new profile key file with ``username`` enrolled; returns the new root key."""
    if exists(home):
        raise KeyFileError("本机已有密钥文件，不能重新创建")
    profile_id = _b64(os.urandom(12))
    root = crypto.new_key()
    entry, wrapped = _wrap(profile_id, root, username, password, params or Argon2Params())
    _save(home, {"format": FORMAT, "profile_id": profile_id, "users": {entry: wrapped}})
    return root


def unlock(home: Path, username: str, password: str) -> bytes:
    """The root key, if ``password`` is ``username``'s on this laptop."""
    data = _load(home)
    entry = _entry_name(data["profile_id"], username)
    item = data["users"].get(entry)
    if item is None:
        raise NotEnrolled(username)
    params = Argon2Params(item["time_cost"], item["memory_cost"], item["parallelism"])
    kek = crypto.password_key(password, _unb64(item["salt"]), params)
    try:
        return crypto.open_sealed(
            kek, _unb64(item["nonce"]), _unb64(item["wrapped"]), _aad(data["profile_id"], entry)
        )
    except DecryptionFailed:
        raise WrongPassword(username) from None


def enrol(
    home: Path, root: bytes, username: str, password: str, *, params: Argon2Params | None = None
) -> None:
    """Give ``username`` (or give again, with a new password) a wrapped copy of ``root``."""
    data = _load(home)
    entry, wrapped = _wrap(data["profile_id"], root, username, password, params or Argon2Params())
    data["users"][entry] = wrapped
    _save(home, data)


def is_enrolled(home: Path, username: str) -> bool:
    try:
        data = _load(home)
    except KeyFileError:
        return False
    return _entry_name(data["profile_id"], username) in data["users"]


def remove(home: Path, username: str) -> None:
    data = _load(home)
    data["users"].pop(_entry_name(data["profile_id"], username), None)
    _save(home, data)


def enrolled_count(home: Path) -> int:
    return len(_load(home)["users"])


def destroy(home: Path) -> None:
    """Overwrite and delete the key file: without it the encrypted profile can never be opened."""
    path = keyfile_path(home)
    if not path.exists():
        return
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.write(os.urandom(max(size, 1)))
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()
