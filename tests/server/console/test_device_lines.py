"""The device figure from the stored device lines equals the per-view recount it replaced, on both databases.

A seeded county gets device-needs forms pushed like a laptop's (several forms of one
person, "no need" forms, deliveries with and without a date, a device outside the
catalogue, forms of another county); the dashboard's ``device_supply`` and the lists
behind its lines (``device_forms``) are compared with the former computation — every
form of the period read and added up by ``device_lines`` on each view — for a county, a
township, all regions and a worker's village; then again after later changes synced
incrementally: a delivery recorded, a form deleted, a visit deleted, a newer form.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from app.contract.ledger.devices import DEVICE_FORM, DeviceForm, device_lines, latest_forms
from server.console import device_lines as stored
from server.console import facts, figures
from server.console.access import visible
from server.console.tables import ConsoleDeviceLine, RecordFact
from server.models import Record, ServerUser
from server.seed import seed
from tests.server.console.conftest import PASSWORD
from tests.server.console.test_dashboard import _push

COUNTY = "330802"
F = RecordFact


def _old_device_supply(db, user, region, period) -> dict[str, tuple[int, int, int, set[int], set[int]]]:
    """The former ``figures.device_supply``: each view reads and counts every device form of the period."""
    rows = db.execute(
        sa_select(Record.id, Record.fields)
        .join(F, F.record_id == Record.id)
        .where(*figures.responses(DEVICE_FORM, period).conditions(db, user, region))
    ).all()
    visits = {
        row_id: (person, at)
        for row_id, person, at in db.execute(
            sa_select(F.row_id, F.person_id, F.at).where(F.tbl == "visit", F.deleted == False)  # noqa: E712
        )
    }
    found: dict[int, int] = {}
    forms = []
    for rid, fields in rows:
        values = {name: pair[0] if pair else None for name, pair in fields.items()}
        visit_id = str(values.get("visit_id") or "")
        person, started = visits.get(visit_id, ("", ""))
        answers = {k.removeprefix("answers."): v for k, v in values.items() if k.startswith("answers.")}
        form = DeviceForm(
            person or visit_id or str(rid), started, str(values.get("completed_at") or ""), answers
        )
        found[id(form)] = rid
        forms.append(form)
    catalog = stored.device_catalog()
    out: dict[str, list] = {}
    for form in latest_forms(forms):
        rid = found[id(form)]
        for line in device_lines([form], catalog["items"], {}):
            code = str(line.item.get("iso_class") or "")
            s = out.setdefault(code, [0, 0, 0, set(), set()])
            if rid not in s[3]:
                s[0] += 1
                s[3].add(rid)
            s[1] += line.quantity
            s[2] += line.delivered
            if line.delivered:
                s[4].add(rid)
    return {code: tuple(v) for code, v in out.items()}


def _new_device_supply(db, user, region, period) -> dict[str, tuple[int, int, int, set[int], set[int]]]:
    out = {}
    for s in figures.device_supply(db, user, region, period):
        lists = []
        for delivered in (False, True):
            selection = figures.device_forms(db, user, region, period, s.code, delivered)
            lists.append(
                set(db.scalars(sa_select(F.record_id).where(*selection.conditions(db, user, region))))
            )
        out[s.code] = (s.persons, s.needed, s.delivered, *lists)
    return out


def _stamp(minutes: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _push_forms(server, rng: random.Random) -> dict[str, list[str]]:
    """Visits and device forms of persons of the county (and a few of the next): visit id -> form ids."""
    with Session(server.engine) as s:
        persons = [
            (r.row_id, r.region_code)
            for r in s.exec(select(Record).where(Record.tbl == "person").order_by(Record.id).limit(60))
        ]
    codes = [str(i["code"]) for i in stored.device_catalog()["items"]] + ["X99"]  # X99: not in the catalogue
    year = date.today().year
    visits, forms, made = [], [], {}
    minutes = iter(rng.sample(range(5, 2000), 400))  # distinct stamps: no ties between forms of a person
    for n, (person, village) in enumerate(persons):
        village = village if n % 10 else "330803001001"  # another county's
        for _ in range(rng.choice((1, 1, 2, 3))):
            visit = str(uuid.uuid4())
            visits.append(
                {
                    "_id": visit,
                    "person_id": person,
                    "region_code": village,
                    "started_at": _stamp(next(minutes)),
                    "status": "completed",
                }
            )
            made[visit] = []
            for _ in range(rng.choice((1, 1, 2))):
                answers: dict = {"answers.has_need": rng.random() > 0.15}
                entries = [f"e{i}" for i in range(rng.choice((0, 1, 2, 3)))]
                answers["answers.devices"] = entries
                for e in entries:
                    answers[f"answers.devices[{e}].device"] = rng.choice(codes)
                    if rng.random() > 0.3:
                        answers[f"answers.devices[{e}].quantity"] = rng.randint(1, 4)
                    if rng.random() > 0.5:
                        answers[f"answers.devices[{e}].delivered"] = True
                        if rng.random() > 0.3:
                            answers[f"answers.devices[{e}].delivered_on"] = f"{year}-01-{rng.randint(10, 28)}"
                form = str(uuid.uuid4())
                made[visit].append(form)
                forms.append(
                    {
                        "_id": form,
                        "visit_id": visit,
                        "form_id": DEVICE_FORM,
                        "region_code": village,
                        "status": "completed" if rng.random() > 0.1 else "draft",
                        "completed_at": _stamp(next(minutes)),
                        **answers,
                    }
                )
    _push(server, "visit", visits)
    for i in range(0, len(forms), 40):  # a push holds at most ``protocol.MAX_BATCH`` changes
        _push(server, "formresponse", forms[i : i + 40])
    return made


def _compare(server, period) -> int:
    facts.refresh(server.engine)
    with Session(server.engine) as db:
        boss = db.exec(select(ServerUser).where(ServerUser.username == "boss")).one()
        worker = db.exec(select(ServerUser).where(ServerUser.username == "zhang")).one()
        compared = 0
        for user, region in ((boss, COUNTY), (boss, "330802001"), (boss, ""), (worker, "330802001")):
            old = _old_device_supply(db, user, region, period)
            assert _new_device_supply(db, user, region, period) == old, (user.username, region)
            compared += sum(v[0] for v in old.values())
        # The stored heads are the completed, live device forms and no others.
        lines = ConsoleDeviceLine.__table__
        heads = set(db.scalars(sa_select(lines.c.record_id).where(lines.c.code == stored.HEAD)))
        want = set(
            db.scalars(
                sa_select(F.record_id).where(
                    F.tbl == "formresponse",
                    F.form_id == DEVICE_FORM,
                    F.status == "completed",
                    F.deleted == False,  # noqa: E712
                )
            )
        )
        assert heads == want
        assert visible(db, boss, lines, COUNTY)
    return compared


def test_device_lines_count_as_the_former_recount_and_follow_later_changes(console_any):
    server = console_any
    seed(server.engine, 40, 11, [COUNTY])
    server.create_user("boss", PASSWORD, role="admin", regions=("3308",))
    server.create_user("zhang", PASSWORD, role="worker", regions=("330802001",))
    made = _push_forms(server, random.Random(17))
    period = figures.Period(date(date.today().year - 1, 1, 1), date.today() + timedelta(days=1))
    assert _compare(server, period) > 20
    before = _old_supply_now(server, period)

    # Later changes, synced and read incrementally.
    lines = ConsoleDeviceLine.__table__
    with Session(server.engine) as db:
        rows = {r.id: r for r in db.exec(select(Record).where(Record.tbl == "formresponse"))}
        undelivered = db.scalars(
            sa_select(lines.c.record_id).where(
                lines.c.code != stored.HEAD, lines.c.delivered == 0, lines.c.region_code.startswith(COUNTY)
            )
        ).first()
        counted = sorted(set(db.scalars(sa_select(lines.c.record_id).where(lines.c.code != stored.HEAD))))
    form = rows[undelivered]
    entry = next(
        e
        for e in form.fields["answers.devices"][0]
        if not (form.fields.get(f"answers.devices[{e}].delivered") or [None])[0]
    )
    year = date.today().year
    delivery = {
        f"answers.devices[{entry}].delivered": True,
        f"answers.devices[{entry}].delivered_on": f"{year}-02-01",
    }
    _push(server, "formresponse", [{"_id": form.row_id, **delivery}])  # a delivery recorded
    _push(
        server,
        "formresponse",
        [{"_id": rows[next(i for i in counted if i != undelivered)].row_id, "deleted": True}],
    )
    visit = next(v for v, fs in made.items() if len(fs) > 1)  # its forms now belong to no person
    _push(server, "visit", [{"_id": visit, "deleted": True}])
    newer = str(uuid.uuid4())  # a newer "no need" form of another person supersedes theirs
    other = rows[next(i for i in reversed(counted) if i != undelivered)]
    village = other.region_code
    person = _person_of(server, other.fields["visit_id"][0])
    _push(
        server,
        "visit",
        [
            {
                "_id": newer,
                "person_id": person,
                "region_code": village,
                "started_at": _stamp(1),
                "status": "completed",
            }
        ],
    )
    _push(
        server,
        "formresponse",
        [
            {
                "_id": str(uuid.uuid4()),
                "visit_id": newer,
                "form_id": DEVICE_FORM,
                "region_code": village,
                "status": "completed",
                "completed_at": _stamp(0),
                "answers.has_need": False,
            }
        ],
    )
    facts.refresh(server.engine)
    assert _old_supply_now(server, period) != before  # the changes did change the figure
    assert _compare(server, period) > 20


def _person_of(server, visit_id: str) -> str:
    with Session(server.engine) as db:
        visit = db.exec(select(Record).where(Record.tbl == "visit", Record.row_id == visit_id)).one()
        return visit.fields["person_id"][0]


def _old_supply_now(server, period):
    with Session(server.engine) as db:
        boss = db.exec(select(ServerUser).where(ServerUser.username == "boss")).one()
        return _old_device_supply(db, boss, COUNTY, period)
