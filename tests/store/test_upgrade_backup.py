"""Upgrading a laptop's database from the last released schema (v1): backup first, nothing lost.

The fixture is the real v1 file (tests/store/fixtures/README.md). It is opened
the way a new build opens it after an in-place upgrade: through ``Store``, and
through ``homevisit --self-test`` pointed at it (tests/test_bundle.py does the
same with the bundled program).
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.store.migrations import LATEST
from app.store.search import search_persons
from app.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "homevisit-schema-v1.db"


def ordinary_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables holding data: not SQLite's own, not FTS virtual tables or their shadow tables.

    Views count: since v3 ``fieldclock`` is a view over ``rowclock`` and its rows must all survive.
    """
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
    virtual = [name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")]
    return sorted(
        name
        for name, _sql in rows
        if not name.startswith("sqlite_")
        and name not in virtual
        and not name.startswith(tuple(v + "_" for v in virtual))
    )


def snapshot(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every ordinary table's column names and rows (sorted), as plain Python values."""
    with sqlite3.connect(path) as conn:
        out = {}
        for table in ordinary_tables(conn):
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            out[table] = (cols, sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr))
        return out


@pytest.fixture
def upgraded(tmp_path):
    """A profile holding a copy of the v1 file, opened (and so upgraded) by this build's Store."""
    home = tmp_path / "HomeVisit"
    home.mkdir()
    shutil.copy(FIXTURE, home / "homevisit.db")
    store = Store(home)
    yield store
    store.close()


def test_fixture_is_the_released_v1_schema():
    with sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        person_cols = {r[1] for r in conn.execute("PRAGMA table_info(person)")}
    assert "has_living_subsidy" not in person_cols  # added by v2
    assert snapshot(FIXTURE)["person"][1], "the fixture must hold data to prove nothing is lost"


def test_upgrade_reaches_latest_and_makes_a_backup_in_backups_folder(upgraded):
    m = upgraded.migration
    assert (m.from_version, m.to_version) == (1, LATEST)
    assert m.backup is not None and m.backup.parent == upgraded.home / "backups"
    assert m.backup.name.startswith("homevisit-v1-") and m.backup.suffix == ".db"


def test_every_old_row_and_value_survives(upgraded):
    old = snapshot(FIXTURE)
    new = snapshot(upgraded.db_path)
    assert set(old) <= set(new)
    for table, (cols, rows) in old.items():
        new_cols, _ = new[table]
        assert set(cols) <= set(new_cols), f"{table} lost columns"
        with sqlite3.connect(upgraded.db_path) as conn:
            picked = ", ".join(f'"{c}"' for c in cols)
            after = sorted(conn.execute(f'SELECT {picked} FROM "{table}"').fetchall(), key=repr)
        missing = [r for r in rows if r not in after]
        assert not missing, f"{table}: rows lost or changed by the upgrade: {missing}"


def test_new_columns_get_their_defaults(upgraded):
    with sqlite3.connect(upgraded.db_path) as conn:
        got = conn.execute("SELECT name, has_living_subsidy, has_care_subsidy FROM person").fetchall()
    assert got == [("王芳", 0, 0)]


def test_backup_opens_and_equals_the_original(upgraded):
    backup = upgraded.migration.backup
    with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert snapshot(backup) == snapshot(FIXTURE)


def test_the_upgraded_file_is_still_searchable(upgraded):
    hits = search_persons(upgraded.engine, "王芳")
    assert [h.name for h in hits] == ["王芳"]
    assert search_persons(upgraded.engine, "柯城区")  # trigram FTS over the old rows


def test_reopening_after_the_upgrade_makes_no_second_backup(upgraded):
    upgraded.close()
    again = Store(upgraded.home)
    assert again.migration.backup is None
    assert len(list((upgraded.home / "backups").iterdir())) == 1
    again.close()


def test_the_backup_restores_to_a_working_profile(upgraded, tmp_path):
    """Copying a backup back over the database (the manual restore in docs) gives a profile that opens."""
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(upgraded.migration.backup, restored / "homevisit.db")
    store = Store(restored)
    assert store.migration.from_version == 1
    assert [h.name for h in search_persons(store.engine, "王芳")] == ["王芳"]
    store.close()


def test_self_test_command_upgrades_the_fixture(tmp_path):
    """The same check the bundled program runs (tests/test_bundle.py), from the source tree."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HOMEVISIT_")},
        "HOME": str(tmp_path),
        "HOMEVISIT_SELFTEST_DB": str(FIXTURE),
        "QT_QPA_PLATFORM": "offscreen",
    }
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    assert f"upgrade v1->v{LATEST} with backup, nothing lost" in run.stdout
