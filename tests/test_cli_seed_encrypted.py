"""``homevisit seed --home DIR`` on an encrypted profile: unlocked by --user/--password-file, or one Chinese line."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.cli import main
from app.services import profile


@pytest.fixture
def encrypted_home(tmp_path, monkeypatch):
    monkeypatch.delenv("HOMEVISIT_USER", raising=False)
    monkeypatch.delenv("HOMEVISIT_PASSWORD", raising=False)
    home = tmp_path / "p"
    store, _user = profile.create_standalone(home, "admin", "secret123")
    store.close()
    return home


def _households(home) -> int:
    store, _ = profile.open_profile(home, "admin", "secret123")
    try:
        with store.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM household")).scalar_one())
    finally:
        store.close()


def test_without_a_password_it_says_what_to_do_in_one_line(encrypted_home, capsys):
    assert main(["seed", "--home", str(encrypted_home), "--households", "2"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "加密" in line and "--password-file" in line and "HOMEVISIT_PASSWORD" in line
    assert _households(encrypted_home) == 0


def test_a_password_file_unlocks_and_seeds(encrypted_home, tmp_path, capsys):
    secret = tmp_path / "pw.txt"
    secret.write_text("secret123\n", encoding="utf-8")
    args = ["seed", "--home", str(encrypted_home), "--households", "2", "--user", "admin"]
    assert main([*args, "--password-file", str(secret)]) == 0
    assert _households(encrypted_home) == 2


@pytest.mark.parametrize("content", ["wrong-one\n", None])
def test_a_wrong_or_missing_password_file_is_one_line_and_nothing_seeded(
    encrypted_home, tmp_path, capsys, content
):
    secret = tmp_path / "pw.txt"
    if content is not None:
        secret.write_text(content, encoding="utf-8")
    args = ["seed", "--home", str(encrypted_home), "--households", "2", "--user", "admin"]
    assert main([*args, "--password-file", str(secret)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert ("密码" in line) and line.startswith("homevisit：")
    assert _households(encrypted_home) == 0
