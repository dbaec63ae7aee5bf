"""First-run enrolment talks to the server off the GUI thread, against a real server (issue 13)."""

from __future__ import annotations

import threading

from app.services import profile
from app.ui.first_run import FirstRunDialog


def test_enrolment_runs_in_the_network_pool_and_the_dialog_waits(qtbot, live_server, tmp_path, monkeypatch):
    live_server.create_user("zhangli", "secret123", regions=("330802",))
    threads: list[bool] = []
    real = profile.enrol_with_server

    def watched(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(profile, "enrol_with_server", watched)  # the real call, only watched for its thread
    dialog = FirstRunDialog(tmp_path / "new", server_url=live_server.url)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.server_user, "zhangli")
    qtbot.keyClicks(dialog.server_password, "secret123")
    rejected: list[int] = []
    dialog.rejected.connect(lambda: rejected.append(1))
    with qtbot.wait_signal(dialog.finished_enrolment, timeout=30000):
        dialog.create()
        assert dialog.enrolling and not dialog.start_button.isEnabled()  # returned at once, waiting
        dialog.reject()  # cancel is held back while the enrolment is under way
        assert rejected == []
    assert threads == [False]
    assert dialog.opened is not None and dialog.opened[1].username == "zhangli"
    dialog.opened[0].close()
