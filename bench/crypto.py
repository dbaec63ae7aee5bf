"""``python -m bench crypto``: the encrypted profile against the plain one, in one run, ratios printed.

The same seeded profile (about 50,000 persons) is used twice: as plain SQLite,
and exported into SQLCipher under a fresh key (``app.store.encrypt``'s export,
the path a plain profile takes at its first login). Then, on each:

- ``search``: the registry's type-as-you-go queries (``bench search``'s mix),
  p95 over three warm passes, each query on the plain and the encrypted
  profile in turn (so a load spike on a shared machine hits both alike);
- ``answer_save``: ``VisitService.save_answer`` (what the visit window's
  saver calls per answer, each its own committed transaction, fsynced), p95,
  alternating between the two profiles;
- ``open``: opening the store and counting the registry (what the main window
  shows first), median of runs, alternating;
- ``login``: the whole cold login, median: plain = argon2 verify of the row
  hash + open; encrypted = argon2 unwrap of the key + the header/key/length
  check + open. ``login_with_quick_check`` is one encrypted login that also
  reads every page (HMAC verified), what ``--self-test --home`` does;
- ``startup``: a fresh process logs in (argon2 on both sides, as above), builds
  the main window and shows it (offscreen), median of ``--startup-runs`` runs,
  plain and encrypted alternating; ``startup_cpu`` is the child's CPU time,
  the figure to trust when the machine is loaded;
- ``first_pull``: an empty laptop pulls ``--pull-households`` households
  (10,000: persons, visits, form responses) from a real server over SQLite,
  into a plain and into an encrypted profile, one after the other
  (``--pull-households 0`` skips it).

Argon2 costs the same on both sides (one derivation per login); the figures
say what encryption itself adds.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.services import profile
from app.services.auth import AuthService
from app.services.registry import RegistryService
from app.services.visits import VisitService
from app.store import keyfile
from app.store.crypto import subkey
from app.store.encrypt import _export
from app.store.search import count_persons, search_persons
from app.store.store import Store
from bench import percentile, report
from bench._profiles import seeded_copy
from bench.search import HOUSEHOLDS, queries
from tests.helpers.profiles import household_data, person_data

RUNS = 5
SAVES = 300
STARTUP_CHILD = """
import resource, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from app.ui.main import make_application, open_context, build_main_window
home, encrypted = Path(sys.argv[1]), sys.argv[2] == "1"
app = make_application("zh_CN")
if encrypted:
    from app.services.profile import open_profile
    store, user = open_profile(home, "bench", "bench123")
else:
    from app.services.auth import AuthService
    from app.store.store import Store
    store = Store(home)
    user = AuthService(store).login("bench", "bench123")
ctx = open_context(home, store)
ctx.user = user
window = build_main_window(ctx)
window.show()
def shown():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(time.time(), ru.ru_utime + ru.ru_stime, flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def _prepare(work: Path) -> tuple[Path, Path]:
    plain = seeded_copy(HOUSEHOLDS, 42, work / "plain")
    store = Store(plain)
    AuthService(store).create_user("bench", "bench123", regions=["33"])
    store.close()
    encrypted = work / "encrypted"
    t0 = time.perf_counter()
    root = keyfile.create(encrypted, "bench", "bench123")
    _export(plain / "homevisit.db", encrypted / "homevisit.db", subkey(root, "database"))
    print(f"exported to SQLCipher in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return plain, encrypted


def _search(stores: dict[str, Store], rng: random.Random) -> dict[str, list[float]]:
    """The same query on each store in turn (so load on a shared machine hits both alike), three passes."""
    first = next(iter(stores.values()))
    work = queries(search_persons(first.engine, "", limit=None), rng)
    samples: dict[str, list[float]] = {name: [] for name in stores}
    for _ in range(3):
        for _kind, q in work:
            for name, store in stores.items():
                t = time.perf_counter()
                search_persons(store.engine, q)
                samples[name].append((time.perf_counter() - t) * 1000)
    return samples


def _saves(stores: dict[str, Store]) -> dict[str, list[float]]:
    """``SAVES`` answer saves on each store, alternating between them."""
    targets = {}
    for name, store in stores.items():
        registry = RegistryService(store)
        household = registry.save_household("bench", household_data())
        person = registry.save_person("bench", household.id, person_data())
        visits = VisitService(store)
        visit = visits.start_visit("bench", household.id, person.id, ["needs_assessment"])
        targets[name] = (visits, visits.responses(visit.id)[0].id)
    samples: dict[str, list[float]] = {name: [] for name in stores}
    for i in range(SAVES):
        for name, (visits, response_id) in targets.items():
            t = time.perf_counter()
            visits.save_answer("bench", response_id, "contact_name", f"王建国{i}")
            samples[name].append((time.perf_counter() - t) * 1000)
    return samples


def _ms(action: Callable[[], None]) -> float:
    t = time.perf_counter()
    action()
    return (time.perf_counter() - t) * 1000


def _open_and_count(home: Path, key: bytes | None) -> None:
    store = Store(home, key)
    count_persons(store.engine)
    store.close()


def _login(home: Path, encrypted: bool, thorough: bool = False) -> None:
    if encrypted:
        store, _ = profile.open_profile(home, "bench", "bench123", thorough=thorough)
    else:
        store = Store(home)
        AuthService(store).login("bench", "bench123")
    count_persons(store.engine)
    store.close()


def _startup(homes: dict[str, Path], runs: int) -> dict[str, dict[str, float]]:
    """Process start to the main window shown, plain and encrypted alternating; median wall and CPU ms."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in homes}
    for _ in range(runs):
        for name, home in homes.items():
            start = time.time()
            out = subprocess.run(
                [sys.executable, "-c", STARTUP_CHILD, str(home), "1" if name == "encrypted" else "0"],
                capture_output=True, text=True, env=env, check=True,
            )  # fmt: skip
            shown_at, cpu = out.stdout.strip().splitlines()[-1].split()
            samples[name].append(((float(shown_at) - start) * 1000, float(cpu) * 1000))
    for name, runs_ms in samples.items():
        print(
            f"startup {name} (wall ms, cpu ms):", [(round(w), round(c)) for w, c in runs_ms], file=sys.stderr
        )
    return {
        name: {
            "startup_ms": sorted(w for w, _ in runs_ms)[len(runs_ms) // 2],
            "startup_cpu_ms": sorted(c for _, c in runs_ms)[len(runs_ms) // 2],
        }
        for name, runs_ms in samples.items()
    }


def _first_pull(work: Path, households: int) -> dict[str, dict[str, float]]:
    """An empty plain and an empty encrypted laptop pull ``households`` from one real server (SQLite)."""
    from app.sync.client import SyncClient
    from bench._wire import server_process
    from bench.sync import PASSWORD, USER, _prepare

    data_dir = work / "server"
    counts = _prepare(data_dir, "", households)
    out: dict[str, dict[str, float]] = {}
    with server_process(data_dir, "", log=work / "server.log") as url:
        for name in ("plain", "encrypted"):
            home = work / f"pull-{name}"
            key = keyfile.create(home, "bench", "bench123") if name == "encrypted" else None
            store = Store(home, key)
            try:
                client = SyncClient(store, url)
                client.login(USER, PASSWORD, f"bench {name}")
                t, c = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
                result = client.sync()
                seconds = time.perf_counter() - t
                c2 = resource.getrusage(resource.RUSAGE_SELF)
                cpu = (c2.ru_utime + c2.ru_stime) - (c.ru_utime + c.ru_stime)
                print(f"first pull {name}: {result.pulled_rows} rows, {seconds:.1f} s, cpu {cpu:.1f} s "
                      f"(server seeded {counts})", file=sys.stderr)  # fmt: skip
                out[name] = {"first_pull_s": seconds, "first_pull_cpu_s": cpu, "rows": result.pulled_rows}
            finally:
                store.close()
    return out


def _pair(metric: str, plain: float, encrypted: float, n: int | None = None) -> None:
    report("crypto", f"{metric}_plain", plain, n)
    report("crypto", f"{metric}_encrypted", encrypted, n)
    report("crypto", f"{metric}_ratio", encrypted / plain if plain else 0.0, n)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench crypto")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--pull-households", type=int, default=10_000)
    args = parser.parse_args(sys.argv[1:])
    with tempfile.TemporaryDirectory() as tmp:
        plain_home, enc_home = _prepare(Path(tmp))
        root = keyfile.unlock(enc_home, "bench", "bench123")
        homes = {"plain": (plain_home, None), "encrypted": (enc_home, root)}
        stores = {name: Store(home, key) for name, (home, key) in homes.items()}
        persons = count_persons(stores["plain"].engine)
        search = _search(stores, random.Random(7))
        saves = _saves(stores)
        for store in stores.values():
            store.close()
        results: dict[str, dict[str, float]] = {
            name: {
                "search_p95_ms": percentile(search[name], 95),
                "answer_save_p95_ms": percentile(saves[name], 95),
            }
            for name in homes
        }
        timed: dict[str, dict[str, list[float]]] = {name: {"open_ms": [], "login_ms": []} for name in homes}
        for _ in range(RUNS):  # open and login alternate too, one run of each profile in turn
            for name, (home, key) in homes.items():
                timed[name]["open_ms"].append(_ms(lambda h=home, k=key: _open_and_count(h, k)))
                timed[name]["login_ms"].append(_ms(lambda h=home, e=key is not None: _login(h, e)))
        for name, metrics in timed.items():
            for metric, runs in metrics.items():
                results[name][metric] = sorted(runs)[len(runs) // 2]
        for name, figures in _startup(
            {"plain": plain_home, "encrypted": enc_home}, args.startup_runs
        ).items():
            results[name].update(figures)
        if args.pull_households:
            for name, figures in _first_pull(Path(tmp), args.pull_households).items():
                rows = int(figures.pop("rows"))
                results[name].update(figures)
        t = time.perf_counter()
        _login(enc_home, True, thorough=True)
        thorough = (time.perf_counter() - t) * 1000
        counts = {"search": persons, "answer": SAVES, "startup": args.startup_runs}
        metrics = [
            "search_p95_ms",
            "answer_save_p95_ms",
            "open_ms",
            "login_ms",
            "startup_ms",
            "startup_cpu_ms",
        ]
        if args.pull_households:
            metrics += ["first_pull_s", "first_pull_cpu_s"]
            counts["first"] = rows
        for metric in metrics:
            n = counts.get(metric.split("_", 1)[0], RUNS)
            _pair(metric.replace("_ms", ""), results["plain"][metric], results["encrypted"][metric], n)
        report("crypto", "login_with_quick_check_encrypted", thorough, 1)
        size = (enc_home / "homevisit.db").stat().st_size
        report("crypto", "db_bytes_ratio", size / (plain_home / "homevisit.db").stat().st_size)
        shutil.rmtree(tmp, ignore_errors=True)
