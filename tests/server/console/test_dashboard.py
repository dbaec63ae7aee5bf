"""The dashboard's figures equal counts made independently from the stored records, on both databases."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import requests
from sqlmodel import Session, select

from app.contract import protocol as p
from app.contract.hlc import HybridLogicalClock
from server.console.figures import Period
from server.models import Record
from server.seed import seed
from tests.server.console.conftest import PASSWORD, number, sign_in

HEADERS = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}
COUNTY = "330802"


def _push(server, tbl: str, rows: list[dict]) -> None:
    """Rows pushed by a laptop, as the app would (a row's ``_id`` is its row id, else a new one)."""
    login = requests.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": "boss", "password": PASSWORD, "device_name": "laptop", "device_id": "dev1"},
        headers=HEADERS,
        timeout=10,
    ).json()
    clock = HybridLogicalClock("dev1")
    changes = []
    for values in rows:
        values = dict(values)
        row_id = values.pop("_id", None) or str(uuid.uuid4())
        changes += [
            {"tbl": tbl, "row_id": row_id, "field": k, "value": v, "hlc": clock.tick()}
            for k, v in values.items()
        ]
    answer = requests.post(
        f"{server.url}/api/v1/sync/push",
        json={"batch_id": uuid.uuid4().hex, "changes": changes},
        headers={**HEADERS, "Authorization": f"Bearer {login['token']}"},
        timeout=30,
    ).json()
    assert answer["applied"] == len(changes) and not answer["rejected"], answer["rejected"][:2]


def _push_projects(server, projects: list[tuple[str, str, float, str]]) -> None:
    """Renovation projects pushed by a laptop: (kind, status, budget, village)."""
    rows = [
        {"region_code": village, "kind": kind, "status": status, "budget": budget, "title": f"{kind}项目"}
        for kind, status, budget, village in projects
    ]
    _push(server, "renovationproject", rows)


def _push_need_items(server, items: list[tuple[str, str, str, str]]) -> None:
    """Need items pushed by a laptop: (type, status, due date, village)."""
    rows = [
        {
            "region_code": village,
            "need_type": kind,
            "status": status,
            "due_on": due,
            "opened_on": "2026-01-02",
        }
        for kind, status, due, village in items
    ]
    _push(server, "needitem", rows)


def _push_device_forms(server) -> None:
    """Device-needs forms of three persons: an old and a newer form, a "no need" one, another county's."""
    # Minutes ago: later than every seeded visit (yesterday at the latest), so these forms are the latest.
    now = datetime.now(UTC)
    day = lambda minutes: (now - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")  # noqa: E731
    year = date.today().year

    def entries(*devices: tuple[str, int, str]) -> dict:
        out: dict = {"answers.has_need": True, "answers.devices": [f"e{i}" for i in range(len(devices))]}
        for i, (code, quantity, delivered_on) in enumerate(devices):
            out[f"answers.devices[e{i}].device"] = code
            out[f"answers.devices[e{i}].quantity"] = quantity
            if delivered_on:
                out[f"answers.devices[e{i}].delivered"] = True
                out[f"answers.devices[e{i}].delivered_on"] = delivered_on
        return out

    with Session(server.engine) as s:
        persons = [r.row_id for r in s.exec(select(Record).where(Record.tbl == "person").limit(4))]
    pa, pb, pc, pd = persons
    ids = {name: str(uuid.uuid4()) for name in ("a-old", "a-new", "b", "c", "d")}
    forms = [  # (visit id, person, village, visit start, answers)
        (ids["a-old"], pa, "330802001001", day(9), entries(("D01", 2, ""), ("D16", 1, ""))),
        (
            ids["a-new"],
            pa,
            "330802001001",
            day(2),
            entries(("D01", 1, f"{year}-01-21"), ("D13", 3, "")),
        ),
        (ids["b"], pb, "330802002001", day(3), entries(("D16", 2, f"{year}-01-09"))),
        (ids["c"], pc, "330802002001", day(4), {"answers.has_need": False}),
        (ids["d"], pd, "330803001001", day(4), entries(("D01", 5, ""))),  # another county
    ]
    _push(
        server,
        "visit",
        [
            {
                "_id": v,
                "person_id": who,
                "region_code": village,
                "started_at": at,
                # The other county's visit of a person of this county: a draft, so no coverage counts it.
                "status": "completed" if village.startswith(COUNTY) else "draft",
            }
            for v, who, village, at, _ in forms
        ],
    )
    _push(
        server,
        "formresponse",
        [
            {
                "visit_id": v,
                "region_code": village,
                "form_id": "assistive_devices",
                "status": "completed",
                "completed_at": at,
                **answers,
            }
            for v, _, village, at, answers in forms
        ],
    )


def _expected_devices(server, period: Period) -> dict[str, tuple[int, int, int]]:
    """Device class -> (persons, needed, delivered) over each person's latest form, from the records."""
    with Session(server.engine) as s:
        records = [r for r in s.exec(select(Record)) if not r.deleted]
    v = lambda rec, name: (rec.fields.get(name) or [None])[0]  # noqa: E731
    classes = {
        i["code"]: i["iso_class"]
        for i in json.loads(Path("resources/catalogs/devices.json").read_text())["items"]
    }
    visits = {r.row_id: r for r in records if r.tbl == "visit"}
    latest: dict[str, tuple] = {}
    for rec in records:
        if rec.tbl != "formresponse" or v(rec, "form_id") != "assistive_devices":
            continue
        if v(rec, "status") != "completed" or not rec.region_code.startswith(COUNTY):
            continue
        if not period.utc_from <= (v(rec, "completed_at") or "") < period.utc_until:
            continue
        visit = visits.get(v(rec, "visit_id"))
        who = v(visit, "person_id") if visit else v(rec, "visit_id")
        key = (v(visit, "started_at") if visit else "", v(rec, "completed_at"))
        if who not in latest or key > latest[who][0]:
            latest[who] = (key, rec)
    out: dict[str, list] = {}
    for _, rec in latest.values():
        if v(rec, "answers.has_need") is False:
            continue
        for entry in v(rec, "answers.devices") or []:
            code = v(rec, f"answers.devices[{entry}].device")
            if not code:
                continue
            line = out.setdefault(classes[code], [set(), 0, 0])
            n = v(rec, f"answers.devices[{entry}].quantity") or 1
            line[0].add(rec.id)
            line[1] += n
            if v(rec, f"answers.devices[{entry}].delivered") and v(
                rec, f"answers.devices[{entry}].delivered_on"
            ):
                line[2] += n
    return {c: (len(ids), n, d) for c, (ids, n, d) in out.items()}


def _expected(server, period: Period) -> dict:
    """The figures, counted in Python from every record's fields (no SQL of the console's)."""
    with Session(server.engine) as s:
        records = list(s.exec(select(Record)))
    v = lambda rec, name: (rec.fields.get(name) or [None])[0]  # noqa: E731
    registered: dict[str, int] = {}
    seen: set[str] = set()  # persons with a completed visit in the period
    persons: dict[str, str] = {}  # registered person -> township
    visits: dict[str, int] = {}
    needs = {"rehab": 0, "care": 0, "employment": 0, "accessibility": 0}
    devices = 0
    projects: dict[tuple[str, str], list] = {}
    need_items: dict[tuple[str, str], int] = {}
    overdue: dict[str, int] = {}
    today = (datetime.now(UTC) + timedelta(hours=8)).date().isoformat()
    for rec in records:
        if rec.deleted or not rec.region_code.startswith(COUNTY):
            continue
        town = rec.region_code[:9]
        if rec.tbl == "person" and v(rec, "status") == "registered":
            registered[town] = registered.get(town, 0) + 1
            persons[rec.row_id] = town
        elif rec.tbl == "visit" and v(rec, "status") == "completed":
            if period.utc_from <= v(rec, "started_at") < period.utc_until:
                visits[town] = visits.get(town, 0) + 1
                seen.add(v(rec, "person_id"))
        elif rec.tbl == "formresponse" and v(rec, "status") == "completed":
            if not period.utc_from <= (v(rec, "completed_at") or "") < period.utc_until:
                continue
            if v(rec, "form_id") == "needs_assessment":
                for key, question in (
                    ("rehab", "rehab_needed"),
                    ("care", "care_needed"),
                    ("employment", "employment_help"),
                ):
                    needs[key] += bool(v(rec, f"answers.{question}"))
                needs["accessibility"] += v(rec, "answers.accessibility_needed") is True
            elif v(rec, "form_id") == "assistive_devices" and v(rec, "answers.has_need") is True:
                devices += 1
        elif rec.tbl == "needitem":
            key = (v(rec, "need_type"), v(rec, "status"))
            need_items[key] = need_items.get(key, 0) + 1
            if key[1] in ("pending", "referred", "in_progress") and (v(rec, "due_on") or "9") < today:
                overdue[key[0]] = overdue.get(key[0], 0) + 1
        elif rec.tbl == "renovationproject":
            line = projects.setdefault((v(rec, "kind"), v(rec, "status")), [0, 0.0])
            line[0] += 1
            line[1] += v(rec, "budget")
    # Severe (level 1/2) or poor (dibao/dibian/tekun household), registered, no completed visit
    # begun since Beijing midnight 180 days ago (alerts.json: visit_months_priority = 6).
    china_today = (datetime.now(UTC) + timedelta(hours=8)).date()
    since = (
        datetime.combine(china_today - timedelta(days=180), datetime.min.time()) - timedelta(hours=8)
    ).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    poor = {
        r.row_id
        for r in records
        if r.tbl == "household" and v(r, "economic_status") in ("dibao", "dibian", "tekun")
    }
    recent = {
        v(r, "person_id")
        for r in records
        if r.tbl == "visit" and v(r, "status") == "completed" and (v(r, "started_at") or "") >= since
    }
    priority = {
        r.row_id
        for r in records
        if r.tbl == "person"
        and r.region_code.startswith(COUNTY)
        and v(r, "status") == "registered"
        and (v(r, "level") in ("1", "2") or v(r, "household_id") in poor)
        and r.row_id not in recent
    }
    visited: dict[str, int] = {}
    for person in seen & set(persons):
        visited[persons[person]] = visited.get(persons[person], 0) + 1
    return {
        "registered": registered,
        "visited": visited,
        "visits": visits,
        "needs": needs,
        "devices": devices,
        "projects": projects,
        "need_items": need_items,
        "overdue": overdue,
        "priority_unvisited": len(priority),
    }


def test_dashboard_figures_equal_the_databases_counts(console_any, page):
    server = console_any
    seed(server.engine, 120, 7, [COUNTY])
    server.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    _push_projects(
        server,
        [
            ("lighting", "applied", 3200.0, "330802001001"),
            ("lighting", "applied", 1800.5, "330802002001"),
            ("accessibility", "construction", 9000.0, "330802001001"),
            ("lighting", "applied", 999.0, "330803001001"),  # another county: not counted
        ],
    )
    _push_need_items(
        server,
        [
            ("device", "pending", "2026-01-10", "330802001001"),  # overdue
            ("device", "pending", "2099-01-10", "330802001001"),
            ("device", "closed", "2026-01-10", "330802002001"),  # closed: never overdue
            ("rehabilitation", "referred", "2026-02-01", "330802002001"),
            ("rehabilitation", "unable", "2026-02-01", "330802001001"),
            ("lighting", "in_progress", "2099-02-01", "330802001001"),
            ("lighting", "pending", "2026-01-10", "330803001001"),  # another county: not counted
        ],
    )
    _push_device_forms(server)
    # To tomorrow: the device forms of minutes ago fall inside even just after midnight in Beijing.
    period = Period(date(date.today().year - 1, 1, 1), date.today() + timedelta(days=1))
    want = _expected(server, period)
    want_devices = _expected_devices(server, period)
    sign_in(page, server, "boss")
    page.goto(f"{server.url}/console/dashboard?region={COUNTY}&start={period.start}&end={period.end}")
    assert number(page.locator("#kpi-registered b").inner_text()) == sum(want["registered"].values())
    assert number(page.locator("#kpi-visited b").inner_text()) == sum(want["visited"].values())
    assert number(page.locator("#kpi-visits b").inner_text()) == sum(want["visits"].values())
    assert number(page.locator("#kpi-device-needs b").inner_text()) == want["devices"]
    rows = page.locator("#coverage tbody tr")
    shown = {}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        shown[rows.nth(i).get_attribute("data-code")] = tuple(int(c) for c in cells[1:4])
    towns = set(want["registered"]) | set(want["visits"])
    assert shown == {
        t: (want["registered"].get(t, 0), want["visited"].get(t, 0), want["visits"].get(t, 0)) for t in towns
    }
    for key, count in want["needs"].items():
        assert number(page.locator(f"#needs tr[data-need={key}] td.num").inner_text()) == count
    projects = page.locator("#projects tbody tr")
    assert {
        (projects.nth(i).get_attribute("data-kind"), projects.nth(i).get_attribute("data-status")): (
            number(projects.nth(i).locator("td").nth(2).inner_text()),
            float(projects.nth(i).locator("td").nth(3).inner_text().replace(",", "")),
        )
        for i in range(projects.count())
    } == {k: (n, b) for k, (n, b) in want["projects"].items()}
    lines = page.locator("#need-items tbody tr")
    shown_needs, shown_overdue = {}, {}
    for i in range(lines.count()):
        line = lines.nth(i)
        kind = line.get_attribute("data-type")
        for status in ("pending", "referred", "in_progress", "closed", "unable"):
            n = number(line.locator(f"td[data-status={status}]").inner_text())
            if n:
                shown_needs[(kind, status)] = n
        shown_overdue[kind] = number(line.locator("td[data-status=overdue]").inner_text())
    assert shown_needs == want["need_items"]
    assert (
        {k: n for k, n in shown_overdue.items() if n} == want["overdue"] == {"device": 1, "rehabilitation": 1}
    )
    # The server's stand-ins for open alerts: overdue need items, severe or poor persons not visited.
    assert number(page.locator("#kpi-overdue-items b").inner_text()) == sum(want["overdue"].values()) == 2
    assert 0 < want["priority_unvisited"] < sum(want["registered"].values())
    assert number(page.locator("#kpi-priority-unvisited b").inner_text()) == want["priority_unvisited"]
    with page.expect_navigation():
        page.locator("#kpi-priority-unvisited").click()
    assert f"共 {want['priority_unvisited']} 条" in page.locator("h1").inner_text()
    page.go_back()
    with page.expect_navigation():
        page.locator("#need-items tr[data-type=device] td[data-status=overdue] a").click()
    assert "共 1 条" in page.locator("h1").inner_text()
    assert "2026-01-10" in page.locator("table").last.inner_text()
    page.go_back()
    assert page.locator("#chart-coverage canvas").count() == 1  # ECharts drew it

    # Devices needed and delivered, per class, over each person's latest form (the older form of
    # dp-a, the "no need" form and the other county's count nothing).
    supply = page.locator("#device-supply tbody tr")
    shown_devices = {
        supply.nth(i).get_attribute("data-class"): tuple(
            number(supply.nth(i).locator(f"td[data-col={c}]").inner_text())
            for c in ("persons", "needed", "delivered")
        )
        for i in range(supply.count())
    }
    assert shown_devices == want_devices == {"12": (1, 1, 1), "09": (1, 3, 0), "22": (1, 2, 2)}
    assert page.locator("#chart-devices canvas").count() == 1
    with page.expect_navigation():
        page.locator("#device-supply tr[data-class='22'] td[data-col=delivered] a").click()
    assert "共 1 条" in page.locator("h1").inner_text()
    page.go_back()

    # A figure leads to the rows it counted.
    town = sorted(towns)[0]
    with page.expect_navigation():
        page.locator(f"#coverage tr[data-code='{town}'] td:nth-child(2) a").click()
    assert f"共 {want['registered'][town]} 条" in page.locator("h1").inner_text()

    # The export holds the same figures.
    answer = page.request.get(
        f"{server.url}/console/dashboard.csv?region={COUNTY}&start={period.start}&end={period.end}"
    )
    lines = list(csv.reader(io.StringIO(answer.text().lstrip("\ufeff"))))
    by_code = {line[0]: line for line in lines if line and line[0] in towns}
    by_class = {
        line[0].split(" ")[0]: line
        for line in lines
        if line and line[0][:2] in want_devices and " " in line[0]
    }
    assert {c: tuple(int(x) for x in by_class[c][1:4]) for c in want_devices} == want_devices
    assert {t: (int(by_code[t][2]), int(by_code[t][3])) for t in towns} == {
        t: (want["registered"].get(t, 0), want["visited"].get(t, 0)) for t in towns
    }


def test_region_and_period_change_by_htmx_without_reloading(console, page):
    seed(console.engine, 40, 3, [COUNTY])
    console.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    sign_in(page, console, "boss")
    page.goto(f"{console.url}/console/dashboard")
    page.evaluate("window.__same_page = true")
    page.fill("input[name=region]", COUNTY)
    with page.expect_response(lambda r: "/console/dashboard?" in r.url):
        page.click("form.filters button[type=submit]")
    page.wait_for_function("document.querySelector('#figures h2').textContent.includes('柯城区')")
    assert page.evaluate("window.__same_page") is True  # swapped in place
    assert f"region={COUNTY}" in page.url  # and the address says what is shown
    assert page.locator("#coverage tbody tr").count() >= 1
