"""A terminated project is settled: a caseworker's offline edit cannot reopen it on the server."""

from __future__ import annotations

import pytest

from server.permissions import status_refusal


@pytest.mark.parametrize("settled", ["accepted", "archived", "terminated"])
def test_worker_cannot_move_a_settled_project(settled):
    message = status_refusal("worker", "renovationproject", "status", "construction", settled)
    assert message and "不能再改变" in message


def test_worker_may_terminate_an_open_project():
    assert status_refusal("worker", "renovationproject", "status", "terminated", "planned") is None
