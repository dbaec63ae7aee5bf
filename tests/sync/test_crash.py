"""SYNC.md guarantee 4: kill -9 the client or the server mid-sync, sync again: no loss, no duplicates.

The client runs its sync in a child process and is SIGKILLed after the server
has taken part of its batches; the server runs as ``homevisit-server`` in a
child process (over SQLite, and over a fresh PostgreSQL database) and is
SIGKILLed during a push and during a pull, then restarted on the same database.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, text
from sqlmodel import Session, select

from app.contract.errors import SyncError
from app.services.seed import seed_store
from app.store import models, table_registry
from app.store.store import Store
from app.store.writer import pending_change_count
from app.sync.client import SyncClient
from server.models import Record
from tests.helpers.live_fixtures import BACKENDS
from tests.helpers.live_server import postgres_available, postgres_database

SERVER_BIN = Path(sys.executable).with_name("homevisit-server")
CHILD_SYNC = """
import sys
from app.store.store import Store
from app.sync.client import SyncClient
client = SyncClient(Store(sys.argv[1]), batch_size=int(sys.argv[2]))
client.sync()
"""


def wait_for(predicate, timeout: float = 60.0, step: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(step)


def snapshot(store: Store) -> dict:
    out = {}
    with store.session() as s:
        for tbl, model in table_registry.SYNCED_MODELS.items():
            for row in s.exec(select(model)):
                out[(tbl, row.id)] = table_registry.sync_fields(row)
    return out


def server_snapshot(engine) -> dict:
    with Session(engine) as s:
        return {(r.tbl, r.row_id): {k: v[0] for k, v in r.fields.items()} for r in s.exec(select(Record))}


def assert_server_has_exactly(engine, data: dict) -> None:
    stored = server_snapshot(engine)
    assert set(stored) == set(data)  # every row, once (records are unique per row)
    for key, fields in stored.items():
        for name, value in fields.items():
            assert data[key].get(name) == value, (key, name)
    with engine.connect() as conn:
        seqs = conn.execute(text("SELECT count(*), count(DISTINCT seq) FROM records")).one()
    assert seqs[0] == seqs[1]


@pytest.mark.slow
def test_client_killed_mid_push_loses_and_doubles_nothing(laptop, live_server):
    a = laptop("a")
    home = a.store.home
    seed_store(a.store, 300, seed=3, regions=["330802"], workers=("alice",))  # authors are the token's user
    expected = snapshot(a.store)
    total = pending_change_count(a.store.engine)
    a.store.close()
    child = subprocess.Popen([sys.executable, "-c", CHILD_SYNC, str(home), "400"], cwd=Path.cwd())
    batches = lambda: live_server.engine.connect().execute(text("SELECT count(*) FROM push_batches")).scalar()  # noqa: E731
    try:
        wait_for(lambda: batches() >= 3 or child.poll() is not None)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    store = Store(home)
    try:
        left = pending_change_count(store.engine)
        assert 0 < left < total  # killed part-way: some batches acknowledged, the rest still queued
        report = SyncClient(store).sync()
        assert report.rejected == 0 and pending_change_count(store.engine) == 0
        assert snapshot(store) == expected
        assert_server_has_exactly(live_server.engine, expected)
    finally:
        store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """``homevisit-server`` in a child process on a fixed port, restartable on the same database."""

    def __init__(self, data_dir: Path, database_url: str) -> None:
        self.data_dir, self.database_url = data_dir, database_url
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def _args(self) -> list[str]:
        args = ["--data-dir", str(self.data_dir)]
        return args + (["--database-url", self.database_url] if self.database_url else [])

    def create_user(self, name: str, role: str = "worker") -> None:
        subprocess.run(
            [str(SERVER_BIN), "create-user", name, "--password", "secret123", "--role", role]
            + ["--region", "330802", *self._args()],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(SERVER_BIN), "serve", "--port", str(self.port), *self._args()],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def up() -> bool:
            with contextlib.suppress(requests.RequestException):
                return requests.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200
            return False

        wait_for(up, timeout=30, step=0.1)

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def engine(self):
        url = self.database_url or f"sqlite:///{self.data_dir / 'homevisit-server.db'}"
        return create_engine(url)


@pytest.fixture(params=BACKENDS)
def server_process(request, tmp_path):
    with contextlib.ExitStack() as stack:
        url = ""
        if request.param == "postgres":
            if reason := postgres_available():
                pytest.skip(reason)
            url = stack.enter_context(postgres_database())
        server = ServerProcess(tmp_path / "server", url)
        server.create_user("alice")
        server.start()
        yield server
        if server.proc and server.proc.poll() is None:
            server.kill()


@pytest.mark.slow
def test_server_killed_mid_push_and_mid_pull(server_process, make_profile):
    srv = server_process
    engine = srv.engine()
    a = SyncClient(make_profile("a"), srv.url)
    a.login("alice", "secret123", "a")
    a.transport.backoff = 0.01
    a.transport.retries = 1
    a.batch_size = 300
    seed_store(a.store, 150, seed=5, regions=["330802"], workers=("alice",))
    expected = snapshot(a.store)

    def batches() -> int:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM push_batches")).scalar_one()

    # Kill the server while the laptop pushes.
    errors: list[Exception] = []
    worker = threading.Thread(target=lambda: _sync_catching(a, errors))
    worker.start()
    wait_for(lambda: batches() >= 2 or not worker.is_alive())
    srv.kill()
    worker.join(60)
    assert errors and isinstance(errors[0], SyncError)
    srv.start()
    report = a.sync()
    assert report.rejected == 0 and pending_change_count(a.store.engine) == 0
    assert_server_has_exactly(engine, expected)

    # Kill it again while another laptop pulls page by page.
    b = SyncClient(make_profile("b"), srv.url)
    b.login("alice", "secret123", "b")
    b.transport.backoff, b.transport.retries, b.page_size = 0.01, 1, 50
    pulled: list[int] = []
    errors.clear()
    worker = threading.Thread(
        target=lambda: _sync_catching(b, errors, lambda stage, done, _t: pulled.append(done))
    )
    worker.start()
    wait_for(lambda: len(pulled) >= 3 or not worker.is_alive())
    srv.kill()
    worker.join(60)
    srv.start()
    b.sync()
    assert snapshot(b.store) == expected
    with b.store.session() as s:
        assert s.exec(select(func.count()).select_from(models.Change)).one() == 0
    engine.dispose()


def _sync_catching(client: SyncClient, errors: list[Exception], progress=None) -> None:
    try:
        client.sync(progress=progress)
    except Exception as exc:  # the server died under it: recorded for the test
        errors.append(exc)
