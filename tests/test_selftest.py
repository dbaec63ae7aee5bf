"""``homevisit --self-test``: every check passes on a good installation, and a broken one says why."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import selftest
from app.selftest import SelfTestFailure, SelfTestResult, missing_after_upgrade, self_test, table_rows
from app.store.migrations import LATEST

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "store" / "fixtures" / "homevisit-schema-v1.db"


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (selftest.check_database, f"upgrade v1->v{LATEST} with backup, nothing lost"),
        (selftest.check_record, "record written, read and found (FTS5), plain and SQLCipher"),
        (selftest.check_forms, "forms"),
        (selftest.check_certificate, "certificate PDF"),
    ],
)
def test_each_check_passes_here(tmp_path, check, expected):
    assert expected in check(tmp_path)


def test_database_check_upgrades_the_released_v1_fixture(tmp_path, monkeypatch):
    monkeypatch.setenv(selftest.OLD_DB_ENV, str(FIXTURE))
    assert f"upgrade v1->v{LATEST} with backup, nothing lost" in selftest.check_database(tmp_path)


def test_qt_check_builds_the_main_window(tmp_path, qapp):
    assert selftest.check_qt(tmp_path).startswith("Qt offscreen main window (fusion)")


def test_command_prints_one_ok_line_and_exits_0(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HOMEVISIT_")},
        "HOME": str(tmp_path),
        "HOMEVISIT_SELFTEST_REPORT": str(tmp_path / "r.txt"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("HomeVisit self-test OK: ")
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").strip() == lines[0]
    assert not (tmp_path / ".local" / "share" / "HomeVisit").exists()  # the user's data folder is never made


def test_a_failing_check_stops_the_run_and_names_the_reason(tmp_path):
    calls = []

    def good(_tmp):
        calls.append("good")
        return "fine"

    def broken(_tmp):
        raise SelfTestFailure("找不到验收单字体文件")

    def never(_tmp):
        calls.append("never")
        return "x"

    result = self_test([("first", good), ("fonts", broken), ("last", never)])
    assert not result.ok and calls == ["good"]
    assert result.summary() == "HomeVisit self-test FAILED: fonts: SelfTestFailure: 找不到验收单字体文件"


def test_exit_code_is_1_on_failure(monkeypatch, capsys):
    monkeypatch.setattr(
        selftest, "self_test", lambda: SelfTestResult(failed="qt", reason="no platform plugin")
    )
    assert selftest.run_self_test() == 1
    assert capsys.readouterr().out.strip() == "HomeVisit self-test FAILED: qt: no platform plugin"


def test_without_stdout_the_line_goes_to_a_file(monkeypatch, tmp_path):
    """A windowed Windows build has no standard output."""
    monkeypatch.delenv(selftest.REPORT_ENV, raising=False)
    monkeypatch.setattr(selftest.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(selftest, "self_test", lambda: SelfTestResult(notes=["a", "b"], seconds=0.5))
    monkeypatch.setattr(sys, "stdout", None)
    assert selftest.run_self_test() == 0
    assert (tmp_path / "homevisit-selftest.txt").read_text(
        encoding="utf-8"
    ) == "HomeVisit self-test OK: a; b (0.5 s)\n"


def _db(path, rows):
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id TEXT, v TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
    return path


@pytest.mark.parametrize(
    ("new_rows", "lost"),
    [
        ([("1", "a"), ("2", "b")], []),
        ([("1", "a"), ("2", "b"), ("3", "c")], []),
        ([("1", "a")], ["row t ('2', 'b')"]),
        ([("1", "a"), ("2", "B")], ["row t ('2', 'b')"]),
    ],
)
def test_missing_after_upgrade_finds_lost_or_changed_rows(tmp_path, new_rows, lost):
    old = _db(tmp_path / "old.db", [("1", "a"), ("2", "b")])
    new = _db(tmp_path / "new.db", new_rows)
    assert missing_after_upgrade(old, new) == lost
    assert table_rows(old) == {"t": [("1", "a"), ("2", "b")]}
