"""Ledgers on the console: a county supervisor downloads the laptop's ledgers for their region."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from app.contract.ledger.workbook import HEADER_ROW
from app.domain.enums import DisabilityCategory, Gender
from app.domain.ids import mask_id_number
from app.domain.localtime import CHINA_TIME
from app.domain.regions import covers, default_catalog
from server.models import AuditLog, Record
from server.seed import seed
from tests.server.console.conftest import PASSWORD, sign_in

COUNTY = "330802"
OTHER = "330803"


def _values(rec: Record) -> dict:
    return {k: v[0] for k, v in rec.fields.items()}


def _live(engine, tbl: str) -> list[dict]:
    with Session(engine) as s:
        rows = s.exec(select(Record).where(Record.tbl == tbl, Record.deleted == False)).all()  # noqa: E712
        return [{**_values(r), "_id": r.row_id, "_region": r.region_code} for r in rows]


def _sheet(data: bytes) -> tuple[list[str], list[tuple]]:
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[HEADER_ROW - 1]), rows[HEADER_ROW:]


def test_supervisor_downloads_the_persons_ledger_of_their_county(console, page, shots):
    seed(console.engine, 30, 7, [COUNTY, OTHER])
    console.create_user("chen", PASSWORD, role="supervisor", regions=(COUNTY,))
    sign_in(page, console, "chen")
    page.goto(f"{console.url}/console/ledgers")
    kinds = page.locator("#ledgers tbody tr").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert kinds == ["households", "persons", "visits", "projects", "needs", "acceptances", "devices"]
    page.screenshot(path=str(shots / "ledgers_zh.png"), full_page=True)
    with page.expect_download() as info:
        page.locator("#ledgers tr[data-kind=persons] a.download").click()
    download = info.value
    assert download.suggested_filename == "残疾人台账_330802.xlsx"
    headers, rows = _sheet(open(download.path(), "rb").read())
    assert headers[:9] == [
        "序号",
        "县（市、区）",
        "乡镇（街道）",
        "村（社区）",
        "家庭住址",
        "姓名",
        "性别",
        "身份证号",
        "残疾人证号",
    ]

    # Cell by cell against the server's records: every live person of the county, nobody else's.
    households = {h["_id"]: h for h in _live(console.engine, "household")}
    persons = [p for p in _live(console.engine, "person") if covers([COUNTY], p["_region"])]
    assert persons and len(persons) < len(_live(console.engine, "person"))  # the other county is left out
    want = {
        p["id_number"]: (
            default_catalog().path(p["region_code"])[-1].name,
            households[p["household_id"]]["address"],
            p["name"],
            Gender(p["gender"]).label,
            mask_id_number(p["id_number"]),
            DisabilityCategory(p["category"]).label,
        )
        for p in persons
    }
    col = {h: i for i, h in enumerate(headers)}
    got = {}
    for n, row in enumerate(rows, 1):
        assert row[0] == n
        masked = row[col["身份证号"]]
        matches = [k for k in want if mask_id_number(k) == masked and want[k][2] == row[col["姓名"]]]
        assert len(matches) == 1, masked
        got[matches[0]] = (
            row[col["村（社区）"]],
            row[col["家庭住址"]],
            row[col["姓名"]],
            row[col["性别"]],
            masked,
            row[col["残疾类别"]],
        )
    assert got == want
    assert all("*" in row[col["身份证号"]] for row in rows)

    # The download is in the audit log, masked.
    with Session(console.engine) as s:
        entry = s.exec(select(AuditLog).where(AuditLog.action == "ledger_export")).one()
    assert (entry.actor, entry.row_id, entry.detail["rows"], entry.detail["unmasked"]) == (
        "chen",
        "persons",
        len(persons),
        False,
    )

    # A supervisor may ask for the whole numbers in their county; that download says so in the log.
    answer = page.request.get(f"{console.url}/console/ledgers/persons.xlsx?region={COUNTY}&unmask=true")
    assert answer.status == 200
    headers, rows = _sheet(answer.body())
    assert {r[headers.index("身份证号")] for r in rows} == set(want)
    with Session(console.engine) as s:
        entries = s.exec(
            select(AuditLog).where(AuditLog.action == "ledger_export").order_by(AuditLog.id)
        ).all()
    assert [e.detail["unmasked"] for e in entries] == [False, True]
    assert entries[1].detail["permission"] == "unmask_id"

    # Outside the county: refused, nothing written.
    assert page.request.get(f"{console.url}/console/ledgers/persons.xlsx?region={OTHER}").status == 403
    page.goto(f"{console.url}/console/ledgers?lang=en")
    assert page.locator("h1").inner_text().startswith("Ledgers")
    page.screenshot(path=str(shots / "ledgers_en.png"), full_page=True)


def test_visits_ledger_by_period_and_who_may_open_it(console, page):
    seed(console.engine, 20, 3, [COUNTY])
    console.create_user("chen", PASSWORD, role="supervisor", regions=(COUNTY,))
    sign_in(page, console, "chen")
    visits = _live(console.engine, "visit")
    days = sorted(
        {
            datetime.fromisoformat(v["started_at"].replace("Z", "+00:00")).astimezone(CHINA_TIME).date()
            for v in visits
        }
    )
    start, end = days[len(days) // 3], days[2 * len(days) // 3]

    def day(v: dict):
        return datetime.fromisoformat(v["started_at"].replace("Z", "+00:00")).astimezone(CHINA_TIME).date()

    inside = [v for v in visits if start <= day(v) <= end]
    answer = page.request.get(f"{console.url}/console/ledgers/visits.xlsx?start={start}&end={end}")
    assert answer.status == 200
    headers, rows = _sheet(answer.body())
    assert len(rows) == len(inside)
    dates = [r[headers.index("访视日期")].date() for r in rows]
    assert all(start <= d <= end for d in dates)
    assert (
        page.request.get(f"{console.url}/console/ledgers/visits.xlsx?start={end}&end={start}").status == 403
    )
    assert page.request.get(f"{console.url}/console/ledgers/annual-update.xlsx").status == 403  # laptop only

    console.create_user("li", PASSWORD, role="worker", regions=(COUNTY,))
    page.context.clear_cookies()
    sign_in(page, console, "li")
    assert page.request.get(f"{console.url}/console/ledgers/persons.xlsx").status == 403
    assert page.request.get(f"{console.url}/console/ledgers/persons.xlsx?unmask=true").status == 403


@pytest.mark.parametrize("role", ["worker", "acceptor"])
def test_only_the_federation_may_unmask(role):
    from app.contract.roles import may_unmask_id

    assert not may_unmask_id(role, [COUNTY], COUNTY)
    assert may_unmask_id("supervisor", [COUNTY], COUNTY + "001")
    assert not may_unmask_id("supervisor", [COUNTY], OTHER)
    assert may_unmask_id("admin", ["3308"], COUNTY)
