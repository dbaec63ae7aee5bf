"""Sliding-window counters for the console: failed sign-ins, and public certificate checks.

In memory, per server process: a restart forgets them, which is acceptable for a
brake on guessing (an attacker gains one window per restart). The API's own login
has none yet; when the server gets one, the console should use it instead.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class Throttle:
    """At most ``limit`` events per key in any ``window_s`` seconds; ``allowed`` says whether one more may come."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window_s:
            events.popleft()
        return events

    def allowed(self, key: str) -> bool:
        """Whether ``key`` is under its limit now (does not count as an event)."""
        with self._lock:
            return len(self._recent(key, time.monotonic())) < self.limit

    def hit(self, key: str) -> bool:
        """Count one event for ``key``; ``False`` if it was over the limit already."""
        with self._lock:
            now = time.monotonic()
            events = self._recent(key, now)
            if len(events) >= self.limit:
                return False
            events.append(now)
            if len(self._events) > 10_000:  # forget idle keys so the table cannot grow without end
                for stale in [k for k, v in self._events.items() if not v or v[-1] <= now - self.window_s]:
                    del self._events[stale]
            return True

    def clear(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again (0 if it may now)."""
        with self._lock:
            events = self._recent(key, time.monotonic())
            if len(events) < self.limit:
                return 0
            return max(1, int(events[0] + self.window_s - time.monotonic()) + 1)
