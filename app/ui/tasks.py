"""Run core functions off the GUI thread and deliver results back on it.

After Picard's ``run_task`` and Anki's ``QueryOp``: a worker runs a plain
Python callable; its result or exception comes back through a signal, so no
widget is ever touched inside a worker. Database work and network work get a
pool each, so a slow sync never holds up a search. Tests may call
``TaskRunner.set_immediate(True)`` to run tasks at once on the calling thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


def is_refusal(exc: BaseException) -> bool:
    """A refusal the caller shows to the user (an incomplete visit, a wrong value), not a fault.

    The services' named errors derive from ``ValueError`` and carry a Chinese message
    (``VisitIncomplete``, ``AnswerError``, ``ValidationFailed``, ``SyncError``…); they are
    results, logged as one line. A bare ``ValueError`` or anything else is a bug: traceback.
    """
    return isinstance(exc, ValueError) and type(exc) is not ValueError


class _Relay(QObject):
    finished = Signal(object, object)  # result, error


class _Job(QRunnable):
    def __init__(self, func: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.func = func
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.func()
        except BaseException as exc:
            if is_refusal(exc):
                # The name and reason code only: a refusal's message may quote a name or an ID number.
                log.info("background task refused: %s %s", type(exc).__name__, getattr(exc, "reason", ""))
            else:
                log.exception("background task failed")
            self.relay.finished.emit(None, exc)
        else:
            self.relay.finished.emit(result, None)


class TaskRunner(QObject):
    """Two single-purpose pools: ``db`` (one worker, keeps writes in order) and ``net``."""

    _immediate = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_pool = QThreadPool(self)
        self.db_pool.setMaxThreadCount(1)
        self.net_pool = QThreadPool(self)
        self.net_pool.setMaxThreadCount(2)
        self._relays: set[_Relay] = set()

    @classmethod
    def set_immediate(cls, immediate: bool) -> None:
        cls._immediate = immediate

    def run_db(
        self,
        func: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._start(self.db_pool, func, on_done, on_error)

    def run_net(
        self,
        func: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._start(self.net_pool, func, on_done, on_error)

    def wait(self) -> None:
        """Block until both pools are idle (shutdown and tests)."""
        self.db_pool.waitForDone()
        self.net_pool.waitForDone()

    def _start(
        self,
        pool: QThreadPool,
        func: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        def deliver(result: Any, error: BaseException | None) -> None:
            self._relays.discard(relay)
            if error is None:
                on_done(result)
            elif on_error is not None:
                on_error(error)
            else:
                log.error("unhandled background error: %s", error)

        if self._immediate:
            try:
                result = func()
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(exc)
            else:
                on_done(result)
            return
        relay = _Relay()
        relay.finished.connect(deliver)
        self._relays.add(relay)  # keep the relay alive until it has delivered
        pool.start(_Job(func, relay))
