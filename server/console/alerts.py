"""Need alerts (需求预警) on the server: the laptop's rules over the synced records.

Each registered person's alerts come from ``app.contract.forms.alerts`` — the rules of
``resources/alerts.json``, the facts ``registry_facts`` builds (person, household, the
household's unsettled projects, overdue need items) and the latest completed answers of
each form run through the form engine's relevance and calculations — exactly what the
laptop's ``AlertService`` evaluates, read here out of ``records`` by way of the
dashboard's facts. They are kept in ``ConsoleAlert``:

- ``server.console.facts.refresh`` recomputes, in the same transaction as each chunk of
  facts, the persons whose records that chunk changed (``affected``);
- the rules read today's date (ages, due dates, a device's service life), so once a day
  (China time) every person is computed again (``keep_up``): the very first build before
  the view that finds none (it waits, as for the facts' first build); later days in a
  background thread while views show the day before's and say so.

A laptop's "标记已处理" marks are kept on that laptop only (its ``handledalert`` table is
not synced), so these counts do not leave them out; the dashboard says so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.contract.forms.alerts import (
    SETTLED_PROJECTS,
    AlertRule,
    load_alert_rules,
    person_alerts,
    registry_facts,
)
from app.contract.forms.definition import form_files, get_form
from app.contract.forms.errors import FormDefinitionError
from app.contract.forms.model import FormDefinition
from app.domain.enums import PersonStatus
from app.domain.localtime import china_today
from app.domain.needs import is_overdue
from server.console.tables import ConsoleAlert, ConsoleState, RecordFact, renew_statistics
from server.core.config import RESOURCES_DIR
from server.models import Record

F = RecordFact
A = ConsoleAlert.__table__  # type: ignore[attr-defined]
DAY = "alerts_day"  # ConsoleState: the day (ordinal) of the last full computation; 0 = none yet
CHUNK = 500
COMPLETED = "completed"
log = logging.getLogger("homevisit.server.console")

_forms_dirs: WeakKeyDictionary[Engine, Path] = WeakKeyDictionary()
_rebuilding: set[int] = set()  # id() of the engines a background rebuild runs for
_rebuilding_lock = threading.Lock()
_first_build = threading.Lock()
_done: dict[int, int] = {}  # id() of an engine -> persons computed so far by its running rebuild


@dataclass(frozen=True)
class RuleSet:
    """The alert rules, checked against the forms whose answers they read."""

    rules: list[AlertRule]
    forms: dict[str, FormDefinition]


def use_forms(engine: Engine, folder: Path) -> None:
    """The published forms folder of the server on ``engine`` (``Settings.forms_dir``)."""
    _forms_dirs[engine] = Path(folder)


@lru_cache(maxsize=8)
def _rule_set(files: tuple[tuple[str, int, Path], ...]) -> RuleSet:
    forms = {form_id: get_form(form_id, version, path.parent) for form_id, version, path in files}
    return RuleSet(load_alert_rules(forms=forms), forms)


def rule_set(engine: Engine) -> RuleSet:
    """The rules over the latest version of each form, as a laptop has them after its sync.

    A laptop reads the forms it ships (``resources/forms``) and those it received from
    ``GET /forms`` (the server's ``forms_dir``), the latest version of each. Raises
    ``FormDefinitionError`` when a rule names a question the forms no longer have.
    """
    found = form_files(RESOURCES_DIR / "forms")
    for form_id, versions in form_files(_forms_dirs.get(engine, RESOURCES_DIR / "forms")).items():
        found.setdefault(form_id, {}).update(versions)
    latest = tuple(sorted((form_id, max(v), v[max(v)]) for form_id, v in found.items()))
    return _rule_set(latest)


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _values(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: pair[0] if pair else None for name, pair in fields.items()}


def _rows(session: Session, tbl: str, row_ids: Collection[str]) -> dict[str, tuple[bool, dict[str, Any]]]:
    """row id -> (tombstoned, field values) of the records of ``tbl`` among ``row_ids``."""
    out: dict[str, tuple[bool, dict[str, Any]]] = {}
    ids = sorted(i for i in row_ids if i)
    for chunk in _chunks(ids):
        query = select(Record.row_id, Record.deleted, Record.fields).where(
            Record.tbl == tbl,
            Record.row_id.in_(chunk),  # type: ignore[attr-defined]
        )
        out.update(
            {row_id: (bool(deleted), _values(fields)) for row_id, deleted, fields in session.execute(query)}
        )
    return out


def _placed(session: Session, person_ids: Sequence[str]) -> dict[str, tuple[str, int]]:
    """Person id -> (region code, seq) of their facts (the rows the dashboard counts and lists)."""
    query = (
        select(F.row_id, F.region_code, F.seq)
        .join(Record, Record.id == F.record_id)  # type: ignore[arg-type]
        .where(Record.tbl == "person", Record.row_id.in_(list(person_ids)))  # type: ignore[attr-defined]
    )
    return {row_id: (region, seq) for row_id, region, seq in session.execute(query)}


def _evaluate(session: Session, person_ids: Sequence[str], today: date, rs: RuleSet) -> list[dict[str, Any]]:
    """The alert rows that fire today for the registered persons among ``person_ids``.

    The laptop's reads, one by one (``app.services.alerts``): a person on the register
    (not a tombstone) with a household row; the household's projects that are neither
    tombstones nor settled; open need items past due; the latest completed response of
    each form over the person's visits (by visit start) that are not tombstones.
    """
    placed = _placed(session, person_ids)
    persons = {
        pid: values
        for pid, (deleted, values) in _rows(session, "person", person_ids).items()
        if not deleted and values.get("status") == PersonStatus.REGISTERED.value and pid in placed
    }
    households = _rows(session, "household", {str(v.get("household_id") or "") for v in persons.values()})
    live = [F.deleted == False]  # noqa: E712
    projects: dict[str, list[tuple[str, object]]] = {}
    for chunk in _chunks(sorted(households)):
        query = (
            select(Record.fields)
            .join(F, F.record_id == Record.id)  # type: ignore[arg-type]
            .where(
                F.tbl == "renovationproject",
                F.person_id.in_(chunk),  # type: ignore[attr-defined]
                F.status.not_in(SETTLED_PROJECTS),  # type: ignore[attr-defined]
                *live,
            )
        )
        for (fields,) in session.execute(query):
            v = _values(fields)
            projects.setdefault(str(v.get("household_id") or ""), []).append(
                (str(v.get("kind") or ""), v.get("person_id"))
            )
    overdue: dict[str, int] = {}
    visits: dict[str, tuple[str, str]] = {}  # visit id -> (person id, start)
    for chunk in _chunks(sorted(persons)):
        need_rows = select(F.person_id, F.status, F.at).where(
            F.tbl == "needitem",
            F.person_id.in_(chunk),  # type: ignore[attr-defined]
            *live,
        )
        for pid, status, due_on in session.execute(need_rows):
            overdue[pid] = overdue.get(pid, 0) + is_overdue(status, due_on, today)
        visit_rows = select(F.row_id, F.person_id, F.at).where(
            F.tbl == "visit",
            F.person_id.in_(chunk),  # type: ignore[attr-defined]
            *live,
        )
        visits.update({vid: (pid, started) for vid, pid, started in session.execute(visit_rows)})
    latest: dict[str, dict[str, tuple[tuple[str, str], dict[str, Any]]]] = {}
    for chunk in _chunks(sorted(visits)):
        query = (
            select(F.person_id, F.form_id, F.at, Record.fields)
            .join(Record, Record.id == F.record_id)  # type: ignore[arg-type]
            .where(
                F.tbl == "formresponse",
                F.person_id.in_(chunk),  # type: ignore[attr-defined]
                F.status == COMPLETED,
                *live,
            )
        )
        for visit_id, form_id, completed_at, fields in session.execute(query):
            pid, started = visits[visit_id]
            key = (started, completed_at)
            mine = latest.setdefault(pid, {})
            if form_id not in mine or key > mine[form_id][0]:
                answers = {
                    k.removeprefix("answers."): pair[0]
                    for k, pair in fields.items()
                    if k.startswith("answers.")
                }
                mine[form_id] = (key, answers)
    out: list[dict[str, Any]] = []
    day = today.isoformat()
    for pid, person in persons.items():
        hid = str(person.get("household_id") or "")
        if hid not in households:
            continue
        household = households[hid][1]
        facts = registry_facts(
            {**person, "id": pid}, household, projects.get(hid, []), overdue.get(pid, 0), today
        )
        responses = {form: answers for form, (_, answers) in latest.get(pid, {}).items()}
        for alert in person_alerts(facts, responses, household.get("house_grade") or "", rs.rules, rs.forms):
            region, seq = placed[pid]
            out.append(
                {"person_id": pid, "rule_id": alert.rule_id, "region_code": region, "seq": seq, "day": day}
            )
    return out


def compute(session: Session, person_ids: Iterable[str], today: date, rs: RuleSet) -> int:
    """Replace the stored alerts of ``person_ids`` by today's (in the caller's transaction); how many fire."""
    ids = sorted({p for p in person_ids if p})
    fired = 0
    for chunk in _chunks(ids):
        found = _evaluate(session, chunk, today, rs)
        session.execute(delete(A).where(A.c.person_id.in_(chunk)))
        if found:
            session.execute(insert(A), found)
        fired += len(found)
    return fired


def affected(session: Session, changed: Iterable[tuple[str, str, str]]) -> set[str]:
    """The persons whose alerts may change with these records: (table, row id, facts' ``person_id``).

    A person's own row; a household's or project's household's members; a visit's or need
    item's person; a form response's visit's person.
    """
    persons: set[str] = set()
    households: set[str] = set()
    visits: set[str] = set()
    for tbl, row_id, link in changed:
        if tbl == "person":
            persons.add(row_id)
        elif tbl in ("visit", "needitem"):
            persons.add(link)
        elif tbl == "household":
            households.add(row_id)
        elif tbl == "renovationproject":
            households.add(link)
        elif tbl == "formresponse":
            visits.add(link)
    for chunk in _chunks(sorted(households - {""})):
        query = select(F.row_id).where(F.tbl == "person", F.person_id.in_(chunk))  # type: ignore[attr-defined]
        persons.update(session.scalars(query))
    for chunk in _chunks(sorted(visits - {""})):
        query = (
            select(F.person_id)
            .join(Record, Record.id == F.record_id)  # type: ignore[arg-type]
            .where(Record.tbl == "visit", Record.row_id.in_(chunk))  # type: ignore[attr-defined]
        )
        persons.update(session.scalars(query))
    persons.discard("")
    return persons


def built_day(session: Session) -> int:
    """The day (ordinal) of the last full computation; 0 when there has been none."""
    state = session.get(ConsoleState, DAY)
    return state.value if state else 0


def _set_day(session: Session, ordinal: int) -> None:
    state = session.get(ConsoleState, DAY) or ConsoleState(key=DAY)
    state.value = ordinal
    session.add(state)


_REGISTERED = (F.tbl == "person", F.status == PersonStatus.REGISTERED.value, F.deleted == False)  # noqa: E712


def registered(session: Session) -> int:
    """Registered persons in the facts: the persons a full computation goes through."""
    return int(session.execute(select(func.count()).where(*_REGISTERED)).scalar_one())


def progress(engine: Engine) -> int:
    """Persons computed so far by a full computation running in this process (0 when none runs)."""
    return _done.get(id(engine), 0)


def forget(session: Session) -> None:
    """Drop every stored alert (the facts are being built again from the first record)."""
    session.execute(delete(A))
    _set_day(session, 0)


def rebuild(engine: Engine, today: date, lock: threading.Lock) -> int:
    """Compute every registered person's alerts for ``today``; the number that fire.

    One transaction per chunk of persons, each under ``lock`` (the facts' refresher's), so
    laptops keep syncing and views keep counting while it runs.
    """
    try:
        rs = rule_set(engine)
    except FormDefinitionError:
        log.exception("alert rules do not fit the published forms; no alerts computed")
        return 0
    with Session(engine) as session:
        persons = sorted(session.scalars(select(F.row_id).where(*_REGISTERED)))
    fired = 0
    _done[id(engine)] = 0
    try:
        for chunk in _chunks(persons):
            with lock, Session(engine) as session:
                try:
                    fired += compute(session, chunk, today, rs)
                    session.commit()
                except IntegrityError:
                    session.rollback()  # another server process wrote these persons' alerts first
            _done[id(engine)] += len(chunk)
    finally:
        _done.pop(id(engine), None)
    with lock, Session(engine) as session:
        # Persons no longer on the register whose alerts no change removed (a reset, say).
        session.execute(delete(A).where(A.c.day != today.isoformat()))
        _set_day(session, today.toordinal())
        session.commit()
    # Fresh planner statistics after the bulk write, as the facts' build does for theirs.
    renew_statistics(engine, ConsoleAlert)
    return fired


def keep_up(engine: Engine, lock: threading.Lock, today: date | None = None) -> None:
    """Make sure every person's alerts are today's: the first build now, a later day's in the background."""
    today = today or china_today()
    day = _day(engine)
    if day == today.toordinal():
        return
    if day == 0:
        with _first_build:  # a view that comes while the start-up build runs waits for it
            if _day(engine) == 0:
                rebuild(engine, today, lock)
        return
    with _rebuilding_lock:
        if id(engine) in _rebuilding:
            return
        _rebuilding.add(id(engine))
    _background(lambda: rebuild(engine, today, lock), engine)


def _day(engine: Engine) -> int:
    with Session(engine) as session:
        return built_day(session)


def _background(run: Callable[[], object], engine: Engine) -> None:
    def target() -> None:
        try:
            run()
        except Exception:  # the next view starts it again
            log.exception("console alerts rebuild failed")
        finally:
            with _rebuilding_lock:
                _rebuilding.discard(id(engine))

    threading.Thread(target=target, name="console-alerts", daemon=True).start()
