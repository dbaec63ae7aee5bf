"""Realistic sample certificates with generated photos and signatures.

Used by tests, the benchmark and the demo profile. Names, addresses and
numbers are fictitious; ID numbers are masked as they would be in print.
"""

from __future__ import annotations

import math
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw

from app.certificates.serial import make_serial
from app.contract.certificate.model import CertificateData, CertificateItem, CheckLine, Fact, Rectification
from app.contract.certificate.records import parties_from
from app.domain.acceptance import checklist_for, rectification_deadline
from app.domain.enums import CheckResult, ProjectKind
from app.domain.ids import mask_cert_number, mask_id_number
from app.domain.renovation import ProjectItem, load_catalog

SAMPLE_ID = "330802195803150027"
SAMPLE_CERT = SAMPLE_ID + "42"
SIGNER_NAMES = {"resident": "王建国", "contractor": "周建华", "village": "吴小芳", "township": "徐卫东",
                "housing": "钱志强", "county": "方志刚"}  # fmt: skip
TEAM = ("刘永明", "陈丽", "郑国平")
_FACTS = {
    "project_number": "KC-{kind}-2026-0{seq}",
    "batch": "2026年第一批",
    "contract_number": "KCCL-2026-HT-0{seq}",
    "started_on": "2026年4月20日",
    "completed_on": "2026年5月8日",
    "subsidy": "{subsidy}",
    "self_funded": "{self_funded}",
    "warranty": "2年（自竣工验收之日起）",
    "contractor_contact": "周建华",
    "contractor_phone": "13857012345",
    "appraisal_body": "衢州市房屋安全鉴定中心",
    "report_number": "衢房鉴（2026）第0317号",
    "grade_before": "C",
    "grade_after": "A",
}


def make_photo(path: Path, seed: int, size: tuple[int, int] = (2000, 1500)) -> Path:
    """A phone-sized JPEG of a made-up room (walls, floor, a door) with sensor noise."""
    rnd = random.Random(seed)
    w, h = size
    img = Image.new("RGB", size, (rnd.randint(170, 230), rnd.randint(165, 220), rnd.randint(150, 210)))
    d = ImageDraw.Draw(img)
    floor = int(h * rnd.uniform(0.6, 0.75))
    d.rectangle([0, floor, w, h], fill=(rnd.randint(90, 140), rnd.randint(80, 120), rnd.randint(60, 100)))
    door_x = rnd.randint(w // 8, w // 2)
    d.rectangle([door_x, h // 5, door_x + w // 5, floor], fill=(120, 80, 50), outline=(40, 30, 20), width=8)
    d.line([0, floor, w, floor], fill=(60, 60, 60), width=6)
    for _ in range(6):
        x, y = rnd.randint(0, w), rnd.randint(0, floor)
        d.rectangle([x, y, x + rnd.randint(40, 300), y + rnd.randint(40, 200)], outline=(80, 80, 80), width=4)
    noise = Image.effect_noise(size, 18).convert("RGB")
    img = Image.blend(img, noise, 0.12)
    img.save(path, "JPEG", quality=88)
    return path


def make_signature(path: Path, seed: int) -> Path:
    """A transparent PNG with a pen-like scribble, as the signature pad saves it."""
    rnd = random.Random(seed)
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    x = 30.0
    for _stroke in range(rnd.randint(2, 4)):
        pts = []
        amp, freq, phase = rnd.uniform(20, 55), rnd.uniform(0.03, 0.08), rnd.uniform(0, 6)
        length = rnd.randint(100, 180)
        for i in range(length):
            pts.append((x + i, 100 + amp * math.sin(freq * i * 3 + phase) + rnd.uniform(-2, 2)))
        d.line(pts, fill=(15, 15, 60, 255), width=5, joint="curve")
        x += length + rnd.randint(10, 30)
    img.save(path, "PNG")
    return path


def _line(item: ProjectItem, result: CheckResult) -> CertificateItem:
    return CertificateItem(
        name=item.name,
        unit=item.unit,
        unit_price=item.unit_price,
        planned_qty=item.planned_qty,
        actual_qty=item.actual_qty,
        amount=item.actual_amount,
        result=result,
    )


def _plan(kind: ProjectKind) -> list[tuple[str, str, str]]:
    if kind is ProjectKind.LIGHTING:
        return [("ZM-01", "40", "38"), ("ZM-02", "25", "25"), ("ZM-03", "1", "1"), ("ZM-04", "1", "1"),
                ("ZM-05", "6", "6"), ("ZM-06", "6", "6"), ("ZM-07", "4", "4"), ("ZM-08", "2", "2"),
                ("ZM-09", "30", "28")]  # fmt: skip
    if kind is ProjectKind.DANGEROUS_HOUSE:
        return [("WF-01", "60", "60"), ("WF-02", "25", "24"), ("WF-03", "4", "4")]
    if kind is ProjectKind.CLEAN_BRIGHT:
        return [("JJ-01", "80", "80"), ("JJ-02", "30", "30"), ("JJ-04", "2", "2"), ("JJ-05", "3", "3")]
    return [("WZA-01", "3.5", "3.5"), ("WZA-02", "7", "7"), ("WZA-03", "1", "1"), ("WZA-04", "2", "2"),
            ("WZA-21", "2", "2"), ("WZA-22", "4.5", "4.5"), ("WZA-11", "1", "1")]  # fmt: skip


_MEASURED = {
    "ZM-C02": "2.5 mm²",
    "ZM-C03": "4 mm²",
    "ZM-C05": "30 mA",
    "ZM-C06": "12 MΩ",
    "ZM-C08": "1.3 m",
    "WZA-01.slope_run_per_rise": "1:12.5",
    "WZA-01.width": "1.05 m",
    "WZA-01.landing_depth": "1.5 m",
    "WZA-02.handrail_height": "870 mm",
    "WZA-02.handrail_extension": "300 mm",
    "WZA-04.handrail_height": "700 mm",
    "WZA-21.threshold_height": "10 mm",
    "WZA-21.door_clear_width": "820 mm",
}


def sample_certificate(
    kind: ProjectKind | str,
    folder: Path,
    *,
    seq: int = 123,
    prefix: str = "QZ07",
    photos: int = 2,
    signatures: int = 5,
    rectify: bool = False,
    seed: int = 1,
    history_rounds: bool = False,
) -> CertificateData:
    """A filled-in certificate of ``kind``; pictures are generated into ``folder`` (reused if present)."""
    kind = ProjectKind(kind)
    folder.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog()
    plan = [ProjectItem.from_catalog(catalog.item(c), p, a) for c, p, a in _plan(kind)]
    when = date(2026, 5, 12)
    checklist = checklist_for(kind, [p.code for p in plan])
    checks = []
    for check in checklist.checks:
        result, note = CheckResult.PASS, ""
        if rectify and check.code in ("ZM-C09", "WZA-02.handrail_height"):
            result, note = (
                CheckResult.RECTIFY,
                "卫生间插座未用防溅型" if kind is ProjectKind.LIGHTING else "扶手偏高，须降至850–900mm",
            )
        measured = _MEASURED.get(check.code, "")
        if rectify and check.code == "WZA-02.handrail_height":
            measured = "930 mm"
        checks.append(CheckLine(check.name, result, measured, note))

    def pics(tag: str, count: int) -> list[Path]:
        out = []
        for i in range(count):
            p = folder / f"{tag}{i}.jpg"
            if not p.exists():
                make_photo(p, seed * 100 + i + (50 if tag == "after" else 0))
            out.append(p)
        return out

    names = {f"signer.{role}.name": name for role, name in SIGNER_NAMES.items()}
    names["signer.resident.relation"] = "子女"
    sigs = parties_from(checklist.signers, names, "、".join(TEAM), checklist.team_label)
    for i, sig in enumerate(sigs[:signatures]):
        p = folder / f"sig{i}.png"
        if not p.exists():
            make_signature(p, seed * 10 + i)
        sig.image = p
    total = sum((p.actual_amount or Decimal(0) for p in plan), Decimal(0))
    self_funded = Decimal("100.00") if kind is ProjectKind.DANGEROUS_HOUSE else Decimal("0.00")
    values = {k: v.format(kind=kind.value[:3].upper(), seq=seq, subsidy=f"{total - self_funded:.2f}",
                          self_funded=f"{self_funded:.2f}") for k, v in _FACTS.items()}  # fmt: skip
    facts = [Fact(f.key, f.label, values[f.key]) for f in checklist.facts if f.key in values]
    history = (
        [
            Rectification(
                1,
                date(2026, 4, 28),
                "卫生间扶手高度930mm偏高，须降至850–900mm；地面防滑未完成",
                date(2026, 5, 8),
            )
        ]  # fmt: skip
        if history_rounds and not rectify
        else []
    )
    return CertificateData(
        issuer="衢州市柯城区残疾人联合会",
        serial=make_serial(prefix, 2026, seq),
        household_head="王建国",
        person_name="王秀英",
        person_id_masked=mask_id_number(SAMPLE_ID),
        disability_cert_masked=mask_cert_number(SAMPLE_CERT),
        address="浙江省衢州市柯城区石室乡荷一村下宅自然村28号",
        region_name="柯城区石室乡荷一村",
        project_kind=kind,
        acceptance_date=when,
        conclusion=CheckResult.RECTIFY if rectify else CheckResult.PASS,
        items=[
            _line(p, CheckResult.RECTIFY if rectify and p.code == "WZA-02" else CheckResult.PASS)
            for p in plan
        ],
        checks=checks,
        records_checks=[CheckLine(c.name, CheckResult.PASS) for c in checklist.records_checks],
        onsite_checks=[
            CheckLine(c.name, CheckResult.PASS, note="低保户" if "经济" in c.name else "")
            for c in checklist.onsite_checks
        ],
        photos_before=pics("before", photos),
        photos_after=pics("after", photos),
        opinion=(
            _PASS_OPINION.get(kind, _PASS_OPINION[ProjectKind.ACCESSIBILITY])
            if not rectify
            else "经现场核查，部分项目不符合要求，请施工单位按期整改后申请复验。"
        ),
        rectify_by=rectification_deadline(when) if rectify else None,
        satisfaction="满意" if not rectify else "基本满意",
        signatures=sigs,
        team_members=list(TEAM),
        contractor="衢州市安居建筑装饰工程有限公司",
        facts=facts,
        rectifications=history,
    )


_PASS_OPINION = {
    ProjectKind.ACCESSIBILITY: "经查阅申请表、改造方案、预算及结算单，并入户逐项核查，改造内容与方案一致，"
    "施工质量符合要求，家庭成员已掌握使用方法。",
    ProjectKind.LIGHTING: "经查阅资料并逐个开关试灯、按漏电保护器试验按钮，线路敷设、导线截面及保护措施符合要求，"
    "已向家庭讲解安全用电，验收合格。",
    ProjectKind.DANGEROUS_HOUSE: "经查阅鉴定报告及施工资料并现场核查，承重结构加固、屋面翻修已按方案完成，"
    "经鉴定已消除危险，住建部门同意验收。",
}
