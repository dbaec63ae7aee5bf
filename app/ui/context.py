"""What every screen needs: the store, services, settings, the logged-in user and the task runner."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from app.services.auth import AuthService
from app.services.registry import RegistryService
from app.services.settings import Settings
from app.store.models import User
from app.store.store import Store
from app.ui.tasks import TaskRunner


class DataEvents(QObject):
    """Signals screens use to refresh after data changes elsewhere (an edit, a pull)."""

    households_changed = Signal()
    visits_changed = Signal()
    projects_changed = Signal()
    sync_state_changed = Signal()


@dataclass
class AppContext:
    store: Store
    settings: Settings
    tasks: TaskRunner
    user: User | None = None
    policy_max_idle: int | None = (
        None  # the federation's idle-lock ceiling in minutes (None: the default cap)
    )
    events: DataEvents = field(default_factory=DataEvents)

    @property
    def auth(self) -> AuthService:
        return AuthService(self.store)

    @property
    def registry(self) -> RegistryService:
        return RegistryService(self.store)

    @property
    def actor(self) -> str:
        return self.user.username if self.user else "system"
