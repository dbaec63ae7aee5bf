"""The cyclic collector paused for a pull, and whether it is paused now.

A process has one collector, so the pause is counted across threads; the
desktop's GUI-thread collector (``app/ui/gc_guard.py``) waits for it too.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_gc_lock = threading.Lock()
_gc_pauses = 0  # blocks inside ``paused_gc`` right now, in any thread
_gc_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection for the length of the block.

    A page makes hundreds of thousands of small lists and tuples, none of them in
    a cycle; every few thousand allocations the collector would walk all of them
    again. Measured (Dec 2026, the 39 recorded pages of a 10,000-household first
    pull merged into an empty store, CPU seconds, median of three on a shared
    2-core machine): 3.53 s paused, 3.74 s running — the pause saves ~6% of the
    merge (earlier builds, before the columnar intake, lost a third to it).
    ``python -m bench merge`` measures it again (``gc_pause_ratio``).

    Python has one collector per process, so the switch cannot be scoped to a
    thread; it is scoped to the pull instead (``SyncClient._pull_all`` and the
    page parser hold it, nothing else does). The next page is parsed in another
    thread while this one merges, so pauses are counted: the collector comes
    back when the last one ends, and a pull that fails re-enables it too.
    Reference counting still frees everything a page leaves (no cycles), so the
    process's memory does not grow while the collector is off.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def gc_paused() -> bool:
    """Whether a pull holds the collector paused (the GUI's collector waits for it too)."""
    return _gc_pauses > 0
