"""Local accounts and offline login on an open profile (unlock after the idle lock, switching user).

On an encrypted profile a password is right when it unwraps that user's copy
of the profile key in ``keys.json`` (``app.store.keyfile``); the account row
only says who the user is (role, regions) and keeps the failure count, and
holds no password hash to crack. A plain profile (tests, or one not yet
migrated) still checks the row's argon2id hash. Opening a profile from cold
is ``app.services.profile``.

After ``FREE_ATTEMPTS`` wrong passwords in a row an account waits before the
next try, and each further failure doubles the wait (up to
``MAX_LOCK_SECONDS``), so a stolen laptop cannot be guessed into while a
caseworker who mistypes twice is not punished.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from sqlmodel import select

from app.domain.enums import Role
from app.store import keyfile
from app.store.accounts import hash_password, verify_password
from app.store.models import AuditEvent, User
from app.store.row_ids import utc_now
from app.store.store import Store
from app.store.sync_state import StateKey

FREE_ATTEMPTS = 3
FIRST_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 15 * 60
MIN_PASSWORD_LENGTH = 6
# The federation's longest idle time before the session locks, unless its server says otherwise.
POLICY_MAX_IDLE_MINUTES = 15


class LoginFailed(ValueError):
    """Wrong user name or password."""


class AccountLocked(LoginFailed):
    """Too many wrong passwords; the account waits ``seconds`` before the next try."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(f"密码错误次数过多，请在 {seconds} 秒后再试")


class InvalidAccount(ValueError):
    """An account that cannot be created as asked."""


def lock_seconds(failed_attempts: int) -> int:
    """How long an account waits after this many failures in a row."""
    if failed_attempts < FREE_ATTEMPTS:
        return 0
    return min(FIRST_LOCK_SECONDS * 2 ** (failed_attempts - FREE_ATTEMPTS), MAX_LOCK_SECONDS)


def idle_minutes(chosen: int, policy_max: int | None = None) -> int:
    """The idle time that applies: the user's choice, but at least 1 minute and at most the policy's."""
    ceiling = policy_max if policy_max and policy_max > 0 else POLICY_MAX_IDLE_MINUTES
    return ceiling if chosen <= 0 else max(1, min(chosen, ceiling))


SESSION_ACTS = frozenset({"logout", "lock"})


def record_session_act(store: Store, username: str, act: str) -> None:
    """Audit a session act that changes no row: ``logout`` (also when switching user) or ``lock``.

    (Logins and failed logins, also at the unlock screen, are audited by ``AuthService.login`` and
    ``app.services.profile``.)"""
    if act not in SESSION_ACTS:
        raise ValueError(f"unknown session act {act!r}")
    with store.session() as s:
        s.add(AuditEvent(at=utc_now(), actor=username, action=act, tbl="user"))
        s.commit()


def start_session(store: Store, user: User) -> dict[str, int]:
    """``user`` is now at the keyboard: reads show their regions only, and rows no enrolled user of the
    laptop covers (and nobody has unsynced changes to) are removed; returns what was removed per table.

    Called as each session starts (login, switch user, the demo's ready login); the previous user's
    unsynced changes stay, since the purge keeps every region with something unsynced."""
    store.set_viewer(user.username, user.role, list(user.regions or []))
    return store.purge_uncovered(user.username)


class AuthService:
    """Creates local users and checks their passwords without any network."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self._now = clock

    def create_user(
        self,
        username: str,
        password: str,
        *,
        role: Role | str = Role.WORKER,
        regions: Iterable[str] = (),
        display_name: str = "",
    ) -> User:
        username = username.strip()
        if not username:
            raise InvalidAccount("用户名不能为空")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidAccount(f"密码至少需要 {MIN_PASSWORD_LENGTH} 位")
        if self.store.get_state(StateKey.INSTALL_MODE) == "server":
            raise InvalidAccount("联网使用的电脑，账号由服务器分配：请在“切换用户”中用服务器账号登录")
        with self.store.session() as s:
            if s.exec(select(User).where(User.username == username)).first():
                raise InvalidAccount(f"用户名“{username}”已存在")
            user = User(
                username=username,
                display_name=display_name or username,
                role=Role(role).value,
                regions=list(regions),
                password_hash="" if self.store.encrypted else hash_password(password),
            )
            if self.store.encrypted:
                keyfile.enrol(self.store.home, self.store.root_key, username, password)
            s.add(user)
            s.add(AuditEvent(at=utc_now(), actor=username, action="create_user", tbl="user", row_id=user.id))
            s.commit()
            return user

    def set_password(self, username: str, password: str) -> None:
        """Store a new password (e.g. the one just confirmed by the server at login).

        On an encrypted profile this rewraps the profile key for the new
        password: nothing is re-encrypted, and the old password stops working.
        """
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidAccount(f"密码至少需要 {MIN_PASSWORD_LENGTH} 位")
        with self.store.session() as s:
            user = s.exec(select(User).where(User.username == username)).one()
            if self.store.encrypted:
                keyfile.enrol(self.store.home, self.store.root_key, username, password)
            else:
                user.password_hash = hash_password(password)
            s.add(user)
            s.commit()

    def change_password(self, username: str, old: str, new: str) -> None:
        """A user's own password change: the old one must be right first."""
        self.login(username, old)
        self.set_password(username, new)

    def get_user(self, username: str) -> User | None:
        with self.store.session() as s:
            return s.exec(select(User).where(User.username == username)).first()

    def users(self) -> list[User]:
        with self.store.session() as s:
            return list(s.exec(select(User).order_by(User.username)))

    def login(self, username: str, password: str) -> User:
        """The user, if the password is right and the account is not waiting out a lock."""
        with self.store.session() as s:
            user = s.exec(select(User).where(User.username == username.strip())).first()
            if user is None or not user.active:
                raise LoginFailed("用户名或密码错误")
            now = self._now()
            if user.locked_until > now:
                raise AccountLocked(int(user.locked_until - now + 0.999))
            if not self._password_ok(user, password):
                user.failed_attempts += 1
                wait = lock_seconds(user.failed_attempts)
                user.locked_until = now + wait if wait else 0.0
                s.add(user)
                s.add(AuditEvent(at=utc_now(), actor=user.username, action="login_failed", tbl="user"))
                s.commit()
                if wait:
                    raise AccountLocked(wait)
                left = FREE_ATTEMPTS - user.failed_attempts
                raise LoginFailed(f"用户名或密码错误，再错 {left} 次将暂时锁定")
            user.failed_attempts, user.locked_until = 0, 0.0
            s.add(user)
            s.add(AuditEvent(at=utc_now(), actor=user.username, action="login", tbl="user"))
            s.commit()
            return user

    def _password_ok(self, user: User, password: str) -> bool:
        if not self.store.encrypted:
            return verify_password(user.password_hash, password)
        try:
            return keyfile.unlock(self.store.home, user.username, password) == self.store.root_key
        except (keyfile.NotEnrolled, keyfile.WrongPassword, keyfile.KeyFileError):
            return False
