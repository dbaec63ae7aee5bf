"""Demo renovation projects: every kind in every status, with timelines, acceptances and certificates.

Deterministic for a given database and ``today``: households are picked in
address order and every choice comes from a seeded ``random.Random``. Photos
and signatures are small generated images (no real people or homes).
"""

from __future__ import annotations

import io
import math
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from PIL import Image, ImageDraw
from sqlalchemy import text

from app.domain.acceptance import CheckOutcome, checklist_for, conclude
from app.domain.enums import CheckResult, ProjectKind, ProjectStatus
from app.domain.renovation import check_transition, load_catalog
from app.domain.synthetic_projects import CONTRACTORS, acceptance_answers, project_facts
from app.services.acceptance import ACCEPTANCE_TBL, ITEM_PREFIX, SIGNERS
from app.services.certificates import CertificateService
from app.services.projects import CREATED_NOTE, PROJECT_TBL, acceptance_note, default_title
from app.services.settings import Settings
from app.store import models
from app.store.models import (
    Acceptance,
    Attachment,
    AttachmentLink,
    ProjectEvent,
    RenovationItem,
    RenovationProject,
)
from app.store.read.live import live_sql
from app.store.store import Store
from app.store.writer import BulkLoad

R = TypeVar("R", bound=models.SyncedRow)

S = ProjectStatus
FLOW = [
    S.APPLIED, S.ELIGIBILITY_REVIEW, S.PUBLICITY, S.ASSESSED, S.SURVEYED, S.PLANNED, S.PROCUREMENT,
    S.UNDER_CONSTRUCTION, S.AWAITING_ACCEPTANCE,
]  # fmt: skip
TEAM = ("李强", "陈丽", "郑国平")
# Which of CONTRACTORS take which works: an electrical crew wires, builders reinforce houses.
_TRADES: dict[ProjectKind, tuple[int, ...]] = {
    ProjectKind.ACCESSIBILITY: (0, 2),
    ProjectKind.LIGHTING: (1,),
    ProjectKind.CLEAN_BRIGHT: (2, 0),
    ProjectKind.DANGEROUS_HOUSE: (3, 0),
}
# How many projects of each status per kind; accepted ones include a rectified-then-passed project.
PLAN: tuple[tuple[ProjectStatus, int], ...] = (
    (S.APPLIED, 1),
    (S.ELIGIBILITY_REVIEW, 1),
    (S.PUBLICITY, 1),
    (S.ASSESSED, 1),
    (S.SURVEYED, 1),
    (S.PLANNED, 1),
    (S.PROCUREMENT, 1),
    (S.UNDER_CONSTRUCTION, 2),
    (S.AWAITING_ACCEPTANCE, 1),
    (S.RECTIFYING, 1),
    (S.ACCEPTED, 1),
    (S.ARCHIVED, 1),
    (S.TERMINATED, 1),
)
NOTES = {
    S.ELIGIBILITY_REVIEW: "资格审核：持证一级、低保家庭，符合条件",
    S.PUBLICITY: "村务公开栏公示7天，无异议",
    S.PROCUREMENT: "政府采购确定施工单位",
    S.TERMINATED: "家庭放弃改造（已签字确认）",
    S.ASSESSED: "入户评估：符合改造条件",
    S.SURVEYED: "入户勘测完成，已拍改造前照片",
    S.PLANNED: "一户一策方案经家庭签字同意",
    S.UNDER_CONSTRUCTION: "施工单位进场",
    S.AWAITING_ACCEPTANCE: "施工完成，申请验收",
    S.ARCHIVED: "资料归档",
}


def _photo(rng: random.Random, after: bool) -> bytes:
    """A 480×360 JPEG of a made-up room: dim and cracked before, bright with a ramp and rail after."""
    w, h = 480, 360
    wall = (235, 232, 222) if after else (rng.randint(150, 175), rng.randint(140, 160), rng.randint(120, 140))
    img = Image.new("RGB", (w, h), wall)
    d = ImageDraw.Draw(img)
    floor = int(h * rng.uniform(0.62, 0.72))
    d.rectangle([0, floor, w, h], fill=(190, 190, 185) if after else (105, 90, 70))
    door = rng.randint(60, 240)
    d.rectangle([door, 70, door + 100, floor], fill=(150, 105, 65), outline=(60, 40, 20), width=4)
    if after:
        d.polygon([(door - 130, floor + 40), (door, floor), (door, floor + 40)], fill=(165, 165, 160))
        d.line([(door - 130, floor - 20), (door, floor - 60)], fill=(200, 200, 205), width=6)
        d.ellipse([w - 90, 20, w - 50, 60], fill=(255, 250, 200), outline=(200, 190, 120))
    else:
        x, y = rng.randint(300, 420), 30
        for _ in range(7):
            nx, ny = x + rng.randint(-18, 18), y + rng.randint(15, 30)
            d.line([(x, y), (nx, ny)], fill=(60, 55, 50), width=3)
            x, y = nx, ny
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def scribble_signature(rng: random.Random) -> bytes:
    """A transparent PNG scribble as the signature pad saves it."""
    img = Image.new("RGBA", (400, 130), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    x = 20.0
    for _ in range(rng.randint(2, 3)):
        amp, freq, phase, length = (
            rng.uniform(15, 35),
            rng.uniform(0.1, 0.25),
            rng.uniform(0, 6),
            rng.randint(70, 120),
        )
        d.line(
            [(x + i, 65 + amp * math.sin(freq * i + phase)) for i in range(length)],
            fill=(15, 15, 60, 255), width=4, joint="curve",
        )  # fmt: skip
        x += length + rng.randint(8, 20)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


class _Rows:
    """The demo's new rows, written by the store's bulk loader; attachments also go to the file store.

    Rows stay in memory until ``flush``, so ``update`` of a row added here just
    sets its values (it is written once, with them).
    """

    def __init__(self, store: Store, actor: str) -> None:
        self.files = store.files
        self.load = BulkLoad(store.engine, store.clock, actor, reason="demo")
        self.shas: set[str] = set()

    def add(self, row: R) -> R:
        return self.load.add(row)

    def update(self, row: models.SyncedRow, **values: object) -> None:
        for key, value in values.items():
            setattr(row, key, value)

    def attach(self, tbl: str, owner: str, role: str, data: bytes, media: str, pos: int, region: str) -> None:
        sha = self.files.put_bytes(data)
        if sha not in self.shas:
            self.shas.add(sha)
            # The same picture may already be stored (by an earlier demo run).
            self.load.add(
                Attachment(id=sha, media_type=media, size=len(data), region_code=region), skip_if_present=True
            )
        self.add(
            AttachmentLink(
                owner_tbl=tbl, owner_id=owner, role=role, sha256=sha, position=pos, region_code=region
            )
        )

    def flush(self) -> None:
        self.load.flush()


def _stamp(day: date, rng: random.Random) -> str:
    moment = datetime.combine(day, time(9 + rng.randrange(0, 8), rng.randrange(0, 60)), tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class _Builder:
    """Writes one demo project with everything its status implies."""

    def __init__(self, rows: _Rows, actor: str, today: date, rng: random.Random) -> None:
        self.rows, self.actor, self.today, self.rng = rows, actor, today, rng
        self.seq = 0  # project number within the demo (项目编号)

    def project(
        self, household: tuple[str, str, str, str, str], kind: ProjectKind, target: ProjectStatus, index: int
    ) -> tuple[str, list[str]]:
        """Create the project; returns its id and the ids of acceptances that passed."""
        rng = self.rng
        household_id, person_id, region, head, person_name = household
        catalog = load_catalog()
        choices = [i for i in catalog.items_for(kind) if i.unit_price > 0]
        picked = rng.sample(choices, k=min(len(choices), rng.randint(2, 4)))
        cap = catalog.cap_for(kind) or Decimal(10**6)
        lines, total = [], Decimal(0)
        for item in picked:
            qty = (
                Decimal(rng.choice([1, 1, 2, 3, 4]))
                if item.unit in ("个", "套", "盏", "把", "处", "台", "樘", "间", "辆")
                else Decimal(rng.randint(3, 25))
            )
            while qty > 1 and total + item.unit_price * qty > cap:
                qty -= 1
            if total + item.unit_price * qty > cap:
                continue
            total += item.unit_price * qty
            lines.append((item, qty))
        path = self._path(target, index)
        trades = [CONTRACTORS[i] for i in _TRADES[kind]]
        contractor = trades[index % len(trades)]
        start = self.today - timedelta(days=25 * len(path) + rng.randint(5, 40))
        passed: list[str] = []
        uow = self.rows
        status_now = path[-1]
        due = self.today + timedelta(days=rng.randint(20, 90))
        if target is S.UNDER_CONSTRUCTION and index % 2 == 1:
            due = self.today - timedelta(days=rng.randint(3, 30))  # overdue on purpose
        project = uow.add(
            RenovationProject(
                household_id=household_id,
                person_id=person_id,
                kind=kind.value,
                status=status_now.value,
                title=default_title(head, kind),
                contractor=contractor[0] if S.PLANNED in path else "",
                budget=float(total),
                due_date=due.isoformat(),
                note="",
                region_code=region,
            )  # fmt: skip
        )
        items = []
        for pos, (item, qty) in enumerate(lines):
            items.append(
                uow.add(
                    RenovationItem(
                        project_id=project.id,
                        catalog_code=item.code,
                        description=item.name,
                        unit=item.unit,
                        unit_price=float(item.unit_price),
                        planned_qty=float(qty),
                        position=pos,
                        region_code=region,
                    )  # fmt: skip
                )
            )
        day = start
        previous = ""
        acceptance_round = 0
        self.seq += 1
        works: dict[ProjectStatus, date] = {}  # first start of construction, latest completion
        for step in path:
            if step is S.UNDER_CONSTRUCTION:
                works.setdefault(step, day)
            if step is S.AWAITING_ACCEPTANCE:
                works[step] = day
            if previous:
                check_transition(previous, step)
            if step is S.SURVEYED:
                for i in range(2):
                    uow.attach(
                        PROJECT_TBL, project.id, "photo_before", _photo(rng, False), "image/jpeg", i, region
                    )
            if step in (S.ACCEPTED, S.RECTIFYING):
                acceptance_round += 1
                passed_now = step is S.ACCEPTED
                facts = project_facts(
                    checklist_for(kind, [i.catalog_code for i in items]),
                    rng,
                    county_code=region[:6],
                    seq=self.seq,
                    started=works[S.UNDER_CONSTRUCTION],
                    contractor=contractor,
                    amount=total.quantize(Decimal("0.01")),
                )
                # The dates the documents carry are the timeline's, not invented ones.
                facts["fact.started_on"] = works[S.UNDER_CONSTRUCTION].isoformat()
                facts["fact.completed_on"] = works[S.AWAITING_ACCEPTANCE].isoformat()
                acc = self._acceptance(
                    uow, project, items, kind, acceptance_round, day, passed_now, person_name,
                    facts={k: v for k, v in facts.items() if k in self._fact_keys(kind, items)},
                    contact=contractor[1],
                )  # fmt: skip
                note = acceptance_note(acceptance_round, acc.opinion)
                if passed_now:
                    passed.append(acc.id)
            else:
                note = NOTES.get(step, CREATED_NOTE if not previous else "")
                if step is S.AWAITING_ACCEPTANCE and previous == S.RECTIFYING.value:
                    note = "整改完毕，申请复验"
            uow.add(
                ProjectEvent(
                    project_id=project.id,
                    from_status=previous,
                    to_status=step.value,
                    actor=self.actor,
                    at=_stamp(day, rng),
                    note=note,
                    region_code=region,
                )  # fmt: skip
            )
            previous = step.value
            day += timedelta(days=rng.randint(10, 30))
        if status_now is S.RECTIFYING:
            uow.update(project, due_date=(self.today + timedelta(days=rng.randint(5, 14))).isoformat())
        return project.id, passed

    def _path(self, target: ProjectStatus, index: int) -> list[ProjectStatus]:
        if target in FLOW:
            return FLOW[: FLOW.index(target) + 1]
        if target is S.TERMINATED:
            return [*FLOW[: FLOW.index(S.PLANNED) + 1], S.TERMINATED]
        if target is S.RECTIFYING:
            return [*FLOW, S.RECTIFYING]
        if target is S.ACCEPTED:
            # Half of the accepted ones went through one rectification first (every other one).
            if (index // len(PLAN)) % 2 == 1:
                return [*FLOW, S.RECTIFYING, S.AWAITING_ACCEPTANCE, S.ACCEPTED]
            return [*FLOW, S.ACCEPTED]
        return [*FLOW, S.ACCEPTED, S.ARCHIVED]

    @staticmethod
    def _fact_keys(kind: ProjectKind, items: list[RenovationItem]) -> set[str]:
        return {f"fact.{f.key}" for f in checklist_for(kind, [i.catalog_code for i in items]).facts}

    def _acceptance(
        self, uow: _Rows, project: RenovationProject, items: list[RenovationItem], kind: ProjectKind,
        round_no: int, day: date, passed: bool, person_name: str, *, facts: dict[str, str], contact: str,
    ) -> Acceptance:  # fmt: skip
        rng = self.rng
        codes = [i.catalog_code for i in items]
        # As AcceptanceService reads it: a wheelchair user at home (fact or a wheelchair in the plan)
        # lowers the switches the lighting check accepts.
        wheelchair = facts.get("fact.wheelchair_user") == "是" or "WZA-09" in codes
        checklist = checklist_for(kind, codes, flags={"wheelchair_user"} if wheelchair else ())
        # Measured values as typed on site: nominal values where the standard has them (wire sizes),
        # breaker ratings matched to the wire, one or two checks sent back when the round fails.
        generated = acceptance_answers(
            checklist, [i.id for i in items], rng, passed=passed, not_applicable=0.0
        )
        answers: dict[str, str] = dict(generated.answers)
        if not passed and not generated.failing:  # no value could be made to fail: a note sends it back
            first = checklist.checks[0]
            answers[f"{first.code}.result"] = CheckResult.RECTIFY.value
            answers[f"{first.code}.note"] = "不符合要求，须按方案整改"
        outcomes = []
        for check in [*checklist.records_checks, *checklist.onsite_checks, *checklist.checks]:
            outcomes.append(
                CheckOutcome(
                    check.code,
                    check.name,
                    CheckResult(answers.get(f"{check.code}.result", CheckResult.PASS.value)),
                    answers.get(f"{check.code}.value", ""),
                    answers.get(f"{check.code}.note", ""),
                )
            )
        for item in items:
            code = f"{ITEM_PREFIX}{item.id}"
            outcomes.append(CheckOutcome(code, item.description, CheckResult(answers[f"{code}.result"])))
            if passed:
                uow.update(item, actual_qty=item.planned_qty)
        conclusion = conclude(outcomes, day, rectification_days=checklist.rectification_days)
        answers.update(facts)
        names = {
            "resident": person_name,
            "contractor": contact,
            "village": "刘永明",
            "township": TEAM[1],
            "county": TEAM[0],
            "housing": "钱志强",
        }
        for role, _label in SIGNERS:
            answers[f"signer.{role}.name"] = names[role]
        for spec in checklist.signers:
            if spec.relation:
                answers[f"signer.{spec.role}.relation"] = "本人"  # the person signs for themselves
        opinion = (
            checklist.pass_opinion
            or "经查阅资料和入户逐项核查，改造内容与方案一致，施工质量符合要求，验收合格。"
            if passed
            else conclusion.text
        )
        acc = uow.add(
            Acceptance(
                project_id=project.id,
                round=round_no,
                accepted_on=day.isoformat(),
                team="、".join(TEAM),
                checks=answers,
                conclusion=conclusion.result.value,
                opinion=opinion,
                satisfaction="满意" if passed else "基本满意",
                rectification_deadline=conclusion.deadline.isoformat() if conclusion.deadline else "",
                status="completed",
                region_code=project.region_code,
            )  # fmt: skip
        )
        for i, (role, _label) in enumerate(SIGNERS):
            uow.attach(
                ACCEPTANCE_TBL,
                acc.id,
                f"signature_{role}",
                scribble_signature(rng),
                "image/png",
                i,
                project.region_code,
            )
        if passed:
            for i in range(2):
                uow.attach(
                    ACCEPTANCE_TBL,
                    acc.id,
                    "photo_after",
                    _photo(rng, True),
                    "image/jpeg",
                    i,
                    project.region_code,
                )
        return acc


def seed_demo_projects(
    store: Store, actor: str, *, today: date | None = None, seed: int = 2026, settings: Settings | None = None
) -> int:
    """Add demo projects (each kind in each status) to the first households; returns how many."""
    rng = random.Random(seed)
    today = today or date.today()
    wanted = sum(n for _, n in PLAN) * len(ProjectKind)
    with store.engine.connect() as conn:
        households = conn.execute(
            text(
                f"""
                SELECT h.id, p.id, h.region_code, h.head_name, p.name FROM household h
                JOIN person p ON p.household_id = h.id AND {live_sql("p")}
                WHERE {live_sql("h")} AND p.level IN ('1', '2')
                  AND NOT EXISTS (SELECT 1 FROM renovationproject r WHERE r.household_id = h.id)
                GROUP BY h.id ORDER BY h.region_code, h.address, p.id_number LIMIT :n
                """
            ),
            {"n": wanted},
        ).all()
    rows = _Rows(store, actor)
    builder = _Builder(rows, actor, today, rng)
    count = 0
    passed: list[str] = []
    slots = [(kind, status, i) for kind in ProjectKind for status, n in PLAN for i in range(n)]
    for (kind, status, i), household in zip(slots, households, strict=False):
        passed += builder.project(tuple(household), kind, status, i + count)[1]  # type: ignore[arg-type]
        count += 1
    rows.flush()
    certificates = CertificateService(store, settings, today=today)
    for acceptance_id in passed:
        certificates.issue(actor, acceptance_id)
    return count
