"""Sync benchmark: first pull, first push, an idle sync and an incremental one, over SQLite and PostgreSQL.

``python -m bench sync [--households 10000] [--backend sqlite|postgres|both]
[--push-households 1000] [--page-size N] [--no-gc-pause]``

The server runs as a subprocess (``homevisit-server``) on a loopback port; a
counting proxy between it and the laptop measures bytes on the wire (request
lines, headers and gzip bodies, both ways). Figures per backend:
``initial_pull_s/rows`` (an empty laptop pulls every seeded household with its
persons, visits and form responses, straight from the server),
``initial_pull_bytes`` (the same pull into another empty laptop, through the
proxy), ``nochange_requests/bytes`` (a sync with
nothing to do), ``incremental_bytes/s`` (after 1% of the server's records
changed), ``initial_push_s/bytes`` (a seeded laptop pushes everything); ``facts_warm_up_s``
(the console's facts and alerts build at server start, waited for before the first pull).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from app.contract import protocol as p
from app.contract.hlc import HybridLogicalClock
from app.store.store import Store
from app.sync import merge
from app.sync.client import SyncClient
from app.sync.transport import Transport
from bench import report
from bench._profiles import seeded_copy
from bench._wire import CountingProxy, postgres_database, server_process
from server import crud
from server.console import alerts
from server.console.facts import FACTS_KEY
from server.console.tables import ConsoleState
from server.core.config import Settings
from server.core.db import make_engine, migrate
from server.models import Record, UserCreate
from server.seed import seed

USER, PASSWORD, SCOPE = "bench", "field-visit-2026", "3308"


def _prepare(data_dir: Path, database_url: str, households: int) -> dict[str, int]:
    """Migrate, create the benchmark user and seed the server's database."""
    settings = Settings(data_dir=data_dir, database_url=database_url)
    engine = make_engine(settings)
    migrate(engine)
    with Session(engine) as session:
        crud.create_user(
            session=session,
            user_create=UserCreate(username=USER, password=PASSWORD, role="admin", regions=[SCOPE]),
        )
    t0 = time.perf_counter()
    counts = seed(engine, households)
    print(f"server seeded {counts} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    engine.dispose()
    return counts


def _wait_for_facts(data_dir: Path, database_url: str, limit_s: float = 600.0) -> float:
    """Seconds until the console's facts build (started with the server) has read every record
    and computed every person's need alerts (``server.console.alerts``, right after the facts).

    The first pull is timed after it: on a freshly seeded server the build competes with the
    pull for the server's CPU and GIL, which says nothing about the pull itself.
    """
    engine = make_engine(Settings(data_dir=data_dir, database_url=database_url))
    t0 = time.perf_counter()
    try:
        with Session(engine) as session:
            top = session.execute(select(func.max(Record.seq))).scalar_one() or 0
            while time.perf_counter() - t0 < limit_s:
                state = session.get(ConsoleState, FACTS_KEY)
                alerts_day = session.get(ConsoleState, alerts.DAY)
                if state is not None and state.value >= top and alerts_day is not None and alerts_day.value:
                    break
                session.expire_all()
                time.sleep(0.2)
    finally:
        engine.dispose()
    return time.perf_counter() - t0


def _count_requests(client: SyncClient) -> list[int]:
    counter = [0]

    def hook(resp: object, *_args: object, **_kwargs: object) -> None:
        counter[0] += 1

    client.transport.http.hooks["response"].append(hook)
    return counter


def _change_one_percent(url: str, data_dir: Path, database_url: str) -> int:
    """Another device edits 1% of the server's records (a phone or a note), through the push API."""
    engine = make_engine(Settings(data_dir=data_dir, database_url=database_url))
    with Session(engine) as session:
        recs = list(session.exec(select(Record.tbl, Record.row_id, Record.fields).order_by(Record.seq)))  # type: ignore[call-overload]
    engine.dispose()
    chosen = recs[::100]
    clock = HybridLogicalClock("benchother")
    transport = Transport(url)
    login = transport.request(
        "POST", "/auth/login", json_body={"username": USER, "password": PASSWORD, "device_id": "benchother"}
    )
    transport.token = login.json()["token"]
    edits = {"household": "phone", "person": "phone", "visit": "summary", "formresponse": "status"}
    changes = []
    for tbl, row_id, fields in chosen:
        field = edits.get(tbl, "region_code")
        value = {"phone": "13900000000", "summary": "复访：情况有变化", "status": "completed"}.get(
            field, fields[field][0]
        )
        changes.append(
            p.Change(
                tbl=tbl, row_id=row_id, field=field, value=value, hlc=clock.tick(), base_hlc=fields[field][1]
            )
        )
    for i in range(0, len(changes), 500):
        body = p.PushRequest(batch_id=f"bench-{i:08d}-{clock.tick()[:13]}", changes=changes[i : i + 500])
        transport.request("POST", "/sync/push", json_body=body.model_dump(mode="json"))
    transport.close()
    return len(changes)


def _run(backend: str, households: int, push_households: int, page_size: int | None, work: Path) -> None:
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(postgres_database()) if backend == "postgres" else ""
        data_dir = work / f"server-{backend}"
        counts = _prepare(data_dir, database_url, households)
        url = stack.enter_context(server_process(data_dir, database_url, log=work / f"server-{backend}.log"))
        tag = {"backend": backend, "households": households}
        report("sync", "facts_warm_up_s", _wait_for_facts(data_dir, database_url), **tag)

        # 1. An empty laptop pulls everything, straight from the server: the counting proxy
        # is threads in this process, and they would take the GIL from the merge (about a
        # quarter of the time measured through it), which no real network does.
        kwargs = {"page_size": page_size} if page_size else {}
        timed = Store(work / f"laptop-{backend}-timed")
        stack.callback(timed.close)
        direct = SyncClient(timed, url, **kwargs)  # type: ignore[arg-type]
        direct.login(USER, PASSWORD, "bench laptop")
        t0 = time.perf_counter()
        first = direct.sync()
        seconds = time.perf_counter() - t0
        rows = first.pulled_rows
        report(
            "sync", "initial_pull_s", seconds, rows, **tag, rows_per_s=round(rows / seconds), seeded=counts
        )
        report("sync", "initial_pull_rows", rows, rows, **tag)

        # The same pull into another empty laptop through the proxy, for the bytes on the wire;
        # this laptop goes on to the idle and incremental syncs.
        proxy = CountingProxy(int(url.rsplit(":", 1)[1]))
        stack.callback(proxy.close)
        store = Store(work / f"laptop-{backend}")
        stack.callback(store.close)
        client = SyncClient(store, proxy.url, **kwargs)  # type: ignore[arg-type]
        client.login(USER, PASSWORD, "bench laptop 2")
        requests_made = _count_requests(client)
        before = proxy.total
        t0 = time.perf_counter()
        counted = client.sync()
        report(
            "sync", "initial_pull_bytes", proxy.total - before, counted.pulled_rows, **tag,
            requests=requests_made[0], through_proxy_s=round(time.perf_counter() - t0, 3),
        )  # fmt: skip

        # 2. Nothing to do: one small request.
        before, n0 = proxy.total, requests_made[0]
        idle = client.sync()
        report("sync", "nochange_requests", requests_made[0] - n0, idle.pulled_rows, **tag)
        report("sync", "nochange_bytes", proxy.total - before, idle.pulled_rows, **tag)

        # 3. 1% of the records change on the server.
        changed = _change_one_percent(url, data_dir, database_url)
        before, n0 = proxy.total, requests_made[0]
        t0 = time.perf_counter()
        inc = client.sync()
        report(
            "sync", "incremental_bytes", proxy.total - before, inc.pulled_rows, **tag,
            changed=changed, requests=requests_made[0] - n0, seconds=round(time.perf_counter() - t0, 3),
        )  # fmt: skip

        # 4. A seeded laptop pushes all it has (and stops before pulling).
        home = seeded_copy(push_households, 7, work / f"pusher-{backend}")
        pusher = Store(home)
        stack.callback(pusher.close)
        pclient = SyncClient(pusher, proxy.url)
        pclient.login(USER, PASSWORD, "bench pusher")
        done = {"push": False, "at": 0.0, "bytes": 0}
        before = proxy.total

        def progress(stage: str, n: int, total: int) -> None:
            if stage == "push":
                done["at"], done["bytes"] = time.perf_counter(), proxy.total
                done["push"] = n >= total

        t0 = time.perf_counter()
        pushed = pclient.sync(progress=progress, cancelled=lambda: bool(done["push"]))
        report(
            "sync", "initial_push_s", float(done["at"]) - t0, pushed.pushed, **tag,
            push_households=push_households, rejected=pushed.rejected,
        )  # fmt: skip
        report("sync", "initial_push_bytes", int(done["bytes"]) - before, pushed.pushed, **tag)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench sync")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--push-households", type=int, default=1_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--page-size", type=int, default=None)
    parser.add_argument(
        "--no-gc-pause",
        action="store_true",
        help="leave the cyclic garbage collector running during the pull (measures what merge.paused_gc saves)",
    )
    args = parser.parse_args(sys.argv[1:])
    if args.no_gc_pause:
        merge.paused_gc = contextlib.nullcontext  # type: ignore[assignment]
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    work = Path(tempfile.mkdtemp(prefix="hv-bench-sync-"))
    try:
        for backend in backends:
            _run(backend, args.households, args.push_households, args.page_size, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
