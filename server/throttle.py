"""Login throttling: per account and per address, with a delay that grows with each failure.

A few wrong passwords are free (a caseworker mistyping); after that every further failure
doubles the time the key must wait before the next attempt, up to ``MAX_DELAY_S``; while it
waits, a login answers 429 with ``Retry-After`` before any password is hashed, so guessing
costs the server nothing. A success clears the account's count.

Loopback addresses are not throttled by address: the demo's embedded server and a reverse
proxy on the same host (then every client would share one address — run the server with
``--forwarded-allow-ips`` so the real address is seen). State is in memory, per process:
a restart forgives, which is acceptable for a brake on guessing.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FREE_ACCOUNT_FAILURES = 5
FREE_ADDRESS_FAILURES = 20
BASE_DELAY_S = 1.0
MAX_DELAY_S = 15 * 60.0
FORGET_AFTER_S = 24 * 3600.0


@dataclass
class _Count:
    failures: int = 0
    blocked_until: float = 0.0
    last: float = 0.0


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class LoginThrottle:
    """Failure counts by ``account:NAME`` and ``address:IP``; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[str, _Count] = {}

    def _keys(self, username: str, address: str) -> list[tuple[str, int]]:
        keys = [(f"account:{username.strip().lower()}", FREE_ACCOUNT_FAILURES)]
        if address and not _is_loopback(address):
            keys.append((f"address:{address}", FREE_ADDRESS_FAILURES))
        return keys

    def wait_s(self, username: str, address: str) -> int:
        """Seconds to wait before this login may be tried (0: go ahead)."""
        now = self._clock()
        with self._lock:
            waits = [
                c.blocked_until - now
                for key, _free in self._keys(username, address)
                if (c := self._counts.get(key)) is not None
            ]
        longest = max(waits, default=0.0)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, username: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            self._forget_old(now)
            for key, free in self._keys(username, address):
                c = self._counts.setdefault(key, _Count())
                c.failures += 1
                c.last = now
                if c.failures > free:
                    delay = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (c.failures - free - 1))
                    c.blocked_until = now + delay

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._counts.pop(f"account:{username.strip().lower()}", None)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()

    def _forget_old(self, now: float) -> None:
        if len(self._counts) < 10_000:
            return
        for key in [k for k, c in self._counts.items() if now - c.last > FORGET_AFTER_S]:
            del self._counts[key]
        if len(self._counts) > 100_000:  # a flood of invented names: keep the most recent half
            oldest = sorted(self._counts, key=lambda k: self._counts[k].last)[: len(self._counts) // 2]
            for key in oldest:
                del self._counts[key]


class RateLimit:
    """At most ``per_minute`` calls per key in any sliding minute (anonymous certificate checks)."""

    def __init__(self, per_minute: int = 30, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._lock = threading.Lock()
        self._calls: dict[str, list[float]] = {}

    def wait_s(self, key: str) -> int:
        """0 and the call is counted, or the seconds until the key may call again."""
        now = self._clock()
        with self._lock:
            if len(self._calls) > 50_000:
                self._calls.clear()  # a flood of addresses: forget rather than grow
            recent = [t for t in self._calls.get(key, ()) if now - t < 60.0]
            if len(recent) >= self.per_minute:
                self._calls[key] = recent
                return max(1, math.ceil(60.0 - (now - recent[0])))
            recent.append(now)
            self._calls[key] = recent
            return 0

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
