"""Merge benchmark: the pages of a first pull merged into an empty laptop, with no network in the timing.

``python -m bench merge [--households 10000] [--repeat 3]``

The server (a subprocess, SQLite) is seeded and every pull page of a first
pull is fetched once and kept as received; then the pages are parsed and merged
into a fresh store ``--repeat`` times, with the pull's GC pause and without it.
CPU seconds of this process (``cpu_s``) are the figure to compare between
builds: on a shared machine the wall time follows the neighbours' load, the
CPU time of the merge much less. Figures: ``merge_cpu_s`` and ``merge_wall_s``
(median, GC paused as a pull does), ``merge_cpu_s_gc_running`` and their ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from app.contract.page import parse_page
from app.store.store import Store
from app.sync import merge
from app.sync.transport import Transport
from bench import report
from bench._wire import server_process
from bench.sync import PASSWORD, USER, _prepare


def record_pages(url: str) -> list[bytes]:
    """Every page of a first pull, as the server sent it (decompressed)."""
    transport = Transport(url)
    login = transport.request(
        "POST", "/auth/login", json_body={"username": USER, "password": PASSWORD, "device_id": "benchmerge1"}
    )
    transport.token = login.json()["token"]
    pages, cursor = [], 0
    while True:
        resp = transport.request(
            "GET", "/sync/pull", params={"since": cursor, "limit": 2000, "layout": "columns"}
        )
        pages.append(resp.content)
        page = parse_page(resp.content)
        cursor = page.next
        if not page.more:
            transport.close()
            return pages


def merge_once(
    pages: list[bytes], home: Path, pause: Callable[[], AbstractContextManager[None]]
) -> tuple[float, float, int]:
    """(wall s, CPU s, rows) of parsing and merging ``pages`` into an empty store at ``home``."""
    store = Store(home)
    rows = 0
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        with pause():
            for data in pages:
                page = parse_page(data)
                rows += merge.apply_page(store.engine, store.clock, page.tables, page.next).rows
        return time.perf_counter() - wall, time.process_time() - cpu, rows
    finally:
        store.close()
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench merge")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(sys.argv[1:])
    work = Path(tempfile.mkdtemp(prefix="hv-bench-merge-"))
    try:
        _prepare(work / "server", "", args.households)
        with server_process(work / "server", "", log=work / "server.log") as url:
            pages = record_pages(url)
        paused: dict[str, list[float]] = {"wall": [], "cpu": []}
        running: list[float] = []
        rows = 0
        merge_once(pages[:1], work / "warm-up", merge.paused_gc)  # imports, pinyin dictionaries, shapes
        for i in range(args.repeat):  # interleaved, so a burst of load hits both alike
            wall, cpu, rows = merge_once(pages, work / f"paused-{i}", merge.paused_gc)
            paused["wall"].append(wall)
            paused["cpu"].append(cpu)
            running.append(merge_once(pages, work / f"running-{i}", contextlib.nullcontext)[1])
        tag = {"households": args.households, "pages": len(pages), "repeat": args.repeat}
        cpu_paused, cpu_running = statistics.median(paused["cpu"]), statistics.median(running)
        report("merge", "merge_cpu_s", cpu_paused, rows, **tag)
        report("merge", "merge_wall_s", statistics.median(paused["wall"]), rows, **tag)
        report("merge", "merge_cpu_s_gc_running", cpu_running, rows, **tag)
        report("merge", "gc_pause_ratio", cpu_running / cpu_paused, rows, **tag)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
