"""``homevisit --self-test --home DIR``: check a real profile, read-only.

Without a password it can still tell a healthy profile from a broken one:
the key file reads and has accounts, the database is encrypted, not empty,
as long as its header says and opens nowhere without the key. With
``HOMEVISIT_USER`` and ``HOMEVISIT_PASSWORD`` in the environment (or typed at
the prompt on a terminal) it opens the key and runs ``PRAGMA
integrity_check`` and ``PRAGMA cipher_integrity_check`` (every page's HMAC),
and finds the latest good backup. Nothing is written to the profile.
"""

from __future__ import annotations

from pathlib import Path

from app.services.profile import ProfileStatus, command_credentials, status
from app.store import keyfile
from app.store.backups import latest_good_backup, list_backups
from app.store.crypto import subkey
from app.store.damage import DamagedDatabase, check_database, integrity_report
from app.store.store import DB_NAME


class ProfileCheckFailed(RuntimeError):
    """The profile is broken; the message says how."""


def check_profile(home: Path, credentials: tuple[str, str] | None = None) -> list[str]:
    """Notes on a healthy profile; raises ``ProfileCheckFailed`` with the reason otherwise."""
    home = Path(home)
    db = home / DB_NAME
    state = status(home)
    if state is ProfileStatus.FRESH:
        raise ProfileCheckFailed(f"{home} 中没有资料")
    if state is ProfileStatus.KEYS_MISSING:
        raise ProfileCheckFailed("密钥文件 keys.json 不存在，加密的数据库无法打开")
    if state is ProfileStatus.PLAIN:
        problems = integrity_report(db, None)
        if problems:
            raise ProfileCheckFailed("；".join(problems))
        return ["database plain (not yet encrypted: it is at the next login)", "integrity ok"]
    try:
        accounts = keyfile.enrolled_count(home)
    except keyfile.KeyFileError as exc:
        raise ProfileCheckFailed(str(exc)) from exc
    notes = [f"key file ok ({accounts} account{'s' if accounts != 1 else ''})"]
    if not db.exists():
        raise ProfileCheckFailed("数据库文件不存在")
    if credentials is None:
        try:
            check_database(db, None, thorough=False)
        except DamagedDatabase as exc:
            if exc.kind.value != "wrong_key":  # without a key "does not open" is what encrypted means
                raise ProfileCheckFailed(str(exc)) from exc
        if db.stat().st_size % 4096:
            raise ProfileCheckFailed("数据库文件长度不是整页，文件可能不完整")
        notes.append("database encrypted (no password given: contents not checked)")
        notes.append(f"{len(list_backups(db))} backups")
        return notes
    username, password = credentials
    try:
        root = keyfile.unlock(home, username, password)
    except (keyfile.NotEnrolled, keyfile.WrongPassword):
        raise ProfileCheckFailed("用户名或密码不对，无法打开密钥") from None
    db_key = subkey(root, "database")
    problems = integrity_report(db, db_key)
    if problems:
        raise ProfileCheckFailed("；".join(problems[:5]))
    notes += ["key opens", "integrity_check ok", "cipher_integrity_check ok"]
    good = latest_good_backup(db, db_key)
    notes.append(f"latest good backup {good.path.name}" if good else "no good backup")
    return notes


def run_profile_check(home: Path) -> int:
    """The command: one line on standard output, exit code 0 or 1."""
    try:
        notes = check_profile(home, command_credentials())
    except ProfileCheckFailed as exc:
        print(f"HomeVisit self-test FAILED: profile {home}: {exc}", flush=True)
        return 1
    print(f"HomeVisit self-test OK: profile {home}: " + ", ".join(notes), flush=True)
    return 0
