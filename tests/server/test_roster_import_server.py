"""``homevisit-server import-roster``: the same checks as the laptop, records that reach laptops at sync."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from app.domain.roster.sample import sample_rows, write_sample
from app.store.models import Household, Person
from server.cli import main
from server.models import AuditLog, ChangeHistory
from server.roster_import import import_roster


def test_imported_rows_reach_a_laptop_at_its_next_sync_and_again_changes_nothing(
    laptop, live_server, tmp_path
):
    rows = sample_rows(8, seed=11, regions=["330802"])
    rows[0][2] = rows[0][2][:17] + ("0" if rows[0][2][17] != "0" else "1")  # bad check digit
    path = write_sample(tmp_path / "r.xlsx", rows)
    check, imported = import_roster(live_server.engine, path, region="330802")
    assert {e.row for e in check.errors} == {2}
    assert imported == len(rows) - 1
    with Session(live_server.engine) as s:
        history = s.exec(select(ChangeHistory).where(ChangeHistory.tbl == "person")).all()
        assert {h.row_id for h in history if h.field == "id_number"} and all(
            h.action == "create" for h in history
        )
        assert len({h.row_id for h in history}) == imported
        [entry] = s.exec(select(AuditLog).where(AuditLog.action == "import_roster")).all()
        assert entry.target == "r.xlsx" and entry.detail["persons"] == imported
    a = laptop("a")
    assert a.sync().rejected == 0
    with a.store.session() as s:
        persons = s.exec(select(Person)).all()
        assert sorted(p.id_number for p in persons) == sorted(r[2] for r in rows[1:])
        assert all(p.name_initials and p.category and p.level for p in persons)
        assert len(s.exec(select(Household)).all()) == len({(r[7], r[10]) for r in rows[1:]})
    again, imported = import_roster(live_server.engine, path, region="330802")
    assert imported == 0 and len(again.already_registered) == len(rows) - 1
    assert a.sync().pulled_rows == 0


def test_outside_the_region_is_an_error(live_server, tmp_path):
    path = write_sample(tmp_path / "r.csv", sample_rows(3, seed=2, regions=["330803"]))
    check, imported = import_roster(live_server.engine, path, region="330802")
    assert imported == 0 and all("不在本次导入的区划范围" in e.reason for e in check.errors)


def test_command_exit_codes_and_report(tmp_path, capsys):
    data = ["--data-dir", str(tmp_path / "srv")]
    clean = write_sample(tmp_path / "clean.csv", sample_rows(3, seed=1, regions=["330802"]), encoding="gbk")
    report = tmp_path / "report.json"
    assert (
        main(["import-roster", str(clean), "--region", "330802", "--dry-run", "--report", str(report), *data])
        == 0
    )
    assert json.loads(report.read_text("utf-8"))["imported"] == 0
    assert main(["import-roster", str(clean), "--region", "330802", "--report", str(report), *data]) == 0
    assert json.loads(report.read_text("utf-8"))["imported"] >= 3
    bad = sample_rows(2, seed=3, regions=["330802"])
    bad[0][1] = ""
    assert (
        main(["import-roster", str(write_sample(tmp_path / "bad.csv", bad)), "--region", "330802", *data])
        == 3
    )
    capsys.readouterr()
    assert main(["import-roster", str(clean), "--region", "99", *data]) == 2
    assert main(["import-roster", str(tmp_path / "none.csv"), "--region", "330802", *data]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("错误：") for line in err)
