"""On-site completion acceptance (竣工验收): checklist, results, measurements, signatures, conclusion.

One ``Acceptance`` row per round; a follow-up after rectification is the next
round. Each check's answer is kept in the ``checks`` map under
``<code>.result`` / ``<code>.value`` / ``<code>.note`` so two team members
filling in different checks on two laptops merge without conflict. Plan lines
are judged too, as checks coded ``item:<renovation item id>``. Signer names
are kept under ``signer.<role>.name``; signature images and photos are
attachments linked to the acceptance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.contract.certificate.records import FACT_PREFIX, split_team
from app.domain.acceptance import (
    Check,
    Checklist,
    CheckOutcome,
    Conclusion,
    InvalidMeasurement,
    MeasurementVerdict,
    all_signers,
    checklist_for,
    conclude,
    evaluate_measurement,
    normalise_fact,
)
from app.domain.enums import CheckResult, ProjectKind, ProjectStatus
from app.domain.renovation import load_catalog
from app.services import needs
from app.services.attachments import AttachmentService
from app.services.projects import ProjectError, ProjectService, acceptance_note, item_from_row, transition
from app.store.models import Acceptance, RenovationItem, RenovationProject
from app.store.read import attachments, projects
from app.store.store import Store

ACCEPTANCE_TBL = "acceptance"
ITEM_PREFIX = "item:"
# Who signs the 验收单, in print order (labels as on the certificate; acceptance_checklists.json).
SIGNERS: tuple[tuple[str, str], ...] = tuple((s.role, s.label) for s in all_signers())
SATISFACTION = ("满意", "基本满意", "不满意")


def _item_name_en(name: str, catalog_code: str | None) -> str:
    """A project item's English: the catalogue's, while the item still has the catalogue's name."""
    item = load_catalog().items.get(catalog_code or "")
    return item.name_en if item is not None and item.name == name else ""


class AcceptanceError(ProjectError):
    """An acceptance request a caseworker must correct."""


class AcceptanceIncomplete(AcceptanceError):
    """Checks are still unanswered; ``missing`` names them."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        listed = "、".join(missing[:6]) + ("等" if len(missing) > 6 else "")
        super().__init__(f"还有{len(missing)}项未填写：{listed}")


class InconsistentCheck(AcceptanceError):
    """A check marked 合格 whose measured value is outside its limits."""


class AcceptanceClosed(AcceptanceError):
    """The acceptance round is finished and can no longer be changed."""


@dataclass(frozen=True, slots=True)
class Section:
    """A group of the checklist as the team works through it."""

    key: str  # records | onsite | quality | items
    title: str
    checks: tuple[Check, ...]


@dataclass(slots=True)
class CheckState:
    """What has been recorded for one check."""

    check: Check
    result: CheckResult | None = None
    value: str = ""
    note: str = ""
    verdict: MeasurementVerdict | None = None
    photos: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """A measured value outside the limits."""
        return self.verdict is not None and not self.verdict.ok


@dataclass(slots=True)
class AcceptanceView:
    """An acceptance round with its checklist and everything recorded so far."""

    acceptance: Acceptance
    project: RenovationProject
    checklist: Checklist
    sections: list[Section]
    states: dict[str, CheckState]
    items: list[tuple[str, RenovationItem]]
    signatures: dict[str, str]  # signer role -> sha256
    signer_names: dict[str, str]
    photos_after: list[str]

    @property
    def team(self) -> list[str]:
        return split_team(self.acceptance.team)

    @property
    def finished(self) -> bool:
        return self.acceptance.status == "completed"


def parse_measurement(
    check: Check, value: str, others: dict[str, Decimal] | None = None
) -> MeasurementVerdict | None:
    """The verdict for a typed value (``1:12``, ``850``, ``1.3 m``); ``None`` when empty or not measured."""
    text = value.strip()
    if not text or check.limit is None:
        return None
    if check.limit.format == "ratio" and text.startswith("1:"):
        text = text[2:]
    return evaluate_measurement(
        check, text.removesuffix(check.limit.unit).strip() if check.limit.unit else text, others
    )


def _measured_numbers(checks: list[Check], answers: dict[str, Any]) -> dict[str, Decimal]:
    """Each measured check's value as a number, for limits that depend on another check."""
    out: dict[str, Decimal] = {}
    for check in checks:
        try:
            verdict = parse_measurement(check, str(answers.get(f"{check.code}.value") or ""))
        except InvalidMeasurement:
            continue
        if verdict is not None:
            out[check.code] = verdict.value
    return out


class AcceptanceService:
    """Use cases of the acceptance team for one profile."""

    def __init__(self, store: Store, today: date | None = None) -> None:
        self.store = store
        self._today = today
        self.projects = ProjectService(store, today)

    @property
    def today(self) -> date:
        return self._today or date.today()

    # --- rounds -----------------------------------------------------------------------

    def start(
        self, actor: str, project_id: str, *, team: Sequence[str] | str = (), accepted_on: date | None = None
    ) -> Acceptance:
        """Open (or resume) the acceptance round of a project awaiting acceptance."""
        with self.store.unit_of_work(actor) as uow:
            project = projects.get_project(uow.session, project_id)
            if project is None:
                raise AcceptanceError(f"找不到改造项目 {project_id}")
            rounds = projects.acceptances(uow.session, project_id)
            draft = next((a for a in rounds if a.status == "draft"), None)
            if draft is not None:
                return draft
            status = ProjectStatus(project.status)
            if status is not ProjectStatus.AWAITING_ACCEPTANCE:
                raise AcceptanceError(f"项目处于“{status.label}”阶段，只有“待验收”的项目才能开始验收")
            team_text = team if isinstance(team, str) else "、".join(t.strip() for t in team if t.strip())
            return uow.add(
                Acceptance(
                    project_id=project_id,
                    round=max((a.round for a in rounds), default=0) + 1,
                    accepted_on=(accepted_on or self.today).isoformat(),
                    team=team_text,
                    status="draft",
                    region_code=project.region_code,
                )
            )

    def rounds(self, project_id: str) -> list[Acceptance]:
        """Every acceptance round of a project, first round first."""
        with self.store.session() as s:
            return projects.acceptances(s, project_id)

    def get(self, acceptance_id: str) -> Acceptance:
        with self.store.session() as s:
            row = projects.get_acceptance(s, acceptance_id)
        if row is None:
            raise AcceptanceError(f"找不到验收记录 {acceptance_id}")
        return row

    # --- the checklist ----------------------------------------------------------------

    def view(self, acceptance_id: str) -> AcceptanceView:
        """The round, its grouped checklist and every recorded answer."""
        with self.store.session() as s:
            acceptance = s.get(Acceptance, acceptance_id)
            if acceptance is None:
                raise AcceptanceError(f"找不到验收记录 {acceptance_id}")
            project = s.get(RenovationProject, acceptance.project_id)
            assert project is not None
            items = ProjectService._item_rows(s, project.id)
            links = attachments.links(s, [(ACCEPTANCE_TBL, acceptance_id)])
        answers = acceptance.checks or {}
        checklist, sections, item_checks = self._checklist(project, items, answers)
        states: dict[str, CheckState] = {}
        numbers = _measured_numbers([c for sec in sections for c in sec.checks], answers)
        for section in sections:
            for check in section.checks:
                state = CheckState(check)
                raw = answers.get(f"{check.code}.result")
                state.result = CheckResult(raw) if raw else None
                state.value = str(answers.get(f"{check.code}.value") or "")
                state.note = str(answers.get(f"{check.code}.note") or "")
                try:
                    state.verdict = parse_measurement(check, state.value, numbers)
                except InvalidMeasurement:
                    state.verdict = None
                states[check.code] = state
        signatures: dict[str, str] = {}
        after: list[str] = []
        for link in links:
            if link.role.startswith("signature_"):
                signatures[link.role.removeprefix("signature_")] = link.sha256  # latest drawing wins
            elif link.role == "photo_after":
                after.append(link.sha256)
            elif link.role.startswith("photo_check:") and link.role[12:] in states:
                states[link.role[12:]].photos.append(link.sha256)
        names = {role: str(answers.get(f"signer.{role}.name") or "") for role, _ in SIGNERS}
        return AcceptanceView(
            acceptance, project, checklist, sections, states, item_checks, signatures, names, after
        )

    @staticmethod
    def _checklist(
        project: RenovationProject, items: list[RenovationItem], answers: dict[str, Any] | None = None
    ) -> tuple[Checklist, list[Section], list[tuple[str, RenovationItem]]]:
        kind = ProjectKind(project.kind)
        codes = [i.catalog_code for i in items if i.catalog_code]
        # A wheelchair user at home (recorded by the team, or a wheelchair in the plan) lowers switches.
        wheelchair = (answers or {}).get(FACT_PREFIX + "wheelchair_user") == "是" or "WZA-09" in codes
        checklist = checklist_for(kind, codes, flags={"wheelchair_user"} if wheelchair else ())
        item_checks = [(f"{ITEM_PREFIX}{i.id}", i) for i in items]
        sections = [
            Section("records", checklist.records_title, checklist.records_checks),
            Section("onsite", checklist.onsite_title, checklist.onsite_checks),
            Section("quality", checklist.title or "施工质量", checklist.checks),
            Section(
                "items",
                "改造项目",
                tuple(
                    Check(
                        code=code,
                        name=item_from_row(row).name,
                        item_code=row.catalog_code,
                        name_en=_item_name_en(item_from_row(row).name, row.catalog_code),
                    )
                    for code, row in item_checks
                ),
            ),
        ]
        return checklist, sections, item_checks

    def _open(self, uow: Any, acceptance_id: str) -> Acceptance:
        acceptance = projects.get_acceptance(uow.session, acceptance_id)
        if acceptance is None:
            raise AcceptanceError(f"找不到验收记录 {acceptance_id}")
        if acceptance.status != "draft":
            raise AcceptanceClosed("本轮验收已完成，不能再修改；如需重新验收请在整改后开始复验")
        return acceptance

    def record_check(
        self,
        actor: str,
        acceptance_id: str,
        code: str,
        result: CheckResult | str | None,
        *,
        value: str | None = None,
        note: str | None = None,
    ) -> CheckState:
        """Record one check: result, measured value (checked against limits) and note.

        A value outside the limits is flagged; marking such a check 合格 is refused.
        When only a value is given, the result follows from it (合格 or 整改).
        """
        view = self.view(acceptance_id)
        state = view.states.get(code)
        if state is None:
            raise AcceptanceError(f"检查项“{code}”不在本项目的验收清单中")
        check = state.check
        verdict = state.verdict
        if value is not None:
            if value.strip() and check.limit is None:
                raise AcceptanceError(f"检查项“{check.name}”不需要填写实测值")
            numbers = {c: st.verdict.value for c, st in view.states.items() if st.verdict is not None}
            try:
                verdict = parse_measurement(check, value, numbers)
            except InvalidMeasurement as exc:
                raise AcceptanceError(str(exc)) from None
        chosen = CheckResult(result) if result else None
        if chosen is None and verdict is not None and value is not None:
            chosen = verdict.result
        if chosen is CheckResult.PASS and verdict is not None and not verdict.ok:
            raise InconsistentCheck(verdict.message.replace("需整改", "不能判为合格"))
        with self.store.unit_of_work(actor) as uow:
            acceptance = self._open(uow, acceptance_id)
            if chosen is not None or result is not None:
                uow.set_map_value(acceptance, "checks", f"{code}.result", chosen.value if chosen else None)
            if value is not None:
                stored = value.strip()
                if verdict is not None and check.limit is not None:
                    stored = check.limit.show(verdict.value)
                uow.set_map_value(acceptance, "checks", f"{code}.value", stored or None)
            if note is not None:
                uow.set_map_value(acceptance, "checks", f"{code}.note", note.strip() or None)
        return self.view(acceptance_id).states[code]

    def set_actual_qty(self, actor: str, acceptance_id: str, item_id: str, qty: object) -> None:
        """Quantity actually done, typed during acceptance."""
        with self.store.session() as s:
            acceptance = s.get(Acceptance, acceptance_id)
        if acceptance is None or acceptance.status != "draft":
            raise AcceptanceClosed("本轮验收已完成，不能再修改实际数量")
        self.projects.set_actual_qty(actor, item_id, qty)  # type: ignore[arg-type]

    def update(
        self,
        actor: str,
        acceptance_id: str,
        *,
        opinion: str | None = None,
        satisfaction: str | None = None,
        team: Sequence[str] | str | None = None,
        accepted_on: date | None = None,
    ) -> Acceptance:
        """Opinion, the family's satisfaction, team members, date."""
        values: dict[str, Any] = {}
        if opinion is not None:
            values["opinion"] = opinion.strip()
        if satisfaction is not None:
            if satisfaction and satisfaction not in SATISFACTION:
                raise AcceptanceError(f"满意度应为{'、'.join(SATISFACTION)}之一")
            values["satisfaction"] = satisfaction
        if team is not None:
            values["team"] = (
                team if isinstance(team, str) else "、".join(t.strip() for t in team if t.strip())
            )
        if accepted_on is not None:
            values["accepted_on"] = accepted_on.isoformat()
        with self.store.unit_of_work(actor) as uow:
            return uow.update(self._open(uow, acceptance_id), **values)

    # --- pictures ---------------------------------------------------------------------

    def set_fact(self, actor: str, acceptance_id: str, key: str, value: str) -> str:
        """Record one project fact read from the documents (合同编号, 开工日期 …); returns it as stored."""
        view = self.view(acceptance_id)
        spec = next((f for f in view.checklist.facts if f.key == key), None)
        if spec is None:
            raise AcceptanceError(f"“{key}”不是本类项目验收要登记的信息")
        try:
            stored = normalise_fact(spec, value)
        except ValueError as exc:
            raise AcceptanceError(str(exc)) from None
        with self.store.unit_of_work(actor) as uow:
            uow.set_map_value(self._open(uow, acceptance_id), "checks", FACT_PREFIX + key, stored or None)
        return stored

    def add_signature(
        self, actor: str, acceptance_id: str, role: str, png: bytes, name: str = "", relation: str = ""
    ) -> str:
        """Store a signer's signature (PNG from the pad), printed name and, for the household, relation."""
        if role not in dict(SIGNERS):
            raise AcceptanceError(f"未知的签字人：{role}")
        with self.store.unit_of_work(actor) as uow:
            acceptance = self._open(uow, acceptance_id)
            uow.set_map_value(acceptance, "checks", f"signer.{role}.name", name.strip() or None)
            if relation.strip():
                uow.set_map_value(acceptance, "checks", f"signer.{role}.relation", relation.strip())
        attachments = AttachmentService(self.store)
        for link in attachments.list_links(ACCEPTANCE_TBL, acceptance_id, f"signature_{role}"):
            attachments.remove_link(actor, ACCEPTANCE_TBL, acceptance_id, link.role, link.sha256)
        return attachments.add_signature(
            actor, ACCEPTANCE_TBL, acceptance_id, f"signature_{role}", png
        ).sha256

    def add_photo(
        self, actor: str, acceptance_id: str, source: Path | str | bytes, check_code: str | None = None
    ) -> str:
        """An after-photo (改造后), or a photo of one check when ``check_code`` is given."""
        self.get(acceptance_id)
        role = f"photo_check:{check_code}" if check_code else "photo_after"
        return (
            AttachmentService(self.store).add_photo(actor, ACCEPTANCE_TBL, acceptance_id, role, source).sha256
        )

    # --- conclusion -------------------------------------------------------------------

    def outcomes(self, view: AcceptanceView) -> list[CheckOutcome]:
        """Recorded outcomes; raises ``AcceptanceIncomplete`` while a check lacks a result or value."""
        missing, outcomes = [], []
        for section in view.sections:
            for check in section.checks:
                state = view.states[check.code]
                if state.result is None or (
                    check.is_measured and state.result is CheckResult.PASS and not state.value
                ):
                    missing.append(check.name)
                    continue
                outcomes.append(CheckOutcome(check.code, check.name, state.result, state.value, state.note))
        if missing:
            raise AcceptanceIncomplete(missing)
        return outcomes

    def finish(self, actor: str, acceptance_id: str) -> Conclusion:
        """Conclude the round: pass → project 验收合格; otherwise → 整改 with a deadline."""
        view = self.view(acceptance_id)
        if view.finished:
            raise AcceptanceClosed("本轮验收已完成")
        if not view.acceptance.satisfaction:
            raise AcceptanceIncomplete(["家庭满意度"])
        accepted_on = (
            date.fromisoformat(view.acceptance.accepted_on) if view.acceptance.accepted_on else self.today
        )
        conclusion = conclude(
            self.outcomes(view),
            accepted_on,
            rectification_days=view.checklist.rectification_days,
            pass_text=view.checklist.pass_opinion,
        )
        with self.store.unit_of_work(actor) as uow:
            acceptance = self._open(uow, acceptance_id)
            project = uow.session.get(RenovationProject, acceptance.project_id)
            assert project is not None
            uow.update(
                acceptance,
                conclusion=conclusion.result.value,
                opinion=acceptance.opinion or conclusion.text,
                rectification_deadline=conclusion.deadline.isoformat() if conclusion.deadline else "",
                status="completed",
            )
            target = ProjectStatus.ACCEPTED if conclusion.passed else ProjectStatus.RECTIFYING
            transition(uow, project, target, acceptance_note(acceptance.round, conclusion.text))
            if conclusion.passed:  # the project meets the household's matching needs
                needs.close_for_project(uow, project, accepted_on.isoformat())
            if conclusion.deadline:
                uow.update(project, due_date=conclusion.deadline.isoformat())
        return conclusion
