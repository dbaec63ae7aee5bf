"""Issue 15 item 10: INFO (migrations…) goes to the profile's log file, not the terminal, and
the file holds no personal data."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from app import logs
from app.store.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in root.handlers:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


def test_migrations_go_to_the_log_file_not_the_terminal(tmp_path, capfd, root_logging):
    home = tmp_path / "profile"
    logs.configure_console()
    path = logs.configure_file(home)
    Store(home).close()
    assert path == home / "logs" / "homevisit.log"
    assert "migrating database" in path.read_text(encoding="utf-8")
    out, err = capfd.readouterr()
    assert "migrating" not in err + out
    logging.getLogger("app.test").warning("something to look at")
    assert "something to look at" in capfd.readouterr().err  # warnings still reach the terminal


def test_the_log_file_holds_no_personal_data(tmp_path, root_logging):
    path = logs.configure_file(tmp_path)
    log = logging.getLogger("app.test")
    log.info("refused: 该身份证号已登记为“王芳”，请勿重复登记 330802195001011234")
    try:
        raise ValueError("phone 13905701234 of '张三丰'")
    except ValueError:
        log.exception("failed")
    text = path.read_text(encoding="utf-8")
    for secret in ("王芳", "330802195001011234", "13905701234", "张三丰"):
        assert secret not in text
    assert "refused: 该身份证号已登记为“…”" in text and "Traceback" in text


def test_the_file_rotates(tmp_path, root_logging):
    path = logs.configure_file(tmp_path)
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "baseFilename", "") == str(path))
    assert handler.maxBytes == logs.MAX_BYTES and handler.backupCount == logs.BACKUPS


def test_a_command_prints_no_info_lines(tmp_path):
    home = tmp_path / "p"
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "seed", "--home", str(home), "--households", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert " INFO " not in result.stderr and "migrating" not in result.stderr
