"""Locks the window after a configurable time without keyboard or mouse input."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
}


class IdleLock(QObject):
    """An application-wide event filter; calls ``on_idle`` after ``minutes`` of no input.

    ``minutes <= 0`` turns the lock off.
    """

    def __init__(self, minutes: int, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_idle = on_idle
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self.paused = False
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        if minutes > 0:
            self._timer.start(int(minutes * 60_000))
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.minutes > 0 and not self.paused:
            self._timer.start()
        return False

    def _fire(self) -> None:
        if not self.paused:
            self.paused = True
            try:
                self._on_idle()
            finally:
                self.paused = False
                self.set_minutes(self.minutes)
