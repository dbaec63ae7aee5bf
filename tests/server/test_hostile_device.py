"""A hostile or buggy device pushes every kind of bad value over real HTTP (SQLite and PostgreSQL).

Each value measured in issue 14 is refused with its reason code and a Chinese message, nothing
of it is stored, and afterwards an honest laptop of the same region syncs to completion.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests
from sqlmodel import Session, select

from app.contract import values as v
from server.models import Record

H = {"X-HomeVisit-Protocol": "1"}
REGION = "330802001001"
OTHER_REGION = "330881001001"
DEVICE = "hostile1"


def clock(device: str = DEVICE, ahead_ms: int = 0, counter: int = 0) -> str:
    return f"{int(time.time() * 1000) + ahead_ms:013d}-{counter:05d}-{device}"


def token_for(server, user: str, device: str) -> dict[str, str]:
    r = requests.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": user, "password": "secret123", "device_name": device, "device_id": device},
        headers=H,
    )
    assert r.status_code == 200, r.text
    return {**H, "Authorization": f"Bearer {r.json()['token']}", "Content-Type": "application/json"}


def push_raw(server, headers, changes) -> dict:
    """Push with NaN and Infinity allowed in the JSON text, as a hostile client can send them."""
    body = json.dumps({"batch_id": uuid.uuid4().hex, "changes": changes}, allow_nan=True, ensure_ascii=False)
    r = requests.post(f"{server.url}/api/v1/sync/push", data=body.encode(), headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def ch(tbl, row_id, field, value, hlc=None):
    return {
        "tbl": tbl,
        "row_id": row_id,
        "field": field,
        "value": value,
        "hlc": hlc or clock(),
        "base_hlc": None,
    }


def row(tbl, row_id, **fields):
    return [ch(tbl, row_id, "region_code", fields.pop("region_code", REGION))] + [
        ch(tbl, row_id, k, val) for k, val in fields.items()
    ]


def stored(server, tbl, row_id) -> dict | None:
    with Session(server.engine) as s:
        rec = s.exec(select(Record).where(Record.tbl == tbl, Record.row_id == row_id)).first()
        return None if rec is None else {k: val[0] for k, val in rec.fields.items()}


def deep(n: int):
    value: object = "x"
    for _ in range(n):
        value = [value]
    return value


@pytest.fixture
def hostile(live_server):
    live_server.create_user("mallory", regions=("330802",))
    headers = token_for(live_server, "mallory", DEVICE)
    base = row("household", "h-good", address="信安街道1号", phone="1390", economic_status="dibao")
    base += row(
        "person", "p-good", household_id="h-good", name="王芳", id_number="11010519491231002X", gender="F"
    )
    base += row("visit", "v-good", household_id="h-good", person_id="p-good", status="draft")
    base += row("formresponse", "f-good", visit_id="v-good", form_id="needs_assessment", form_version=1)
    base += row("renovationproject", "rp-good", household_id="h-good", kind="lighting", status="applied")
    assert push_raw(live_server, headers, base)["rejected"] == []
    return headers


NaN, Inf = float("nan"), float("inf")

# (table, field, value, reason): each pushed as a change to a row that exists and is in scope.
BAD_VALUES = [
    ("formresponse", "form_version", 2**64, v.OUT_OF_RANGE),
    ("formresponse", "form_version", 0, v.OUT_OF_RANGE),
    ("renovationproject", "budget", NaN, v.NOT_FINITE),
    ("renovationproject", "budget", Inf, v.NOT_FINITE),
    ("renovationproject", "budget", 2**70, v.OUT_OF_RANGE),
    ("renovationproject", "budget", "100", v.WRONG_TYPE),
    ("formresponse", "answers.family_size", deep(300), v.TOO_DEEP),
    ("formresponse", "answers.note", {"x": NaN}, v.NOT_FINITE),
    ("household", "region_code", "３３０８０２００１００１", v.BAD_REGION_CODE),
    ("household", "region_code", "33080200100", v.BAD_REGION_CODE),
    ("person", "gender", "X", v.NOT_IN_ENUM),
    ("person", "category", "9", v.NOT_IN_ENUM),
    ("person", "level", "5", v.NOT_IN_ENUM),
    ("person", "status", "lost", v.NOT_IN_ENUM),
    ("household", "economic_status", "rich", v.NOT_IN_ENUM),
    ("renovationproject", "kind", "swimming_pool", v.NOT_IN_ENUM),
    ("renovationproject", "status", "done", v.NOT_IN_ENUM),
    ("person", "birth_date", "2023-02-30", v.BAD_DATE),
    ("person", "birth_date", "２０２３-01-01", v.BAD_DATE),
    ("visit", "started_at", "yesterday", v.BAD_DATETIME),
    ("person", "id_number", "110105194912310021", v.BAD_ID_NUMBER),
    ("household", "note", "长" * (v.MAX_TEXT + 1), v.TOO_LONG),
    ("household", "phone", "1" * 41, v.TOO_LONG),
    ("household", "phone", "13\x009", v.CONTROL_CHARACTER),
    ("person", "household_id", "no-such-household", v.BAD_REFERENCE),
    ("formresponse", "answers.age", "abc", v.BAD_ANSWER),
    ("formresponse", "answers.gender", "X", v.BAD_ANSWER),
    ("formresponse", "answers.no_such_question", 1, v.BAD_ANSWER),
    ("household", "colour", "blue", v.UNKNOWN_FIELD),
]
ROW_OF = {"household": "h-good", "person": "p-good", "visit": "v-good", "formresponse": "f-good"}
ROW_OF["renovationproject"] = "rp-good"


@pytest.mark.parametrize(("tbl", "field", "value", "reason"), BAD_VALUES, ids=lambda x: str(x)[:24])
def test_bad_value_is_refused_with_its_reason_and_not_stored(live_server, hostile, tbl, field, value, reason):
    row_id = ROW_OF[tbl]
    before = stored(live_server, tbl, row_id)
    answer = push_raw(live_server, hostile, [ch(tbl, row_id, field, value)])
    [refused] = answer["rejected"]
    assert (refused["index"], refused["reason"]) == (0, reason), refused
    assert refused["code"] == "invalid" and refused["message"]
    assert any("\u4e00" <= c <= "\u9fff" for c in refused["message"])  # a Chinese message
    assert answer["applied"] == 0
    assert stored(live_server, tbl, row_id) == before


@pytest.mark.parametrize(
    ("hlc", "reason"),
    [
        ("１７６４６００００００００-00000-" + DEVICE, v.BAD_CLOCK),  # full-width digits sort above any clock
        ("1764600000000-00000-" + DEVICE + "-x", v.BAD_CLOCK),
        ("1764600000000-0000-" + DEVICE, v.BAD_CLOCK),
        (None, "device_mismatch"),  # a clock naming another device
    ],
)
def test_bad_clock_is_refused(live_server, hostile, hlc, reason):
    hlc = hlc or clock(device="someoneelse")
    answer = push_raw(live_server, hostile, [ch("household", "h-good", "phone", "139", hlc)])
    assert [r["reason"] for r in answer["rejected"]] == [reason]
    assert stored(live_server, "household", "h-good")["phone"] == "1390"


def test_new_row_with_a_full_width_region_is_refused_whole(live_server, hostile):
    answer = push_raw(
        live_server, hostile, row("household", "h-fw", region_code="３３０８０２００１００１", phone="1")
    )
    assert len(answer["rejected"]) == 2 and answer["rejected"][0]["reason"] == v.BAD_REGION_CODE
    assert stored(live_server, "household", "h-fw") is None


def test_reference_to_a_row_of_another_region_is_refused(live_server, hostile):
    live_server.create_user("bob", regions=("330881",))
    bob = token_for(live_server, "bob", "bobdev")
    theirs = [{**c, "hlc": clock("bobdev")} for c in row("household", "h-bob", region_code=OTHER_REGION)]
    assert push_raw(live_server, bob, theirs)["rejected"] == []
    answer = push_raw(live_server, hostile, [ch("person", "p-good", "household_id", "h-bob")])
    assert [(r["code"], r["reason"]) for r in answer["rejected"]] == [
        ("out_of_scope", "reference_out_of_scope")
    ]
    assert stored(live_server, "person", "p-good")["household_id"] == "h-good"


def test_honest_laptop_syncs_to_completion_after_every_hostile_push(live_server, hostile, laptop):
    for tbl, field, value, _reason in BAD_VALUES:
        push_raw(live_server, hostile, [ch(tbl, ROW_OF[tbl], field, value)])
    push_raw(
        live_server, hostile, row("household", "h-fw", region_code="３３０８０２００１００１", phone="1")
    )
    honest = laptop("honest")
    report = honest.sync()
    assert report.rejected == 0 and report.pulled_rows == 5
    assert honest.sync().pulled_rows == 0  # the cursor moved past everything
