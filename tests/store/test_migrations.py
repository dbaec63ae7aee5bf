import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import inspect, text

from app.store.migrations import LATEST, schema_version
from app.store.read.persons import registered_sql
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


def _v2_database(home: Path) -> Path:
    """A profile at schema v2 (per-field ``fieldclock`` table, old search triggers) holding clocks and a person."""
    from app.store.db import make_engine
    from app.store.migrations import migrate

    home.mkdir()
    engine = make_engine(home / "homevisit.db")
    migrate(engine, home / "homevisit.db", target=2)
    engine.dispose()
    with sqlite3.connect(home / "homevisit.db") as conn:
        conn.executemany(
            "INSERT INTO fieldclock (tbl, row_id, field, hlc) VALUES (?, ?, ?, ?)",
            [
                ("household", "h1", "address", "1700000000000-00001-old"),
                ("household", "h1", "phone", "1700000000000-00002-old"),
                ("formresponse", "f1", "answers.q1", "1700000000000-00003-old"),
            ],
        )
        conn.execute(
            "INSERT INTO household (id, region_code, created_at, updated_at, deleted, address, phone, economic_status,"
            " head_name, housing_type, note) VALUES ('h1', '330802001001', '', '', 0, '府山路8号', '', 'general', '', '', '')"
        )
        conn.execute(
            "INSERT INTO person (id, region_code, created_at, updated_at, deleted, household_id, name, id_number, gender,"
            " birth_date, cert_number, category, level, status, phone, relation, has_living_subsidy, has_care_subsidy,"
            " name_pinyin, name_initials) VALUES ('p1', '330802001001', '', '', 0, 'h1', '欧阳娜娜', '', '', '', '', '',"
            " '', 'registered', '', '', 0, 0, 'ouyangnana', 'oynn')"
        )
    return home


def test_v2_database_upgrades_to_row_clocks_keeping_every_clock(tmp_path):
    from sqlmodel import select

    from app.store import field_clocks
    from app.store.models import FieldClock

    store = Store(_v2_database(tmp_path / "v2"))
    assert (store.migration.from_version, store.migration.to_version) == (2, LATEST)
    with sqlite3.connect(store.db_path) as conn:
        kinds = dict(
            conn.execute("SELECT name, type FROM sqlite_master WHERE name IN ('fieldclock', 'rowclock')")
        )
    assert kinds == {"fieldclock": "view", "rowclock": "table"}
    expected = {
        ("household", "h1", "address"): "1700000000000-00001-old",
        ("household", "h1", "phone"): "1700000000000-00002-old",
        ("formresponse", "f1", "answers.q1"): "1700000000000-00003-old",
    }
    with store.session() as s:
        assert {(c.tbl, c.row_id, c.field): c.hlc for c in s.exec(select(FieldClock))} == expected
        assert field_clocks.row_clocks(s, "household", "h1") == {
            "address": "1700000000000-00001-old",
            "phone": "1700000000000-00002-old",
        }
    # The new triggers still index: an edit after the upgrade is found.
    with store.unit_of_work("tester") as uow:
        from app.store.models import Person

        uow.update(uow.get(Person, "p1"), name="欧阳菲菲")
    assert [h.name for h in search_persons(store.engine, "欧阳菲")] == ["欧阳菲菲"]
    assert [h.name for h in search_persons(store.engine, "府山路")] == ["欧阳菲菲"]
    store.close()


def test_v3_step_run_twice_changes_nothing(tmp_path):
    from sqlalchemy import text

    from app.store.migrations import STEPS

    store = Store(_v2_database(tmp_path / "v2"))
    step = dict((v, f) for v, _name, f in STEPS)[3]
    with store.engine.begin() as conn:
        before = conn.execute(text("SELECT tbl, row_id, clocks FROM rowclock ORDER BY 1, 2")).all()
        step(conn)  # as after a crash between the step and its version number
        after = conn.execute(text("SELECT tbl, row_id, clocks FROM rowclock ORDER BY 1, 2")).all()
    assert before == after and len(after) == 2
    store.close()


def test_the_register_count_reads_only_its_covering_index(tmp_path):
    """v8: the count the main window shows first never scans ``person`` (in SQLCipher each page costs a decrypt)."""
    store = Store(tmp_path / "p")
    with store.engine.connect() as conn:
        plan = conn.execute(
            text(f"EXPLAIN QUERY PLAN SELECT count(*) FROM person p WHERE {registered_sql('p')}")
        ).fetchall()
    store.close()
    assert any("COVERING INDEX ix_person_registered" in row[-1] for row in plan), plan


def test_a_v4_profile_gets_the_register_count_index(tmp_path):
    store = Store(tmp_path / "p")
    store.close()
    with sqlite3.connect(tmp_path / "p" / "homevisit.db") as conn:
        conn.execute("DROP INDEX ix_person_registered")
        conn.execute("PRAGMA user_version = 4")
    again = Store(tmp_path / "p")
    assert (again.migration.from_version, again.migration.to_version) == (4, LATEST)
    again.close()
    with sqlite3.connect(tmp_path / "p" / "homevisit.db") as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_person_registered" in names


def test_a_v9_profile_gets_the_directory_devices_and_asks_for_the_whole_directory_again(tmp_path):
    """The directory version held predates the devices in it: forgotten, so the next answer is a whole one."""
    from app.store.sync_state import StateKey

    store = Store(tmp_path / "p")
    store.set_state(StateKey.USER_DIRECTORY_ETAG, '"v9-names-only"')
    store.close()
    with sqlite3.connect(tmp_path / "p" / "homevisit.db") as conn:
        conn.execute("DROP TABLE directorydevice")
        conn.execute("PRAGMA user_version = 9")
    again = Store(tmp_path / "p")
    assert (again.migration.from_version, again.migration.to_version) == (9, LATEST)
    assert again.get_state(StateKey.USER_DIRECTORY_ETAG) == ""
    fresh = Store(tmp_path / "fresh")
    assert columns(again.engine) == columns(fresh.engine)
    again.close()
    fresh.close()
