"""One bad row never stops a sync: a pulled row the laptop cannot store is quarantined (SQLite and PostgreSQL).

The server of today refuses such values at push (test_hostile_device.py); here its validation
is switched off, as on a server from before it, so a bad value reaches the records.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.store.models import Household
from app.sync import quarantine
from server import sync_service
from server.models import AuditLog, Device
from server.validation import BatchChecks
from tests.server.test_hostile_device import push_raw, row, token_for

REGION = "330802001001"


def test_row_that_cannot_be_stored_is_quarantined_and_the_cursor_moves_on(live_server, laptop, monkeypatch):
    live_server.create_user("legacy", regions=("330802",))
    headers = token_for(live_server, "legacy", "hostile1")
    monkeypatch.setattr(sync_service, "static_refusal", lambda ch, device: None)
    monkeypatch.setattr(BatchChecks, "refusal", lambda self, ch: None)
    good = row("household", "h-good", address="信安街道1号", phone="1390", economic_status="dibao")
    bad = row("household", "h-bad", address="信安街道2号", phone=2**64)  # SQLite cannot bind it
    assert push_raw(live_server, headers, good + bad)["rejected"] == []
    monkeypatch.undo()

    honest = laptop("honest")
    report = honest.sync()
    assert (report.pulled_rows, report.quarantined) == (1, 1)
    with honest.store.session() as s:
        assert [h.id for h in s.exec(select(Household))] == ["h-good"]
    [kept] = quarantine.list_quarantined(honest.store.engine)
    assert (kept.tbl, kept.row_id, kept.reported) == ("household", "h-bad", True)
    assert "OverflowError" in kept.error and kept.received["tbl"] == "household"
    again = honest.sync()
    assert (again.pulled_rows, again.quarantined) == (0, 0)  # the cursor moved past it
    with Session(live_server.engine) as s:
        [entry] = s.exec(select(AuditLog).where(AuditLog.action == "pull_quarantined")).all()
        assert (entry.actor, entry.row_id) == ("alice", "h-bad")
        # The console's device row: the laptop reported its quarantined row with the next pull.
        device = s.get(Device, honest.store.device_id)
        assert (device.pending_changes, device.quarantined_rows) == (0, 1)
