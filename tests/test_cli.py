"""Issue 15 finding 11: the command line's bad arguments and its help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import _parser, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("households", ["-5", "0", "五"])
def test_bad_household_count_is_one_chinese_line_exit_2_and_nothing_made(tmp_path, capsys, households):
    home = tmp_path / "profile"
    with pytest.raises(SystemExit) as exit_:
        main(["seed", "--home", str(home), "--households", households])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "households" in err[0] and ("整数" in err[0])
    assert not home.exists()


def test_missing_argument_is_said_in_chinese(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["seed", "--households", "3"])
    assert exit_.value.code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "缺少参数" in line and "--home" in line


def test_every_option_has_help_and_a_plain_metavar():
    def walk(parser):
        yield parser
        for action in parser._actions:
            if hasattr(action, "choices") and isinstance(action.choices, dict):
                for sub in action.choices.values():
                    yield from walk(sub)

    for parser in walk(_parser()):
        for action in parser._actions:
            if not action.option_strings or action.dest == "help":
                continue
            assert action.help, f"{parser.prog} {action.option_strings} has no help"
            if action.nargs != 0:
                assert action.metavar is None or action.metavar.isupper(), action.metavar
                assert action.metavar not in {
                    "SEED_HOME",
                    "CERT_HOME",
                    "LEDGER_HOME",
                    "LEDGER_OUT",
                    "DEMO_HOME",
                }
    text = subprocess.run(
        [sys.executable, "-m", "app.cli", "seed", "--help"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert "--home DIR" in text and "--households N" in text and "SEED_HOME" not in text


def test_self_test_on_a_missing_profile_says_so(tmp_path, capsys):
    assert main(["--self-test", "--home", str(tmp_path / "nowhere")]) == 2
    assert "没有 HomeVisit 档案" in capsys.readouterr().err
