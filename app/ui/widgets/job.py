"""One cancellable job at a time on the database worker: a progress bar, a status line and a cancel button.

The ledger screen's export and the roster import's read, check and write are each
a core function taking ``progress(done, total)`` and ``cancelled()``. ``CancellableJob``
runs such a function through ``ctx.tasks.run_db`` and keeps the three widgets in step
with it: the bar is busy until the first progress report, moves with each one (carried
to the GUI thread by a queued signal), and ends full or, when the job failed or was
cancelled, empty; the cancel button is enabled only while the job runs, and a cancel
only asks (the core stops at its next check and raises its own ``…Cancelled``). The
screen places the widgets where its layout wants them and says what the result means.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from app.ui.tasks import TaskRunner

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
ERROR_STYLE = "color: #c62828;"
DONE_STYLE = "color: #2e7d32;"


class CancellableJob(QObject):
    """The busy state of a screen that runs one job at a time; ``busy_changed`` tells it when to update its buttons."""

    busy_changed = Signal(bool)
    moved = Signal(int, int)  # (done, total): emitted by the worker, delivered queued on the GUI thread

    def __init__(self, tasks: TaskRunner, parent: QWidget, *, cancel_text: str | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.running = False
        self._event = threading.Event()
        self.progress = QProgressBar(parent)
        self.progress.setObjectName("progress")
        self.progress.setValue(0)
        self.status = QLabel(parent)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton(cancel_text or self.tr("取消"), parent)
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.moved.connect(self._show_progress)

    def start(
        self,
        text: str,
        work: Callable[[Progress, Cancelled], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Run ``work(progress, cancelled)`` on the database worker; then ``done(result)`` or ``failed(exc)``.

        The widgets are back at rest before ``done``/``failed`` run, so those see ``running`` false.
        """
        event = self._event = threading.Event()  # a fresh one: a cancel never reaches the next job
        report = self.moved.emit
        self.running = True
        self.progress.setRange(0, 0)
        self.say(text)
        self.cancel_button.setEnabled(True)
        self.busy_changed.emit(True)

        def finished(result: Any) -> None:
            self._stop(full=True)
            done(result)

        def stopped(exc: BaseException) -> None:
            self._stop(full=False)
            failed(exc)

        self.tasks.run_db(lambda: work(report, event.is_set), finished, stopped)

    def cancel(self) -> None:
        """Ask the running job to stop at its next check."""
        self._event.set()
        self.say(self.tr("正在取消…"))

    def say(self, text: str, tone: str = "") -> None:
        """Show ``text`` in the status line; ``tone`` ``error`` (red), ``done`` (green) or plain."""
        self.status.setStyleSheet({"error": ERROR_STYLE, "done": DONE_STYLE}.get(tone, ""))
        self.status.setText(text)

    def _show_progress(self, done: int, total: int) -> None:
        if self.running:  # a report that arrives after the end changes nothing
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

    def _stop(self, *, full: bool) -> None:
        self.running = False
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if full else 0)
        self.cancel_button.setEnabled(False)
        self.busy_changed.emit(False)
