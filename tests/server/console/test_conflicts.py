"""Conflicts across devices: two real laptops edit one person offline; a supervisor picks a value.

The pick is an ordinary server change, so both laptops hold it after their next sync; the
resolution is in the audit log and the conflict moves to 已处理.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.services.registry import RegistryService
from app.store.models import Person
from app.sync.client import SyncClient
from server.models import AuditLog, ChangeHistory, ServerConflict
from tests.helpers.profiles import household_data, person_data
from tests.server.console.conftest import PASSWORD, sign_in, submit


def _laptop(console, make_profile, name: str, user: str) -> SyncClient:
    client = SyncClient(make_profile(name), console.url)
    client.transport.backoff = 0.01
    client.login(user, PASSWORD, device_name=name)
    return client


def _phone_data(phone: str) -> dict[str, object]:
    return person_data(name="李秀英", phone=phone)


def test_two_laptops_conflict_and_the_supervisor_picks_a_value(console_any, page, make_profile, shots):
    console = console_any
    for user, role in (("alice", "worker"), ("bob", "worker"), ("chen", "supervisor")):
        console.create_user(user, PASSWORD, role=role, regions=("330802",))
    lap_a = _laptop(console, make_profile, "lapA", "alice")
    lap_b = _laptop(console, make_profile, "lapB", "bob")
    registry_a = RegistryService(lap_a.store)
    household = registry_a.save_household("alice", household_data(head_name="李建国"))
    person = registry_a.save_person("alice", household.id, _phone_data("13905701234"))
    lap_a.sync()
    lap_b.sync()
    # Both change the phone offline; alice syncs first, bob's later edit wins on the server.
    registry_a.save_person("alice", household.id, _phone_data("13800000001"), person_id=person.id)
    RegistryService(lap_b.store).save_person(
        "bob", household.id, _phone_data("13900000002"), person_id=person.id
    )
    assert lap_a.sync().conflicts == 0
    assert lap_b.sync().conflicts == 1
    with Session(console.engine) as s:
        (conflict,) = s.exec(select(ServerConflict)).all()
        assert (conflict.winner_value, conflict.loser_value) == ("13900000002", "13800000001")

    sign_in(page, console, "chen")
    page.goto(f"{console.url}/console/conflicts")
    row = page.locator(f"#conflicts tr[data-conflict='{conflict.id}']")
    assert row.locator(".name").inner_text() == "李秀英"
    assert row.locator(".field").inner_text() == "联系电话"
    assert "13900000002" in row.locator(".kept").inner_text() and "bob" in row.locator(".kept").inner_text()
    assert (
        "13800000001" in row.locator(".other").inner_text() and "alice" in row.locator(".other").inner_text()
    )
    page.screenshot(path=str(shots / "conflicts-open-zh.png"))
    page.goto(f"{console.url}/console/conflicts?lang=en")
    page.screenshot(path=str(shots / "conflicts-open-en.png"))
    assert "Phone" in page.locator(f"#conflicts tr[data-conflict='{conflict.id}'] .field").inner_text()
    page.goto(f"{console.url}/console/conflicts?lang=zh")
    submit(page, f"#conflicts tr[data-conflict='{conflict.id}'] button[value=other]")
    assert "冲突已处理" in page.locator(".ok").inner_text()
    assert page.locator(f"#conflicts tr[data-conflict='{conflict.id}']").count() == 0  # no longer open
    page.goto(f"{console.url}/console/conflicts?state=resolved")
    resolved = page.locator(f"#conflicts tr[data-conflict='{conflict.id}'] .resolve").inner_text()
    assert "已处理" in resolved and "chen" in resolved and "13800000001" in resolved
    page.screenshot(path=str(shots / "conflicts-resolved-zh.png"))
    # A second pick of the same conflict changes nothing.
    assert page.locator(f"#conflicts tr[data-conflict='{conflict.id}'] button").count() == 0

    # Both laptops take the pick at their next sync.
    for laptop in (lap_a, lap_b):
        laptop.sync()
        with laptop.store.session() as s:
            assert s.get(Person, person.id).phone == "13800000001"
    with Session(console.engine) as s:
        (event,) = s.exec(select(AuditLog).where(AuditLog.action == "resolve_conflict")).all()
        assert event.actor == "chen" and event.detail["value"] == "13800000001"
        assert event.detail["replaced"] == "13900000002" and event.target == f"conflict:{conflict.id}"
        written = s.exec(
            select(ChangeHistory).where(ChangeHistory.field == "phone", ChangeHistory.username == "chen")
        ).all()
        assert [(h.device_id, h.new_value) for h in written] == [("console", "13800000001")]
