"""Run Python's cycle collector on the GUI thread only.

The collector runs on whichever thread happens to allocate past its threshold.
When that is a database worker and the garbage holds a Qt wrapper (a widget
captured in a closure cycle), the C++ object is destroyed off the GUI thread
and the process dies ("Garbage-collecting" then a segfault). Calibre and Anki
answer this the same way: switch automatic collection off and collect from a
GUI-thread timer, using the collector's own thresholds so behaviour stays the
same, only the thread changes. Reference counting still frees acyclic
garbage at once on every thread; only cycles wait for the timer.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from app.gc_pause import gc_paused

_INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Owned by the application: disables automatic collection while it lives."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(_INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect the oldest generation whose count is past its threshold, as gc itself would."""
        if gc_paused():
            return  # a pull is merging: its pause (app/gc_pause.py) holds for this collector too
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()


def install(app: QObject) -> GuiThreadCollector:
    """Install once per application (a second call returns the first collector)."""
    existing = app.findChild(GuiThreadCollector)
    return existing if existing is not None else GuiThreadCollector(app)
