"""The SIGKILL draft test on the encrypted store: a process filling a visit on a SQLCipher profile is
killed mid-form; every acknowledged answer is there when the profile is opened again with the password."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KILL_AFTER = 8
ANSWERS = [
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
]


def child(home: str) -> None:
    from app.services import profile
    from app.services.registry import RegistryService
    from app.services.visits import VisitService
    from tests.helpers.profiles import household_data, person_data

    store, _ = profile.open_profile(Path(home), "zhangli", "demo1234")
    assert store.encrypted
    registry = RegistryService(store)
    household = registry.save_household("zhangli", household_data())
    person = registry.save_person("zhangli", household.id, person_data())
    visits = VisitService(store)
    visit = visits.start_visit("zhangli", household.id, person.id, ["needs_assessment"])
    response = visits.responses(visit.id)[0]
    print("VISIT", visit.id, response.id, flush=True)
    for key, value in ANSWERS:
        visits.save_answer("zhangli", response.id, key, value)
        print("SAVED", json.dumps([key, value], ensure_ascii=False), flush=True)
    signal.pause()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_answers_survive_sigkill_on_the_encrypted_store(tmp_path):
    from app.services import profile

    home = tmp_path / "profile"
    store, _ = profile.create_standalone(home, "zhangli", "demo1234")
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.test_draft_survives_sigkill_encrypted", str(home)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged: dict[str, object] = {}
    response_id = visit_id = ""
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("VISIT"):
                _, visit_id, response_id = line.split()
            elif line.startswith("SAVED"):
                key, value = json.loads(line[6:])
                acknowledged[key] = value
                if len(acknowledged) == KILL_AFTER:
                    break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL and len(acknowledged) == KILL_AFTER

    from app.services.visits import VisitService
    from app.store.models import FormResponse

    assert (home / "homevisit.db-wal").exists()  # killed: the WAL was never checkpointed
    assert "王建国".encode() not in (home / "homevisit.db-wal").read_bytes()
    store, _ = profile.open_profile(home, "zhangli", "demo1234")
    try:
        with store.session() as s:
            saved = s.get(FormResponse, response_id).answers
        for key, value in acknowledged.items():
            assert saved.get(key) == value, f"{key} lost"
        assert [d.visit.id for d in VisitService(store).unfinished_drafts("zhangli")] == [visit_id]
    finally:
        store.close()


if __name__ == "__main__":
    child(sys.argv[1])
