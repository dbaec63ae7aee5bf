"""The shared busy state of the ledger screen and the roster import: progress, status line, cancel."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from app.ui.tasks import TaskRunner
from app.ui.widgets.job import DONE_STYLE, ERROR_STYLE, CancellableJob


class Stopped(ValueError):
    pass


@pytest.fixture
def job(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    tasks = TaskRunner()
    yield CancellableJob(tasks, host)
    tasks.wait()


def test_progress_runs_and_ends_full(qtbot, job):
    release = threading.Event()
    seen: list[object] = []
    busy: list[bool] = []
    job.busy_changed.connect(busy.append)

    def work(progress, cancelled):
        progress(3, 10)
        release.wait(5)
        return "result"

    job.start("正在导出…", work, seen.append, seen.append)
    assert job.running and job.cancel_button.isEnabled() and job.status.text() == "正在导出…"
    assert job.progress.maximum() == 0  # busy until the first report
    qtbot.waitUntil(lambda: job.progress.maximum() == 10 and job.progress.value() == 3)
    release.set()
    qtbot.waitUntil(lambda: seen == ["result"])
    assert not job.running and not job.cancel_button.isEnabled()
    assert job.progress.value() == job.progress.maximum() == 1
    assert busy == [True, False]
    job.moved.emit(5, 10)  # a report that arrives after the end
    assert job.progress.value() == 1


def test_cancel_reaches_the_work_and_the_next_job_starts_clean(qtbot, job):
    started, outcome = threading.Event(), []

    def work(progress, cancelled):
        started.set()
        for _ in range(500):
            if cancelled():
                raise Stopped("已取消")
            threading.Event().wait(0.01)
        return "finished"

    job.start("正在检查…", work, outcome.append, outcome.append)
    started.wait(5)
    job.cancel_button.click()
    assert job.status.text() == "正在取消…"
    qtbot.waitUntil(lambda: len(outcome) == 1)
    assert isinstance(outcome[0], Stopped) and job.progress.value() == 0 and not job.running

    flags: list[bool] = []
    job.start("再来", lambda progress, cancelled: flags.append(cancelled()), outcome.append, outcome.append)
    qtbot.waitUntil(lambda: len(outcome) == 2)
    assert flags == [False]  # the earlier cancel does not carry over


def test_say_tones(job):
    job.say("出错了", "error")
    assert job.status.styleSheet() == ERROR_STYLE and job.status.text() == "出错了"
    job.say("完成", "done")
    assert job.status.styleSheet() == DONE_STYLE
    job.say("普通")
    assert job.status.styleSheet() == ""
