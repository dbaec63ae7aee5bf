"""Use cases of a home visit (入户访视): start, fill in, complete, reopen, list.

A visit holds one ``FormResponse`` per form; every answer is written the moment
it is given, one unit of work per answer, so nothing typed is lost when the
laptop dies. A response always opens with its own form version, so a draft
begun before a form update is finished on the version it started with.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from app.domain.ids import InvalidIdNumber, mask_cert_number, mask_id_number, parse_id_number
from app.domain.localtime import local_day_start_utc
from app.forms.definition import get_form, load_all_forms
from app.forms.engine import FormSession
from app.forms.errors import FormNotFoundError
from app.forms.model import FormDefinition
from app.services import needs
from app.services.form_suggestions import PersonFacts, load_suggestions
from app.store import audit, visit_resume
from app.store.models import FormResponse, Household, Person, User, Visit
from app.store.read import persons, projects, visits
from app.store.row_ids import utc_now
from app.store.store import Store


class VisitError(ValueError):
    """A visit operation that cannot be done; the message tells the caseworker why."""


class VisitNotFound(VisitError):
    """No such visit or form response on this device."""


class VisitLocked(VisitError):
    """The visit is completed: it is read-only until reopened with a reason."""


class ReopenReasonRequired(VisitError):
    """Reopening a completed visit needs a reason (it is audited)."""


class UnknownForm(VisitError):
    """A form id with no definition in resources/forms."""


class DraftExists(VisitError):
    """The person already has an unfinished visit with one of these forms: resume or discard it first.

    ``visit_id`` names the open draft, ``forms`` the titles it shares with the request.
    """

    def __init__(self, visit_id: str, forms: list[str]) -> None:
        self.visit_id = visit_id
        self.forms = forms
        super().__init__(f"此人已有未完成的访视（{'、'.join(forms)}），请继续填写或先放弃它")


class DiscardReasonRequired(VisitError):
    """Discarding a draft needs a reason (it is stored with the visit and audited)."""


DISCARD_PREFIX = "已放弃："


@dataclass(frozen=True)
class FormProblems:
    """What keeps one form of a visit from completion: question key → Chinese message."""

    response_id: str
    form_id: str
    title: str
    errors: dict[str, str]


class VisitIncomplete(VisitError):
    """Completion refused; ``problems`` lists each form's open required questions and errors."""

    def __init__(self, problems: list[FormProblems]) -> None:
        self.problems = problems
        count = sum(len(p.errors) for p in problems)
        titles = "、".join(p.title for p in problems)
        super().__init__(f"还有 {count} 项未填或有误（{titles}），请补全后再完成访视")


@dataclass(frozen=True)
class SaveResult:
    """Keys written by one save (recomputed calculations included); ``None`` = removed."""

    response_id: str
    changed: dict[str, object]
    entry_id: str = ""


@dataclass(frozen=True)
class ResponseSummary:
    """One form of a visit, for lists."""

    id: str
    form_id: str
    form_version: int
    title: str
    status: str
    answered: int
    total: int
    title_en: str = ""  # the form file's English title (shown when the interface is English)


@dataclass(frozen=True)
class VisitSummary:
    """A visit with its person and forms, for history lists and the drafts tab."""

    visit: Visit
    person_name: str
    address: str
    responses: list[ResponseSummary] = field(default_factory=list)


@dataclass(frozen=True)
class TodoFilters:
    """Narrowing of the to-do list; all off = every registered person of the region."""

    not_visited_this_year: bool = False
    severe_only: bool = False  # level 1–2
    dangerous_house: bool = False  # grade C/D
    has_open_alerts: bool = False
    limit: int = 2000


@dataclass(frozen=True)
class TodoItem:
    """One person to visit."""

    person_id: str
    household_id: str
    name: str
    category: str
    level: str
    region_code: str
    address: str
    house_grade: str
    economic_status: str
    last_visit: str


def _form_titles(form_id: str, version: int | None = None) -> tuple[str, str]:
    """(Chinese, English) title of a form version; the id twice when the version is unknown."""
    try:
        form = get_form(form_id, version)
    except ValueError:
        return form_id, ""
    return form.title, form.title_en


def outcome_person_status(response: FormResponse) -> str:
    """The person status a response's visit outcome implies ("" for none).

    Data-driven: a choice carrying a ``person_status`` attribute (needs_assessment v2's
    ``visit_outcome``: 死亡 → deceased, 迁出 → moved_out, 失联 → lost_contact, 见到本人 → registered).
    """
    try:
        form = get_form(response.form_id, response.form_version)
    except FormNotFoundError:  # an unknown form version: nothing to derive
        return ""
    answers = response.answers or {}
    for q in form.questions.values():
        if q.repeat is None and q.choices and q.id in answers:
            choice = next((c for c in q.choices if c.value == answers[q.id]), None)
            if choice is not None and choice.attrs.get("person_status"):
                return str(choice.attrs["person_status"])
    return ""


class VisitService:
    """Visits and their form responses, written through the store's unit of work.

    Safe to call from one worker thread and the test thread; a small cache keeps
    each response's engine session between saves so one save costs one
    transaction, not a form rebuild.
    """

    def __init__(self, store: Store, today: date | None = None) -> None:
        self.store = store
        self._today = today
        self._sessions: dict[str, tuple[str, FormSession]] = {}
        self._lock = threading.RLock()

    @property
    def today(self) -> date:
        return self._today or date.today()

    # -- context and suggestions ----------------------------------------------------

    def person_context(self, person_id: str | None, household_id: str, actor: str = "") -> dict[str, object]:
        """Prefill facts from the registry (docs/forms.md context keys)."""
        with self.store.session() as s:
            household = s.get(Household, household_id)
            if household is None:
                raise VisitNotFound(f"找不到家庭 {household_id}")
            person = s.get(Person, person_id) if person_id else None
            worker = s.exec(select(User).where(User.username == actor)).first() if actor else None
            kinds = self._project_kinds(s, household_id, person_id)
        ctx: dict[str, object] = {
            "region_code": household.region_code,
            "address": household.address,
            "phone": household.phone,
            "household_head": household.head_name,
            "economic_status": household.economic_status,
            "house_grade": household.house_grade or "",
            "worker_name": (worker.display_name if worker else "") or actor,
            "visit_date": self.today.isoformat(),
            "today": self.today.isoformat(),
            "has_accessibility_project": "accessibility" in kinds,
            "has_lighting_project": "lighting" in kinds,
            "has_dangerous_house_project": "dangerous_house" in kinds,
        }
        if person is not None:
            ctx.update(
                name=person.name,
                gender=person.gender,
                birth_date=person.birth_date,
                category=person.category,
                level=person.level,
                has_care_subsidy=person.has_care_subsidy,
                has_living_subsidy=person.has_living_subsidy,
                id_number_masked=mask_id_number(person.id_number),
                certificate_number_masked=mask_cert_number(person.cert_number),
            )
            if person.phone:
                ctx["phone"] = person.phone
            try:
                ctx["age"] = parse_id_number(person.id_number).age_on(self.today)
            except InvalidIdNumber:
                pass
        return ctx

    @staticmethod
    def _project_kinds(s: Any, household_id: str, person_id: str | None) -> set[str]:
        rows = projects.kinds_of_household(s, household_id)
        return {kind for kind, pid in rows if pid in (None, "", person_id)}

    def latest_answers(self, person_id: str) -> dict[str, dict[str, Any]]:
        """The latest completed response of each form for a person (a draft is not a finding yet)."""
        with self.store.session() as s:
            return visits.latest_answers(s, person_id)

    def suggest_forms(self, person: Person | str) -> list[str]:
        """Forms worth filling in for this person, in display order."""
        with self.store.session() as s:
            p = s.get(Person, person) if isinstance(person, str) else person
            if p is None:
                raise VisitNotFound(f"找不到人员 {person}")
            household = s.get(Household, p.household_id)
            rules = load_suggestions()
            year_start = local_day_start_utc(date(self.today.year, 1, 1))
            filled = frozenset(
                f for f in rules.yearly_forms if visits.form_filled_since(s, p.household_id, f, year_start)
            )
            facts = PersonFacts(
                category=p.category,
                house_grade=(household.house_grade or "") if household else "",
                latest_answers=visits.latest_answers(s, p.id),
                filled_this_year=filled,
            )
        forms = rules.forms_for(facts)
        available = load_all_forms()
        return [f for f in forms if f in available]

    # -- starting and opening -------------------------------------------------------

    def start_visit(
        self, actor: str, household_id: str, person_id: str | None, form_ids: Iterable[str]
    ) -> Visit:
        """A new draft visit with one prefilled response per form (current versions)."""
        form_ids = list(dict.fromkeys(form_ids))
        if not form_ids:
            raise VisitError("请至少选择一张表单")
        available = load_all_forms()
        missing = [f for f in form_ids if f not in available]
        if missing:
            raise UnknownForm(f"没有这张表单：{'、'.join(missing)}")
        if person_id:
            draft = self.open_draft_for(person_id, form_ids)
            if draft is not None:
                raise DraftExists(draft.visit.id, [r.title for r in draft.responses if r.form_id in form_ids])
        context = self.person_context(person_id, household_id, actor)
        with self.store.unit_of_work(actor) as uow:
            household = uow.get(Household, household_id)
            visit = uow.add(
                Visit(
                    household_id=household_id,
                    person_id=person_id or None,
                    worker=actor,
                    started_at=utc_now(),
                    status="draft",
                    place=household.address,
                    region_code=household.region_code,
                )
            )
            for form_id in form_ids:
                form = available[form_id]
                session = FormSession.start(form, context)
                answers = {k: v for k, v in session.answers.items() if v is not None}
                uow.add(
                    FormResponse(
                        visit_id=visit.id,
                        form_id=form_id,
                        form_version=form.version,
                        answers=answers,
                        region_code=household.region_code,
                    )
                )
            return visit

    def open_visit(self, actor: str, visit_id: str) -> Visit:
        """A visit ``actor`` opens in its window; audited (``visits.read_visit_record``)."""
        with self.store.session() as s:
            visit = visits.read_visit_record(s, visit_id, actor)
            if visit is None:
                raise VisitNotFound(f"找不到访视记录 {visit_id}")
            return visit

    def open_draft_for(self, person_id: str, form_ids: Iterable[str] | None = None) -> VisitSummary | None:
        """The person's unfinished visit sharing a form with ``form_ids`` (any form if ``None``).

        One open draft per person and form: 开始访视 offers this one instead of a second.
        """
        wanted = set(form_ids) if form_ids is not None else None
        with self.store.session() as s:
            drafts = visits.open_drafts_of_person(s, person_id)
        for summary in self._summaries(drafts):
            if wanted is None or any(r.form_id in wanted for r in summary.responses):
                return summary
        return None

    def discard_visit(self, actor: str, visit_id: str, reason: str) -> Visit:
        """Give up a draft on purpose: the reason is stored on the visit, audited, and the visit
        and its responses become tombstones (needs and alerts never read a draft anyway)."""
        reason = (reason or "").strip()
        if not reason:
            raise DiscardReasonRequired("放弃未完成的访视必须填写原因")
        with self._lock, self.store.unit_of_work(actor) as uow:
            visit = uow.get(Visit, visit_id)
            if visit.status == "completed":
                raise VisitLocked("已完成的访视不能放弃；如有错误，请“重新打开”并填写原因后修改")
            for response in uow.session.exec(select(FormResponse).where(FormResponse.visit_id == visit_id)):
                self._sessions.pop(response.id, None)
                if not response.deleted:
                    uow.delete(response)
            uow.update(visit, summary=f"{DISCARD_PREFIX}{reason}"[:2000])
            audit.record(uow.session, actor, "discard", "visit", visit_id, reason)
            visit = uow.delete(visit)
        visit_resume.forget(self.store.engine, visit_id)
        return visit

    def save_position(self, visit_id: str, response_id: str, page_id: str, question_key: str = "") -> None:
        """Remember the page (and question) the user is on, so the draft reopens there."""
        visit_resume.save(
            self.store.engine, visit_id, visit_resume.ResumePoint(response_id, page_id, question_key)
        )

    def resume_point(self, visit_id: str) -> visit_resume.ResumePoint | None:
        """Where the draft was left on this laptop (``None``: start at its first page)."""
        return visit_resume.load(self.store.engine, visit_id)

    def get_visit(self, visit_id: str) -> Visit:
        with self.store.session() as s:
            visit = visits.get_visit(s, visit_id)
            if visit is None:
                raise VisitNotFound(f"找不到访视记录 {visit_id}")
            return visit

    def responses(self, visit_id: str) -> list[FormResponse]:
        """The visit's responses in the order the forms were chosen."""
        with self.store.session() as s:
            return visits.responses(s, [visit_id])

    def definition_of(self, response: FormResponse) -> FormDefinition:
        """The response's OWN form version (never the latest)."""
        return get_form(response.form_id, response.form_version)

    def open_response(self, response_id: str, context: dict[str, object] | None = None) -> FormSession:
        """An engine session over a saved response, on the response's form version."""
        with self.store.session() as s:
            response = visits.get_response(s, response_id)
            if response is None:
                raise VisitNotFound(f"找不到表单记录 {response_id}")
            visit = s.get(Visit, response.visit_id)
        if context is None:
            context = {"today": self.today.isoformat()}
            if visit is not None:
                context = self.person_context(visit.person_id, visit.household_id, visit.worker)
        return FormSession(self.definition_of(response), response.answers, context)

    # -- answering ------------------------------------------------------------------

    def _session_for(self, response: FormResponse) -> tuple[FormSession, list[str]]:
        """The cached engine session for a response, rebuilt when the row changed elsewhere."""
        cached = self._sessions.get(response.id)
        if cached is not None and cached[0] == response.updated_at:
            return cached[1], []
        session = FormSession(
            self.definition_of(response), response.answers, {"today": self.today.isoformat()}
        )
        return session, list(session.last_changed)

    def _edit(self, actor: str, response_id: str, action: Any) -> SaveResult:
        with self._lock, self.store.unit_of_work(actor) as uow:
            response = uow.get(FormResponse, response_id)
            if response.status == "completed":
                raise VisitLocked("该访视已完成，如需修改请先“重新打开”并填写原因")
            session, stale = self._session_for(response)
            try:
                keys, entry = action(session)
            except BaseException:
                self._sessions.pop(response_id, None)
                raise
            changed: dict[str, object] = {}
            for key in dict.fromkeys([*stale, *keys]):
                value = session.answers.get(key)
                changed[key] = value
                uow.set_map_value(response, "answers", key, value)
            self._sessions[response_id] = (response.updated_at, session)
            return SaveResult(response_id, changed, entry)

    def save_answer(self, actor: str, response_id: str, key: str, value: object) -> SaveResult:
        """Write one answer now (one transaction) with the calculations it changed.

        ``AnswerError`` for a wrong value type or unknown key; ``VisitLocked`` when
        the visit is completed.
        """
        return self._edit(actor, response_id, lambda s: (s.set_answer(key, value), ""))

    def add_repeat_entry(self, actor: str, response_id: str, repeat_id: str) -> SaveResult:
        """Append an entry to a repeat group; ``entry_id`` of the result names it."""

        def act(s: FormSession) -> tuple[list[str], str]:
            entry = s.add_repeat_entry(repeat_id)
            return list(s.last_changed), entry

        return self._edit(actor, response_id, act)

    def remove_repeat_entry(self, actor: str, response_id: str, repeat_id: str, entry_id: str) -> SaveResult:
        """Remove an entry and its answers (removed keys come back as ``None``)."""
        return self._edit(actor, response_id, lambda s: (s.remove_repeat_entry(repeat_id, entry_id), ""))

    def restore_repeat_entry(
        self,
        actor: str,
        response_id: str,
        repeat_id: str,
        entry_id: str,
        index: int,
        answers: dict[str, object],
    ) -> SaveResult:
        """Undo a removal: the entry back at ``index`` with the answers it had."""
        return self._edit(
            actor,
            response_id,
            lambda s: (s.restore_repeat_entry(repeat_id, entry_id, index, answers), ""),
        )

    # -- completion -----------------------------------------------------------------

    def problems(self, visit_id: str) -> list[FormProblems]:
        """Per form: open required questions and constraint errors (empty = can complete)."""
        out = []
        for response in self.responses(visit_id):
            session = FormSession(
                self.definition_of(response), response.answers, {"today": self.today.isoformat()}
            )
            errors = session.errors()
            if errors:
                out.append(FormProblems(response.id, response.form_id, session.definition.title, errors))
        return out

    def complete_visit(self, actor: str, visit_id: str, summary: str | None = None) -> Visit:
        """Mark the visit and its responses completed; ``VisitIncomplete`` lists what is missing."""
        problems = self.problems(visit_id)
        if problems:
            raise VisitIncomplete(problems)
        now = utc_now()
        with self._lock, self.store.unit_of_work(actor) as uow:
            visit = uow.get(Visit, visit_id)
            for response in uow.session.exec(select(FormResponse).where(FormResponse.visit_id == visit_id)):
                if response.status != "completed":
                    uow.update(response, status="completed", completed_at=now)
                self._sessions.pop(response.id, None)
                status = outcome_person_status(response)
                person = uow.session.get(Person, visit.person_id) if visit.person_id else None
                if status and person is not None and person.status != status:
                    uow.update(person, status=status)  # 死亡/迁出/失联 seen on the visit (annual update)
            values: dict[str, Any] = {"status": "completed", "ended_at": now}
            if summary is not None:
                values["summary"] = summary
            visit = uow.update(visit, **values)
            needs.open_from_visit(uow, visit, self._today)  # the needs it found become need items
        visit_resume.forget(self.store.engine, visit_id)
        return visit

    def reopen_visit(self, actor: str, visit_id: str, reason: str) -> Visit:
        """Make a completed visit editable again; the reason is stored and audited."""
        reason = (reason or "").strip()
        if not reason:
            raise ReopenReasonRequired("重新打开已完成的访视必须填写原因")
        with self._lock, self.store.unit_of_work(actor) as uow:
            visit = uow.get(Visit, visit_id)
            if visit.status != "completed":
                raise VisitError("该访视尚未完成，无需重新打开")
            for response in uow.session.exec(select(FormResponse).where(FormResponse.visit_id == visit_id)):
                uow.update(response, status="draft", completed_at="")
            audit.record(uow.session, actor, "reopen", "visit", visit_id, reason)
            return uow.update(visit, status="draft", reopen_reason=reason)

    # -- lists ----------------------------------------------------------------------

    def _summaries(self, rows: list[Visit]) -> list[VisitSummary]:
        if not rows:
            return []
        with self.store.session() as s:
            responses = visits.responses(s, [v.id for v in rows])
            names = persons.names(s, {v.person_id for v in rows if v.person_id})
        by_visit: dict[str, list[ResponseSummary]] = {}
        for r in responses:
            answered, total = self._progress(r)
            title, title_en = _form_titles(r.form_id, r.form_version)
            by_visit.setdefault(r.visit_id, []).append(
                ResponseSummary(r.id, r.form_id, r.form_version, title, r.status, answered, total, title_en)
            )
        return [
            VisitSummary(v, names.get(v.person_id or "", ""), v.place, by_visit.get(v.id, [])) for v in rows
        ]

    def _progress(self, response: FormResponse) -> tuple[int, int]:
        try:
            session = FormSession(
                self.definition_of(response), response.answers, {"today": self.today.isoformat()}
            )
        except ValueError:
            return 0, 0
        return session.progress()

    def unfinished_drafts(self, actor: str) -> list[VisitSummary]:
        """Draft visits of this worker, newest first (offered for resumption at start)."""
        with self.store.session() as s:
            drafts = visits.drafts_of(s, actor)
        return self._summaries(drafts)

    def has_unfinished_drafts(self, actor: str) -> int:
        """How many drafts the worker has (a cheap count for the start-up banner)."""
        with self.store.engine.connect() as conn:
            return visits.count_drafts(conn, actor)

    def visit_history(self, household_id: str) -> list[VisitSummary]:
        """All visits of a household, newest first, with their forms and progress."""
        with self.store.session() as s:
            history = visits.of_household(s, household_id)
        return self._summaries(history)

    def todo_list(self, region_prefix: str = "", filters: TodoFilters | None = None) -> list[TodoItem]:
        """Registered persons of a region to visit, narrowed by ``filters`` (one SQL query)."""
        filters = filters or TodoFilters()
        where = [persons.registered_sql("p"), "substr(p.region_code, 1, :plen) = :prefix"]
        params: dict[str, Any] = {"prefix": region_prefix, "plen": len(region_prefix)}
        if filters.not_visited_this_year:
            where.append(visits.not_visited_since_sql("year_start", "p"))
            params["year_start"] = local_day_start_utc(date(self.today.year, 1, 1))
        if filters.severe_only:
            where.append("p.level IN ('1', '2')")
        if filters.dangerous_house:
            where.append("h.house_grade IN ('C', 'D')")
        sql = f"""
            SELECT p.id, p.household_id, p.name, p.category, p.level, p.region_code, h.address,
                   coalesce(h.house_grade, ''), h.economic_status,
                   coalesce({visits.latest_visit_sql("person_id", "p")}, '')
            FROM person p JOIN household h ON h.id = p.household_id
            WHERE {" AND ".join(where)}
            ORDER BY p.region_code, h.address, p.name
        """
        with self.store.engine.connect() as conn:
            rows = conn.execute(text(sql), params).all()
        items = [TodoItem(*row) for row in rows]
        if filters.has_open_alerts:
            from app.services.alerts import AlertService

            flagged = AlertService(self.store, today=self._today).persons_with_alerts(
                [i.person_id for i in items]
            )
            items = [i for i in items if i.person_id in flagged]
        return items[: filters.limit]
