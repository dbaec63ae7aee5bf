"""Console benchmark: the dashboard of a county of 50,000 persons, server time per page.

``python -m bench console [--persons 50000] [--database sqlite|postgres|both] [--repeat 7]``

Seeds one county (柯城区, 330802) with ``server.seed`` until it holds ``--persons``
persons (with their visits and form responses, about 7 records per person), starts
the real server (``homevisit-server``) on a loopback port, signs in as an
administrator through the console's form, and times each page from request to
last byte (loopback, so nearly all of it is the server's): the county dashboard
(coverage by township), one township's (by village), the CSV export and the list
behind a figure. The very first view waits for the dashboard's facts and need
alerts to be built (``server.console.facts``, ``server.console.alerts``; once per
database, begun at start-up) and is reported alone as ``first_view_ms``; then each
page once more as a warm-up, and ``--repeat`` timed views. Figures:
``<page>_median_ms`` and ``<page>_max_ms``.

With ``--in-process`` the facts (and alerts) are built in this process before the
server starts, timed in wall and CPU seconds (``facts_build_s``; ``alerts_rebuild_s``
is a second full alerts computation, what each new day costs), and the county's
dashboard figures are computed in this process too (``county_figures_ms``, wall and
CPU): the server's own time without HTTP or a second process sharing the cores.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests
from sqlmodel import Session, select

from app.domain.localtime import china_today
from bench import report
from bench._wire import postgres_database, server_process
from server import crud
from server.core.config import Settings
from server.core.db import make_engine, migrate
from server.models import UserCreate
from server.seed import seed

COUNTY = "330802"
TOWNSHIP = "330802001"
PASSWORD = "bench-secret"
PERSONS_PER_HOUSEHOLD = 1.085  # what the synthetic generator makes, measured


def _prepare(url: str, data_dir: Path, persons: int) -> int:
    engine = make_engine(Settings(data_dir=data_dir, database_url=url))
    migrate(engine)
    started = time.perf_counter()
    counts = seed(engine, int(persons / PERSONS_PER_HOUSEHOLD) + 1, 1, [COUNTY])
    print(f"seeded {counts} in {time.perf_counter() - started:.0f} s", flush=True)
    with Session(engine) as session:
        crud.create_user(
            session=session,
            user_create=UserCreate(username="boss", password=PASSWORD, role="admin", regions=["3308"]),
        )
    engine.dispose()
    return counts["person"]


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    """(wall s, CPU s of this process) of ``run()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def _in_process(url: str, data_dir: Path, persons: int, database: str, repeat: int) -> None:
    """The facts' and alerts' build, and the county's figures, timed in this process."""
    from server.console import dashboard_pages, facts, figures
    from server.console.tables import create_tables
    from server.models import ServerUser

    settings = Settings(data_dir=data_dir, database_url=url)
    engine = make_engine(settings)
    create_tables(engine)
    wall, cpu = _timed(lambda: facts.refresh(engine))
    report("console", "facts_build_s", wall, persons, cpu_s=round(cpu, 3), database=database)
    try:
        from server.console import alerts
    except ImportError:  # a tree without server-side alerts (the "before" measurement)
        alerts = None
    if alerts is not None:
        alerts.use_forms(engine, settings.forms_dir)
        today = china_today()
        wall, cpu = _timed(lambda: alerts.rebuild(engine, today, facts._lock))
        report("console", "alerts_rebuild_s", wall, persons, cpu_s=round(cpu, 3), database=database)
    with Session(engine) as session:
        user = session.exec(select(ServerUser).where(ServerUser.username == "boss")).one()
        period = figures.Period.this_year()
        samples = [
            _timed(lambda: dashboard_pages._figures(session, user, COUNTY, period)) for _ in range(repeat + 1)
        ][1:]
    walls, cpus = [w * 1000 for w, _ in samples], [c * 1000 for _, c in samples]
    report(
        "console",
        "county_figures_ms",
        statistics.median(walls),
        persons,
        cpu_ms=round(statistics.median(cpus), 3),
        database=database,
    )
    engine.dispose()


def _sign_in(base: str) -> requests.Session:
    web = requests.Session()
    form = web.get(f"{base}/console/login", timeout=30)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    answer = web.post(
        f"{base}/console/login",
        data={"username": "boss", "password": PASSWORD, "csrf": csrf, "next": "/console/dashboard"},
        timeout=30,
        allow_redirects=False,  # the first view is timed on its own
    )
    assert answer.status_code == 303, answer.status_code
    return web


PAGES = {
    "county_dashboard": f"/console/dashboard?region={COUNTY}",
    "township_dashboard": f"/console/dashboard?region={TOWNSHIP}",
    "county_csv": f"/console/dashboard.csv?region={COUNTY}",
    "persons_list": f"/console/records?what=persons&region={COUNTY}",
}


def _time_pages(base: str, repeat: int, database: str, persons: int) -> None:
    web = _sign_in(base)
    # The first view waits for the facts' first build (started in the background at start-up).
    started = time.perf_counter()
    web.get(base + PAGES["county_dashboard"], timeout=1800).raise_for_status()
    report("console", "first_view_ms", (time.perf_counter() - started) * 1000, persons, database=database)
    for name, path in PAGES.items():
        samples = []
        for i in range(repeat + 1):
            started = time.perf_counter()
            answer = web.get(base + path, timeout=120)
            elapsed = (time.perf_counter() - started) * 1000
            answer.raise_for_status()
            if i:
                samples.append(elapsed)
        report("console", f"{name}_median_ms", statistics.median(samples), persons, database=database)
        report("console", f"{name}_max_ms", max(samples), persons, database=database)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench console")
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--in-process", action="store_true", help="build and count in this process too")
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="hv-bench-console-") as tmp:
            data_dir = Path(tmp)
            if database == "postgres":
                with postgres_database() as url:
                    persons = _prepare(url, data_dir, args.persons)
                    if args.in_process:
                        _in_process(url, data_dir, persons, database, args.repeat)
                    with server_process(data_dir, url) as base:
                        _time_pages(base, args.repeat, database, persons)
            else:
                persons = _prepare("", data_dir, args.persons)
                if args.in_process:
                    _in_process("", data_dir, persons, database, args.repeat)
                with server_process(data_dir, "") as base:
                    _time_pages(base, args.repeat, database, persons)
