"""Issue 15, item 7: laptop A names B's worker after a sync, though B never logged in on A.

Two laptops and the real server on a loopback port (SQLite and PostgreSQL): 王博 makes a visit
on laptop B; after both sync, laptop A's household page says 王博 in the 专职委员 column, from
the server's user directory, and still does once his account is deactivated.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.services.auth import AuthService
from app.services.registry import RegistryService
from app.services.settings import Settings
from app.services.sync import SyncService
from app.services.user_directory import receive_directory
from app.services.user_names import UserNames
from app.services.visits import VisitService
from app.store.models import User
from app.ui.context import AppContext
from app.ui.tasks import TaskRunner
from server import accounts
from tests.helpers.profiles import household_data, person_data
from tests.ui.helpers import open_household


def test_visit_history_names_a_colleague_who_never_logged_in_here(qtbot, laptop, live_server):
    a = laptop("laptop-a", user="zhangli", display_name="张丽")
    b = laptop("laptop-b", user="wangbo", display_name="王博")

    registry = RegistryService(b.store)
    home = registry.save_household("wangbo", household_data(head_name="李哲"))
    person = registry.save_person("wangbo", home.id, person_data(name="李哲"))
    VisitService(b.store).start_visit("wangbo", home.id, person.id, ["needs_assessment"])
    SyncService(b.store).sync()
    SyncService(a.store).sync()

    with a.store.session() as s:
        assert s.exec(select(User).where(User.username == "wangbo")).first() is None  # never logged in on A
    assert UserNames.load(a.store)("wangbo") == "王博"
    assert receive_directory(a) == 0  # nothing changed since: a bodiless 304

    tasks = TaskRunner()
    ctx = AppContext(store=a.store, settings=Settings(idle_lock_minutes=0), tasks=tasks)
    ctx.user = AuthService(a.store).get_user("zhangli")
    from app.ui.main import build_main_window

    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    open_household(qtbot, window, home.id, person.id)
    visits = window.household_page.visits
    assert visits.rowCount() == 1 and visits.item(0, 2).text() == "王博"

    # Deactivated on the server: the history keeps his name.
    with Session(live_server.engine) as session:
        accounts.set_active(session=session, actor="cli", username="wangbo", active=False)
    SyncService(a.store).sync()
    assert UserNames.load(a.store)("wangbo") == "王博"
    window.close()
    tasks.wait()
