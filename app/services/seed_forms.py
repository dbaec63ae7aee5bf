"""Filled-in form responses for the seeded visits (``homevisit seed``).

Each seeded visit gets the forms a worker would have been offered
(``resources/form_suggestions.json``, with the person's earlier seeded answers
and the household's forms of that year), answered by ``app.forms.synthetic.fill_form``
for this person's registry facts: a completed visit carries complete responses,
a draft visit partial ones. The visit outcome agrees with the person's status
(a deceased person's last visit says 死亡).

Filling a needs assessment through the engine costs ~30 ms, so answers are
reused: a few filled responses are kept per (form, category, level, age band,
economic status, outcome), and a kept one is used again only after its
answers, with this person's prefill, pass the form's checks for this person and
day (``FormSession.can_complete``, ~2 ms); otherwise the form is filled afresh.
Signatures are a few generated scribbles stored once in the profile's file
store, linked to each response like the signature pad's (``AttachmentLink``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.ids import InvalidIdNumber, mask_cert_number, mask_id_number, parse_id_number
from app.forms.answer_values import is_empty, normalise
from app.forms.definition import load_all_forms
from app.forms.engine import FormSession
from app.forms.errors import AnswerError
from app.forms.model import FormDefinition
from app.forms.synthetic import fill_form
from app.services.demo_projects import scribble_signature
from app.services.form_suggestions import PersonFacts, load_suggestions
from app.store import models
from app.store.files import FileStore
from app.store.writer import BulkLoad

KEEP = 3  # filled responses kept per key
REUSE_EARLY = 0.7  # chance a key with fewer than KEEP kept responses still reuses one
SIGNATURES = 6
# Age bands on the forms' thresholds (3, 6, 15/16, 18, 22, 59/60).
_AGE_BANDS = (3, 6, 7, 16, 18, 23, 60)
_OUTCOMES = (("seen", 0.86), ("not_seen", 0.11), ("refused", 0.03))
OUTCOME_FORM = "needs_assessment"
# Person facts a form's relevance, constraints and choice filters may read (app.forms.model.CONTEXT_KEYS).
_FACTS = ("category", "level", "age", "gender", "economic_status", "has_care_subsidy", "has_living_subsidy",
          "house_grade")  # fmt: skip


def _age_band(age: object) -> int:
    if not isinstance(age, int):
        return -1
    return sum(age >= b for b in _AGE_BANDS)


@dataclass
class SeedFormStats:
    responses: int = 0
    filled: int = 0  # filled afresh through the engine
    reused: int = 0


class SeedForms:
    """Form responses for the visits one ``seed_store`` run writes."""

    def __init__(
        self, writer: BulkLoad, files: FileStore, rng: random.Random, worker_names: Mapping[str, str]
    ) -> None:
        self.writer = writer
        self.rng = rng
        self.forms: dict[str, FormDefinition] = load_all_forms()
        self.rules = load_suggestions()
        self.worker_names = worker_names
        self.kept: dict[tuple[object, ...], list[dict[str, object]]] = {}
        self.latest: dict[str, dict[str, dict[str, Any]]] = {}  # person id -> form id -> answers
        self.filled_in: dict[tuple[str, int], set[str]] = {}  # (household id, year) -> form ids
        self.stats = SeedFormStats()
        self._facts: dict[str, tuple[str, ...]] = {}
        self.files = files
        self.signatures: list[str] = []
        self._region = ""

    # -- one visit ------------------------------------------------------------------

    def context(
        self, person: Mapping[str, Any], household: Mapping[str, Any], worker: str, day: date
    ) -> dict[str, object]:
        """The prefill facts ``VisitService.person_context`` gives, from the seeded rows."""
        ctx: dict[str, object] = {
            "region_code": household["region_code"],
            "address": household.get("address", ""),
            "phone": person.get("phone") or household.get("phone") or "",
            "household_head": household.get("head_name", ""),
            "economic_status": household.get("economic_status", ""),
            "house_grade": household.get("house_grade") or "",
            "worker_name": self.worker_names.get(worker, worker),
            "visit_date": day.isoformat(),
            "today": day.isoformat(),
            "has_accessibility_project": False,
            "has_lighting_project": False,
            "has_dangerous_house_project": False,
            "name": person.get("name", ""),
            "gender": person.get("gender", ""),
            "birth_date": person.get("birth_date", ""),
            "category": person.get("category", ""),
            "level": person.get("level", ""),
            "has_care_subsidy": bool(person.get("has_care_subsidy")),
            "has_living_subsidy": bool(person.get("has_living_subsidy")),
            "id_number_masked": mask_id_number(person.get("id_number") or ""),
            "certificate_number_masked": mask_cert_number(person.get("cert_number") or ""),
        }
        try:
            ctx["age"] = parse_id_number(person.get("id_number") or "").age_on(day)
        except InvalidIdNumber:
            pass
        return ctx

    def outcome(self, person: Mapping[str, Any], last: bool) -> str:
        """The visit outcome: the person's status on their last visit, else mostly 见到本人."""
        status = str(person.get("status") or "registered")
        if last and status in ("deceased", "moved_out", "lost_contact"):
            return status
        pick, acc = self.rng.random(), 0.0
        for value, share in _OUTCOMES:
            acc += share
            if pick < acc:
                return value
        return "seen"

    def forms_for(
        self, person_id: str, household: Mapping[str, Any], household_id: str, year: int, category: str
    ) -> list[str]:
        facts = PersonFacts(
            category=category,
            house_grade=str(household.get("house_grade") or ""),
            latest_answers=self.latest.get(person_id, {}),
            filled_this_year=frozenset(self.filled_in.get((household_id, year), ())),
        )
        return [f for f in self.rules.forms_for(facts) if f in self.forms]

    def add_responses(
        self,
        visit: models.Visit,
        person_id: str,
        person: Mapping[str, Any],
        household: Mapping[str, Any],
        day: date,
        *,
        complete: bool,
        last: bool,
    ) -> int:
        """Queue the visit's responses (and their signature links); returns how many."""
        self._region = self._region or visit.region_code
        ctx = self.context(person, household, visit.worker, day)
        outcome = self.outcome(person, last)
        form_ids = self.forms_for(person_id, household, visit.household_id, day.year, str(ctx["category"]))
        if outcome in ("deceased", "moved_out", "lost_contact", "refused"):
            form_ids = [OUTCOME_FORM]  # nobody to assess the house or devices with
        for form_id in form_ids:
            form = self.forms[form_id]
            wants = {"visit_outcome": outcome} if form_id == OUTCOME_FORM else {}
            answers = self._answers(form, ctx, wants)
            if not complete:
                answers = self._partial(form, answers, ctx)
            response = models.FormResponse(
                visit_id=visit.id,
                form_id=form_id,
                form_version=form.version,
                answers=answers,
                status="completed" if complete else "draft",
                completed_at=visit.ended_at if complete else "",
                region_code=visit.region_code,
                created_at=visit.started_at,
                updated_at=visit.started_at,
            )
            self.writer.add(response)
            self._link_media(form, response)
            self.latest.setdefault(person_id, {})[form_id] = answers
            self.filled_in.setdefault((visit.household_id, day.year), set()).add(form_id)
            self.stats.responses += 1
        return len(form_ids)

    # -- answers ----------------------------------------------------------------------

    def _media(self, key: str, kind: str) -> str:
        if not self.signatures:  # stored on first use, in the region of the first visit that signs
            for _ in range(SIGNATURES):
                data = scribble_signature(self.rng)
                sha = self.files.put_bytes(data)
                if sha not in self.signatures:
                    self.signatures.append(sha)
                    self.writer.add(
                        models.Attachment(
                            id=sha, media_type="image/png", size=len(data), region_code=self._region
                        ),
                        skip_if_present=True,
                    )
        return self.rng.choice(self.signatures)

    def _key(
        self, form: FormDefinition, ctx: Mapping[str, object], wants: Mapping[str, object]
    ) -> tuple[object, ...]:
        """What a kept response must share with this person: the facts the form's rules look at."""
        facts = self._facts.get(form.id)
        if facts is None:
            text = form.path.read_text(encoding="utf-8") if form.path else ""
            facts = self._facts[form.id] = tuple(f for f in _FACTS if "${" + f + "}" in text)
        values = [_age_band(ctx.get("age")) if f == "age" else ctx.get(f) for f in facts]
        return (form.id, *values, tuple(sorted(wants.items())))

    def _answers(
        self, form: FormDefinition, ctx: Mapping[str, object], wants: Mapping[str, object]
    ) -> dict[str, object]:
        key = self._key(form, ctx, wants)
        kept = self.kept.setdefault(key, [])
        if kept and (len(kept) >= KEEP or self.rng.random() < REUSE_EARLY):
            candidate = self._with_prefill(form, self.rng.choice(kept), ctx)
            session = FormSession(form, candidate, ctx)
            if session.can_complete():
                self.stats.reused += 1
                return dict(session.answers)
        for _ in range(3):  # a rare dead end of the random answers: answer again
            filled = fill_form(form, ctx, self.rng, wants=wants, media=self._media)
            self.stats.filled += 1
            if filled.complete:
                break
        if filled.complete and len(kept) < KEEP:
            kept.append(filled.answers)
        return dict(filled.answers)

    @staticmethod
    def _with_prefill(
        form: FormDefinition, answers: Mapping[str, object], ctx: Mapping[str, object]
    ) -> dict[str, object]:
        out = dict(answers)
        for q in form.questions.values():
            if q.repeat is None and q.prefill and not is_empty(ctx.get(q.prefill)):
                try:
                    out[q.id] = normalise(q, q.id, ctx[q.prefill])
                except AnswerError:
                    out.pop(q.id, None)
        return out

    def _partial(
        self, form: FormDefinition, answers: dict[str, object], ctx: Mapping[str, object]
    ) -> dict[str, object]:
        """A draft: the answers of the first pages only, as a visit left half-way."""
        session = FormSession(form, answers, ctx)
        pages = [p for p in form.pages if session.visible_questions(p)]
        upto = max(1, self.rng.randint(1, max(1, len(pages) - 1)))
        keep: set[str] = set()
        for page in pages[:upto]:
            keep.update(session.visible_questions(page))
        return {k: v for k, v in answers.items() if k in keep}

    def _link_media(self, form: FormDefinition, response: models.FormResponse) -> None:
        for key, value in response.answers.items():
            q = form.questions.get(key.rsplit(".", 1)[-1])
            if q is None or q.type not in ("photo", "signature"):
                continue
            for position, sha in enumerate(value if isinstance(value, list) else [value]):
                self.writer.add(
                    models.AttachmentLink(
                        owner_tbl="formresponse",
                        owner_id=response.id,
                        role=q.type,
                        sha256=str(sha),
                        position=position,
                        region_code=response.region_code,
                    )
                )
