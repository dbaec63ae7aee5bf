"""``RecordFact`` rows: what the dashboard counts by, read once out of each record's JSON.

``refresh(engine)`` reads the records written since it last ran, by the pull's own
``seq`` cursor and watermark (``server.seq.visible``: on PostgreSQL a transaction
still running may commit smaller seqs later, so the cursor never passes it), and
writes their facts, and in the same transaction the need alerts of the persons those
records concern (``server.console.alerts``) and the device lines of the device-needs forms
among them or of their visits (``server.console.device_lines``). Each dashboard view
refreshes first, so it counts every record committed before it; after the first build
only the rows changed since are read.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic_core import from_json
from sqlalchemy import Engine, Text, case, cast, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.contract.forms.errors import FormDefinitionError
from app.domain.localtime import china_today
from server import seq
from server.console import alerts, device_lines, last_visits
from server.console.tables import ConsoleDeviceLine, ConsoleState, RecordFact, renew_statistics
from server.models import Record

TABLES = ("person", "household", "visit", "formresponse", "renovationproject", "needitem")
CHUNK = 5000
ANALYZE_AFTER = 20_000  # records read in one refresh after which the planner's statistics are renewed
# The cursor's name; a new name when ``extract`` starts reading more makes every view rebuild the
# facts once from the first record (2: a person's level and household, a household's economy; 3: every
# form response and its visit, a need item's person, a project's household, which the alerts follow;
# 4: the device lines of every device-needs form, ``server.console.device_lines``).
FACTS_KEY = "facts_seq.4"  # the cursor of the build; a new suffix rebuilds after a change of extract()
# A view waits for its own refresh when that is short; a longer one (the first build, or the
# rebuild after a change of extract()) runs in the background while views show how far it is.
WAIT_RECORDS = 10_000  # records still to read
WAIT_PERSONS = 2_000  # registered persons whose alerts are still to be computed the first time
log = logging.getLogger("homevisit.server.console")
_lock = threading.Lock()  # one refresher per process; another process's meets the primary key
_builders: dict[int, threading.Thread] = {}  # id() of an engine -> its background refresh
_builders_lock = threading.Lock()


def _value(fields: dict[str, Any], name: str, default: Any = "") -> Any:
    pair = fields.get(name)
    return default if pair is None or pair[0] is None else pair[0]


def _asks(fields: dict[str, Any], name: str) -> bool:
    """A multiple-choice answer with something chosen."""
    return bool(_value(fields, f"answers.{name}", None))


def extract(tbl: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The facts of one record of ``tbl`` (a table of ``TABLES``)."""
    out: dict[str, Any] = {"status": str(_value(fields, "status"))}
    if tbl == "person":  # its level and household, in the columns a need item's type and a visit's person use
        # (its ``at``, the latest completed visit, is written from the visits' facts: ``last_visits``)
        out["kind"], out["person_id"] = str(_value(fields, "level")), str(_value(fields, "household_id"))
    elif tbl == "household":
        out["kind"] = str(_value(fields, "economic_status"))
    elif tbl == "visit":
        out["person_id"] = str(_value(fields, "person_id"))
        out["at"] = str(_value(fields, "started_at"))
    elif tbl == "formresponse":
        form_id = str(_value(fields, "form_id"))
        out["form_id"], out["at"] = form_id, str(_value(fields, "completed_at"))
        out["person_id"] = str(_value(fields, "visit_id"))
        if form_id == "needs_assessment":
            out["rehab"] = _asks(fields, "rehab_needed")
            out["care"] = _asks(fields, "care_needed")
            out["employment"] = _asks(fields, "employment_help")
            out["accessibility"] = _value(fields, "answers.accessibility_needed", False) is True
        elif form_id == "assistive_devices":
            out["device_need"] = _value(fields, "answers.has_need", False) is True
    elif tbl == "needitem":  # its type and due date, in the columns a project's kind and a visit's time use
        out["kind"], out["at"] = str(_value(fields, "need_type")), str(_value(fields, "due_on"))
        out["person_id"] = str(_value(fields, "person_id"))
    elif tbl == "renovationproject":
        out["kind"], out["person_id"] = str(_value(fields, "kind")), str(_value(fields, "household_id"))
        budget = _value(fields, "budget", 0.0)
        out["budget"] = (
            float(budget) if isinstance(budget, int | float) and not isinstance(budget, bool) else 0.0
        )
    return out


def _cursor(session: Session) -> int:
    state = session.get(ConsoleState, FACTS_KEY)
    cursor = state.value if state else 0
    top = session.execute(select(func.max(Record.seq))).scalar_one() or 0
    if cursor > top:  # the records were emptied (a test's reset): start again
        session.execute(delete(RecordFact))
        cursor = 0
    if cursor == 0:  # every person's alerts are computed once the facts are built
        alerts.forget(session)
        device_lines.forget(session)  # and every form's lines as its facts are
    last_visits.fill_in_once(session)
    return cursor


def refresh(engine: Engine, today: date | None = None) -> int:
    """Bring the facts and the alerts up to the newest committed record; the number of records read.

    Each chunk is its own transaction, so a long first build never holds SQLite's write
    lock for more than a moment: laptops keep syncing while it runs. The alerts of the
    persons a chunk changes are recomputed in its transaction (``server.console.alerts``);
    ``today`` (China's, by default) is the day the alert rules are evaluated for.
    """
    today = today or china_today()
    read = _refresh_facts(engine, today)
    alerts.keep_up(engine, _lock, today)
    return read


def _refresh_facts(engine: Engine, today: date) -> int:
    facts = RecordFact.__table__  # type: ignore[attr-defined]
    read = 0
    with _lock, Session(engine) as session:
        try:
            cursor = _cursor(session)
            rules = _alert_rules(engine) if alerts.built_day(session) else None
            while True:
                wanted = case((Record.tbl.in_(TABLES), cast(Record.fields, Text)), else_=None)  # type: ignore[attr-defined]
                rows = session.execute(
                    select(
                        Record.id,
                        Record.tbl,
                        Record.row_id,
                        Record.region_code,
                        Record.seq,
                        Record.deleted,
                        wanted,
                    )
                    .where(Record.seq > cursor, *seq.visible(session))  # type: ignore[operator]
                    .order_by(Record.seq)  # type: ignore[arg-type]
                    .limit(CHUNK)
                ).all()
                if not rows:
                    break
                stale: list[int] = []
                made: list[dict[str, Any]] = []
                for rid, tbl, row_id, region, s, deleted, raw in rows:
                    if raw is None:
                        continue  # a table no figure counts
                    stale.append(rid)
                    base = {"record_id": rid, "tbl": tbl, "row_id": row_id, "region_code": region}
                    made.append({**base, "seq": s, "deleted": bool(deleted), **extract(tbl, from_json(raw))})
                changed: list[tuple[str, str, str]] = []
                if stale:  # what the records linked to before, too
                    old = select(facts.c.tbl, facts.c.row_id, facts.c.person_id)
                    changed += [tuple(r) for r in session.execute(old.where(facts.c.record_id.in_(stale)))]
                    session.execute(delete(facts).where(facts.c.record_id.in_(stale)))
                if made:
                    # Every row names every column, so one executemany inserts them all.
                    defaults = {c.name: c.default.arg for c in facts.c if c.default is not None}
                    session.execute(insert(facts), [{**defaults, **m} for m in made])
                changed += [(m["tbl"], m["row_id"], m.get("person_id", "")) for m in made]
                last_visits.keep(
                    session,
                    [row_id for tbl, row_id, _ in changed if tbl == "person"]
                    + [person for tbl, _, person in changed if tbl == "visit"],
                )
                if rules is not None:
                    alerts.compute(session, alerts.affected(session, changed), today, rules)
                device_lines.compute(
                    session,
                    [m["record_id"] for m in made if m["tbl"] == "formresponse"],
                    [m["row_id"] for m in made if m["tbl"] == "visit"],
                )
                cursor = rows[-1][4]
                state = session.get(ConsoleState, FACTS_KEY) or ConsoleState(key=FACTS_KEY)
                state.value = cursor
                session.add(state)
                session.commit()
                read += len(rows)
            session.commit()  # a reset's emptying, when no record was left to read
            if read >= ANALYZE_AFTER:
                # Fresh statistics after a bulk build, as ``server.seed`` does for records: with
                # none, PostgreSQL guessed one person and one visit and planned the coverage
                # count as nested index scans of every pair (ten minutes instead of a second).
                renew_statistics(engine, RecordFact, ConsoleDeviceLine)
        except IntegrityError:
            session.rollback()  # another server process wrote the same facts first
    return read


def _alert_rules(engine: Engine) -> alerts.RuleSet | None:
    try:
        return alerts.rule_set(engine)
    except FormDefinitionError:
        log.exception("alert rules do not fit the published forms; alerts not updated")
        return None


def warm_up(engine: Engine) -> threading.Thread:
    """Build the facts and alerts in the background (when the server starts, so the first view need
    not wait); the thread already doing so, if there is one."""

    def run() -> None:
        try:
            refresh(engine)
        except Exception:  # the next view refreshes again; a start-up hiccup must not stop the server
            log.exception("console facts warm-up failed")

    with _builders_lock:
        running = _builders.get(id(engine))
        if running is not None and running.is_alive():
            return running
        thread = threading.Thread(target=run, name="console-facts", daemon=True)
        _builders[id(engine)] = thread
        thread.start()
    return thread


@dataclass(frozen=True)
class Building:
    """A build too long for a view to wait for: its step and how far it has come."""

    step: str  # "facts": reading the records; "alerts": every registered person's first alerts
    done: int
    total: int

    @property
    def percent(self) -> int:
        return min(99, self.done * 100 // self.total) if self.total else 0


def building(engine: Engine) -> Building | None:
    """The long build a view should not wait for, kept running in the background; ``None`` when
    the view's own ``refresh`` will be short (the usual case: a few records since the last view).

    Costs three small reads when nothing is far behind; the counts only when something is.
    """
    with Session(engine) as session:
        state = session.get(ConsoleState, FACTS_KEY)
        cursor = state.value if state else 0
        top = session.execute(select(func.max(Record.seq))).scalar_one() or 0
        found: Building | None = None
        if top - cursor > WAIT_RECORDS:  # seqs have gaps, so this only says "maybe far behind"
            behind = session.execute(select(func.count()).where(Record.seq > cursor)).scalar_one()  # type: ignore[operator]
            if behind > WAIT_RECORDS:
                done = session.execute(select(func.count()).where(Record.seq <= cursor)).scalar_one()  # type: ignore[operator]
                found = Building("facts", int(done), int(done + behind))
        if found is None and cursor <= top and not alerts.built_day(session):
            persons = alerts.registered(session)
            if persons > WAIT_PERSONS:
                found = Building("alerts", min(alerts.progress(engine), persons), persons)
    if found is not None:
        warm_up(engine)
    return found
