"""Synthetic responses answered through the engine: complete, consistent with the person, repeatable."""

from __future__ import annotations

import random

import pytest

from app.forms.definition import get_form
from app.forms.engine import FormSession
from app.forms.synthetic import fill_form, visit_day


def context(rng: random.Random) -> dict[str, object]:
    return {
        "name": "王芳", "gender": "F", "age": rng.randint(2, 85), "category": str(rng.randint(1, 7)),
        "level": str(rng.randint(1, 4)), "economic_status": rng.choice(["dibao", "dibian", "tekun", "general"]),
        "household_head": "王建国", "worker_name": "李专委", "visit_date": "2026-10-30", "today": "2026-11-01",
    }  # fmt: skip


@pytest.mark.parametrize(
    "form_id", ["needs_assessment", "housing_condition", "housing_survey", "assistive_devices"]
)
@pytest.mark.parametrize("seed", range(12))
def test_every_form_is_filled_to_completion(form_id, seed):
    rng = random.Random(seed)
    ctx = context(rng)
    filled = fill_form(get_form(form_id), ctx, rng)
    assert filled.complete, filled.open_keys
    reopened = FormSession(get_form(form_id), filled.answers, ctx)
    assert reopened.can_complete() and reopened.errors() == {}


def test_same_seed_same_answers():
    ctx = context(random.Random(3))
    a = fill_form(get_form("housing_condition"), ctx, random.Random(7)).answers
    b = fill_form(get_form("housing_condition"), ctx, random.Random(7)).answers
    assert a == b


def test_answers_follow_the_person():
    ctx = {**context(random.Random(1)), "category": "3", "age": 30}
    for seed in range(10):
        answers = fill_form(get_form("needs_assessment"), ctx, random.Random(seed), none_rate=0).answers
        assert set(answers["rehab_needed"]) <= {"speech_training", "communication_aids", "support_services"}


def test_wanted_answers_are_kept_and_media_come_from_the_callback():
    media = []
    filled = fill_form(
        get_form("needs_assessment"), context(random.Random(2)), random.Random(2),
        wants={"visit_outcome": "moved_out"}, media=lambda key, kind: media.append((key, kind)) or "b" * 64,
    )  # fmt: skip
    assert (
        filled.complete
        and filled.answers["visit_outcome"] == "moved_out"
        and "outcome_date" in filled.answers
    )
    surveyed = fill_form(get_form("needs_assessment"), context(random.Random(2)), random.Random(2),
                         media=lambda key, kind: media.append((key, kind)) or "c" * 64)  # fmt: skip
    assert (
        surveyed.answers["informant_signature"] == "c" * 64 and ("informant_signature", "signature") in media
    )


def test_visit_days_are_past_weekdays():
    from datetime import date

    rng = random.Random(5)
    for _ in range(50):
        day = visit_day(rng, date(2026, 11, 1))
        assert day < date(2026, 11, 1) and day.weekday() < 5
