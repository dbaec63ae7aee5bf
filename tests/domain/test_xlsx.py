"""The stdlib xlsx reader (app.domain.xlsx) against workbooks from openpyxl, our ledger writer, LibreOffice, by hand."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from app.contract.ledger.columns import Column, Ledger, LedgerKind
from app.contract.ledger.workbook import HEADER_ROW, write_ledger_to
from app.domain.roster.reader import UnreadableRoster, read_roster, read_roster_bytes
from app.domain.xlsx import Workbook, XlsxError, column_index, from_serial, is_date_format

FIXTURES = Path(__file__).parent / "fixtures"
ID_X = "33080219800101123X"
ID_18 = "330802199002021234"


def _cells(rows) -> dict[tuple[int, int], object]:
    """(row, column) -> value of every non-empty cell."""
    return {(r, c): v for r, values in rows for c, v in enumerate(values) if v is not None}


def _openpyxl_cells(data: bytes) -> dict[tuple[int, int], object]:
    ws = load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    return _cells(enumerate(ws.iter_rows(values_only=True), 1))


def _roster_workbook(write_only: bool, *, epoch=None) -> bytes:
    wb = OpenpyxlWorkbook(write_only=write_only)
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.create_sheet("花名册") if write_only else wb.active
    rows = [
        ["姓名", "身份证号", "出生日期", "联系电话", "残疾等级", "补贴", "是否户主", "登记时间"],
        ["王芳", ID_X, datetime(1980, 1, 1), "05703012345", 2, 12.5, True, datetime(2024, 3, 5, 9, 30)],
        ["李强", ID_18, date(1990, 2, 2), "13800001111", "一级", 0.1, False, None],
        ["张三丰", 330802199002021234, None, "", None, -3, None, "2024-03-05"],  # ID typed as a number
    ]
    for row in rows:
        ws.append(row)
    if not write_only:
        for r in range(5, 8):  # formatted but empty rows at the end
            ws.cell(row=r, column=1).font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("write_only", [False, True], ids=["with-dimension", "without-dimension"])
def test_same_values_as_openpyxl(write_only):
    data = _roster_workbook(write_only)
    has_dimension = b"<dimension" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert has_dimension is not write_only
    with Workbook(data) as wb:
        assert [s.name for s in wb.sheets] == ["花名册" if write_only else "Sheet"]
        mine = _cells(wb.iter_rows())
    assert mine == _openpyxl_cells(data)
    assert mine[(2, 1)] == ID_X and mine[(3, 1)] == ID_18 and mine[(2, 3)] == "05703012345"
    assert mine[(2, 2)] == datetime(1980, 1, 1) and mine[(2, 7)] == datetime(2024, 3, 5, 9, 30)
    assert mine[(2, 4)] == 2 and type(mine[(2, 4)]) is int and mine[(2, 5)] == 12.5 and mine[(2, 6)] is True
    assert isinstance(mine[(4, 1)], float)  # a number, as Excel stored it: the caller must refuse it


def test_1904_date_system():
    data = _roster_workbook(False, epoch=CALENDAR_MAC_1904)
    with Workbook(data) as wb:
        assert wb.date1904
        mine = _cells(wb.iter_rows())
    assert mine == _openpyxl_cells(data)
    assert mine[(2, 2)] == datetime(1980, 1, 1)


def test_roster_from_openpyxl_keeps_texts_and_skips_empty_rows(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(_roster_workbook(False))
    table = read_roster(path)
    assert [n for n, _ in table.rows] == [2, 3, 4]
    first, second, third = (cells for _, cells in table.rows)
    assert first[:5] == ["王芳", ID_X, "1980-01-01", "05703012345", "2"]
    assert first[6:] == ["是", "2024-03-05 09:30:00"]
    assert second[1] == ID_18 and second[2] == "1990-02-02"
    assert table.numeric == {(4, 1)}  # the ID typed as a number, and nothing else


def test_ledger_writer_workbook_reads_back():
    columns = (
        Column("姓名", lambda r: r, "text"),
        Column("身份证号", lambda r: r, "text"),
        Column("访视日期", lambda r: r, "date"),
        Column("金额", lambda r: r, "money"),
        Column("人数", lambda r: r, "int"),
    )
    rows = [
        ("王芳", ID_X, date(2024, 3, 5), 1234.5, 3),
        (" 前后有空格 ", "=1+1", None, None, 0),
    ]
    out = io.BytesIO()
    write_ledger_to(
        Ledger(LedgerKind.PERSONS, columns, rows, scope="柯城区"), out, exported_at=datetime(2024, 3, 6)
    )
    with Workbook(out.getvalue()) as wb:
        got = dict(wb.iter_rows())
    assert got[1] == ["残疾人台账"]
    assert got[2][0].startswith("柯城区")
    assert got[HEADER_ROW] == ["序号", "姓名", "身份证号", "访视日期", "金额", "人数"]
    assert got[HEADER_ROW + 1] == [1, "王芳", ID_X, datetime(2024, 3, 5), 1234.5, 3]
    assert got[HEADER_ROW + 2] == [2, " 前后有空格 ", "=1+1", None, None, 0]
    assert _cells(got.items()) == _openpyxl_cells(out.getvalue())


def test_libreoffice_saved_roster():
    data = (FIXTURES / "roster_libreoffice.xlsx").read_bytes()
    with Workbook(data) as wb:
        mine = _cells(wb.iter_rows())
    assert mine == _openpyxl_cells(data)
    table = read_roster(FIXTURES / "roster_libreoffice.xlsx")
    assert table.headers == [
        "姓名",
        "身份证号",
        "身份证号（数字）",
        "出生日期",
        "联系电话",
        "残疾等级",
        "备注",
    ]
    (_, wang), (_, li), (_, zhang) = table.rows
    assert wang == ["王芳", ID_X, "3.30802198001011e+17", "1980-01-01", "05703012345", "2", "是"]
    assert li[1] == ID_18 and li[5] == "一级" and zhang[4] == "0570-1234567" and zhang[5] == "3.5"
    assert table.numeric == {(2, 2), (3, 2)}  # the column LibreOffice took for numbers


def _package(sheet: str, *, strings: str = "", workbook_pr: str = "", styles: str = "") -> bytes:
    """A minimal workbook written by hand: what other producers (WPS, Excel, scripts) may put in a file."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="/xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<x:workbook xmlns:x="{main}" xmlns:r="{rel}">{workbook_pr}<x:sheets>'
            '<x:sheet name="图表" sheetId="2" r:id="rId9"/>'
            '<x:sheet name="数据" sheetId="1" r:id="rId1" state="visible"/>'
            '<x:sheet name="隐藏" sheetId="3" r:id="rId4" state="hidden"/></x:sheets></x:workbook>',
        )
        rels = [
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/data.xml"/>',
            f'<Relationship Id="rId4" Type="{rel}/worksheet" Target="/xl/worksheets/hidden.xml"/>',
            f'<Relationship Id="rId9" Type="{rel}/chartsheet" Target="chartsheets/sheet1.xml"/>',
        ]
        if strings:
            rels.append(f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>')
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{strings}</sst>')
        if styles:
            rels.append(f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>')
            z.writestr("xl/styles.xml", f'<styleSheet xmlns="{main}">{styles}</styleSheet>')
        z.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{pkg}">{"".join(rels)}</Relationships>'
        )
        z.writestr(
            "xl/worksheets/data.xml", f'<worksheet xmlns="{main}"><sheetData>{sheet}</sheetData></worksheet>'
        )
        z.writestr("xl/worksheets/hidden.xml", f'<worksheet xmlns="{main}"><sheetData/></worksheet>')
    return out.getvalue()


def test_hand_written_package_cell_kinds():
    strings = (
        "<si><t>姓名</t></si>"
        '<si><r><t>王</t></r><r><rPr><b/></rPr><t>芳</t></r><rPh sb="0" eb="1"><t>ワン</t></rPh></si>'
        '<si><t xml:space="preserve">第一行_x000D_\n第二行</t></si>'
    )
    styles = (
        '<numFmts><numFmt numFmtId="176" formatCode="[$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
        '<numFmt numFmtId="177" formatCode="&quot;第&quot;0&quot;号&quot;"/></numFmts>'
        '<cellXfs><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="58"/>'
        '<xf numFmtId="20"/></cellXfs>'
    )
    sheet = (
        '<row r="2"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>'  # no cell refs
        '<row><c r="C3" t="inlineStr"><is><r><t>行</t></r><r><t>内</t></r></is></c>'  # no row number
        '<c r="E3" t="str"><f>A1</f><v>公式结果</v></c><c r="F3" t="e"><v>#N/A</v></c></row>'
        '<row r="5"><c r="A5" t="b"><v>1</v></c><c r="B5" s="1"><v>45356</v></c><c r="C5" s="2"><v>12</v></c>'
        '<c r="D5" s="3"><v>45356</v></c><c r="E5" s="4"><v>0.75</v></c><c r="F5" t="d"><v>2024-03-05T08:00:00</v></c>'
        '<c r="G5"><v>1.5E3</v></c><c r="AA5"><v>-7</v></c></row>'
        '<row r="6"><c r="A6" s="1"/></row>'
    )
    data = _package(sheet, strings=strings, styles=styles)
    with Workbook(data) as wb:
        assert [(s.name, s.hidden) for s in wb.sheets] == [("数据", False), ("隐藏", True)]
        rows = dict(wb.iter_rows("数据"))
        assert list(wb.iter_rows("隐藏")) == []
    assert rows[2] == ["姓名", "王芳", "第一行\r\n第二行"]
    assert rows[3] == [None, None, "行内", None, "公式结果", "#N/A"]
    assert rows[5][:7] == [
        True,
        datetime(2024, 3, 5),
        12,
        datetime(2024, 3, 5),
        time(18, 0),
        datetime(2024, 3, 5, 8),
        1500.0,
    ]
    assert len(rows[5]) == 27 and rows[5][26] == -7
    assert rows[6] == [None]


def test_1904_flag_in_a_hand_written_package():
    styles = '<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
    data = _package(
        '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>1</v></c></row>',
        workbook_pr='<x:workbookPr date1904="1"/>',
        styles=styles,
    )
    with Workbook(data) as wb:
        assert dict(wb.iter_rows())[1] == [time(0, 0), datetime(1904, 1, 2)]


def test_unreadable_workbooks_say_why():
    with pytest.raises(XlsxError, match="zip"):
        Workbook(b"not a zip")
    with pytest.raises(XlsxError, match="密码"):
        Workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an encrypted workbook's first bytes
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(XlsxError, match="缺少工作簿的组成部分"):
        Workbook(empty.getvalue())
    broken = _package("<row r='1'><c r='A1'><v>1</v></c>")  # unclosed row
    with Workbook(broken) as wb, pytest.raises(XlsxError, match="XML"):
        list(wb.iter_rows())
    with pytest.raises(UnreadableRoster, match="不是有效的Excel"):
        read_roster_bytes(broken, "坏.xlsx")


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ("yyyy-mm-dd", True),
        ('yyyy"年"m"月"d"日"', True),
        ("[$-804]aaaa;@", True),
        ("YYYY\\-MM\\-DD", True),
        ("h:mm:ss", True),
        ("[h]:mm", True),
        ("General", False),
        ("@", False),
        ("0.00E+00", False),
        ('#,##0.00"元"', False),
        ("[Red]0.00", False),
        ("_(* #,##0_)", False),
    ],
)
def test_date_formats(code, is_date):
    assert is_date_format(code) is is_date


def test_serials_and_columns():
    assert from_serial(1) == datetime(1900, 1, 1)
    assert from_serial(61) == datetime(1900, 3, 1)
    assert from_serial(45356.5) == datetime(2024, 3, 5, 12)
    assert from_serial(0, date1904=True) == time(0)
    assert [column_index(r) for r in ("A", "Z", "AA", "xfd")] == [0, 25, 26, 16383]
