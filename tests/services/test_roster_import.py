"""Roster import on the laptop: clean rows only, households, idempotent, synced, cancel, the command line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from app.cli import main
from app.domain.roster.mapping import RosterField
from app.domain.roster.sample import sample_rows, write_sample
from app.domain.roster.validate import RosterCancelled
from app.services.registry import RegistryService
from app.services.roster_import import (
    check_roster_file,
    import_checked,
    open_roster,
    remember_mapping,
)
from app.services.settings import Settings
from app.store.store import Store
from tests.helpers.profiles import household_data, person_data
from tests.services.test_roster_domain import ROSTER_HEADERS, planted_roster


def count(store: Store, sql: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def write_planted(tmp_path, encoding="gbk"):
    rows, planted = planted_roster()
    path = tmp_path / "花名册.csv"
    path.write_bytes("\n".join(",".join(r) for r in [ROSTER_HEADERS, *rows]).encode(encoding))
    return path, rows, planted


def test_only_clean_rows_are_imported_as_households_that_sync(store, tmp_path):
    RegistryService(store).save_household("w", household_data())  # unrelated, must stay alone
    path, rows, planted = write_planted(tmp_path)
    # The planted "registered under another name" row needs that person in the registry.
    sun = rows[-1][1]
    h = RegistryService(store).save_household("w", household_data(address="别处1号"))
    RegistryService(store).save_person("w", h.id, person_data(name="孙对", id_number=sun, cert_number=""))
    table, mapping = open_roster(store.home, path)
    check = check_roster_file(store, table, mapping)
    assert check.bad_rows == set(planted)
    before = count(store, "SELECT count(*) FROM person")
    changes_before = count(store, "SELECT count(*) FROM change")
    result = import_checked(store, check, actor="w", source=str(path))
    assert (result.persons, result.households) == (2, 1)
    assert count(store, "SELECT count(*) FROM person") == before + 2
    with store.engine.connect() as conn:
        people = conn.execute(
            text(
                "SELECT p.name, p.relation, p.category, p.level, p.gender, p.birth_date, p.name_initials,"
                " h.head_name, h.address, h.economic_status FROM person p JOIN household h"
                " ON h.id = p.household_id WHERE p.name IN ('王建国', '李芳') ORDER BY p.name"
            )
        ).all()
    assert [tuple(p) for p in people] == [
        ("李芳", "配偶", "1", "1", "F", "1982-02-02", "lf", "王建国", "幸福路1号", "dibao"),
        ("王建国", "本人", "4", "2", "M", "1980-01-01", "wjg", "王建国", "幸福路1号", "dibao"),
    ]
    # Every field of every new row is in the change log, so the import syncs like typed rows.
    assert count(store, "SELECT count(*) FROM change") > changes_before + 2 * 10
    assert count(store, "SELECT count(*) FROM auditevent WHERE action = 'import' AND tbl = 'roster'") == 1
    # Found by search like anyone typed in.
    assert count(store, "SELECT count(*) FROM person_fts WHERE person_fts MATCH 'lifang'") == 1


def test_importing_the_same_file_again_changes_nothing(store, tmp_path):
    path = write_sample(tmp_path / "r.xlsx", sample_rows(30, seed=5))
    table, mapping = open_roster(store.home, path)
    first = import_checked(store, check_roster_file(store, table, mapping), actor="w")
    assert first.households == 30
    snapshot = [count(store, f"SELECT count(*) FROM {t}") for t in ("person", "household", "change")]
    again = check_roster_file(store, table, mapping)
    assert again.errors == [] and again.new_persons == 0
    assert len(again.already_registered) == len(table.rows)
    assert import_checked(store, again, actor="w").persons == 0
    assert [count(store, f"SELECT count(*) FROM {t}") for t in ("person", "household", "change")] == snapshot


def test_a_new_member_joins_the_household_imported_before(store, tmp_path):
    rows = sample_rows(3, seed=9)
    head = next(r for r in rows if r[11] == "本人")
    table, mapping = open_roster(store.home, write_sample(tmp_path / "a.csv", [head]))
    import_checked(store, check_roster_file(store, table, mapping), actor="w")
    from app.domain.ids import id_check_char

    first17 = "330802" + "20100101" + "777"
    child = [*head]
    child[1], child[2], child[3], child[11] = "王小宝", first17 + id_check_char(first17), "", "子女"
    table, mapping = open_roster(store.home, write_sample(tmp_path / "b.csv", [head, child]))
    check = check_roster_file(store, table, mapping)
    assert check.errors == [] and check.already_registered == [2]
    result = import_checked(store, check, actor="w")
    assert (result.persons, result.households) == (1, 0)
    assert count(store, "SELECT count(DISTINCT household_id) FROM person") == 1


def test_cancel_writes_nothing(store, tmp_path):
    table, mapping = open_roster(store.home, write_sample(tmp_path / "r.csv", sample_rows(600, seed=2)))
    check = check_roster_file(store, table, mapping)
    seen: list[tuple[int, int]] = []
    with pytest.raises(RosterCancelled):
        import_checked(
            store, check, actor="w", progress=lambda d, t: seen.append((d, t)), cancelled=lambda: bool(seen)
        )
    assert count(store, "SELECT count(*) FROM person") == 0
    assert count(store, "SELECT count(*) FROM change") == 0


def test_phone_rule_of_the_registry_applies(store, tmp_path):
    rows = sample_rows(1, seed=4)
    rows[0][8] = "12345"
    table, mapping = open_roster(store.home, write_sample(tmp_path / "r.csv", rows))
    [error] = check_roster_file(store, table, mapping).errors
    assert (error.row, error.column, error.value) == (2, "联系电话", "12345")


def test_mapping_is_remembered_in_the_profile_settings(store, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("名字,证件,住在\n", encoding="utf-8")
    table, mapping = open_roster(store.home, path)
    assert mapping.missing()
    mapping.assign(RosterField.NAME, "名字")
    mapping.assign(RosterField.ID_NUMBER, "证件")
    mapping.assign(RosterField.ADDRESS, "住在")
    remember_mapping(store.home, mapping)
    assert Settings.load(store.home).roster_mapping["证件"] == "id_number"
    _, again = open_roster(store.home, path)
    assert again.missing() == []


def test_cli_dry_run_then_import_then_again(tmp_path, capsys):
    home = tmp_path / "p"
    Store(home).close()
    path, rows, planted = write_planted(tmp_path, encoding="utf-8-sig")
    report = tmp_path / "report.json"
    assert (
        main(["roster", "import", "--home", str(home), str(path), "--dry-run", "--report", str(report)]) == 3
    )
    data = json.loads(report.read_text("utf-8"))
    assert data["rows"] == len(rows) and data["imported"] == 0
    assert {e["row"] for e in data["errors"]} == set(planted) - {len(rows) + 1}  # 孙错 is unknown here
    store = Store(home)
    assert count(store, "SELECT count(*) FROM person") == 0
    store.close()
    assert main(["roster", "import", "--home", str(home), str(path), "--report", str(report)]) == 3
    assert json.loads(report.read_text("utf-8"))["imported"] == 3
    out = capsys.readouterr().out
    assert "第4行 身份证号" in out and "已导入 3 人" in out
    clean = write_sample(tmp_path / "clean.csv", sample_rows(4, seed=1))
    assert main(["roster", "import", "--home", str(home), str(clean)]) == 0
    assert main(["roster", "import", "--home", str(home), str(clean), "--report", str(report)]) == 0
    assert json.loads(report.read_text("utf-8"))["imported"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--home", "{tmp}/none", "{tmp}/r.csv"], "没有 HomeVisit 数据"),
        (["--home", "{tmp}/p", "{tmp}/missing.csv"], "找不到文件"),
        (["--home", "{tmp}/p", "{tmp}/r.csv", "--report", "{tmp}/no/r.json"], "报告目录"),
        (["--home", "{tmp}/p", "{tmp}/bad.csv"], "请先为以下字段选择对应的列"),
    ],
)
def test_cli_bad_arguments_exit_2_with_one_chinese_line(tmp_path, capsys, args, message):
    Store(tmp_path / "p").close()
    write_sample(tmp_path / "r.csv", sample_rows(1))
    (tmp_path / "bad.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")
    argv = ["roster", "import", *(a.format(tmp=tmp_path) for a in args)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not (tmp_path / "no").exists()
