"""``python -m bench search``: type-as-you-go search latency over 50,000 persons.

Seeds its own profile (fictitious data), then times typical queries —
full names, initials, two-character names, ID fragments, addresses, phone
fragments — each through ``search_persons`` exactly as the registry list calls it.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from app.domain.pinyin import name_keys
from app.store.search import PersonHit, search_persons
from app.store.store import Store
from bench import percentile, report
from bench._profiles import seeded_copy

HOUSEHOLDS = 45_455  # ~1.1 persons per household: ~50,000 persons


def build(home: Path) -> Store:
    return Store(seeded_copy(HOUSEHOLDS, 42, home))


def queries(everyone: list[PersonHit], rng: random.Random) -> list[tuple[str, str]]:
    sample = rng.sample(everyone, 40)
    out: list[tuple[str, str]] = []
    for hit in sample:
        full, initials = name_keys(hit.name)
        out.append(("name", hit.name))
        out.append(("initials", initials))
        out.append(("pinyin", full[: max(4, len(full) // 2)]))
        out.append(("id_fragment", hit.id_number[8:14]))
        out.append(("address", hit.address[-8:-2]))
        out.append(("phone", hit.phone[-6:] if hit.phone else hit.id_number[-5:]))
    two_char = [h.name for h in everyone if len(h.name) == 2]
    out.extend(("two_char_name", n) for n in rng.sample(two_char, 40))
    return out


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = build(Path(tmp))
        everyone = search_persons(store.engine, "", limit=None)
        persons = len(everyone)
        samples: dict[str, list[float]] = {}
        work = queries(everyone, rng)
        for _ in range(3):  # warm the page cache, then measure every pass
            for kind, q in work:
                t = time.perf_counter()
                search_persons(store.engine, q)
                samples.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
        every = [x for xs in samples.values() for x in xs]
        for kind, xs in sorted(samples.items()):
            print(
                f"{kind:>14}: p50 {percentile(xs, 50):6.2f} ms  p95 {percentile(xs, 95):6.2f} ms",
                file=sys.stderr,
            )
        report("search", "p50_ms", percentile(every, 50), n=persons)
        report("search", "p95_ms", percentile(every, 95), n=persons)
        store.close()
