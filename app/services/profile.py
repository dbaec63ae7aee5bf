"""Opening a profile from cold: first run (server account or stand-alone), login, plain-profile migration.

What the first screen shows follows from ``status(home)``:

- ``FRESH`` — nothing here yet: log in with a server account (the device is
  enrolled: the server says who the user is and which regions they cover, and
  the new profile key is wrapped for their password), or set up a stand-alone
  install with a local administrator;
- ``ENCRYPTED`` — ``keys.json`` is the gate: a password opens the profile only
  if it unwraps that user's copy of the key. The account rows say nothing
  about who may come in, so editing or deleting them lets nobody in;
- ``PLAIN`` — a profile from before encryption: the password is checked
  against the old row hash once, then the profile is encrypted for that user
  (``app.store.encrypt``) and every hash is wiped from it;
- ``KEYS_MISSING`` — an encrypted database without its key file: it can never
  be opened here; the app says so and offers nothing that would overwrite it.

Failed logins from cold are throttled through ``throttle.json`` (the database
is still closed), with the same growing delay as ``AuthService``.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path

from sqlmodel import select

from app.domain.enums import Role
from app.services.auth import (
    MIN_PASSWORD_LENGTH,
    AccountLocked,
    InvalidAccount,
    LoginFailed,
    lock_seconds,
)
from app.store import keyfile
from app.store.accounts import verify_password
from app.store.crypto import subkey
from app.store.damage import DamagedDatabase, check_database
from app.store.db import is_plain_sqlite
from app.store.encrypt import encrypt_plain_profile
from app.store.models import AuditEvent, User
from app.store.row_ids import utc_now
from app.store.store import DB_NAME, Store
from app.store.sync_state import StateKey

THROTTLE_FILE = "throttle.json"


class ProfileStatus(StrEnum):
    FRESH = "fresh"
    PLAIN = "plain"
    ENCRYPTED = "encrypted"
    KEYS_MISSING = "keys_missing"


class NotEnrolledHere(LoginFailed):
    """A correct-looking login for an account that has no key on this laptop."""


def status(home: Path) -> ProfileStatus:
    home = Path(home)
    db = home / DB_NAME
    if keyfile.exists(home) or (home / "keys.json.new").is_file():
        return ProfileStatus.ENCRYPTED
    if not db.exists():
        return ProfileStatus.FRESH
    if db.stat().st_size == 0 or is_plain_sqlite(db):
        return ProfileStatus.PLAIN  # a zero-byte file is a damaged plain profile, never a fresh one
    return ProfileStatus.KEYS_MISSING


class _Throttle:
    """Failure counts per user (by hash) outside the database, for logins before it is open."""

    def __init__(self, home: Path, now: Callable[[], float]) -> None:
        self.path = Path(home) / THROTTLE_FILE
        self.now = now

    def _load(self) -> dict[str, list[float]]:
        try:
            return json.loads(self.path.read_text(encoding="ascii"))
        except (OSError, ValueError):
            return {}

    @staticmethod
    def _key(username: str) -> str:
        return hashlib.sha256(username.strip().encode()).hexdigest()[:24]

    def check(self, username: str) -> None:
        _, until = self._load().get(self._key(username), [0, 0.0])
        if until > self.now():
            raise AccountLocked(int(until - self.now() + 0.999))

    def failed(self, username: str) -> int:
        data = self._load()
        count = int(data.get(self._key(username), [0, 0.0])[0]) + 1
        wait = lock_seconds(count)
        data[self._key(username)] = [count, self.now() + wait if wait else 0.0]
        self._save(data)
        return count

    def reset(self, username: str) -> None:
        data = self._load()
        if data.pop(self._key(username), None) is not None:
            self._save(data)

    def _save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".part")
        tmp.write_text(json.dumps(data), encoding="ascii")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


def _refuse(throttle: _Throttle, username: str) -> LoginFailed:
    count = throttle.failed(username)
    wait = lock_seconds(count)
    if wait:
        return AccountLocked(wait)
    from app.services.auth import FREE_ATTEMPTS

    return LoginFailed(f"用户名或密码错误，再错 {FREE_ATTEMPTS - count} 次将暂时锁定")


def open_profile(
    home: Path,
    username: str,
    password: str,
    *,
    clock: Callable[[], float] = time.time,
    thorough: bool = False,
) -> tuple[Store, User]:
    """The profile opened by ``username``'s password, and their account.

    Raises ``LoginFailed`` (or ``AccountLocked``) for a wrong password, and
    ``DamagedDatabase`` (carrying the database key, to look for a good
    backup) when the file is damaged. The check at login reads the header,
    the key and the length (empty, cut short, wrong key: instant at any
    size); ``thorough`` also reads every page (``quick_check``), which on a
    50,000-person profile takes tens of seconds, so it is left to
    ``--self-test --home`` and a page found damaged later still raises.
    """
    home = Path(home)
    username = username.strip()
    throttle = _Throttle(home, clock)
    throttle.check(username)
    state = status(home)
    if state is ProfileStatus.PLAIN:
        return _open_plain(home, username, password, throttle)
    if state is not ProfileStatus.ENCRYPTED:
        raise LoginFailed("本机还没有可登录的资料")
    try:
        root = keyfile.unlock(home, username, password)
    except keyfile.NotEnrolled:
        throttle.failed(username)
        raise NotEnrolledHere(
            "此账号尚未在本机登记。请由已登记的用户登录后，在“切换用户”中联网登录此账号；或检查用户名"
        ) from None
    except keyfile.WrongPassword:
        raise _refuse(throttle, username) from None
    db_key = subkey(root, "database")
    try:
        if (home / DB_NAME).exists():
            check_database(home / DB_NAME, db_key, thorough=thorough)
        store = Store(home, root)
    except DamagedDatabase as exc:
        exc.key = db_key
        raise
    user = _account(store, username)
    throttle.reset(username)
    return store, user


def command_credentials(
    *, user: str | None = None, password_file: Path | None = None
) -> tuple[str, str] | None:
    """User and password for a command-line command, never from its arguments: the user from ``user``
    (``--user``) or ``HOMEVISIT_USER``, the password from ``password_file`` (its first line) or
    ``HOMEVISIT_PASSWORD``; whatever is missing is asked for on a terminal. ``None``: nothing to ask with.

    Raises ``LoginFailed`` for a password file that cannot be read."""
    name = (user or os.environ.get("HOMEVISIT_USER", "")).strip()
    password = os.environ.get("HOMEVISIT_PASSWORD", "")
    if password_file is not None:
        try:
            lines = Path(password_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise LoginFailed(
                f"无法读取密码文件“{password_file}”：{getattr(exc, 'strerror', None) or exc}"
            ) from None
        password = lines[0] if lines else ""
    if name and password:
        return name, password
    if sys.stdin is not None and sys.stdin.isatty():
        name = name or input("用户名: ").strip()
        if name:
            return name, password or getpass.getpass("密码: ")
    return None


def open_for_command(home: Path, *, user: str | None = None, password_file: Path | None = None) -> Store:
    """The profile for a command (ledger, certificates export, seed): a plain one as it is, an encrypted one by
    password (``command_credentials``); raises ``LoginFailed`` saying what to do."""
    if status(home) is not ProfileStatus.ENCRYPTED:
        return Store(home)
    credentials = command_credentials(user=user, password_file=password_file)
    if credentials is None:
        raise LoginFailed(
            "本机资料已加密：请用 --user 和 --password-file 指定账号和密码文件，"
            "或设置 HOMEVISIT_USER 和 HOMEVISIT_PASSWORD，或在终端中运行以输入密码"
        )
    store, account = open_profile(home, *credentials)
    store.set_viewer(account.username, account.role, list(account.regions or []))  # sees what its user may
    return store


def _account(store: Store, username: str) -> User:
    with store.session() as s:
        user = s.exec(select(User).where(User.username == username)).first()
        if user is None or not user.active:
            store.close()
            raise LoginFailed("此账号已停用或不存在，请联系管理员")
        s.add(AuditEvent(at=utc_now(), actor=username, action="login", tbl="user"))
        s.commit()
        return user


def _open_plain(home: Path, username: str, password: str, throttle: _Throttle) -> tuple[Store, User]:
    """Log in against the old row hash once, then encrypt the profile for this user."""
    plain = Store(home)  # raises DamagedDatabase for a zero-byte or damaged file
    try:
        with plain.session() as s:
            user = s.exec(select(User).where(User.username == username)).first()
        ok = user is not None and user.active and verify_password(user.password_hash, password)
    finally:
        plain.close()
    if not ok:
        raise _refuse(throttle, username)
    root, _report = encrypt_plain_profile(home, username, password)
    store = Store(home, root)
    with store.session() as s:
        for row in s.exec(select(User)):
            row.password_hash = ""  # no offline-crackable hash stays in the profile
            s.add(row)
        s.commit()
    throttle.reset(username)
    return store, _account(store, username)


def _check_new_account(username: str, password: str) -> None:
    if not username.strip():
        raise InvalidAccount("用户名不能为空")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidAccount(f"密码至少需要 {MIN_PASSWORD_LENGTH} 位")


def create_standalone(
    home: Path, username: str, password: str, *, display_name: str = "", regions: Iterable[str] = ("3308",)
) -> tuple[Store, User]:
    """A new stand-alone profile with its first (administrator) account."""
    home = Path(home)
    if status(home) is not ProfileStatus.FRESH:
        raise InvalidAccount("本机已有资料，不能再次初始化")
    _check_new_account(username, password)
    username = username.strip()
    root = keyfile.create(home, username, password)
    store = Store(home, root)
    store.set_state(StateKey.INSTALL_MODE, "standalone")
    with store.session() as s:
        s.add(
            User(
                username=username,
                display_name=display_name.strip() or username,
                role=Role.ADMIN.value,
                regions=list(regions),
            )
        )
        s.add(AuditEvent(at=utc_now(), actor=username, action="create_user", tbl="user"))
        s.commit()
    return store, _account(store, username)


def enrol_with_server(home: Path, server_url: str, username: str, password: str) -> tuple[Store, User]:
    """First run on a server-connected laptop: log in online, then create the profile for this user.

    The profile is built in a staging folder and moved into place only after
    the server accepted the login, so a wrong password or no network leaves
    the laptop exactly as fresh as it was.
    """
    from app.sync.client import SyncClient

    home = Path(home)
    if status(home) is not ProfileStatus.FRESH:
        raise InvalidAccount("本机已有资料，不能再次初始化")
    if not server_url.strip():
        raise InvalidAccount("请填写服务器地址")
    if not username.strip():
        raise InvalidAccount("用户名不能为空")
    username = username.strip()
    staging = home / ".enrol"
    shutil.rmtree(staging, ignore_errors=True)
    root = keyfile.create(staging, username, password)
    store = Store(staging, root)
    try:
        store.set_state(StateKey.INSTALL_MODE, "server")
        SyncClient(store, server_url.strip()).login(
            username, password, device_name=f"HomeVisit {store.device_id}"
        )
    except BaseException:
        store.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    store.close()
    # The key file first: a crash halfway leaves an enrolled (if empty) profile, never a locked database.
    for item in sorted(staging.iterdir(), key=lambda p: p.name != keyfile.KEYFILE_NAME):
        os.replace(item, home / item.name)
    staging.rmdir()
    store = Store(home, root)
    return store, _account(store, username)
