"""Never lose input: a process filling a visit is SIGKILLed; every acknowledged answer survives.

The child fills answers through ``VisitService.save_answer`` — the call the
visit window's saver makes on the database worker — and prints ``SAVED key``
after each returns. The parent kills it mid-form with SIGKILL (no clean-up,
no atexit), reopens the profile and checks every acknowledged answer is in
SQLite and the draft is offered for resumption. The same run on a SQLCipher profile
also checks that the un-checkpointed WAL holds no answer in clear.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KILL_AFTER = {False: 12, True: 8}  # answers acknowledged before the kill, plain / encrypted
PASSWORD = "demo1234"


def _open(home: Path, encrypted: bool):
    from app.services import profile
    from app.store.store import Store

    if encrypted:
        store, _ = profile.open_profile(home, "zhangli", PASSWORD)
        assert store.encrypted
        return store
    return Store(home)


def child(home: str, encrypted: bool) -> None:
    """Start a visit and answer questions until killed, reporting each saved answer."""
    from app.services.registry import RegistryService
    from app.services.visits import VisitService
    from tests.helpers.profiles import household_data, person_data

    store = _open(Path(home), encrypted)
    registry = RegistryService(store)
    household = registry.save_household("zhangli", household_data())
    person = registry.save_person("zhangli", household.id, person_data())
    visits = VisitService(store)
    visit = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    response = visits.responses(visit.id)[0]
    print("VISIT", visit.id, response.id, flush=True)
    answers = [
        ("contact_name", "王建国"),
        ("contact_phone", "13905701234"),
        ("marital_status", "married"),
        ("in_institution", False),
        ("household_size", 3),
        ("per_capita_income", 8000.5),
        ("is_rural", True),
        ("rural_dangerous_house", False),
        ("housing_status", "own"),
        ("education_level", "primary"),
        ("family_doctor", True),
        ("rehab_received", False),
        ("accessibility_done", False),
        ("accessibility_needed", False),
        ("sport", True),
        ("informant", "王建国"),
    ]
    for key, value in answers:
        visits.save_answer("zhangli", response.id, key, value)
        print("SAVED", json.dumps([key, value], ensure_ascii=False), flush=True)
    signal.pause()  # the form is not finished: wait to be killed


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_answers_survive_sigkill(tmp_path, encrypted):
    from app.services import profile

    home = tmp_path / "profile"
    if encrypted:
        store, _ = profile.create_standalone(home, "zhangli", PASSWORD)
        store.close()
    kill_after = KILL_AFTER[encrypted]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.test_draft_survives_sigkill", str(home), str(int(encrypted))],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged: dict[str, object] = {}
    visit_id = response_id = ""
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("VISIT"):
                _, visit_id, response_id = line.split()
            elif line.startswith("SAVED"):
                key, value = json.loads(line[6:])
                acknowledged[key] = value
                if len(acknowledged) == kill_after:
                    break  # the child is writing the next answer right now
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert visit_id and len(acknowledged) == kill_after

    from app.services.visits import VisitService
    from app.store.models import FormResponse

    if encrypted:
        assert (home / "homevisit.db-wal").exists()  # killed: the WAL was never checkpointed
        assert "王建国".encode() not in (home / "homevisit.db-wal").read_bytes()
    store = _open(home, encrypted)
    try:
        with store.session() as s:
            saved = s.get(FormResponse, response_id).answers
        for key, value in acknowledged.items():
            assert saved.get(key) == value, f"{key} lost"
        drafts = VisitService(store).unfinished_drafts("zhangli")
        assert [d.visit.id for d in drafts] == [visit_id]
    finally:
        store.close()


if __name__ == "__main__":
    child(sys.argv[1], sys.argv[2] == "1")
