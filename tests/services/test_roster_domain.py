"""Roster reading, column mapping and row checks (app.domain.roster), without a database."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from app.domain.enums import DisabilityCategory, DisabilityLevel, EconomicStatus
from app.domain.ids import id_check_char
from app.domain.regions import default_catalog
from app.domain.roster.mapping import RosterField, auto_map, normalise_header
from app.domain.roster.reader import UnreadableRoster, read_roster, read_roster_bytes
from app.domain.roster.sample import HEADERS, sample_rows, write_sample
from app.domain.roster.validate import MappingIncomplete, RegisteredPerson, check_roster
from app.domain.roster.values import parse_category, parse_economic_status, parse_level


def a_village() -> str:
    return default_catalog().villages_under("330802")[0].code


def an_id(born: str = "19800101", seq: str = "123") -> str:
    first17 = "330802" + born + seq
    return first17 + id_check_char(first17)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_encoding_chinese_excel_writes(tmp_path, encoding):
    rows = sample_rows(5, seed=3)
    table = read_roster(write_sample(tmp_path / "r.csv", rows, encoding=encoding))
    assert table.headers == list(HEADERS)
    assert table.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-bom", "gbk": "gbk"}[encoding]
    assert [cells for _, cells in table.rows] == rows
    assert [n for n, _ in table.rows] == list(range(2, 2 + len(rows)))


def test_xlsx_header_below_a_title_keeps_excel_row_numbers(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["柯城区残疾人花名册"])
    ws.append([])
    ws.append(["姓名", "身份证号", "现住址", "所属村(社区)"])
    ws.append(["王芳", an_id(), "幸福路1号", a_village()])
    ws.append([])
    ws.append(["李强", 330802198001011230, "幸福路2号", a_village()])  # typed as a number
    wb.save(tmp_path / "t.xlsx")
    table = read_roster(tmp_path / "t.xlsx")
    assert table.header_row == 3
    assert [n for n, _ in table.rows] == [4, 6]
    check = check_roster(table, auto_map(table.headers))
    assert [(e.row, e.column) for e in check.errors] == [(6, "身份证号")]
    assert "文本" in check.errors[0].reason


def test_unreadable_files_say_why(tmp_path):
    with pytest.raises(UnreadableRoster, match="找不到文件"):
        read_roster(tmp_path / "none.xlsx")
    with pytest.raises(UnreadableRoster, match=r"\.xls"):
        read_roster_bytes(b"x", "old.xls")
    with pytest.raises(UnreadableRoster, match="不是有效的Excel"):
        read_roster_bytes(b"not a zip", "bad.xlsx")
    with pytest.raises(UnreadableRoster, match="UTF-8"):
        read_roster_bytes(b"\xff\xfe\x00\xd8\x00\xdc\xff", "bad.csv")


def test_mapping_from_synonyms_and_remembered_choices():
    headers = [
        "序号",
        "残疾人姓名",
        "公民身份号码",
        "残疾人证号",
        "类别",
        "级别",
        "家庭住址",
        "手机号码",
        "村（社区）",
        "备注",
    ]
    m = auto_map(headers)
    assert m.header_of(RosterField.NAME) == "残疾人姓名"
    assert m.header_of(RosterField.ID_NUMBER) == "公民身份号码"
    assert m.header_of(RosterField.REGION) == "村（社区）"
    assert m.header_of(RosterField.PHONE) == "手机号码"
    assert m.field_of(headers.index("备注")) is None
    assert m.missing() == []
    m.assign(RosterField.PHONE, None)
    m.assign(RosterField.ADDRESS, "备注")
    again = auto_map(headers, m.remembered())
    assert again.column_of(RosterField.PHONE) is None
    assert again.header_of(RosterField.ADDRESS) == "备注"
    assert normalise_header(" 所属村（社区）* ") == "所属村(社区)"


def test_missing_required_column_is_refused_before_any_row():
    table = read_roster_bytes("姓名,现住址\n王芳,幸福路1号\n".encode(), "r.csv")
    with pytest.raises(MappingIncomplete, match="身份证号"):
        check_roster(table, auto_map(table.headers))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("视力残疾", "1"), ("视力", "1"), ("4", "4"), ("多重残疾", "7")],
)
def test_category_texts(text, expected):
    assert parse_category(text) is DisabilityCategory(expected)


@pytest.mark.parametrize(
    ("text", "expected"), [("一级", "1"), ("2", "2"), ("3级", "3"), ("肆级", "4"), ("未定级", "0")]
)
def test_level_texts(text, expected):
    assert parse_level(text) is DisabilityLevel(expected)


def test_economic_texts():
    assert parse_economic_status("低保户") is EconomicStatus.DIBAO
    assert parse_economic_status("") is EconomicStatus.GENERAL
    with pytest.raises(ValueError, match="家庭经济状况"):
        parse_economic_status("富裕")


def planted_roster() -> tuple[list[list[str]], dict[int, tuple[str, str]]]:
    """A clean roster with one planted error per kind; -> rows, {excel row: (column, reason part)}."""
    v = a_village()
    good = an_id("19800101", "123")
    rows = [
        # row 2: clean head; row 3: clean spouse of the same household
        ["王建国", good, good + "42", "肢体残疾", "二级", "幸福路1号", v, "王建国", "本人", "低保"],
        [
            "李芳",
            an_id("19820202", "124"),
            an_id("19820202", "124") + "11",
            "视力",
            "一级",
            "幸福路1号",
            v,
            "王建国",
            "配偶",
            "低保",
        ],
    ]
    planted: dict[int, tuple[str, str]] = {}

    def plant(row: list[str], column: str, reason: str) -> None:
        rows.append(row)
        planted[len(rows) + 1] = (column, reason)

    bad_check = an_id("19700101", "111")[:17] + ("0" if an_id("19700101", "111")[17] != "0" else "1")
    plant(["张三", bad_check, "", "", "", "幸福路2号", v, "", "本人", ""], "身份证号", "校验位")
    plant(
        ["张四", "330802" + "19800231" + "1111", "", "", "", "幸福路3号", v, "", "本人", ""],
        "身份证号",
        "不是有效日期",
    )
    plant(
        ["张五", "330802" + "20990101" + "1111", "", "", "", "幸福路4号", v, "", "本人", ""],
        "身份证号",
        "晚于今天",
    )
    other = an_id("19900101", "131")
    plant(
        ["张六", an_id("19900101", "135"), other + "42", "肢体", "二级", "幸福路5号", v, "", "本人", ""],
        "残疾证号",
        "不一致",
    )
    cid = an_id("19900101", "137")
    plant(["张七", cid, cid + "42", "视力", "二级", "幸福路6号", v, "", "本人", ""], "残疾证号", "第19位")
    lid = an_id("19900101", "139")
    plant(["张八", lid, lid + "42", "肢体", "一级", "幸福路7号", v, "", "本人", ""], "残疾证号", "第20位")
    plant(
        ["张九", an_id("19900101", "141"), "", "心理", "", "幸福路8号", v, "", "本人", ""],
        "残疾类别",
        "无法识别",
    )
    plant(
        ["张十", an_id("19900101", "143"), "", "肢体", "五级", "幸福路9号", v, "", "本人", ""],
        "残疾等级",
        "无法识别",
    )
    plant(
        ["赵一", an_id("19900101", "145"), "", "", "", "幸福路10号", "不存在的村", "", "本人", ""],
        "所属村(社区)",
        "找不到",
    )
    plant(
        ["赵二", an_id("19900101", "147"), "", "", "", "幸福路11号", "330802", "", "本人", ""],
        "所属村(社区)",
        "不是村",
    )
    plant(["", an_id("19900101", "149"), "", "", "", "幸福路12号", v, "", "本人", ""], "姓名", "必填")
    plant(["赵三", "", "", "", "", "幸福路13号", v, "", "本人", ""], "身份证号", "请输入身份证号")
    plant(["赵四", an_id("19900101", "151"), "", "", "", "", v, "", "本人", ""], "现住址", "至少填写一项")
    plant(
        ["赵五", an_id("19900101", "153"), "", "", "", "幸福路14号", v, "", "本人", "富裕"],
        "家庭经济状况",
        "无法识别",
    )
    dup = an_id("19900101", "155")
    plant(["钱一", dup, "", "", "", "幸福路15号", v, "", "本人", ""], "身份证号", "重复")
    plant(["钱一", dup, "", "", "", "幸福路15号", v, "", "本人", ""], "身份证号", "重复")
    plant(
        ["孙错", an_id("19900101", "157"), "", "", "", "幸福路16号", v, "", "本人", ""],
        "身份证号",
        "已登记为",
    )
    return rows, planted


ROSTER_HEADERS = [
    "姓名",
    "身份证号",
    "残疾证号",
    "残疾类别",
    "残疾等级",
    "现住址",
    "所属村(社区)",
    "户主",
    "与户主关系",
    "家庭经济状况",
]


def test_every_planted_error_is_reported_with_its_row_and_only_clean_rows_remain():
    rows, planted = planted_roster()
    csv_text = "\n".join(",".join(r) for r in [ROSTER_HEADERS, *rows])
    table = read_roster_bytes(csv_text.encode("gbk"), "花名册.csv")
    registry = [RegisteredPerson(an_id("19900101", "157"), "孙对", "h1")]
    check = check_roster(table, auto_map(table.headers), registry=registry)
    found = {(e.row, e.column) for e in check.errors}
    for row, (column, reason) in planted.items():
        assert (row, column) in found, (row, column)
        assert any(e.row == row and reason in e.reason for e in check.errors), (row, reason, check.errors)
    assert check.bad_rows == set(planted)
    assert check.rows == len(rows)
    [household] = check.households
    assert [p.row for p in household.persons] == [2, 3]
    assert household.head_name == "王建国"
    assert household.economic_status == "dibao"
    assert household.persons[1].category == "1" and household.persons[1].level == "1"
    report = check.report(imported=2)
    assert report["rows"] == len(rows) and report["imported"] == 2
    assert set(report["errors"][0]) == {"row", "column", "value", "reason"}


def test_registered_same_person_is_already_imported_not_an_error():
    rows, _ = planted_roster()
    table = read_roster_bytes("\n".join(",".join(r) for r in [ROSTER_HEADERS, *rows[:2]]).encode(), "r.csv")
    registry = [RegisteredPerson(rows[0][1], "王建国", "house-1")]
    check = check_roster(table, auto_map(table.headers), registry=registry)
    assert check.errors == []
    assert check.already_registered == [2]
    [household] = check.households
    assert household.existing_id == "house-1"
    assert [p.name for p in household.persons] == ["李芳"]


def test_scope_and_default_region():
    table = read_roster_bytes(f"姓名,身份证号,现住址\n王芳,{an_id()},幸福路1号\n".encode(), "r.csv")
    mapping = auto_map(table.headers)
    check = check_roster(table, mapping, default_region=a_village(), scope=["330802"])
    assert check.errors == [] and check.households[0].region_code == a_village()
    outside = default_catalog().villages_under("330803")[0].code
    check = check_roster(table, mapping, default_region=outside, scope=["330802"])
    assert "不在本次导入的区划范围" in check.errors[0].reason
