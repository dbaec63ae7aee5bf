"""Hybrid logical clock (Kulkarni et al., 2014), encoded as sortable text.

A clock value is ``PPPPPPPPPPPPP-CCCCC-DEVICE``: 13-digit wall milliseconds,
a 5-digit counter for events within one millisecond, and the device id.
Comparing two encoded values as strings compares them as clocks, so the
database can order and ``max()`` them without decoding.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 99_999


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    """One decoded clock value."""

    millis: int
    counter: int
    device: str

    def encode(self) -> str:
        return f"{self.millis:013d}-{self.counter:05d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        millis, counter, device = text.split("-", 2)
        if len(millis) != 13 or len(counter) != 5 or not device:
            raise ValueError(f"时钟值格式错误：{text!r}")
        return cls(int(millis), int(counter), device)


class HybridLogicalClock:
    """A per-device clock: ``tick()`` for local edits, ``observe()`` for received values.

    ``offset_ms`` corrects a wrong wall clock (the server tells the client how far
    off it is). ``last`` is persisted by the store so the clock never runs back
    across restarts.
    """

    def __init__(
        self,
        device: str,
        *,
        last: str | None = None,
        offset_ms: int = 0,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if "-" in device or not device:
            raise ValueError("设备编号不能为空，也不能包含“-”")
        self.device = device
        self.offset_ms = offset_ms
        self._wall = wall
        self._lock = threading.Lock()
        self._millis, self._counter = 0, 0
        if last:
            ts = Timestamp.decode(last)
            self._millis, self._counter = ts.millis, ts.counter

    def now_ms(self) -> int:
        """Corrected wall time in milliseconds."""
        return int(self._wall() * 1000) + self.offset_ms

    def tick(self) -> str:
        """A new clock value for a local event, greater than every value seen."""
        with self._lock:
            self._step()
            return self._current()

    def tick_many(self, n: int) -> list[str]:
        """``n`` new clock values in order, as ``n`` calls of ``tick()`` would give with the wall clock still.

        One lock and one wall-clock read for a batch (a bulk load stamps every field of every row).
        """
        if n <= 0:
            return []
        out: list[str] = []
        with self._lock:
            self._step()
            device = self.device
            while True:
                # A run of values within one millisecond: counters up to MAX_COUNTER, then borrow the next.
                take = min(n - len(out), MAX_COUNTER - self._counter + 1)
                prefix = f"{self._millis:013d}-"
                out.extend(f"{prefix}{c:05d}-{device}" for c in range(self._counter, self._counter + take))
                self._counter += take - 1
                if len(out) == n:
                    return out
                self._advance_counter()

    def observe(self, remote: str) -> None:
        """Move past a received clock value so later local edits sort after it."""
        ts = Timestamp.decode(remote)
        with self._lock:
            wall = self.now_ms()
            top = max(wall, self._millis, ts.millis)
            if top == self._millis == ts.millis:
                self._counter = max(self._counter, ts.counter)
                self._advance_counter()
            elif top == self._millis:
                self._advance_counter()
            elif top == ts.millis:
                self._millis, self._counter = top, ts.counter
                self._advance_counter()
            else:
                self._millis, self._counter = top, 0

    def correct(self, server_time_ms: int) -> int:
        """Set the wall-clock offset from the server's time and return it.

        If the clock had run ahead (a laptop set to 2031), it is pulled back to the
        corrected time: values stamped while it was wrong must be re-stamped by
        the caller (sync re-stamps its unsent changes), or they would win every merge.
        """
        with self._lock:
            self.offset_ms = server_time_ms - int(self._wall() * 1000)
            wall = int(self._wall() * 1000) + self.offset_ms
            if self._millis > wall:
                self._millis, self._counter = wall, 0
            return self.offset_ms

    @property
    def last(self) -> str:
        with self._lock:
            return self._current()

    def _step(self) -> None:
        """Move to the next value of a local event (under the lock)."""
        wall = self.now_ms()
        if wall > self._millis:
            self._millis, self._counter = wall, 0
        else:
            self._advance_counter()

    def _advance_counter(self) -> None:
        if self._counter >= MAX_COUNTER:
            # Counter overflow: borrow the next millisecond rather than repeat a value.
            self._millis += 1
            self._counter = 0
        else:
            self._counter += 1

    def _current(self) -> str:
        return Timestamp(self._millis, self._counter, self.device).encode()
