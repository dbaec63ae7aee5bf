"""Filled-in form responses for demonstration and seed data, answered through the form engine.

``fill_form`` opens a response with the person's registry facts (prefill, as the
visit screen does) and answers every required question the form asks of this
person, the way a worker would: relevance, choice filters and constraints all
apply, so a seeded needs assessment of a speech-disabled adult offers speech
therapy and never cochlear implants. The result passes ``can_complete()``.

Pure and deterministic for a given ``random.Random``: no database, no clock
(``context["today"]`` fixes the date). Photos and signatures get digests from a
``media`` callback, so a seeder can store a matching picture.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from app.contract.forms.errors import AnswerError
from app.contract.forms.model import FormDefinition
from app.forms.engine import FormSession

Media = Callable[[str, str], str]  # (answer key, "photo" | "signature") -> SHA-256 hex

# Plausible numbers by question id (ranges a worker would type); others fall back to small numbers.
_INTEGERS: dict[str, tuple[int, int]] = {
    "household_size": (1, 6),
    "carer_age": (28, 82),
    "other_disabled_members": (0, 1),
    "build_year": (1965, 2018),
    "living_floor": (1, 4),
    "quantity": (1, 2),
    "step_count": (1, 4),
    "step_rise_mm": (120, 600),
    "ramp_rise_mm": (100, 450),
    "ramp_length_mm": (1500, 6000),
    "ramp_width_mm": (900, 1300),
    "landing_depth_mm": (1200, 1800),
    "handrail_height_mm": (820, 950),
    "handrail_extension_mm": (200, 350),
    "door_width_mm": (700, 950),
    "threshold_mm": (0, 40),
    "counter_height_mm": (700, 900),
}
_FALLBACK_NUMBERS = (1, 0, 2, 3, 10, 60, 100, 800, 1000, 2000)
_TEXTS: dict[str, str] = {
    "outcome_detail": "邻居告知已随子女外出务工，电话无人接听",
    "actual_address": "衢州市柯城区荷花街道荷五路 18 号",
    "accessibility_other": "卫生间门口有台阶，希望改为缓坡",
    "room_remark": "无",
}


@dataclass(frozen=True, slots=True)
class FilledForm:
    """A response's answers and whether the form could be completed with them."""

    answers: dict[str, object]
    complete: bool
    open_keys: tuple[str, ...] = ()


def _default_media(key: str, kind: str) -> str:
    return hashlib.sha256(f"synthetic:{kind}:{key}".encode()).hexdigest()


def _entry_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(48):012x}"


def fill_form(
    form: FormDefinition,
    context: Mapping[str, object],
    rng: random.Random,
    *,
    wants: Mapping[str, object] | None = None,
    media: Media | None = None,
    none_rate: float = 0.45,
    max_rounds: int = 40,
) -> FilledForm:
    """Answer ``form`` for the person in ``context`` until it can be completed.

    ``wants`` fixes answers first (``{"visit_outcome": "not_seen"}``,
    ``{"accessibility_needed": True}``); ``none_rate`` is how often a multiple
    choice that offers 不需要/以上都没有 gets it.
    """
    media = media or _default_media
    session = FormSession.start(form, context)
    for key, value in (wants or {}).items():
        try:
            session.set_answer(key, value)
        except AnswerError:
            continue
    tried: dict[str, int] = {}
    for _ in range(max_rounds):
        todo = list(dict.fromkeys([*session.open_required(), *session.errors()]))
        if not todo:
            break
        for key in todo:
            if tried.get(key, 0) >= 6:
                continue
            tried[key] = tried.get(key, 0) + 1
            if key in form.repeats:
                session = _add_entries(session, key, rng)
                continue
            if not session.is_relevant(key) or _problem(session, key) is None:
                continue
            if not _answer(session, key, rng, media, none_rate, attempt=tried[key]):
                _reset_siblings(session, key)
    open_keys = tuple(dict.fromkeys([*session.open_required(), *session.errors()]))
    return FilledForm(dict(session.answers), not open_keys, open_keys)


def _add_entries(session: FormSession, repeat_id: str, rng: random.Random) -> FormSession:
    """Entries up to the repeat's minimum (ids from ``rng``, so a seed repeats itself)."""
    repeat = session.definition.repeats[repeat_id]
    have = session.entries(repeat_id)
    wanted = max(repeat.min_count, 1) - len(have)
    ids = [*have, *(_entry_id(rng) for _ in range(max(wanted, 1 if not have else 0)))]
    answers = {**session.answers, repeat_id: ids}
    return FormSession(session.definition, answers, session.context)


def _answer(
    session: FormSession, key: str, rng: random.Random, media: Media, none_rate: float, attempt: int
) -> bool:
    for value in _candidates(session, key, rng, media, none_rate, attempt):
        try:
            session.set_answer(key, value)
        except AnswerError:
            continue
        if _problem(session, key) is None:
            return True
    return False


def _problem(session: FormSession, key: str) -> str | None:
    """What ``errors()`` says of one relevant question (unanswered-but-required included), checked alone:
    the whole-form walk after every answer made filling a long form quadratic."""
    return session._check(key, with_warnings=False)  # same package: the engine's own check


def _reset_siblings(session: FormSession, key: str) -> None:
    """A cascade led nowhere (a device class with no device for this person): choose its parents again."""
    head, sep, _qid = key.rpartition(".")
    if not sep:
        return
    for other in list(session.answers):
        if other.startswith(head + ".") and other != key and session.question(other).type == "select_one":
            try:
                session.set_answer(other, None)
            except AnswerError:
                continue


def _candidates(
    session: FormSession, key: str, rng: random.Random, media: Media, none_rate: float, attempt: int
) -> list[object]:
    q = session.question(key)
    qid = q.id
    today = session.today
    if q.type == "select_one":
        options = [v for v, _ in session.choices_for(key)]
        rng.shuffle(options)
        return options
    if q.type == "select_multiple":
        options = [v for v, _ in session.choices_for(key)]
        exclusive = [v for v in options if v == "none"]
        plain = [v for v in options if v != "none"]
        picks: list[object] = []
        if exclusive and (rng.random() < none_rate or not plain):
            picks.append(["none"])
        if plain:
            picks.append(sorted(rng.sample(plain, k=min(len(plain), rng.choice((1, 1, 2)))), key=plain.index))
            picks += [[v] for v in plain]
            picks += [plain[:2], plain[:3]]  # for a "at least two" constraint (多重残疾); no rng draw
        if exclusive:
            picks.append(["none"])
        return picks
    if q.type == "yes_no":
        first = rng.random() < 0.5
        return [first, not first]
    if q.type == "integer":
        low, high = _INTEGERS.get(qid, (0, 5))
        return [rng.randint(low, high), *_FALLBACK_NUMBERS]
    if q.type == "decimal":
        return [round(rng.uniform(300, 3000), 1), 50.0, 1.0, 0.0]
    if q.type == "date":
        if "valid_until" in qid or "due" in qid:
            return [(today + timedelta(days=rng.randint(30, 3000))).isoformat()]
        return [(today - timedelta(days=rng.randint(0, 400))).isoformat(), today.isoformat()]
    if q.type in ("photo", "signature"):
        digest = media(key, q.type)
        return [[digest]] if q.type == "photo" and (q.max_count or 1) > 1 else [digest]
    return _texts(session, key, qid, rng, attempt)


def _texts(session: FormSession, key: str, qid: str, rng: random.Random, attempt: int) -> list[object]:
    ctx = session.context
    if "phone" in qid:
        return [f"13{rng.randint(5, 9)}{rng.randint(0, 99_999_999):08d}"]
    if qid in ("informant", "contact_name", "guardian_name", "household_head"):
        return [str(ctx.get("household_head") or ctx.get("name") or "王建国")]
    if qid in ("surveyor", "collector"):
        return [str(ctx.get("worker_name") or "李专委")]
    if qid in _TEXTS:
        return [_TEXTS[qid]]
    if re.search(r"name$", qid):
        return [str(ctx.get("name") or "王芳")]
    return ["无", "已核实"][attempt % 2 :]


def visit_day(rng: random.Random, today: date, within_days: int = 365) -> date:
    """A weekday in the past ``within_days`` (workers visit on working days)."""
    day = today - timedelta(days=rng.randint(1, within_days))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day
