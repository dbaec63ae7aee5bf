"""Seeded profiles shared by benchmarks, cached on disk so each is built once per machine."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from app.services.seed import seed_store
from app.store.store import Store

CACHE = Path(tempfile.gettempdir()) / "homevisit-bench"


def seeded_copy(households: int, seed: int, into: Path, *, with_forms: bool = False) -> Path:
    """A fresh copy of a profile seeded with ``households`` households, at ``into``.

    Without ``with_forms`` the seeded visits carry no form responses: the shape every benchmark's
    recorded figures were measured on (``homevisit seed`` fills them; that costs ~10x the seed time).
    """
    source = CACHE / (f"h{households}-s{seed}" + ("-forms" if with_forms else ""))
    if not (source / "homevisit.db").exists() or not (source / ".complete").exists():
        shutil.rmtree(source, ignore_errors=True)
        t0 = time.perf_counter()
        store = Store(source)
        seed_store(store, households, seed=seed, with_forms=with_forms)
        store.close()
        (source / ".complete").touch()
        print(f"seeded {households} households in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    shutil.copytree(source, into, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".complete"))
    return into
