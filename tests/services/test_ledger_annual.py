"""年度动态更新台账: per person the year's visit outcome and the registry fields changed this year, cell by cell."""

from __future__ import annotations

import random
from datetime import datetime

from openpyxl import load_workbook

from app.cli import main
from app.domain.localtime import CHINA_TIME
from app.forms.definition import get_form
from app.forms.synthetic import fill_form
from app.services.ledger import LedgerKind, export_ledger, region_names
from app.services.ledger_annual import annual_update_ledger
from app.services.registry import RegistryService
from app.services.visits import VisitService
from app.store.models import Household, Person, Visit
from tests.helpers.profiles import a_village, household_data, person_data
from tests.services.test_certificates_service import an_id

HEADERS = ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "家庭住址", "姓名", "身份证号", "残疾类别",
           "残疾等级", "本年访视次数", "最近访视日期", "访视结果", "人员状态", "本年变更项目"]  # fmt: skip


def _visit(
    visits: VisitService, household_id: str, person_id: str, outcome: str, complete: bool = True
) -> Visit:
    visit = visits.start_visit("zhangli", household_id, person_id, ["needs_assessment"])
    (response,) = visits.responses(visit.id)
    form = get_form("needs_assessment")
    filled = fill_form(form, response.answers, random.Random(3), wants={"visit_outcome": outcome})
    for key, value in filled.answers.items():
        q = form.questions.get(key)
        if q is not None and q.type != "calculate" and response.answers.get(key) != value:
            visits.save_answer("zhangli", response.id, key, value)
    if complete:
        visits.complete_visit("zhangli", visit.id)
    return visit


def _profile(store):
    """Rows created a minute ago (their creation is not a change), then this year's visits and edits."""
    store.clock.offset_ms = -60_000
    reg = RegistryService(store)
    village = a_village()
    a = reg.save_household("zhangli", household_data(address="幸福路2号", region_code=village))
    b = reg.save_household(
        "zhangli", household_data(address="幸福路10号", region_code=village, head_name="李国")
    )
    ids = {name: an_id() for name in ("王芳", "王军", "李四", "李五")}
    people = {
        name: reg.save_person(
            "zhangli",
            hh.id,
            person_data(
                name=name, id_number=ids[name], cert_number=ids[name] + kw["category"] + kw["level"], **kw
            ),
        )
        for name, hh, kw in (
            ("王芳", a, {"category": "4", "level": "1"}),
            ("王军", a, {"category": "1", "level": "3"}),
            ("李四", b, {"category": "2", "level": "2"}),
            ("李五", b, {"category": "5", "level": "4"}),
        )
    }
    store.clock.offset_ms = 0
    visits = VisitService(store)
    _visit(visits, a.id, people["王芳"].id, "seen")
    _visit(visits, a.id, people["王芳"].id, "deceased")  # the latest visit of the year counts
    _visit(visits, a.id, people["王军"].id, "not_seen")
    old = _visit(visits, b.id, people["李四"].id, "lost_contact")
    with store.unit_of_work("zhangli") as uow:  # that visit was last year's after all
        uow.update(uow.get(Visit, old.id), started_at="2001-06-01T02:00:00.000Z")
        uow.update(uow.get(Person, people["李四"].id), status="registered")
        uow.update(uow.get(Person, people["王军"].id), phone="13811112222")
        uow.update(uow.get(Household, b.id), address="幸福路10号之一")
    _visit(visits, b.id, people["李五"].id, "moved_out", complete=False)  # a draft is not a visit made
    return people, ids, village


def test_annual_update_every_cell(store, tmp_path):
    people, ids, village = _profile(store)
    out = tmp_path / "annual.xlsx"
    count = export_ledger(store, "annual-update", out, exported_at=datetime(2026, 11, 25, 9, 30))
    ws = load_workbook(out).active
    assert ws.title == LedgerKind.ANNUAL_UPDATE.label == "年度动态更新台账"
    assert [c.value for c in ws[3]] == HEADERS
    county, township, name = region_names(village)
    today = datetime.now(CHINA_TIME).replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)

    def masked(who):
        return ids[who][:6] + "********" + ids[who][-4:]

    expected = [
        (1, county, township, name, "幸福路2号", "王芳", masked("王芳"), "肢体残疾", "一级", 2, today, "死亡",
         "死亡", "人员状态"),
        (2, county, township, name, "幸福路2号", "王军", masked("王军"), "视力残疾", "三级", 1, today,
         "未见本人（家属代答）", "在册", "联系电话"),
        (3, county, township, name, "幸福路10号之一", "李四", masked("李四"), "听力残疾", "二级", 0, None,
         "本年未访视", "在册", "人员状态、家庭住址"),
        (4, county, township, name, "幸福路10号之一", "李五", masked("李五"), "智力残疾", "四级", 0, None,
         "本年未访视", "在册", "家庭住址"),
    ]  # fmt: skip
    rows = [tuple(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    assert count == 4 and rows == expected


def test_another_year_has_only_its_visits(store):
    _profile(store)
    ledger = annual_update_ledger(store, 2001)
    by_name = {r[4]: r for r in ledger.rows}
    assert by_name["李四"][8:12] == (1, datetime(2001, 6, 1).date(), "失联", "在册")
    assert by_name["王芳"][8] == 0 and by_name["王芳"][10] == "本年未访视"
    assert all(r[12] == "" for r in ledger.rows)  # nothing was changed in 2001


def test_cli_exports_the_annual_update(store, tmp_path, capsys):
    _profile(store)
    out = tmp_path / "a.xlsx"
    assert (
        main(["ledger", "export", "--home", str(store.home), "--kind", "annual-update", "--out", str(out)])
        == 0
    )
    assert "年度动态更新台账 4 条" in capsys.readouterr().out
