"""The new statuses in the role rules: a terminated project is out of a caseworker's hands."""

from __future__ import annotations

import pytest

from app.contract.roles import may_move


@pytest.mark.parametrize(
    "old", ["applied", "eligibility_review", "publicity", "planned", "procurement", "construction"]
)
def test_worker_may_terminate_an_open_project(old):
    assert may_move("worker", old, "terminated")


@pytest.mark.parametrize("new", ["applied", "construction", "awaiting_acceptance", "archived"])
def test_nobody_moves_a_terminated_project_along_the_flow(new):
    assert not may_move("worker", "terminated", new)


def test_worker_walks_the_optional_steps():
    assert may_move("worker", "applied", "eligibility_review") and may_move(
        "worker", "eligibility_review", "publicity"
    )
    assert may_move("worker", "planned", "procurement") and may_move("worker", "procurement", "construction")
