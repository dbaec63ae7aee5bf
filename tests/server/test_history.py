"""Change history and audit log (SQLite and PostgreSQL): one entry per applied change, device from the token."""

from __future__ import annotations

import requests
from sqlmodel import Session, select

from server import accounts
from server.cli import main
from server.models import AuditLog, ChangeHistory
from tests.server.test_hostile_device import H, ch, clock, push_raw, row, token_for


def history(server, **filters) -> list[ChangeHistory]:
    with Session(server.engine) as s:
        query = select(ChangeHistory).order_by(ChangeHistory.id)
        for k, v in filters.items():
            query = query.where(getattr(ChangeHistory, k) == v)
        return list(s.exec(query))


def test_every_kind_of_applied_change_is_recorded_with_user_device_old_and_new(live_server):
    live_server.create_user("wang", regions=("330802",))
    live_server.create_user("zhao", role="supervisor", regions=("330802",))
    wang = token_for(live_server, "wang", "wangdev")
    zhao = token_for(live_server, "zhao", "zhaodev")
    first = [
        {**c, "hlc": clock("wangdev", counter=i)} for i, c in enumerate(row("household", "h1", phone="1"))
    ]
    push_raw(live_server, wang, first)
    created = history(live_server, row_id="h1")
    assert [(h.field, h.action, h.old_value, h.new_value) for h in created] == [
        ("region_code", "create", None, "330802001001"),
        ("phone", "create", None, "1"),
    ]
    assert {(h.username, h.device_id) for h in created} == {("wang", "wangdev")}
    phone_clock = first[1]["hlc"]
    push_raw(live_server, wang, [ch("household", "h1", "phone", "2", clock("wangdev", 10))])
    push_raw(live_server, zhao, [ch("household", "h1", "deleted", True, clock("zhaodev", 20))])
    push_raw(live_server, zhao, [ch("household", "h1", "deleted", False, clock("zhaodev", 30))])
    # A concurrent edit that loses is a conflict, not an applied change: no history entry.
    loser = {**ch("household", "h1", "phone", "3", clock("wangdev", -60_000)), "base_hlc": phone_clock}
    push_raw(live_server, wang, [loser])
    later = [
        (h.field, h.action, h.old_value, h.new_value, h.username)
        for h in history(live_server, row_id="h1")[2:]
    ]
    assert later == [
        ("phone", "update", "1", "2", "wang"),
        ("deleted", "delete", None, True, "zhao"),
        ("deleted", "restore", True, False, "zhao"),
    ]
    assert history(live_server, row_id="h1")[3].device_id == "zhaodev"
    assert history(live_server, row_id="h1")[2].old_hlc == phone_clock

    # The API: a record's history for anyone in scope; the filtered log for supervisors.
    r = requests.get(f"{live_server.url}/api/v1/history/household/h1", headers=wang)
    assert [e["action"] for e in r.json()["entries"]] == ["create", "create", "update", "delete", "restore"]
    assert requests.get(f"{live_server.url}/api/v1/history", headers=wang).status_code == 403
    r = requests.get(f"{live_server.url}/api/v1/history", params={"device_id": "zhaodev"}, headers=zhao)
    assert [e["action"] for e in r.json()["entries"]] == ["restore", "delete"]
    r = requests.get(
        f"{live_server.url}/api/v1/history", params={"username": "wang", "action": "update"}, headers=zhao
    )
    assert [(e["old_value"], e["new_value"]) for e in r.json()["entries"]] == [("1", "2")]
    csv = requests.get(f"{live_server.url}/api/v1/history", params={"format": "csv"}, headers=zhao)
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.count("\n") == 6


def test_history_is_limited_to_the_readers_regions(live_server):
    live_server.create_user("wang", regions=("330802",))
    live_server.create_user("qian", role="supervisor", regions=("330881",))
    wang = token_for(live_server, "wang", "wangdev")
    qian = token_for(live_server, "qian", "qiandev")
    push_raw(
        live_server,
        wang,
        [{**c, "hlc": clock("wangdev", counter=i)} for i, c in enumerate(row("household", "h1"))],
    )
    assert requests.get(f"{live_server.url}/api/v1/history", headers=qian).json()["entries"] == []
    assert requests.get(f"{live_server.url}/api/v1/history/household/h1", headers=qian).status_code == 403


def test_account_commands_are_audited_and_readable_by_admins(live_server, tmp_path, capsys):
    args = [
        "--data-dir",
        str(live_server.settings.data_dir),
        "--database-url",
        live_server.settings.database_url,
    ]
    if not live_server.settings.database_url:
        args = args[:2]
    pw = tmp_path / "pw"
    pw.write_text("correct horse battery\n", encoding="utf-8")
    assert main(["create-user", "sun", "--password-file", str(pw), "--region", "330802", *args]) == 0
    assert main(["set-role", "sun", "acceptor", *args]) == 0
    assert main(["set-regions", "sun", "--region", "330803", "--region", "330802", *args]) == 0
    assert main(["reset-password", "sun", "--password-file", str(pw), *args]) == 0
    assert main(["deactivate", "sun", *args]) == 0
    assert main(["reactivate", "sun", *args]) == 0
    assert main(["set-role", "nobody", "worker", *args]) == 2
    capsys.readouterr()
    with Session(live_server.engine) as s:
        acts = [(a.actor, a.action, a.target) for a in s.exec(select(AuditLog).order_by(AuditLog.id))]
    assert acts == [
        ("cli", "create_user", "sun"),
        ("cli", "set_role", "sun"),
        ("cli", "set_regions", "sun"),
        ("cli", "reset_password", "sun"),
        ("cli", "deactivate", "sun"),
        ("cli", "reactivate", "sun"),
    ]
    live_server.create_user("root", role="admin", regions=("33",))
    root = token_for(live_server, "root", "rootdev")
    r = requests.get(
        f"{live_server.url}/api/v1/audit", params={"target": "sun", "action": "set_regions"}, headers=root
    )
    [entry] = r.json()["entries"]
    assert entry["detail"] == {"old": ["330802"], "new": ["330802", "330803"]}
    sun_login = requests.post(
        f"{live_server.url}/api/v1/auth/login",
        json={"username": "sun", "password": "correct horse battery", "device_id": "sundev"},
        headers=H,
    )
    assert sun_login.status_code == 200
    with Session(live_server.engine) as s:
        assert accounts.get_user(s, "sun").regions == ["330802", "330803"]
