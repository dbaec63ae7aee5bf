"""app.contract.roles: the role × transition table the app offers and the server enforces."""

import pytest

from app.contract import roles


@pytest.mark.parametrize(
    ("role", "old", "new", "ok"),
    [
        ("worker", "applied", "assessed", True),
        ("worker", "applied", "awaiting_acceptance", True),  # coalesced offline steps
        ("worker", "awaiting_acceptance", "accepted", False),
        ("worker", "planned", "applied", False),
        ("acceptor", "awaiting_acceptance", "accepted", True),
        ("acceptor", "awaiting_acceptance", "rectifying", True),
        ("acceptor", "accepted", "archived", False),
        ("acceptor", "accepted", "rectifying", False),
        ("supervisor", "accepted", "archived", True),
        ("supervisor", "accepted", "rectifying", True),  # a reopening
        ("supervisor", "archived", "applied", False),
        ("nobody", "applied", "assessed", False),
    ],
)
def test_may_move(role, old, new, ok):
    assert roles.may_move(role, old, new) is ok


def test_moves_offered_match_what_is_accepted():
    for role in ("worker", "acceptor", "supervisor", "admin"):
        for status in roles.ProjectStatus:
            assert all(roles.may_move(role, status, s) for s in roles.moves_for(role, status))
    assert roles.moves_for("worker", "awaiting_acceptance") == []
    assert [s.value for s in roles.moves_for("supervisor", "accepted")] == [
        "archived",
        "awaiting_acceptance",
        "rectifying",
    ]


def test_tombstones_of_legal_records():
    assert not roles.may_tombstone("worker", "acceptance")
    assert not roles.may_tombstone("acceptor", "certificate")
    assert roles.may_tombstone("worker", "renovationproject", "applied")
    assert not roles.may_tombstone("worker", "renovationproject", "planned")
    assert roles.may_tombstone("supervisor", "certificate")


def test_whole_id_numbers_are_the_federations_inside_its_regions():
    from app.contract.roles import may_unmask_id

    assert may_unmask_id("supervisor", ["330802"], "330802001")
    assert may_unmask_id("supervisor", ["330802"], "")  # all of the user's own
    assert may_unmask_id("admin", ["3308"], "330803")
    assert not may_unmask_id("supervisor", ["330802"], "330803")
    assert not may_unmask_id("supervisor", [], "330802")
    assert not may_unmask_id("supervisor", ["330802"], "33x")  # a malformed code
    for role in ("worker", "acceptor", "nobody"):
        assert not may_unmask_id(role, ["3308"], "330802")
