"""Runs one sync in a thread and reports progress by signals; ``cancel()`` stops it between steps."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from app.services.sync import SyncReport


class SyncWorker(QThread):
    """``run_sync(progress, cancelled)`` is the plain core call; nothing here touches a widget."""

    progress = Signal(str, int, int)  # stage, done, total
    succeeded = Signal(object)  # SyncReport
    failed = Signal(object)  # exception

    def __init__(self, run_sync: Callable[..., SyncReport]) -> None:
        super().__init__()
        self._run_sync = run_sync
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            report = self._run_sync(
                progress=lambda stage, done, total: self.progress.emit(stage, done, total),
                cancelled=self._cancel.is_set,
            )
        except Exception as exc:
            self.failed.emit(exc)
        else:
            self.succeeded.emit(report)
