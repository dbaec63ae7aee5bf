"""Issue 15 finding 11: a refused 完成访视 (a normal validation result) is not logged as an ERROR."""

from __future__ import annotations

import logging

from app.services.visits import VisitIncomplete
from app.ui.tasks import TaskRunner


def _run(qtbot, func) -> list[logging.LogRecord]:
    runner = TaskRunner()
    errors: list[BaseException] = []
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    logger = logging.getLogger("app.ui.tasks")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        runner.run_db(func, lambda _r: None, errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    finally:
        logger.removeHandler(handler)
    return records


def test_a_refusal_is_one_info_line(qtbot):
    def refuse():
        raise VisitIncomplete([])

    records = _run(qtbot, refuse)
    assert [r.levelno for r in records] == [logging.INFO]
    assert records[0].exc_info is None


def test_a_bug_is_an_error_with_its_traceback(qtbot):
    def bug():
        raise KeyError("oops")

    records = _run(qtbot, bug)
    assert [r.levelno for r in records] == [logging.ERROR] and records[0].exc_info
