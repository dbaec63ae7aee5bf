"""``homevisit --self-test --home DIR`` looks at the real profile: key file, encryption, integrity."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.services import profile

ROOT = Path(__file__).resolve().parents[1]


def self_test(home, **env):
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--self-test", "--home", str(home)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "p"
    store, _ = profile.create_standalone(home, "admin", "secret123")
    store.close()
    return home


def test_healthy_profile_with_password_is_checked_inside(home):
    run = self_test(home, HOMEVISIT_USER="admin", HOMEVISIT_PASSWORD="secret123")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "key opens" in run.stdout and "cipher_integrity_check ok" in run.stdout


def test_without_password_the_outside_is_checked(home):
    run = self_test(home)
    assert run.returncode == 0 and "database encrypted" in run.stdout


@pytest.mark.parametrize(
    ("damage", "reason"),
    [("keys", "keys.json"), ("empty", "空的"), ("password", "密码不对"), ("half", "不完整")],
)
def test_broken_profiles_fail_with_the_reason(home, damage, reason):
    db = home / "homevisit.db"
    env = {"HOMEVISIT_USER": "admin", "HOMEVISIT_PASSWORD": "secret123"}
    if damage == "keys":
        os.unlink(home / "keys.json")
    elif damage == "empty":
        db.write_bytes(b"")
    elif damage == "password":
        env["HOMEVISIT_PASSWORD"] = "wrong-one"
    else:
        db.write_bytes(db.read_bytes()[: 4096 * 2])
    run = self_test(home, **env)
    assert run.returncode == 1 and "FAILED" in run.stdout and reason in run.stdout, run.stdout


def test_commands_open_an_encrypted_profile_only_with_a_password(home, tmp_path):
    out = tmp_path / "persons.xlsx"
    args = [sys.executable, "-m", "app.cli", "ledger", "export", "--home", str(home), "--kind", "persons"]
    base = {**os.environ, "PYTHONPATH": str(ROOT)}
    base.pop("HOMEVISIT_PASSWORD", None)
    refused = subprocess.run(
        [*args, "--out", str(out)],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert refused.returncode == 2 and "HOMEVISIT_PASSWORD" in refused.stderr and not out.exists()
    done = subprocess.run(
        [*args, "--out", str(out)],
        cwd=ROOT,
        env={**base, "HOMEVISIT_USER": "admin", "HOMEVISIT_PASSWORD": "secret123"},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert out.is_file()
