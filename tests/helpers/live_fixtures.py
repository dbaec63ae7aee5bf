"""Live-server pytest fixtures, shared by the sync, server and end-to-end tests.

tests/conftest.py registers them for every test (one copy of the session-scoped
``_servers``: don't import them anywhere else). ``live_server`` is parametrized over SQLite and the machine's PostgreSQL; each
backend's server starts once per session and is emptied before every test.
"""

from __future__ import annotations

import pytest

from app.store.store import Store
from app.sync.client import SyncClient
from tests.helpers.live_server import LiveServer, postgres_available, running_server

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def _servers(tmp_path_factory):
    started: dict[str, LiveServer] = {}
    stack = []

    def get(backend: str) -> LiveServer:
        if backend not in started:
            if backend == "postgres" and (reason := postgres_available()):
                pytest.skip(reason)
            cm = running_server(backend, tmp_path_factory.mktemp(f"server-{backend}"))
            started[backend] = cm.__enter__()
            stack.append(cm)
        return started[backend]

    yield get
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


@pytest.fixture(params=BACKENDS)
def live_server(request, _servers) -> LiveServer:
    server = _servers(request.param)
    server.reset()
    return server


@pytest.fixture
def make_profile(tmp_path):
    """``make_profile(name)`` -> a fresh local ``Store``; all are closed after the test."""
    stores: list[Store] = []

    def make(name: str) -> Store:
        store = Store(tmp_path / name)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


def logged_in(server: LiveServer, store: Store, name: str, user: str) -> SyncClient:
    """A ``SyncClient`` on ``store`` logged in to ``server`` as ``user`` (password ``secret123``)."""
    client = SyncClient(store, server.url)
    client.transport.backoff = 0.01
    client.login(user, "secret123", device_name=name)
    return client


@pytest.fixture
def laptop(live_server, make_profile):
    """``laptop(name, user)`` -> a logged-in ``SyncClient`` on a fresh profile (user made at first use)."""
    made: set[str] = set()

    def make(
        name: str,
        user: str = "alice",
        regions: tuple[str, ...] = ("330802",),
        role: str = "worker",
        display_name: str = "",
    ) -> SyncClient:
        if user not in made:
            live_server.create_user(user, "secret123", role=role, regions=regions, display_name=display_name)
            made.add(user)
        return logged_in(live_server, make_profile(name), name, user)

    return make


__all__ = ["BACKENDS", "_servers", "laptop", "live_server", "logged_in", "make_profile"]
