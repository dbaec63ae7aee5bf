"""``homevisit-server`` set-up commands, and seeded data arriving on a laptop intact."""

from __future__ import annotations

import json

from sqlmodel import select

from app.store.models import FormResponse, Household, Person, Visit
from server.cli import main
from server.seed import seed


def test_create_user_and_seed_commands(tmp_path, capsys):
    args = ["--data-dir", str(tmp_path)]
    assert (
        main(
            [
                "create-user",
                "alice",
                "--password",
                "secret123",
                "--role",
                "worker",
                "--region",
                "330802000000",
                *args,
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["regions"] == ["330802"]
    assert main(["create-user", "alice", "--password", "secret123", *args]) == 2
    assert main(["seed", "--households", "3", "--seed", "1", *args]) == 0
    counts = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (
        counts["household"] == 3
        and counts["person"] >= 3
        and 3 * counts["visit"] >= counts["formresponse"] >= counts["visit"] >= 3
    )


def test_seeded_records_pull_into_a_laptop(laptop, live_server):
    counts = seed(live_server.engine, 6, 7, ["330802"])
    a = laptop("a")
    report = a.sync()
    assert report.rejected == 0 and report.pulled_rows == sum(counts.values())
    with a.store.session() as s:
        assert len(s.exec(select(Household)).all()) == 6
        persons = s.exec(select(Person)).all()
        assert all(p.name_initials and len(p.id_number) == 18 for p in persons)
        assert len(s.exec(select(Visit)).all()) == counts["visit"]
        responses = s.exec(select(FormResponse)).all()
        assessments = [r.answers for r in responses if r.form_id == "needs_assessment"]
        # One needs assessment per visit, answered per question with the person's own facts.
        assert len(assessments) == counts["visit"]
        assert all(a["name"] and a["gender"] in ("M", "F") and isinstance(a["age"], int) for a in assessments)
        assert all(len(a) >= 20 for a in assessments)
