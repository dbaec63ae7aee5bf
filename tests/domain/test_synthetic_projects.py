"""Synthetic projects follow the real rules: valid paths, plans within caps, acceptance answers that conclude."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from app.domain.acceptance import CheckOutcome, checklist_for, conclude, normalise_fact
from app.domain.enums import CheckResult, ProjectKind, ProjectStatus
from app.domain.renovation import ProjectItem, check_budget, load_catalog
from app.domain.synthetic_projects import (
    CONTRACTORS,
    acceptance_answers,
    plan_lines,
    project_facts,
    signer_answers,
    status_path,
)


@pytest.mark.parametrize("target", list(ProjectStatus))
@pytest.mark.parametrize("skip", [False, True])
def test_a_path_to_every_status(target, skip):
    path = status_path(target, rectified=True, skip_optional=skip)
    assert path[0] is ProjectStatus.APPLIED and path[-1] is target
    if target in (ProjectStatus.ACCEPTED, ProjectStatus.ARCHIVED):
        assert ProjectStatus.RECTIFYING in path


@pytest.mark.parametrize("kind", list(ProjectKind))
@pytest.mark.parametrize("seed", range(8))
def test_plans_stay_within_cap_and_household_maximum(kind, seed):
    lines = plan_lines(kind, random.Random(seed))
    assert lines
    items = [ProjectItem.from_catalog(item, qty) for item, qty in lines]
    assert check_budget(kind, items) == []


def _conclude(checklist, answers):
    outcomes = []
    for c in [*checklist.records_checks, *checklist.onsite_checks, *checklist.checks]:
        outcomes.append(CheckOutcome(c.code, c.name, CheckResult(answers[f"{c.code}.result"])))
    return conclude(outcomes, date(2026, 5, 12))


@pytest.mark.parametrize("kind", list(ProjectKind))
@pytest.mark.parametrize("passed", [True, False])
def test_acceptance_answers_conclude_as_asked(kind, passed):
    rng = random.Random(11)
    codes = [item.code for item, _ in plan_lines(kind, rng)]
    checklist = checklist_for(kind, codes)
    round_ = acceptance_answers(checklist, ["i1", "i2"], rng, passed=passed)
    assert round_.answers["item:i1.result"] == "pass"
    assert _conclude(checklist, round_.answers).passed is passed
    assert bool(round_.failing) is not passed
    # Measured values are ones the limits accept as typed (nominal wire sizes and all).
    for c in checklist.checks:
        if c.is_measured and passed:
            assert round_.answers[f"{c.code}.value"]


def test_facts_are_ones_the_acceptance_screen_accepts():
    checklist = checklist_for("dangerous_house", ["WF-01"])
    facts = project_facts(checklist, random.Random(1), county_code="330802", seq=7, started=date(2026, 4, 1),
                          contractor=CONTRACTORS[0], amount=Decimal("23000"))  # fmt: skip
    specs = {f.key: f for f in checklist.facts}
    for key, value in facts.items():
        spec = specs[key.removeprefix("fact.")]
        assert normalise_fact(spec, value) == value
    assert facts["fact.grade_after"] == "A" and "fact.appraisal_body" in facts


def test_signers_get_names_and_the_household_a_relation():
    checklist = checklist_for("lighting")
    out = signer_answers(
        checklist, {"resident": "王建国", "county": "方志刚", "housing": "x"}, relation="子女"
    )
    assert out == {
        "signer.resident.name": "王建国",
        "signer.resident.relation": "子女",
        "signer.county.name": "方志刚",
    }


def test_catalogue_quantities_used_in_plans_exist():
    catalog = load_catalog()
    for seed in range(5):
        for item, qty in plan_lines("accessibility", random.Random(seed), catalog):
            assert item.code in catalog.items and qty > 0
