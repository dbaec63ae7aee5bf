import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import inspect

from app.store.migrations import LATEST, schema_version
from app.store.search import search_persons
from app.store.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "homevisit-schema-v1.db"


def columns(engine):
    insp = inspect(engine)
    return {t: sorted(c["name"] for c in insp.get_columns(t)) for t in insp.get_table_names()}


def test_new_database_is_latest(tmp_path):
    store = Store(tmp_path / "p")
    assert schema_version(store.engine) == LATEST
    assert store.migration.backup is None
    with sqlite3.connect(store.db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_v1_database_upgrades_in_place_with_backup(tmp_path):
    home = tmp_path / "old"
    home.mkdir()
    shutil.copy(FIXTURE, home / "homevisit.db")
    store = Store(home)
    assert (store.migration.from_version, store.migration.to_version) == (1, LATEST)
    assert store.migration.backup is not None and store.migration.backup.is_file()
    with sqlite3.connect(store.migration.backup) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT name FROM person").fetchall() == [("王芳",)]
    fresh = Store(tmp_path / "fresh")
    assert columns(store.engine) == columns(fresh.engine)
    hits = search_persons(store.engine, "王芳")
    assert [h.name for h in hits] == ["王芳"]
    assert hits[0].address.startswith("衢州市柯城区")
    store.close()
    fresh.close()


def test_opening_twice_does_not_migrate_again(tmp_path):
    Store(tmp_path / "p").close()
    again = Store(tmp_path / "p")
    assert again.migration.from_version == again.migration.to_version == LATEST
    again.close()
