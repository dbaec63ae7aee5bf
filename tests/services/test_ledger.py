"""Ledgers (台账): every kind read back from the .xlsx, masking, tombstones, order, and the command line."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import text
from sqlmodel import select

from app.cli import main
from app.domain.enums import (
    CheckResult,
    DisabilityCategory,
    DisabilityLevel,
    EconomicStatus,
    Gender,
    HouseGrade,
    HousingType,
    PersonStatus,
    ProjectKind,
    ProjectStatus,
    VisitStatus,
)
from app.domain.ids import mask_id_number, parse_id_number
from app.domain.needs import NeedClosedKind, NeedStatus, NeedType
from app.forms.catalogs import load_catalog
from app.forms.definition import get_form
from app.services.acceptance import AcceptanceService
from app.services.ledger import (
    LedgerKind,
    UnknownLedgerKind,
    build_ledger,
    china_time,
    export_ledger,
    filing_key,
    region_names,
)
from app.services.projects import PlanLine, ProjectService
from app.services.registry import RegistryService
from app.services.seed import seed_store
from app.store.models import (
    Acceptance,
    AuditEvent,
    Certificate,
    FormResponse,
    Household,
    NeedItem,
    Person,
    RenovationItem,
    RenovationProject,
    User,
    Visit,
)
from app.store.store import Store
from tests.helpers.profiles import a_village, household_data, person_data
from tests.services.test_acceptance_service import TODAY, awaiting_project, fill_all
from tests.services.test_certificates_service import an_id

HEADERS = {
    "households": ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "家庭住址", "户主姓名", "联系电话",
                   "家庭经济状况", "住房类型", "危房等级", "在册残疾人数", "最近访视日期"],
    "persons": ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "家庭住址", "姓名", "性别", "身份证号",
                "残疾人证号", "残疾类别", "残疾等级", "人员状态", "与户主关系", "家庭经济状况",
                "困难残疾人生活补贴", "重度残疾人护理补贴", "最近访视日期"],
    "visits": ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "访视日期", "起止时间", "被访残疾人",
               "户主姓名", "家庭住址", "访视人员", "访视状态", "已完成表单数", "已完成表单"],
    "projects": ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "家庭住址", "户主姓名", "残疾人",
                 "项目类型", "项目名称", "项目状态", "施工单位", "预算（元）", "计划金额（元）",
                 "结算金额（元）", "申请日期", "完成期限", "验收日期", "验收结论", "验收单编号"],
    "needs": ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "家庭住址", "姓名", "身份证号", "需求类型",
              "需求内容", "转介去向（责任单位）", "跟进状态", "登记日期", "办理期限", "是否逾期", "办结日期",
              "办结方式", "办结说明"],
    "devices": ["序号", "辅具类别", "器具编码", "分类代码", "器具名称", "单位", "需求人数", "需求数量",
                "其中需评估", "其中到期更换", "补贴标准（元）", "金额（元）"],
    "acceptances": ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "家庭住址", "户主姓名", "残疾人",
                    "项目类型", "项目名称", "施工单位", "申请日期", "开工日期", "竣工日期", "验收轮次",
                    "验收日期", "验收组成员", "验收结论", "群众满意度", "整改期限", "计划金额（元）",
                    "结算金额（元）", "验收单编号", "出具日期"],
    "annual-update": ["序号", "县（市、区）", "乡镇（街道）", "村（社区）", "家庭住址", "姓名", "身份证号", "残疾类别",
                      "残疾等级", "本年访视次数", "最近访视日期", "访视结果", "人员状态", "本年变更项目"],
}  # fmt: skip
LIVE_COUNT = {
    "households": "SELECT count(*) FROM household WHERE deleted = 0",
    "persons": "SELECT count(*) FROM person p JOIN household h ON h.id = p.household_id"
    " WHERE p.deleted = 0 AND h.deleted = 0",
    "visits": "SELECT count(*) FROM visit v JOIN household h ON h.id = v.household_id"
    " WHERE v.deleted = 0 AND h.deleted = 0",
    "projects": "SELECT count(*) FROM renovationproject r JOIN household h ON h.id = r.household_id"
    " WHERE r.deleted = 0 AND h.deleted = 0",
}
FORMULA_ADDRESS = "=1+1 幸福路8号"


@dataclass
class Profile:
    store: Store
    passed_project: str


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """Seeded households plus hand-made rows: a passed project, a formula-like address, tombstones."""
    store = Store(tmp_path_factory.mktemp("ledger") / "profile")
    seed_store(store, 25, seed=11)
    reg = RegistryService(store)
    village = a_village()
    made = {}
    for address, name in (("幸福路12号", "钱十二"), ("幸福路3号", "钱三"), (FORMULA_ADDRESS, "钱公式")):
        h = reg.save_household(
            "zhangli", household_data(address=address, head_name=name, region_code=village)
        )
        number = an_id()
        made[name] = reg.save_person(
            "zhangli", h.id, person_data(name=name, id_number=number, cert_number=number + "42")
        )
    gone = reg.save_household("zhangli", household_data(address="删除测试路2号", head_name="贾随户"))
    number = an_id()
    reg.save_person("zhangli", gone.id, person_data(name="贾随户", id_number=number, cert_number=""))
    kept = reg.save_household("zhangli", household_data(address="删除测试路1号", head_name="甄留户"))
    number = an_id()
    dropped = reg.save_person(
        "zhangli", kept.id, person_data(name="甄删除", id_number=number, cert_number="")
    )
    reg.delete_person("zhangli", dropped.id)

    number = an_id()
    project = awaiting_project(
        store, person={"name": "孙验收", "id_number": number, "cert_number": number + "42"}
    )
    _need_items(store, made["钱三"], project, gone)
    acceptance = AcceptanceService(store, today=TODAY)
    started = acceptance.start("yanshou", project.id, team=["李强", "陈丽"])
    fill_all(acceptance, started.id)
    assert acceptance.finish("yanshou", started.id).passed
    projects = ProjectService(store, today=TODAY)
    doomed = projects.create_project(
        "zhangli", household_id=kept.id, kind="lighting", lines=[PlanLine("ZM-01", 5)], title="已删除项目"
    )
    devices_home = reg.save_household("zhangli", household_data(address="辅具路1号", head_name="周辅具"))
    with store.unit_of_work("zhangli") as uow:
        uow.session.add(User(username="zhangli", display_name="张丽"))
        visit = uow.add(
            Visit(household_id=kept.id, worker="zhangli", status="completed", region_code=kept.region_code,
                  started_at="2026-03-04T16:30:00.000Z", ended_at="2026-03-04T17:10:00.000Z")
        )  # fmt: skip
        uow.add(
            FormResponse(visit_id=visit.id, form_id="needs_assessment", form_version=1, status="completed")
        )
        uow.add(FormResponse(visit_id=visit.id, form_id="housing_condition", form_version=1))
        gone_visit = uow.add(
            Visit(household_id=kept.id, worker="ghost", status="completed", region_code=kept.region_code,
                  started_at="2026-03-01T01:00:00.000Z")
        )  # fmt: skip
        uow.delete(gone_visit)
        uow.delete(uow.get(RenovationProject, doomed.id))
        uow.delete(uow.get(Household, gone.id))
        _device_needs(uow, devices_home.id)
    yield Profile(store, project.id)
    store.close()


def _need_items(store, person, project, gone_household):
    """Need items in every state: overdue, in hand, unable, one closed by the project's acceptance, tombstones."""

    def need(**kw):
        base = dict(household_id=person.household_id, person_id=person.id, region_code=person.region_code,
                    need_type="rehabilitation", opened_on="2026-01-05")  # fmt: skip
        return NeedItem(**{**base, **kw})

    with store.unit_of_work("zhangli") as uow:
        uow.add(need(detail="肢体功能训练", due_on="2026-02-04"))  # open and overdue
        uow.add(need(need_type="device", detail="普通轮椅", status="in_progress", referral_to="市辅具中心",
                     due_on="2099-03-06"))  # fmt: skip
        uow.add(need(need_type="employment", status="unable", due_on="2026-02-04", closed_on="2026-03-01",
                     closed_kind="manual", close_reason="本人无就业意愿"))  # fmt: skip
        uow.add(need(household_id=project.household_id, person_id=project.person_id, need_type="lighting",
                     status="referred", region_code=project.region_code, due_on="2026-04-05"))  # fmt: skip
        uow.delete(uow.add(need(detail="已删除的需求")))
        uow.add(need(household_id=gone_household.id, person_id=None, detail="户已删除"))


def _devices_form(uow, household_id, person_id, started, entries, *, has_need=True, status="completed"):
    visit = uow.add(
        Visit(household_id=household_id, person_id=person_id, worker="zhangli", status="completed",
              region_code=a_village(), started_at=started)
    )  # fmt: skip
    answers = {"has_need": has_need, "devices": [f"e{i}" for i in range(len(entries))]}
    for i, entry in enumerate(entries):
        answers.update({f"devices[e{i}].{k}": v for k, v in entry.items()})
    return uow.add(
        FormResponse(
            visit_id=visit.id, form_id="assistive_devices", form_version=2, status=status, answers=answers
        )
    )


def _device_needs(uow, household_id):
    """Device needs: two persons, one with an older (superseded) form, a draft and a tombstoned one."""
    people = uow.session.exec(select(Person).where(Person.deleted == False).limit(3)).all()  # noqa: E712
    a, b, c = (p.id for p in people)
    wheelchair = {"device_class": "12", "device": "D01", "quantity": 1, "assessment_needed": False}
    _devices_form(
        uow, household_id, a, "2026-01-01T01:00:00.000Z", [{**wheelchair, "quantity": 5}]
    )  # superseded
    _devices_form(uow, household_id, a, "2026-02-01T01:00:00.000Z", [
        {**wheelchair, "has_one": True, "replacement_overdue": True},
        {"device_class": "12", "device": "D03", "quantity": 2, "assessment_needed": True},
    ])  # fmt: skip
    _devices_form(uow, household_id, b, "2026-02-02T01:00:00.000Z", [{**wheelchair, "quantity": 2}])
    _devices_form(
        uow, household_id, b, "2026-03-02T01:00:00.000Z", [{**wheelchair, "quantity": 9}], status="draft"
    )
    _devices_form(uow, household_id, c, "2026-02-03T01:00:00.000Z", [wheelchair], has_need=False)
    uow.delete(
        _devices_form(uow, household_id, c, "2026-02-04T01:00:00.000Z", [{**wheelchair, "quantity": 7}])
    )


def _export(profile, tmp_path, kind):
    out = tmp_path / f"{kind}.xlsx"
    count = export_ledger(profile.store, kind, out, exported_at=datetime(2026, 11, 25, 9, 30))
    return count, load_workbook(out).active


def _rows(profile, tmp_path, kind):
    count, ws = _export(profile, tmp_path, kind)
    header = [c.value for c in ws[3]]
    rows = [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=4, values_only=True)]
    assert count == len(rows)
    return rows, ws


def _letter(kind, header):
    return get_column_letter(HEADERS[kind].index(header) + 1)


def _live(store, kind):
    with store.engine.connect() as conn:
        return conn.execute(text(LIVE_COUNT[kind])).scalar_one()


@pytest.mark.parametrize("kind", list(LedgerKind))
def test_every_kind_has_title_time_headers_and_numbered_rows(profile, tmp_path, kind):
    count, ws = _export(profile, tmp_path, kind)
    assert ws.title == ws["A1"].value == kind.label
    assert ws["A1"].alignment.horizontal == "left"  # on screen from column A, not centred out of view
    assert ws["A2"].value.startswith("导出时间：2026-11-25 09:30") and f"共 {count} 条" in ws["A2"].value
    assert [c.value for c in ws[3]] == HEADERS[kind.value]
    assert all(c.font.b for c in ws[3]) and ws.freeze_panes == "A4"
    assert ws.auto_filter.ref.startswith("A3:")
    assert all(ws.column_dimensions[c].width >= 6 for c in "ABCDE")
    numbers = [row[0] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert numbers == list(range(1, count + 1)) and count > 0
    if kind.value in LIVE_COUNT:
        assert count == _live(profile.store, kind.value)


def test_persons_are_masked_labelled_and_tombstones_left_out(profile, tmp_path):
    rows, ws = _rows(profile, tmp_path, "persons")
    with profile.store.engine.connect() as conn:
        numbers = dict(conn.execute(text("SELECT name, id_number FROM person")).all())
    every_text = " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert not any(n in every_text for n in numbers.values())  # not even inside a certificate number
    assert all(r["身份证号"][6:14] == "********" for r in rows)
    assert all(r["残疾人证号"] == "" or r["残疾人证号"][6:14] == "********" for r in rows)
    qian = next(r for r in rows if r["姓名"] == "钱三")
    assert qian["身份证号"] == mask_id_number(numbers["钱三"])
    assert (qian["残疾类别"], qian["残疾等级"]) == ("肢体残疾", "二级")
    assert qian["性别"] == parse_id_number(numbers["钱三"]).gender.label
    assert qian["家庭经济状况"] == "低保" and qian["与户主关系"] == "户主"
    assert qian["残疾人证号"].endswith("42") and qian["重度残疾人护理补贴"] == "否"
    assert qian["村（社区）"] == region_names(a_village())[2] and qian["县（市、区）"] == "柯城区"
    assert {r["残疾类别"] for r in rows} <= {c.label for c in DisabilityCategory} | {""}
    assert {r["残疾等级"] for r in rows} <= {lv.label for lv in DisabilityLevel} | {""}
    assert {r["人员状态"] for r in rows} <= {s.label for s in PersonStatus}
    names = {r["姓名"] for r in rows}
    assert "甄删除" not in names  # tombstoned person
    assert "贾随户" not in names  # person of a tombstoned household
    visited = [r["最近访视日期"] for r in rows if r["最近访视日期"] is not None]
    assert visited and all(isinstance(d, datetime) for d in visited)  # real dates, not text
    column = ws[_letter("persons", "最近访视日期")][3:]
    cell = next(c for c in column if c.value is not None)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_rows_are_in_filing_order_and_text_never_becomes_a_formula(profile, tmp_path):
    rows, ws = _rows(profile, tmp_path, "households")
    addresses = [r["家庭住址"] for r in rows]
    assert addresses.index("幸福路3号") < addresses.index("幸福路12号")  # numbers in numeric order
    assert "删除测试路2号" not in addresses and "删除测试路1号" in addresses
    cell = next(c for c in ws[_letter("households", "家庭住址")] if c.value == FORMULA_ADDRESS)
    assert cell.data_type == "s"
    kept = next(r for r in rows if r["家庭住址"] == "删除测试路1号")
    assert kept["在册残疾人数"] == 0 and kept["家庭经济状况"] == "低保"  # its only member is tombstoned
    assert next(r for r in rows if r["家庭住址"] == "幸福路3号")["在册残疾人数"] == 1
    assert kept["最近访视日期"] == datetime(2026, 3, 5)  # 16:30 UTC is the next morning in China


def test_visits_show_china_dates_worker_names_and_completed_forms(profile, tmp_path):
    rows, _ws = _rows(profile, tmp_path, "visits")
    mine = [r for r in rows if r["家庭住址"] == "删除测试路1号"]
    assert len(mine) == 1  # the tombstoned visit is left out
    assert mine[0]["访视日期"] == datetime(2026, 3, 5) and mine[0]["起止时间"] == "00:30–01:10"
    assert (mine[0]["访视人员"], mine[0]["访视状态"]) == ("张丽", "已完成")
    forms = (mine[0]["已完成表单数"], mine[0]["已完成表单"])
    assert forms == (1, "需求评估")  # the draft form is not counted
    assert "ghost" not in {r["访视人员"] for r in rows}


def test_projects_show_labels_amounts_and_acceptance(profile, tmp_path):
    rows, ws = _rows(profile, tmp_path, "projects")
    assert "已删除项目" not in {r["项目名称"] for r in rows}
    passed = next(r for r in rows if r["残疾人"] == "孙验收")
    detail = ProjectService(profile.store).detail(profile.passed_project)
    labels = (passed["项目类型"], passed["项目状态"], passed["验收结论"])
    assert labels == ("室内照明线路改造", "验收合格", "合格")
    assert detail.totals.planned > 0
    assert passed["计划金额（元）"] == pytest.approx(float(detail.totals.planned))
    assert passed["结算金额（元）"] == pytest.approx(float(detail.totals.actual))
    assert passed["验收日期"] == datetime.combine(TODAY, datetime.min.time())
    assert passed["施工单位"] == "衢州安居装饰" and isinstance(passed["申请日期"], datetime)
    money = next(c for c in ws[_letter("projects", "计划金额（元）")][3:] if c.value)
    assert money.number_format == "#,##0.00"


def test_needs_ledger_lists_need_items_with_their_state(profile, tmp_path):
    rows, _ws = _rows(profile, tmp_path, "needs")
    mine = {r["需求类型"]: r for r in rows if r["姓名"] == "钱三"}
    assert (mine["康复服务"]["跟进状态"], mine["康复服务"]["是否逾期"]) == ("待办", "是")
    assert mine["康复服务"]["身份证号"].count("*") == 8
    assert (mine["辅助器具"]["跟进状态"], mine["辅助器具"]["是否逾期"]) == ("办理中", "否")
    assert mine["辅助器具"]["转介去向（责任单位）"] == "市辅具中心"
    assert (mine["就业帮扶"]["跟进状态"], mine["就业帮扶"]["办结方式"]) == ("无法办理", "人工办结")
    (lighting,) = [r for r in rows if r["姓名"] == "孙验收" and r["需求类型"] == "照明线路改造"]
    assert (lighting["跟进状态"], lighting["办结方式"]) == ("已办结", "改造项目验收")
    assert lighting["办结日期"] == datetime.combine(TODAY, datetime.min.time())
    assert not {"已删除的需求", "户已删除"} & {r["需求内容"] for r in rows}


def test_export_is_audited_and_reports_progress(profile, tmp_path):
    seen = []
    count = export_ledger(
        profile.store, "persons", tmp_path / "p.xlsx", actor="zhangli", progress=lambda *a: seen.append(a)
    )
    assert seen[-1] == (count, count)
    with profile.store.engine.connect() as conn:
        sql = "SELECT detail FROM auditevent WHERE action = 'export' AND tbl = 'ledger' AND actor = :a"
        detail = conn.execute(text(sql), {"a": "zhangli"}).scalar_one()
    assert detail == f"残疾人台账 {count} 行 -> p.xlsx"


def test_a_failed_write_leaves_the_old_file_and_no_part_file(profile, tmp_path, monkeypatch):
    out = tmp_path / "old.xlsx"
    out.write_bytes(b"old")

    real_close = zipfile.ZipFile.close

    def broken(self):
        first = self.fp is not None
        real_close(self)  # the temporary file is there, then the disk fills up
        if first:  # (not again from ZipFile.__del__)
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "close", broken)
    with pytest.raises(OSError):
        export_ledger(profile.store, "households", out)
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["old.xlsx"]


def test_empty_profile_still_gives_a_sheet_with_headers(store, tmp_path):
    count, ws = _export(Profile(store, ""), tmp_path, "projects")
    assert count == 0 and [c.value for c in ws[3]] == HEADERS["projects"]


def test_helpers():
    with pytest.raises(UnknownLedgerKind, match="未知的台账类型“families”"):
        build_ledger(None, "families")  # type: ignore[arg-type]
    assert china_time("2026-03-04T16:30:00.000Z") == datetime(2026, 3, 5, 0, 30)
    assert china_time("") is None and china_time("gestern") is None
    assert sorted(["路12号", "路3号", "路3号之1"], key=filing_key) == ["路3号", "路3号之1", "路12号"]
    assert region_names("999999999999") == ("", "", "999999999999")


# --- the command line -------------------------------------------------------------------


def _cli(home, kind, out):
    return main(["ledger", "export", "--home", str(home), "--kind", kind, "--out", str(out)])


def test_cli_exports(profile, tmp_path, capsys):
    out = tmp_path / "访视.xlsx"
    assert _cli(profile.store.home, "visits", out) == 0
    assert f"已导出入户访视台账 {_live(profile.store, 'visits')} 条到 {out}" in capsys.readouterr().out
    assert load_workbook(out).active.title == "入户访视台账"


@pytest.mark.parametrize(
    ("kind", "where", "message"),
    [
        ("families", "ok", "未知的台账类型“families”，可选：households（家庭户台账）"),
        ("persons", "no-profile", "中没有 HomeVisit 数据"),
        ("persons", "no-dir", "不存在"),
        ("persons", "a-dir", "是一个文件夹"),
        ("persons", "csv", "应以 .xlsx 结尾"),
    ],
)
def test_cli_refuses_bad_input_in_chinese(profile, tmp_path, capsys, kind, where, message):
    home = tmp_path / "nowhere" if where == "no-profile" else profile.store.home
    out = {
        "no-dir": tmp_path / "missing" / "a.xlsx",
        "a-dir": tmp_path,
        "csv": tmp_path / "a.csv",
    }.get(where, tmp_path / "a.xlsx")
    assert _cli(home, kind, out) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists() and list(tmp_path.iterdir()) == []


def test_cli_reports_a_write_error(profile, tmp_path, capsys, monkeypatch):
    real_close = zipfile.ZipFile.close

    def refuse(self):
        first = self.fp is not None
        real_close(self)
        if first:
            raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(zipfile.ZipFile, "close", refuse)
    assert _cli(profile.store.home, "households", tmp_path / "a.xlsx") == 2
    assert "无法写入" in capsys.readouterr().err and list(tmp_path.iterdir()) == []


def test_devices_procurement_list_cell_by_cell(profile, tmp_path):
    rows, ws = _rows(profile, tmp_path, "devices")
    # Latest completed form per person only: a (1 wheelchair, 2 crutches), b (2 wheelchairs).
    assert rows == [
        {"序号": 1, "辅具类别": "个人移动辅助器具", "器具编码": "D01", "分类代码": load_catalog("devices").lookup("D01", "iso_code"), "器具名称": "普通轮椅",
         "单位": "辆", "需求人数": 2, "需求数量": 3, "其中需评估": 0, "其中到期更换": 1,
         "补贴标准（元）": 1200, "金额（元）": 3600},
        {"序号": 2, "辅具类别": "个人移动辅助器具", "器具编码": "D03", "分类代码": load_catalog("devices").lookup("D03", "iso_code"), "器具名称": "腋拐",
         "单位": "副", "需求人数": 1, "需求数量": 2, "其中需评估": 2, "其中到期更换": 0,
         "补贴标准（元）": None, "金额（元）": None},
    ]  # fmt: skip
    money = ws[_letter("devices", "金额（元）")][3]
    assert money.number_format == "#,##0.00"


def test_acceptances_ledger_cell_by_cell(profile, tmp_path):
    rows, _ = _rows(profile, tmp_path, "acceptances")
    store = profile.store
    with store.session() as s:
        done = s.exec(select(Acceptance).where(Acceptance.status == "completed")).all()
        project = s.get(RenovationProject, profile.passed_project)
        household = s.get(Household, project.household_id)
        person = s.get(Person, project.person_id)
        certificate = s.exec(select(Certificate).where(Certificate.acceptance_id == done[0].id)).first()
        items = s.exec(select(RenovationItem).where(RenovationItem.project_id == project.id)).all()
    assert len(rows) == len(done) == 1
    [row] = rows
    county, town, village = region_names(household.region_code)
    planned = sum(Decimal(str(i.unit_price)) * Decimal(str(i.planned_qty)) for i in items)
    settled = sum(
        Decimal(str(i.unit_price)) * Decimal(str(i.actual_qty)) for i in items if i.actual_qty is not None
    )
    acc = done[0]
    expected = {
        "序号": 1, "县（市、区）": county, "乡镇（街道）": town, "村（社区）": village,
        "家庭住址": household.address, "户主姓名": household.head_name, "残疾人": person.name,
        "项目类型": "室内照明线路改造", "项目名称": project.title, "施工单位": project.contractor or None,
        "申请日期": datetime.combine(china_time(project.created_at).date(), datetime.min.time()),
        "验收轮次": acc.round, "验收日期": datetime.fromisoformat(acc.accepted_on),
        "验收组成员": "李强、陈丽", "验收结论": "合格", "群众满意度": acc.satisfaction,
        "整改期限": None, "计划金额（元）": float(planned), "结算金额（元）": float(settled),
        "验收单编号": acc.certificate_serial or None,
        "出具日期": datetime.combine(china_time(certificate.issued_at).date(), datetime.min.time()) if certificate else None,
    }  # fmt: skip
    started, finished = row.pop("开工日期"), row.pop("竣工日期")
    assert row == expected
    assert isinstance(started, datetime) and isinstance(finished, datetime) and started <= finished


# --- every cell of every row against the database ------------------------------------------------------


def _names(code):
    """County, township, village of a code, read from the catalogue directly."""
    from app.domain.regions import default_catalog

    levels = {r.level.value: r.name for r in default_catalog().path(code)}
    return levels.get("county", ""), levels.get("township", ""), levels.get("village", "")


def _day(stamp):
    """The China-time day of a UTC stamp, as openpyxl reads a date cell back."""
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(hours=8)
    return datetime(moment.year, moment.month, moment.day)


def _sheet(profile, tmp_path, kind):
    _, ws = _export(profile, tmp_path, kind)
    return sorted(
        (tuple(row[1:]) for row in ws.iter_rows(min_row=4, values_only=True)), key=lambda r: repr(r)
    )


def _expected(rows):
    """Empty text reads back as an empty cell."""
    return sorted((tuple(None if v == "" else v for v in row) for row in rows), key=lambda r: repr(r))


def _db(store, sql):
    with store.engine.connect() as conn:
        return conn.execute(text(sql)).mappings().all()


def _housing(code):
    """The housing type's label as the ledger prints it (a code it does not know prints as stored)."""
    return {t.value: t.label for t in HousingType}.get(code or "", code)


def test_households_ledger_every_cell(profile, tmp_path):
    store = profile.store
    rows = []
    for h in _db(store, "SELECT * FROM household WHERE deleted = 0"):
        members = _db(
            store,
            f"SELECT count(*) AS n FROM person WHERE household_id = '{h['id']}' AND deleted = 0 AND status = 'registered'",
        )
        last = _db(
            store,
            f"SELECT max(started_at) AS t FROM visit WHERE household_id = '{h['id']}' AND deleted = 0 AND status = 'completed'",
        )
        grade = {g.value: g.label for g in HouseGrade}.get(h["house_grade"] or "", h["house_grade"] or "")
        rows.append((*_names(h["region_code"]), h["address"], h["head_name"], h["phone"],
                     EconomicStatus(h["economic_status"]).label, _housing(h["housing_type"]), grade,
                     members[0]["n"], _day(last[0]["t"])))  # fmt: skip
    assert _sheet(profile, tmp_path, "households") == _expected(rows)


def test_persons_ledger_every_cell(profile, tmp_path):
    store = profile.store
    rows = []
    sql = (
        "SELECT p.*, h.address, h.economic_status FROM person p JOIN household h ON h.id = p.household_id"
        " WHERE p.deleted = 0 AND h.deleted = 0"
    )
    for p in _db(store, sql):
        last = _db(
            store,
            f"SELECT max(started_at) AS t FROM visit WHERE person_id = '{p['id']}' AND deleted = 0 AND status = 'completed'",
        )
        idn, cert = p["id_number"], p["cert_number"]
        rows.append((*_names(p["region_code"]), p["address"], p["name"], Gender(p["gender"]).label,
                     idn[:6] + "********" + idn[-4:], (cert[:6] + "********" + cert[14:]) if cert else "",
                     DisabilityCategory(p["category"]).label if p["category"] else "",
                     DisabilityLevel(p["level"]).label if p["level"] else "",
                     PersonStatus(p["status"]).label, p["relation"], EconomicStatus(p["economic_status"]).label,
                     "是" if p["has_living_subsidy"] else "否", "是" if p["has_care_subsidy"] else "否",
                     _day(last[0]["t"])))  # fmt: skip
    assert _sheet(profile, tmp_path, "persons") == _expected(rows)


def test_visits_ledger_every_cell(profile, tmp_path):
    store = profile.store
    names = {u["username"]: u["display_name"] for u in _db(store, "SELECT * FROM user")}
    rows = []
    sql = (
        "SELECT v.*, h.address, h.head_name, h.region_code AS hregion FROM visit v"
        " JOIN household h ON h.id = v.household_id WHERE v.deleted = 0 AND h.deleted = 0"
    )
    for v in _db(store, sql):
        person = _db(store, f"SELECT name FROM person WHERE id = '{v['person_id']}' AND deleted = 0")
        forms = _db(
            store,
            f"SELECT form_id, form_version FROM formresponse WHERE visit_id = '{v['id']}' AND deleted = 0 AND status = 'completed' ORDER BY form_id",
        )
        titles = [get_form(f["form_id"], f["form_version"]).title for f in forms]

        def hm(stamp):
            if not stamp:
                return None
            return (datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(hours=8)).strftime(
                "%H:%M"
            )

        span = f"{hm(v['started_at'])}–{hm(v['ended_at'])}" if v["ended_at"] else (hm(v["started_at"]) or "")
        rows.append((*_names(v["hregion"]), _day(v["started_at"]), span, person[0]["name"] if person else "",
                     v["head_name"], v["address"], names.get(v["worker"]) or v["worker"],
                     VisitStatus(v["status"]).label, len(titles), "、".join(titles)))  # fmt: skip
    assert _sheet(profile, tmp_path, "visits") == _expected(rows)


def test_projects_ledger_every_cell(profile, tmp_path):
    store = profile.store
    rows = []
    sql = (
        "SELECT r.*, h.address, h.head_name, h.region_code AS hregion FROM renovationproject r"
        " JOIN household h ON h.id = r.household_id WHERE r.deleted = 0 AND h.deleted = 0"
    )
    for r in _db(store, sql):
        person = _db(store, f"SELECT name FROM person WHERE id = '{r['person_id']}' AND deleted = 0")
        items = _db(store, f"SELECT * FROM renovationitem WHERE project_id = '{r['id']}' AND deleted = 0")
        planned = sum(Decimal(str(i["unit_price"])) * Decimal(str(i["planned_qty"])) for i in items)
        actual = [
            Decimal(str(i["unit_price"])) * Decimal(str(i["actual_qty"]))
            for i in items
            if i["actual_qty"] is not None
        ]
        done = _db(
            store,
            f"SELECT * FROM acceptance WHERE project_id = '{r['id']}' AND deleted = 0 AND status = 'completed' ORDER BY round DESC",
        )
        acc = done[0] if done else None
        rows.append((*_names(r["hregion"]), r["address"], r["head_name"], person[0]["name"] if person else "",
                     ProjectKind(r["kind"]).label, r["title"], ProjectStatus(r["status"]).label, r["contractor"],
                     float(r["budget"]), float(planned), float(sum(actual)) if actual else None,
                     _day(r["created_at"]),
                     datetime.fromisoformat(r["due_date"]) if r["due_date"] else None,
                     datetime.fromisoformat(acc["accepted_on"]) if acc and acc["accepted_on"] else None,
                     CheckResult(acc["conclusion"]).label if acc and acc["conclusion"] else "",
                     acc["certificate_serial"] if acc else ""))  # fmt: skip
    assert rows and _sheet(profile, tmp_path, "projects") == _expected(rows)


def test_needs_ledger_every_cell(profile, tmp_path):
    store = profile.store
    today = datetime.now(UTC) + timedelta(hours=8)
    sql = (
        "SELECT n.*, h.address FROM needitem n JOIN household h ON h.id = n.household_id"
        " WHERE n.deleted = 0 AND h.deleted = 0"
    )
    rows = []
    for n in _db(store, sql):
        person = _db(
            store, f"SELECT name, id_number FROM person WHERE id = '{n['person_id']}' AND deleted = 0"
        )
        idn = person[0]["id_number"] if person else ""
        open_ = n["status"] in ("pending", "referred", "in_progress")
        overdue = open_ and n["due_on"] != "" and n["due_on"] < today.strftime("%Y-%m-%d")
        rows.append((*_names(n["region_code"]), n["address"], person[0]["name"] if person else "",
                     idn[:6] + "********" + idn[-4:] if idn else "", NeedType(n["need_type"]).label, n["detail"],
                     n["referral_to"], NeedStatus(n["status"]).label,
                     datetime.fromisoformat(n["opened_on"]) if n["opened_on"] else None,
                     datetime.fromisoformat(n["due_on"]) if n["due_on"] else None, "是" if overdue else "否",
                     datetime.fromisoformat(n["closed_on"]) if n["closed_on"] else None,
                     NeedClosedKind(n["closed_kind"]).label if n["closed_kind"] else "", n["close_reason"]))  # fmt: skip
    assert len(rows) >= 4 and _sheet(profile, tmp_path, "needs") == _expected(rows)


# --- whole ID numbers, region and period ------------------------------------------------


def test_whole_id_numbers_only_for_a_role_that_may_and_audited(profile, tmp_path):
    from app.services.ledger import UNMASKED_NOTE, Scope, UnmaskRefused

    out = tmp_path / "full.xlsx"
    for role, regions in (("worker", ["3308"]), ("acceptor", ["3308"]), ("supervisor", ["330803"])):
        with pytest.raises(UnmaskRefused, match="无权导出完整身份证号"):
            export_ledger(
                profile.store, "persons", out, unmask=True, role=role, regions=regions, scope=Scope("330802")
            )
        assert not out.exists()
    count = export_ledger(
        profile.store, "persons", out, actor="wang", unmask=True, role="supervisor", regions=["3308"]
    )
    ws = load_workbook(out).active
    header = [c.value for c in ws[3]]
    shown = [r[header.index("身份证号")] for r in ws.iter_rows(min_row=4, values_only=True)]
    with profile.store.engine.connect() as conn:
        numbers = set(
            conn.execute(
                text("SELECT p.id_number FROM person p JOIN household h ON h.id = p.household_id "
                     "WHERE p.deleted = 0 AND h.deleted = 0")
            ).scalars()
        )  # fmt: skip
    assert len(shown) == count and set(shown) == numbers
    with profile.store.session() as s:
        entry = s.exec(select(AuditEvent).where(AuditEvent.actor == "wang")).one()
    assert entry.action == "export" and UNMASKED_NOTE in entry.detail and "unmask_id" in entry.detail
    # Masked by default, and the masked export's audit entry says nothing of the kind.
    export_ledger(profile.store, "persons", out, actor="li")
    with profile.store.session() as s:
        entry = s.exec(select(AuditEvent).where(AuditEvent.actor == "li")).one()
    assert UNMASKED_NOTE not in entry.detail


def test_region_and_period_narrow_the_ledger(profile):
    from app.domain.regions import default_catalog
    from app.services.ledger import Scope

    everything = build_ledger(profile.store, "visits")
    with profile.store.engine.connect() as conn:
        code = conn.execute(text("SELECT region_code FROM household LIMIT 1")).scalar_one()[:6]
    mine = build_ledger(profile.store, "visits", scope=Scope(code))
    assert 0 < len(mine.rows) <= len(everything.rows)
    assert {r[0] for r in mine.rows} == {default_catalog().name(code)}
    assert len(mine.rows) < len(everything.rows) or len({r[0] for r in everything.rows}) == 1
    day = everything.columns.index(next(c for c in everything.columns if c.header == "访视日期"))
    days = sorted(r[day] for r in everything.rows)
    start, end = days[len(days) // 3], days[2 * len(days) // 3]
    period = build_ledger(profile.store, "visits", scope=Scope("", start, end))
    assert [r for r in everything.rows if start <= r[day] <= end] == period.rows
    assert period.scope == f"访视日期 {start} 至 {end}"
    # A register (persons) ignores the period: it is the register as it stands.
    assert (
        build_ledger(profile.store, "persons", scope=Scope("", start, end)).rows
        == build_ledger(profile.store, "persons").rows
    )


def test_cli_narrows_by_region_and_period(profile, tmp_path, capsys):
    with profile.store.engine.connect() as conn:
        code = conn.execute(text("SELECT region_code FROM household LIMIT 1")).scalar_one()[:6]
    out = tmp_path / "v.xlsx"
    args = ["ledger", "export", "--home", str(profile.store.home), "--kind", "visits", "--out", str(out)]
    assert main([*args, "--region", code, "--from", "2026-01-01", "--to", "2026-12-31"]) == 0
    ws = load_workbook(out).active
    assert "2026-01-01 至 2026-12-31" in ws["A2"].value
    for bad, message in (
        (["--region", "33x"], "区划代码"),
        (["--from", "2026-13-01"], "格式应为 YYYY-MM-DD"),
        (["--from", "2026-05-01", "--to", "2026-04-01"], "起始日期不能晚于截止日期"),
    ):
        assert main([*args, *bad]) == 2
        assert message in capsys.readouterr().err
