"""``homevisit demo``: a ready-to-use demo profile, an embedded local server, the app logged in.

The profile is created once (seeded households, demo users whose passwords
are printed); later runs reopen it as it was left.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.domain.enums import Role
from app.services.auth import AuthService
from app.services.seed import seed_store
from app.store.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    display_name: str
    role: Role
    regions: tuple[str, ...]


DEMO_USERS = (
    DemoUser("zhangli", "demo1234", "张丽", Role.WORKER, ("3308",)),
    DemoUser("yanshou", "demo1234", "验收组 李强", Role.ACCEPTOR, ("3308",)),
    DemoUser("admin", "admin1234", "管理员", Role.ADMIN, ("33",)),
)
READY_MARK = "demo_ready"


def default_demo_home() -> Path:
    return Path(platformdirs.user_data_dir("HomeVisit", appauthor=False)) / "demo"


def prepare_demo(home: Path, households: int) -> Store:
    """Create the demo profile if it is not there yet; return it opened."""
    store = Store(home)
    if store.get_state(READY_MARK):
        return store
    auth = AuthService(store)
    for u in DEMO_USERS:
        if auth.get_user(u.username) is None:
            auth.create_user(
                u.username, u.password, role=u.role, regions=u.regions, display_name=u.display_name
            )
    report = seed_store(store, households, seed=2026, workers=[DEMO_USERS[0].username])
    log.info("demo profile: %s", report)
    store.set_state(READY_MARK, "1")
    return store


def print_credentials(home: Path) -> None:
    print(f"HomeVisit demo profile: {home}")
    for u in DEMO_USERS:
        print(f"  {u.role.label:<10} user {u.username:<8} password {u.password}")


def run_demo(home: Path | None, *, households: int, show_window: bool = True, lang: str | None = None) -> int:
    home = home or default_demo_home()
    store = prepare_demo(home, households)
    print_credentials(home)
    if not show_window:
        store.close()
        return 0
    from app.ui.main import run_app

    user = AuthService(store).get_user(DEMO_USERS[0].username)
    store.close()
    return run_app(home, lang=lang, user=user)
