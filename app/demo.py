"""``homevisit demo``: a demo profile, an embedded local server, and the app logged in, ready to sync.

On the first run the embedded server (its own SQLite database under the
profile's ``server/`` folder) is seeded with fictitious households of Quzhou
and the demo accounts; an acceptance team's laptop then records renovation
projects with acceptances and certificates and syncs them up; finally this
laptop logs in (binding the device) and pulls everything. Later runs reopen
the profile as it was left. The demo accounts and passwords are printed.

The server stack (FastAPI, uvicorn, alembic) is the ``server`` extra, not a
dependency of the desktop app: it is imported here only when a demo runs,
and a desktop install without it gets one line saying what to install.
"""

from __future__ import annotations

import importlib.util
import logging
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from app.domain.enums import Role
from app.services.auth import AuthService
from app.services.settings import Settings as AppSettings
from app.store.store import Store
from app.store.sync_state import StateKey
from app.sync.client import SyncClient

if TYPE_CHECKING:
    from server.embedded import EmbeddedServer

log = logging.getLogger(__name__)

PREFERRED_PORT = 8765
SERVER_MODULES = ("fastapi", "uvicorn", "alembic", "pydantic_settings")
NO_SERVER_STACK = '演示需要本地服务器组件，请先安装：pip install "homevisit[server]"（缺少 {missing}）'


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    display_name: str
    role: Role
    regions: tuple[str, ...]


DEMO_USERS = (
    DemoUser("zhangli", "demo1234", "张丽", Role.WORKER, ("3308",)),
    DemoUser("yanshou", "demo1234", "李强（验收组）", Role.ACCEPTOR, ("3308",)),
    DemoUser("admin", "quzhou2026", "管理员", Role.ADMIN, ("33",)),
)


def default_demo_home() -> Path:
    return Path(platformdirs.user_data_dir("HomeVisit", appauthor=False)) / "demo"


def _free_port(preferred: int) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])


def missing_server_stack() -> list[str]:
    """The server packages the demo needs that are not installed (empty when all are)."""

    def installed(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is not None
        except ImportError:
            return False

    return [name for name in SERVER_MODULES if not installed(name)]


def start_demo_server(home: Path) -> EmbeddedServer:
    """The profile's own local server, on port 8765 when it is free."""
    from server.core.config import Settings as ServerSettings
    from server.embedded import start_in_thread

    settings = ServerSettings(data_dir=home / "server", log_json=False)
    return start_in_thread(settings, port=_free_port(PREFERRED_PORT))


def _create_server_users(server: EmbeddedServer) -> None:
    from sqlmodel import Session

    from server import crud
    from server.models import UserCreate

    with Session(server.app.state.engine) as session:
        for u in DEMO_USERS:
            crud.create_user(
                session=session,
                user_create=UserCreate(
                    username=u.username,
                    password=u.password,
                    role=u.role.value,
                    regions=list(u.regions),
                    display_name=u.display_name,
                ),
            )


def _acceptance_team_uploads_projects(server: EmbeddedServer) -> None:
    """The acceptance team's laptop records projects, acceptances and certificates, and syncs them up."""
    from app.services.demo_projects import seed_demo_projects

    with tempfile.TemporaryDirectory() as tmp:
        team = Store(Path(tmp))
        try:
            acceptor = DEMO_USERS[1]
            client = SyncClient(team, server.url)
            client.login(acceptor.username, acceptor.password, device_name="验收组笔记本")
            client.sync()  # the registry first, so projects attach to known households
            seed_demo_projects(team, actor=acceptor.username)
            client.sync()
        finally:
            team.close()


def prepare_demo(home: Path, households: int) -> tuple[Store, EmbeddedServer]:
    """Open (creating on the first run) the demo profile and start its local server."""
    server = start_demo_server(home)
    store = Store(home)
    if not store.get_state(StateKey.DEMO_READY):
        from server.seed import seed as seed_server

        _create_server_users(server)
        seed_server(server.app.state.engine, households, 2026, ["3308"])
        _acceptance_team_uploads_projects(server)
        client = SyncClient(store, server.url)
        for u in (*DEMO_USERS[1:], DEMO_USERS[0]):  # the worker last: the laptop is bound to her
            client.login(u.username, u.password, device_name="演示笔记本")
        report = client.sync()
        log.info("demo profile pulled %s rows in %.1f s", report.pulled_rows, report.seconds)
        settings = AppSettings.load(home)
        settings.server_url = server.url
        settings.save(home)
        store.set_state(StateKey.DEMO_READY, "1")
    elif store.get_state(StateKey.SERVER_URL) != server.url:
        store.set_state(StateKey.SERVER_URL, server.url)  # the preferred port was taken this time
    return store, server


def print_credentials(home: Path, server: EmbeddedServer) -> None:
    print(f"HomeVisit demo profile: {home}")
    print(f"Local server: {server.url}")
    for u in DEMO_USERS:
        print(f"  {u.role.label:<8} user {u.username:<8} password {u.password}")


def run_demo(home: Path | None, *, households: int, show_window: bool = True, lang: str | None = None) -> int:
    if missing := missing_server_stack():
        print(NO_SERVER_STACK.format(missing="、".join(missing)), file=sys.stderr)
        return 2
    home = home or default_demo_home()
    from app import logs

    logs.configure_file(home)
    store, server = prepare_demo(home, households)
    print_credentials(home, server)
    try:
        if not show_window:
            return 0
        from app.ui.main import run_app

        user = AuthService(store).get_user(DEMO_USERS[0].username)
        store.close()
        return run_app(home, lang=lang, user=user)
    finally:
        store.close()
        server.stop()
