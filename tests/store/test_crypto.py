"""Encryption at rest: the primitives, the key file, and what an attacker holding the folder finds."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat

import pytest
from sqlmodel import select

from app.services.seed import seed_store
from app.store import crypto, keyfile
from app.store.crypto import Argon2Params, DecryptionFailed
from app.store.damage import Damage, DamagedDatabase, integrity_report
from app.store.models import Person
from app.store.store import ProfileLocked, Store

FAST = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def profile_files(home):
    return [p for p in home.rglob("*") if p.is_file()]


def secrets_of(store) -> list[bytes]:
    """Every seeded name, ID number and phone, as the bytes a grep would look for."""
    with store.session() as s:
        people = list(s.exec(select(Person)))
    assert people
    found = set()
    for p in people:
        found.update({p.name.encode(), p.id_number.encode()})
    return sorted(found)


def leaks(home, needles) -> list[tuple[str, bytes]]:
    out = []
    for path in profile_files(home):
        data = path.read_bytes()
        out += [(str(path), n) for n in needles if n in data]
    return out


@pytest.mark.parametrize(
    "size", [0, 1, crypto.CHUNK - 1, crypto.CHUNK, crypto.CHUNK + 1, 3 * crypto.CHUNK + 7]
)
def test_stream_round_trip(size):
    key = crypto.new_key()
    data = os.urandom(size)
    sealed = io.BytesIO()
    crypto.encrypt_stream(key, io.BytesIO(data), sealed)
    out = io.BytesIO()
    crypto.decrypt_stream(key, io.BytesIO(sealed.getvalue()), out)
    assert out.getvalue() == data


@pytest.mark.parametrize("damage", ["flip", "cut_chunk", "cut_tail", "wrong_key"])
def test_stream_refuses_altered_or_cut_files(damage):
    key = crypto.new_key()
    sealed = io.BytesIO()
    crypto.encrypt_stream(key, io.BytesIO(os.urandom(2 * crypto.CHUNK + 10)), sealed)
    raw = bytearray(sealed.getvalue())
    one_chunk = 12 + 4 + crypto.CHUNK + 16
    if damage == "flip":
        raw[100] ^= 1
    elif damage == "cut_chunk":
        raw = raw[:one_chunk]  # a whole chunk boundary: only the "last" flag catches it
    elif damage == "cut_tail":
        raw = raw[:-5]
    else:
        key = crypto.new_key()
    with pytest.raises(DecryptionFailed):
        crypto.decrypt_stream(key, io.BytesIO(bytes(raw)), io.BytesIO())


def test_keyfile_wrong_password_unknown_user_and_rewrap(tmp_path):
    root = keyfile.create(tmp_path, "wangli", "secret123", params=FAST)
    assert keyfile.unlock(tmp_path, "wangli", "secret123") == root
    with pytest.raises(keyfile.WrongPassword):
        keyfile.unlock(tmp_path, "wangli", "secret124")
    with pytest.raises(keyfile.NotEnrolled):
        keyfile.unlock(tmp_path, "zhaosi", "secret123")
    keyfile.enrol(tmp_path, root, "wangli", "new-pass-1", params=FAST)
    assert keyfile.unlock(tmp_path, "wangli", "new-pass-1") == root
    with pytest.raises(keyfile.WrongPassword):
        keyfile.unlock(tmp_path, "wangli", "secret123")
    assert stat.S_IMODE(keyfile.keyfile_path(tmp_path).stat().st_mode) == 0o600
    assert b"wangli" not in keyfile.keyfile_path(tmp_path).read_bytes()


def test_an_entry_copied_to_another_user_opens_nothing(tmp_path):
    import json

    root = keyfile.create(tmp_path, "admin", "secret123", params=FAST)
    keyfile.enrol(tmp_path, root, "worker", "worker123", params=FAST)
    data = json.loads(keyfile.keyfile_path(tmp_path).read_text())
    entries = list(data["users"])
    data["users"][entries[0]], data["users"][entries[1]] = (
        data["users"][entries[1]],
        data["users"][entries[0]],
    )
    keyfile.keyfile_path(tmp_path).write_text(json.dumps(data))
    for user, password in (("admin", "worker123"), ("worker", "secret123")):
        with pytest.raises(keyfile.WrongPassword):
            keyfile.unlock(tmp_path, user, password)


@pytest.fixture
def encrypted(tmp_path):
    home = tmp_path / "profile"
    root = keyfile.create(home, "wangli", "secret123", params=FAST)
    store = Store(home, root)
    seed_store(store, 30, seed=3)
    store.set_state("token", "tok-" + "S3CRET" * 6)
    yield store, root
    store.close()


def test_no_name_id_number_or_token_in_any_file(encrypted):
    store, _ = encrypted
    from app.services.attachments import AttachmentService
    from app.store.backups import make_backup
    from app.store.models import Household

    with store.session() as s:
        household = s.exec(select(Household)).first()
    needles = secrets_of(store) + [household.head_name.encode(), b"S3CRETS3CRET"]
    # A PNG signature with a name written into its bytes, a backup, the WAL as it stands.
    png = _png_with_text(household.head_name * 50)
    AttachmentService(store).add_signature("wangli", "household", household.id, "signature_resident", png)
    make_backup(store.db_path, store.db_key, "daily")
    assert (store.home / "homevisit.db-wal").exists()
    assert leaks(store.home, needles) == []


def _png_with_text(words: str) -> bytes:
    """A real PNG (the attachment guard decodes its header) carrying ``words`` in an iTXt chunk."""
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("Comment", words)
    out = io.BytesIO()
    Image.new("L", (40, 20), 255).save(out, "PNG", pnginfo=info)
    data = out.getvalue()
    assert words.encode() in data
    return data


def test_profile_files_are_private(encrypted):
    store, _ = encrypted
    store.files.put_bytes(b"photo")
    for path in profile_files(store.home):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    for path in [store.home, *[p for p in store.home.rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path


def test_wrong_key_and_no_key_open_nothing(encrypted, tmp_path):
    store, _ = encrypted
    store.close()
    copy = tmp_path / "copied"
    shutil.copytree(store.home, copy)
    with pytest.raises(ProfileLocked):
        Store(copy)
    with pytest.raises(DamagedDatabase) as wrong:
        Store(copy, crypto.new_key())
    assert wrong.value.kind is Damage.WRONG_KEY
    os.unlink(copy / "keys.json")
    with pytest.raises(ProfileLocked):
        Store(copy)


def test_right_key_reads_back_and_search_works(encrypted):
    store, root = encrypted
    from app.store.search import SearchFilters, search_persons

    with store.session() as s:
        person = s.exec(select(Person)).first()
    store.close()
    again = Store(store.home, root)
    try:
        hits = search_persons(again.engine, person.id_number[-6:], SearchFilters())
        assert person.id in {h.person_id for h in hits}
        assert integrity_report(again.db_path, again.db_key) == []
    finally:
        again.close()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", list(Damage))
def test_each_damage_is_recognised_and_leaves_the_file_untouched(encrypted, kind):
    store, root = encrypted
    store.close()
    db = store.db_path
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)  # closed cleanly: the WAL was checkpointed
    raw = db.read_bytes()
    key = root
    if kind is Damage.EMPTY:
        db.write_bytes(b"")
    elif kind is Damage.TRUNCATED:
        db.write_bytes(raw[: len(raw) // 2 // 4096 * 4096])
    elif kind is Damage.MALFORMED:
        page = 4096
        broken = bytearray(raw)
        for at in range(3 * page + 100, len(raw) - page, 5 * page):
            broken[at : at + 16] = os.urandom(16)
        db.write_bytes(bytes(broken))
    else:
        key = crypto.new_key()
    before = _digest(db)
    with pytest.raises(DamagedDatabase) as err:
        from app.store.crypto import subkey
        from app.store.damage import check_database

        Store(db.parent, key)
        check_database(db, subkey(key, "database"))  # the self-test's thorough check (every page)
    assert err.value.kind is kind
    assert "原文件已保留" in str(err.value)
    assert _digest(db) == before
    assert not db.with_name(db.name + "-wal").exists() or db.with_name(db.name + "-wal").stat().st_size == 0


def test_files_encrypted_named_by_keyed_hash_and_streamed(encrypted, tmp_path):
    store, _ = encrypted
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(5 * crypto.CHUNK + 3))
    sha = store.files.put_file(big)
    assert sha == hashlib.sha256(big.read_bytes()).hexdigest()
    assert store.files.path(sha).name != sha
    assert store.files.read(sha) == big.read_bytes()
    assert big.read_bytes()[:64] not in store.files.path(sha).read_bytes()
