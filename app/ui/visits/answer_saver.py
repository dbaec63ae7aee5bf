"""Sends every edit of an open visit to ``VisitService`` on the database worker, in order.

The database pool has one worker, so saves land in the order they were made.
The service normalises the answer and runs the calculations once; its
``SaveResult`` goes back to the caller, which shows exactly what was stored.
The window shows "正在保存…" while any are in flight and the error of any that
failed (a save never fails silently).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.services.attachments import AttachmentService
from app.services.visits import SaveResult, VisitService
from app.ui.context import AppContext


class AnswerSaver(QObject):
    """Queues answer writes and attachment stores for one visit window."""

    failed = Signal(str, str)  # key, Chinese message
    pending_changed = Signal(int)

    def __init__(self, ctx: AppContext, service: VisitService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = service
        self.attachments = AttachmentService(ctx.store)
        self.pending = 0

    def _run(
        self,
        key: str,
        func: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
    ) -> None:
        self.pending += 1
        self.pending_changed.emit(self.pending)

        def done(result: Any) -> None:
            self._finish()
            if on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            self._finish()
            message = getattr(error, "message", None) or str(error)
            if on_failed is not None:
                on_failed(message)
            self.failed.emit(key, message)

        self.ctx.tasks.run_db(func, done, failed)

    def _finish(self) -> None:
        self.pending -= 1
        self.pending_changed.emit(self.pending)

    def save(
        self,
        response_id: str,
        key: str,
        value: object,
        on_done: Callable[[SaveResult], None],
        on_failed: Callable[[str], None],
    ) -> None:
        """Store one answer; ``on_done`` gets what was stored, ``on_failed`` the reason it was not."""
        actor = self.ctx.actor
        self._run(key, lambda: self.service.save_answer(actor, response_id, key, value), on_done, on_failed)

    def add_entry(self, response_id: str, repeat_id: str, on_done: Callable[[SaveResult], None]) -> None:
        actor = self.ctx.actor
        self._run(repeat_id, lambda: self.service.add_repeat_entry(actor, response_id, repeat_id), on_done)

    def remove_entry(
        self, response_id: str, repeat_id: str, entry_id: str, on_done: Callable[[SaveResult], None]
    ) -> None:
        actor = self.ctx.actor
        self._run(
            repeat_id,
            lambda: self.service.remove_repeat_entry(actor, response_id, repeat_id, entry_id),
            on_done,
        )

    def restore_entry(
        self,
        response_id: str,
        repeat_id: str,
        entry_id: str,
        index: int,
        answers: dict[str, object],
        on_done: Callable[[SaveResult], None],
    ) -> None:
        """Undo a removal: the entry back in its place with its answers."""
        actor = self.ctx.actor
        self._run(
            repeat_id,
            lambda: self.service.restore_repeat_entry(
                actor, response_id, repeat_id, entry_id, index, answers
            ),
            on_done,
        )

    def store_photos(
        self, response_id: str, key: str, paths: list[str], on_done: Callable[[list[str]], None]
    ) -> None:
        actor = self.ctx.actor

        def work() -> list[str]:
            shas = []
            for path in paths:
                stored = self.attachments.add_photo(actor, "formresponse", response_id, "photo", Path(path))
                self.attachments.thumbnail_data(stored.sha256)
                shas.append(stored.sha256)
            return shas

        self._run(key, work, on_done)

    def store_signature(self, response_id: str, key: str, png: bytes, on_done: Callable[[str], None]) -> None:
        actor = self.ctx.actor

        def work() -> str:
            stored = self.attachments.add_signature(actor, "formresponse", response_id, "signature", png)
            self.attachments.thumbnail_data(stored.sha256)
            return stored.sha256

        self._run(key, work, on_done)

    def thumbnails(
        self, shas: list[str], on_done: Callable[[dict[str, str]], None], side: int | None = None
    ) -> None:
        """Thumbnail bytes of stored images (made in the worker when missing); ``side`` in px."""

        def work() -> dict[str, str]:
            out = {}
            for sha in shas:
                try:
                    data = (
                        self.attachments.thumbnail_data(sha, side)
                        if side
                        else self.attachments.thumbnail_data(sha)
                    )
                    out[sha] = data  # type: ignore[assignment]
                except (OSError, ValueError):
                    out[sha] = ""  # not downloaded yet: the strip says so
            return out

        self.ctx.tasks.run_db(work, on_done, lambda _e: None)

    def image(self, sha: str, side: int, on_done: Callable[[bytes], None]) -> None:
        """A stored picture at up to ``side`` px for the photo viewer (b"" when not downloaded)."""

        def work() -> bytes:
            try:
                return self.attachments.thumbnail_data(sha, side)
            except (OSError, ValueError):
                return b""

        self.ctx.tasks.run_db(work, on_done, lambda _e: on_done(b""))
