"""The audit log's hash chain: append-only for the app, and any edit, deletion or insertion shows."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DatabaseError, IntegrityError

from app.services.auth import AuthService
from app.store import audit_chain


def events(store, n=5):
    auth = AuthService(store)
    auth.create_user("wangli", "secret123")
    for _ in range(n):
        auth.login("wangli", "secret123")
    store.seal_audit()


def test_sealed_chain_verifies_and_grows(store):
    events(store)
    first = store.verify_audit()
    assert first.ok and first.checked == 6
    AuthService(store).login("wangli", "secret123")
    store.seal_audit()
    second = store.verify_audit()
    assert second.ok and second.checked == 7 and second.head != first.head


@pytest.mark.parametrize("statement", ["UPDATE auditevent SET actor = 'x'", "DELETE FROM auditevent"])
def test_the_app_cannot_edit_or_delete_events(store, statement):
    events(store)
    from sqlalchemy import text

    with pytest.raises((DatabaseError, IntegrityError), match="append-only"):
        with store.engine.begin() as conn:
            conn.execute(text(statement))


@pytest.mark.parametrize("tamper", ["edit", "delete_middle", "insert_middle", "delete_seal"])
def test_tampering_with_triggers_dropped_is_detected(store, tamper):
    events(store)
    raw = store.engine.raw_connection()
    cur = raw.cursor()
    for trigger in (
        "auditevent_no_update",
        "auditevent_no_delete",
        "auditseal_no_update",
        "auditseal_no_delete",
    ):
        cur.execute(f"DROP TRIGGER {trigger}")
    if tamper == "edit":
        cur.execute("UPDATE auditevent SET actor = 'mallory' WHERE seq = 3")
    elif tamper == "delete_middle":
        cur.execute("DELETE FROM auditevent WHERE seq = 3")
    elif tamper == "insert_middle":
        cur.execute("UPDATE auditevent SET seq = seq + 10 WHERE seq >= 4")
        cur.execute("UPDATE auditseal SET seq = seq + 10 WHERE seq >= 4")
        cur.execute("INSERT INTO auditevent VALUES (4, 'x', 'mallory', 'login', 'user', '', '')")
    else:
        cur.execute("DELETE FROM auditseal WHERE seq = 2")
    raw.commit()
    raw.close()
    check = store.verify_audit()
    assert not check.ok and check.first_bad > 0


def test_link_depends_on_the_device():
    row = (1, "2026-12-01T00:00:00Z", "wangli", "login", "user", "", "")
    assert audit_chain.link("d1", "d1", row) != audit_chain.link("d2", "d2", row)
