"""The unit of work: one transaction of local edits, written by ``app.store.writer.LocalEdit``.

Every insert, update and tombstone made here, in the same transaction as the
row itself, appends one ``change`` per changed field with its new clock and
the clock of the value it replaces (``base_hlc``), moves the row's field clocks
forward, and writes an audit event (all in ``app.store.writer``). Sync pushes
the change log; nothing else needs to know that sync exists.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.contract.hlc import HybridLogicalClock
from app.store.writer import LocalEdit, RowNotFound

__all__ = ["RowNotFound", "UnitOfWork"]


class UnitOfWork(LocalEdit):
    """One transaction of edits by one actor; use as a context manager.

    Leaving the block normally commits; an exception rolls everything back,
    change log included.
    """

    def __init__(
        self,
        session: Session,
        clock: HybridLogicalClock,
        actor: str,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(session, clock, actor)
        self._on_commit = on_commit

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.save_clock()
                self.session.commit()
                if self._on_commit:
                    self._on_commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
