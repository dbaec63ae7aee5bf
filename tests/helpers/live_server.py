"""A real HomeVisit server on a loopback port, over SQLite or PostgreSQL, for tests and benchmarks.

``start_server(settings)`` runs uvicorn in a thread and returns a ``LiveServer``
(its ``url``, ``settings`` and ``engine``). ``postgres_database()`` makes a fresh
PostgreSQL database on the machine's server and drops it afterwards. The pytest
fixtures built on these live in ``tests/sync/conftest.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from sqlalchemy import Engine, text
from sqlmodel import Session

from server import crud
from server.core.config import Settings
from server.embedded import start_in_thread
from server.models import UserCreate

PG_ADMIN_URL = os.environ.get("HOMEVISIT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_TABLES = (
    "device_audit",
    "change_history",
    "audit_log",
    "conflicts",
    "push_batches",
    "attachments",
    "records",
    "devices",
    "tokens",
    "users",
)


@dataclass
class LiveServer:
    """A running server; ``reset()`` empties it between tests."""

    url: str
    settings: Settings
    engine: Engine
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def create_user(
        self,
        name: str,
        password: str = "secret123",
        role: str = "worker",
        regions: tuple[str, ...] = ("330802",),
        display_name: str = "",
    ) -> None:
        with Session(self.engine) as session:
            crud.create_user(
                session=session,
                user_create=UserCreate(
                    username=name,
                    password=password,
                    role=role,
                    regions=list(regions),
                    display_name=display_name,
                ),
            )

    def reset(self) -> None:
        """Delete every row and attachment, and restore the default settings."""
        with self.engine.begin() as conn:
            for table in _TABLES:
                conn.execute(text(f"DELETE FROM {table}"))
            conn.execute(text("UPDATE seq_counter SET value = 0"))
        state = getattr(self._server.config.app, "state", None)
        for name in ("login_throttle", "certificate_limiter"):
            if (limiter := getattr(state, name, None)) is not None:
                limiter.clear()  # one test's failed logins or checks must not hold back the next
        shutil.rmtree(self.settings.attachments_dir, ignore_errors=True)
        (self.settings.attachments_dir / "partial").mkdir(parents=True, exist_ok=True)
        defaults = Settings(data_dir=self.settings.data_dir, database_url=self.settings.database_url)
        self.settings.token_lifetime_s = defaults.token_lifetime_s
        self.settings.max_request_bytes = defaults.max_request_bytes
        self.settings.clock_skew_limit_ms = defaults.clock_skew_limit_ms

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self.engine.dispose()


def start_server(settings: Settings) -> LiveServer:
    """Start the server app in a thread on a free loopback port and wait until it answers."""
    embedded = start_in_thread(settings)
    return LiveServer(embedded.url, settings, embedded.app.state.engine, embedded._server, embedded._thread)


def postgres_available() -> str | None:
    """``None`` if the machine's PostgreSQL answers, else why not."""
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=2):
            return None
    except Exception as exc:  # any failure means "skip PostgreSQL", with the reason shown
        return f"PostgreSQL at {PG_ADMIN_URL} does not answer: {exc}"


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL, dropped when the block ends."""
    import psycopg

    name = f"hv_test_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN_URL.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def write_elsewhere(server: LiveServer) -> Iterator[None]:
    """A write transaction held open in another database of the cluster for the length of the block.

    What a neighbour's CREATE DATABASE, migration or bulk load does under load; it must not
    delay this server's pulls (``server.seq``). Nothing on SQLite.
    """
    if server.dialect != "postgresql":
        yield
        return
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", "")) as conn:
        conn.execute("SELECT pg_current_xact_id()")  # takes a transaction id and keeps it
        yield
        conn.rollback()


@contextlib.contextmanager
def running_server(backend: str, data_dir: Path) -> Iterator[LiveServer]:
    """A live server over ``backend`` (``sqlite`` or ``postgres``) for the length of the block."""
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(postgres_database()) if backend == "postgres" else ""
        live = start_server(Settings(data_dir=data_dir, database_url=url, log_json=False))
        stack.callback(live.stop)
        yield live
