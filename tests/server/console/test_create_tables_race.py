"""Two server workers starting together on a fresh PostgreSQL database both create the console's tables.

Without the advisory lock in ``server.console.tables.create_tables`` both see the tables
missing and the second ``CREATE TABLE`` fails with ``UniqueViolation`` on
``pg_type_typname_nsp_index`` (found by the server bench with two uvicorn workers).
Each worker here is a thread with its own engine and connection, released together.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, inspect

from server.console.tables import CONSOLE_TABLES, create_tables
from tests.helpers.live_server import postgres_available, postgres_database

WORKERS = 4


@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(3))
def test_workers_starting_together_on_a_fresh_database(attempt):
    if reason := postgres_available():
        pytest.skip(reason)
    with postgres_database() as url:
        engines = [create_engine(url) for _ in range(WORKERS)]
        try:
            for engine in engines:  # connect first, so the start is as close together as it gets
                engine.connect().close()
            barrier = threading.Barrier(WORKERS)
            errors: list[BaseException] = []

            def start(engine) -> None:
                barrier.wait()
                try:
                    create_tables(engine)
                except BaseException as exc:  # collected and reported below
                    errors.append(exc)

            threads = [threading.Thread(target=start, args=(e,)) for e in engines]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            assert errors == []
            names = set(inspect(engines[0]).get_table_names())
            assert {t.__tablename__ for t in CONSOLE_TABLES} <= names
            create_tables(engines[0])  # and again at the next start: nothing to do, no error
        finally:
            for engine in engines:
                engine.dispose()
