"""Locks the session after a time without keyboard or mouse input, or after the system slept.

The longest idle time is the federation's policy (``policy_max``); a user may
choose a shorter one, never a longer one and never "off". A laptop that slept
(its lid closed, the session locked) is noticed by the wall clock jumping
ahead of the check timer, and locks at once on waking.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from app.services.auth import idle_minutes

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
}
SLEEP_CHECK_MS = 15_000
SLEEP_GAP_S = 90.0


class IdleLock(QObject):
    """An application-wide event filter; calls ``on_idle`` after ``minutes`` of no input or a sleep."""

    def __init__(
        self,
        minutes: int,
        on_idle: Callable[[], None],
        parent: QObject | None = None,
        *,
        policy_max: int | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._on_idle = on_idle
        self.policy_max = policy_max
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self._wall = wall_clock
        self._last_tick = wall_clock()
        self._sleep_check = QTimer(self)
        self._sleep_check.setInterval(SLEEP_CHECK_MS)
        self._sleep_check.timeout.connect(self._check_sleep)
        self._sleep_check.start()
        self.paused = False
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        """Use ``minutes`` (clamped to the policy: at least 1, at most its maximum)."""
        self.minutes = idle_minutes(minutes, self.policy_max)
        self._timer.start(int(self.minutes * 60_000))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.paused:
            self._timer.start()
        return False

    def _check_sleep(self) -> None:
        now = self._wall()
        slept = now - self._last_tick > SLEEP_GAP_S
        self._last_tick = now
        if slept:
            self._fire()

    def _fire(self) -> None:
        if not self.paused:
            self.paused = True
            try:
                self._on_idle()
            finally:
                self.paused = False
                self.set_minutes(self.minutes)
