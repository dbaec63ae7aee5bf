"""Server load benchmark: many devices pushing and pulling at once against PostgreSQL.

``python -m bench server [--devices 200] [--seconds 60] [--workers 2] [--think 5.0]``

The server runs as uvicorn with several worker processes on a fresh PostgreSQL
database on 127.0.0.1; every device is an asyncio task with its own HTTP
connection that logs in once, then loops until the time is up: push a batch of
new rows (a household, a person and a visit with unique ids, gzip bodies as
the app sends them), pull its region's new rows, wait ``think`` seconds on
average (0 = as fast as possible). The app syncs by itself at most once a minute,
so the default of 5 s makes each device twelve times busier than a real laptop.
Devices start their first sync at random within the first ``think`` seconds, as
200 laptops coming online do, rather than all in the same millisecond (a
thundering herd no real province produces; ``--burst`` runs that too).
Latencies count from the request's send to its answer's arrival, measured by the
load generator, which shares this machine's cores with the server. Afterwards
every acknowledged row is looked up in the database: ``lost`` rows are missing, ``duplicated`` counts rows or
seq values present more than once. Traffic goes to 127.0.0.1 only, and the run
stops by itself. Figures: ``p50_ms``, ``p95_ms``, ``requests_per_s``,
``errors``, ``lost``, ``duplicated`` (and the same latencies per request kind).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlmodel import Session

from app.contract import protocol as p
from app.contract.hlc import HybridLogicalClock
from app.domain.regions import default_catalog
from bench import percentile, report
from bench._wire import postgres_database, server_process
from server import crud
from server.core.config import Settings
from server.core.db import make_engine, migrate
from server.models import UserCreate

PASSWORD = "field-visit-2026"
DISTRICTS = ("330802", "330803", "330822", "330824", "330825", "330881")


@dataclass
class Stats:
    """Latencies and outcomes collected by all devices."""

    push_ms: list[float] = field(default_factory=list)
    pull_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (tbl, row_id) the server applied

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def _rows(clock: HybridLogicalClock, village: str, n: int) -> list[dict[str, object]]:
    """``n`` new households, each with one person and one visit: about 15 field changes each.

    Plain dicts in the wire shape of ``p.Change`` (the generator's own CPU is taken from the server's).
    """
    changes: list[dict[str, object]] = []

    def add(tbl: str, row_id: str, **fields: object) -> None:
        for name, value in fields.items():
            changes.append(
                {
                    "tbl": tbl,
                    "row_id": row_id,
                    "field": name,
                    "value": value,
                    "hlc": clock.tick(),
                    "base_hlc": None,
                }
            )

    for _ in range(n):
        h, person, visit = (str(uuid.uuid4()) for _ in range(3))
        add(
            "household",
            h,
            region_code=village,
            address=f"测试路{random.randint(1, 999)}号",
            phone="13900000000",
        )
        add(
            "person",
            person,
            region_code=village,
            household_id=h,
            name="测试人",
            gender="M",
            category="1",
            level="2",
        )
        add(
            "visit", visit, region_code=village, household_id=h, person_id=person, status="completed",
            started_at="2026-05-01T09:00:00.000Z", summary="压力测试走访",
        )  # fmt: skip
    return changes


@dataclass
class Run:
    """What all devices share: the server, the options, the start line and the deadline."""

    url: str
    think: float
    burst: bool
    rows_per_push: int
    stats: Stats
    ready: asyncio.Barrier
    logins: asyncio.Semaphore
    deadline: float = float("inf")


async def _device(index: int, run: Run) -> None:
    district = DISTRICTS[index % len(DISTRICTS)]
    villages = [v.code for v in default_catalog().villages_under(district)]
    device_id = f"bench{index:04d}"
    clock = HybridLogicalClock(device_id)
    stats = run.stats
    headers = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION), "Accept-Encoding": "gzip"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(
        base_url=f"{run.url}{p.API_PREFIX}", headers=headers, timeout=60, limits=limits
    ) as http:
        try:
            async with run.logins:  # argon2 logins are slow on purpose: not 200 at once
                login = await http.post(
                    "/auth/login",
                    json={
                        "username": f"user{index % len(DISTRICTS)}",
                        "password": PASSWORD,
                        "device_id": device_id,
                    },
                )
            login.raise_for_status()
            http.headers["Authorization"] = f"Bearer {login.json()['token']}"
        finally:
            await run.ready.wait()
        cursor = 0
        if not run.burst:
            await asyncio.sleep(random.uniform(0, run.think))
        while time.monotonic() < run.deadline:
            changes = _rows(clock, random.choice(villages), run.rows_per_push)
            body = {"batch_id": uuid.uuid4().hex, "changes": changes}
            data = gzip.compress(json.dumps(body, ensure_ascii=False).encode(), compresslevel=5)
            t0 = time.perf_counter()
            try:
                resp = await http.post(
                    "/sync/push",
                    content=data,
                    headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
                )
                stats.push_ms.append((time.perf_counter() - t0) * 1000)
                if resp.status_code != 200:
                    stats.error(f"push {resp.status_code}")
                elif resp.json()["rejected"]:
                    stats.error("push rejected")
                else:
                    stats.acknowledged.extend(dict.fromkeys((c["tbl"], c["row_id"]) for c in changes))  # type: ignore[misc]
            except httpx.HTTPError as exc:
                stats.error(f"push {type(exc).__name__}")
            t0 = time.perf_counter()
            try:
                resp = await http.get(
                    "/sync/pull", params={"since": cursor, "limit": 500, "layout": "columns"}
                )  # as the app asks
                stats.pull_ms.append((time.perf_counter() - t0) * 1000)
                if resp.status_code != 200:
                    stats.error(f"pull {resp.status_code}")
                else:
                    cursor = resp.json()["next"]
            except httpx.HTTPError as exc:
                stats.error(f"pull {type(exc).__name__}")
            if run.think:
                await asyncio.sleep(random.uniform(0.5 * run.think, 1.5 * run.think))


async def _run_devices(
    url: str, devices: int, seconds: float, think: float, burst: bool, rows_per_push: int, stats: Stats
) -> float:
    run = Run(url, think, burst, rows_per_push, stats, asyncio.Barrier(devices + 1), asyncio.Semaphore(8))
    tasks = [asyncio.create_task(_device(i, run)) for i in range(devices)]
    t_login = time.monotonic()
    await run.ready.wait()
    print(f"{devices} devices logged in in {time.monotonic() - t_login:.1f} s", file=sys.stderr)
    t0 = time.monotonic()
    run.deadline = t0 + seconds
    for result in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(result, BaseException):
            stats.error(f"device {type(result).__name__}")
    return time.monotonic() - t0


def _check(database_url: str, acknowledged: list[tuple[str, str]]) -> tuple[int, int]:
    """(lost, duplicated): acknowledged rows missing from the server, and rows or seqs held twice."""
    engine = make_engine(Settings(database_url=database_url))
    with Session(engine) as session:
        held: dict[tuple[str, str], int] = {}
        for tbl, row_id in session.execute(text("SELECT tbl, row_id FROM records")):
            held[(tbl, row_id)] = held.get((tbl, row_id), 0) + 1
        dup_seq = session.execute(
            text("SELECT count(*) FROM (SELECT seq FROM records GROUP BY seq HAVING count(*) > 1) d")
        ).scalar_one()
    engine.dispose()
    lost = sum(1 for key in set(acknowledged) if key not in held)
    duplicated = sum(n - 1 for n in held.values() if n > 1) + int(dup_seq)
    return lost, duplicated


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench server")
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    # Each worker's engine may open 30 connections (pool 10 + overflow 20); PostgreSQL's
    # default max_connections is 100, so more than 3 workers can be refused connections.
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--think", type=float, default=5.0, help="mean pause between a device's syncs (s)")
    parser.add_argument("--burst", action="store_true", help="all devices send their first sync at once")
    parser.add_argument("--rows", type=int, default=3, help="households (with a person and a visit) per push")
    args = parser.parse_args(sys.argv[1:])
    work = Path(tempfile.mkdtemp(prefix="hv-bench-server-"))
    stats = Stats()
    try:
        with postgres_database() as database_url:
            engine = make_engine(Settings(database_url=database_url))
            migrate(engine)  # once, before the workers start (each would try at start-up)
            with Session(engine) as session:
                for i, district in enumerate(DISTRICTS):
                    crud.create_user(
                        session=session,
                        user_create=UserCreate(
                            username=f"user{i}", password=PASSWORD, role="worker", regions=[district]
                        ),
                    )
            engine.dispose()
            with server_process(work, database_url, workers=args.workers, log=work / "server.log") as url:
                elapsed = asyncio.run(
                    _run_devices(url, args.devices, args.seconds, args.think, args.burst, args.rows, stats)
                )
            lost, duplicated = _check(database_url, stats.acknowledged)
        if stats.errors and (work / "server.log").exists():
            errors = [
                line
                for line in (work / "server.log").read_text(errors="replace").splitlines()
                if "Error" in line
            ]
            print("server log, last errors:", *errors[-5:], sep="\n  ", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    both = stats.push_ms + stats.pull_ms
    tag = {
        "devices": args.devices,
        "seconds": args.seconds,
        "workers": args.workers,
        "think_s": args.think,
        "burst": args.burst,
    }
    if stats.error_kinds:
        print(f"errors: {stats.error_kinds}", file=sys.stderr)
    if both:
        report("server", "p50_ms", percentile(both, 50), len(both), **tag)
        report("server", "p95_ms", percentile(both, 95), len(both), **tag)
        report("server", "push_p95_ms", percentile(stats.push_ms, 95), len(stats.push_ms), **tag)
        report("server", "pull_p95_ms", percentile(stats.pull_ms, 95), len(stats.pull_ms), **tag)
    report("server", "requests_per_s", len(both) / elapsed, len(both), **tag)
    report("server", "errors", stats.errors, len(both), **tag)
    report("server", "lost", lost, len(set(stats.acknowledged)), **tag)
    report("server", "duplicated", duplicated, len(set(stats.acknowledged)), **tag)


if __name__ == "__main__":
    main()
