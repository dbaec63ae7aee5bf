"""Alembic 0007: the console's server-only reviews become synced ``visitreview`` records."""

from __future__ import annotations

import contextlib

import pytest
from alembic import command
from sqlalchemy import create_engine, insert, text
from sqlmodel import Session

from server.console import reviews
from server.core.db import alembic_config
from server.models import Record
from tests.helpers.live_server import postgres_available, postgres_database

VILLAGE = "330802001001"


@contextlib.contextmanager
def _engine(backend, tmp_path):
    if backend == "sqlite":
        yield create_engine(f"sqlite:///{tmp_path / 'old.db'}")
        return
    if reason := postgres_available():
        pytest.skip(reason)
    with postgres_database() as url:
        engine = create_engine(url)
        yield engine
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_console_reviews_move_into_records(backend, tmp_path):
    with _engine(backend, tmp_path) as engine:
        command.upgrade(alembic_config(engine), "0005")
        with engine.begin() as conn:
            visit = {"status": ["completed", "x"], "ended_at": ["2026-11-30T01:00:00.000Z", "x"]}
            conn.execute(
                insert(Record.__table__),  # type: ignore[attr-defined]
                {
                    "tbl": "visit",
                    "row_id": "v1",
                    "region_code": VILLAGE,
                    "seq": 1,
                    "deleted": False,
                    "fields": visit,
                },
            )
            if backend == "sqlite":
                conn.execute(text("UPDATE seq_counter SET value = 1"))
            conn.execute(
                text(
                    "CREATE TABLE console_visit_reviews (id INTEGER PRIMARY KEY, visit_id VARCHAR(100), "
                    "region_code VARCHAR(20), decision VARCHAR(20), comment TEXT, reviewer VARCHAR(100), at FLOAT)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO console_visit_reviews VALUES "
                    "(1, 'v1', :r, 'returned', '照片缺失', 'chen', 1764550000.5), "
                    "(2, 'v1', :r, 'approved', '', 'chen', 1764560000.0)"
                ),
                {"r": VILLAGE},
            )
        command.upgrade(alembic_config(engine), "head")
        with engine.connect() as conn:
            tables = {r[0] for r in conn.execute(text("SELECT tbl FROM records"))}
            gone = conn.dialect.has_table(conn, "console_visit_reviews")
        assert tables == {"visit", "visitreview"} and not gone
        with Session(engine) as s:
            moved = reviews.reviews_in(s, "330802")["v1"]
            assert [(r.decision, r.comment, r.reviewer) for r in moved] == [
                ("approved", "", "chen"),
                ("returned", "照片缺失", "chen"),
            ]
            assert moved[0].visit_ended_at == "2026-11-30T01:00:00.000Z"
            assert reviews.states(s, {"v1": moved}) == {"v1": "approved"}
            # The moved rows are pullable (a seq the pull's watermark passes).
            count = s.execute(
                text("SELECT count(*) FROM records WHERE tbl = 'visitreview' AND seq > 1")
            ).scalar_one()
            assert count == 2
        engine.dispose()
