"""``python -m bench crypto``: the encrypted profile against the plain one, in one run, ratios printed.

The same seeded profile (about 50,000 persons) is used twice: as plain SQLite,
and exported into SQLCipher under a fresh key (``app.store.encrypt``'s export,
the path a plain profile takes at its first login). Then, on each:

- ``search``: the registry's type-as-you-go queries (``bench search``'s mix),
  p95 over three warm passes;
- ``answer_save``: ``VisitService.save_answer`` (what the visit window's
  saver calls per answer, each its own committed transaction, fsynced), p95;
- ``open``: opening the store and counting the registry (what the main window
  shows first), median of runs;
- ``login``: the whole cold login, median: plain = argon2 verify of the row
  hash + open; encrypted = argon2 unwrap of the key + the header/key/length
  check + open. ``login_with_quick_check`` is one encrypted login that also
  reads every page (HMAC verified), what ``--self-test --home`` does.

Argon2 costs the same on both sides (one derivation per login); the figures
say what encryption itself adds.
"""

from __future__ import annotations

import random
import shutil
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


def _open(home: Path, encrypted: bool) -> Store:
    return Store(home, keyfile.unlock(home, "bench", "bench123")) if encrypted else Store(home)


def _search(store: Store, rng: random.Random) -> list[float]:
    everyone = search_persons(store.engine, "", limit=None)
    work = queries(everyone, rng)
    samples = []
    for _ in range(3):
        for _kind, q in work:
            t = time.perf_counter()
            search_persons(store.engine, q)
            samples.append((time.perf_counter() - t) * 1000)
    return samples


def _saves(store: Store) -> list[float]:
    registry = RegistryService(store)
    household = registry.save_household("bench", household_data())
    person = registry.save_person("bench", household.id, person_data())
    visits = VisitService(store)
    visit = visits.start_visit("bench", household.id, person.id, ["needs_assessment"])
    response = visits.responses(visit.id)[0]
    samples = []
    for i in range(SAVES):
        t = time.perf_counter()
        visits.save_answer("bench", response.id, "contact_name", f"王建国{i}")
        samples.append((time.perf_counter() - t) * 1000)
    return samples


def _median_ms(action: Callable[[], None]) -> float:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        action()
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times)[len(times) // 2]


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


def _pair(metric: str, plain: float, encrypted: float, n: int | None = None) -> None:
    report("crypto", f"{metric}_plain", plain, n)
    report("crypto", f"{metric}_encrypted", encrypted, n)
    report("crypto", f"{metric}_ratio", encrypted / plain if plain else 0.0, n)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain_home, enc_home = _prepare(Path(tmp))
        root = keyfile.unlock(enc_home, "bench", "bench123")
        results: dict[str, dict[str, float]] = {}
        persons = 0
        for name, home, key in (("plain", plain_home, None), ("encrypted", enc_home, root)):
            store = Store(home, key)
            persons = count_persons(store.engine)
            search = _search(store, random.Random(7))
            saves = _saves(store)
            store.close()
            results[name] = {
                "search_p95_ms": percentile(search, 95),
                "answer_save_p95_ms": percentile(saves, 95),
                "open_ms": _median_ms(lambda h=home, k=key: _open_and_count(h, k)),
                "login_ms": _median_ms(lambda h=home, e=key is not None: _login(h, e)),
            }
        t = time.perf_counter()
        _login(enc_home, True, thorough=True)
        thorough = (time.perf_counter() - t) * 1000
        for metric in ("search_p95_ms", "answer_save_p95_ms", "open_ms", "login_ms"):
            n = persons if metric.startswith("search") else (SAVES if metric.startswith("answer") else RUNS)
            _pair(metric.replace("_ms", ""), results["plain"][metric], results["encrypted"][metric], n)
        report("crypto", "login_with_quick_check_encrypted", thorough, 1)
        size = (enc_home / "homevisit.db").stat().st_size
        report("crypto", "db_bytes_ratio", size / (plain_home / "homevisit.db").stat().st_size)
        shutil.rmtree(tmp, ignore_errors=True)
