"""Console benchmark: the dashboard of a county of 50,000 persons, server time per page.

``python -m bench console [--persons 50000] [--database sqlite|postgres|both] [--repeat 7]``

Seeds one county (柯城区, 330802) with ``server.seed`` until it holds ``--persons``
persons (with their visits and form responses, about 7 records per person), starts
the real server (``homevisit-server``) on a loopback port, signs in as an
administrator through the console's form, and times each page from request to
last byte (loopback, so nearly all of it is the server's): the county dashboard
(coverage by township), one township's (by village), the CSV export and the list
behind a figure. The very first view waits for the dashboard's facts to be built
(``server.console.facts``, once per database, begun at start-up) and is reported
alone as ``first_view_ms``; then each page once more as a warm-up, and
``--repeat`` timed views. Figures: ``<page>_median_ms`` and ``<page>_max_ms``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

import requests
from sqlmodel import Session

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
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="hv-bench-console-") as tmp:
            data_dir = Path(tmp)
            if database == "postgres":
                with postgres_database() as url:
                    persons = _prepare(url, data_dir, args.persons)
                    with server_process(data_dir, url) as base:
                        _time_pages(base, args.repeat, database, persons)
            else:
                persons = _prepare("", data_dir, args.persons)
                with server_process(data_dir, "") as base:
                    _time_pages(base, args.repeat, database, persons)
