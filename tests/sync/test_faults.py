"""Sync through a fault-injecting proxy (SYNC.md guarantees 3 and 6), over SQLite and PostgreSQL.

Lost responses, truncated pages, 5xx answers, delays, duplicated requests and a
cut upload: each must end with the server and the laptop holding every row
exactly once, and a replayed batch must change nothing.
"""

from __future__ import annotations

import hashlib

import pytest
import requests
from sqlalchemy import func
from sqlmodel import Session, select

from app.contract import protocol as p
from app.contract.errors import NetworkError
from app.store.models import Attachment, Change, Conflict, Household
from app.store.sync_state import StateKey
from app.store.writer import pending_change_count
from server.models import PushBatch, Record, ServerConflict
from tests.helpers.fault_proxy import Fault, FaultProxy

REGION = "330802001001"


@pytest.fixture
def proxy(live_server):
    with FaultProxy(live_server.url, seed=1) as fp:
        yield fp


def via(client, proxy):
    """Point a logged-in client at the proxy instead of the server."""
    client.transport.base_url = proxy.url
    return client


def add_households(store, n, actor="alice", **kw):
    with store.unit_of_work(actor) as uow:
        return [
            uow.add(Household(address=f"信安街道 {i}号", region_code=REGION, phone="13905700000", **kw))
            for i in range(n)
        ]


def server_counts(server):
    with Session(server.engine) as s:
        return {
            "records": s.exec(select(func.count()).select_from(Record)).one(),
            "batches": s.exec(select(func.count()).select_from(PushBatch)).one(),
            "conflicts": s.exec(select(func.count()).select_from(ServerConflict)).one(),
            "seqs": s.exec(select(func.count(func.distinct(Record.seq)))).one(),
            "max_seq": s.exec(select(func.max(Record.seq))).one() or 0,
        }


def local_count(store, model):
    with store.session() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_lost_push_response_is_retried_and_applied_once(laptop, live_server, proxy):
    a = via(laptop("a"), proxy)
    add_households(a.store, 3)
    proxy.plan(Fault.DROP_AFTER, path="/sync/push")
    report = a.sync()
    pushes = [f for m, path, f in proxy.log if path.endswith("/sync/push")]
    assert pushes == [Fault.DROP_AFTER, Fault.PASS]  # applied, answer lost, same batch sent again
    counts = server_counts(live_server)
    assert counts["records"] == counts["seqs"] == 3 and counts["batches"] == 1
    assert report.rejected == 0 and pending_change_count(a.store.engine) == 0


def test_replayed_batch_with_conflict_changes_nothing(laptop, live_server, proxy):
    a, b = laptop("a"), via(laptop("b"), proxy)
    [h] = add_households(a.store, 1)
    a.sync()
    b.sync()
    with a.store.unit_of_work("alice") as uow:
        uow.update(uow.get(Household, h.id), phone="13900000001")
    with b.store.unit_of_work("alice") as uow:
        uow.update(uow.get(Household, h.id), phone="13900000002")
    a.sync()
    # b's push meets a's edit: a conflict. Its answer is lost twice, then arrives.
    proxy.plan(Fault.DROP_AFTER, path="/sync/push", times=2)
    b.sync()
    before = server_counts(live_server)
    assert before["conflicts"] == 1
    assert local_count(b.store, Conflict) + local_count(a.store, Conflict) <= 1
    # Replay the stored batch by hand, in a different order with a second batch: nothing moves.
    with Session(live_server.engine) as s:
        stored = s.exec(select(PushBatch).order_by(PushBatch.created_at.desc())).first()  # type: ignore[attr-defined]
    headers = {p.PROTOCOL_HEADER: "1", "Authorization": f"Bearer {b.transport.token}"}
    body = {"batch_id": stored.batch_id, "changes": []}
    answer = requests.post(f"{live_server.url}/api/v1/sync/push", json=body, headers=headers)
    assert answer.status_code == 200 and answer.json() == stored.response
    assert server_counts(live_server) == before
    b.sync()
    a.sync()
    assert server_counts(live_server)["conflicts"] == 1
    assert local_count(b.store, Conflict) + local_count(a.store, Conflict) == 1


def test_truncated_pull_pages_are_fetched_again(laptop, live_server, proxy):
    a = laptop("a")
    rows = add_households(a.store, 30)
    a.sync()
    b = via(laptop("b"), proxy)
    b.page_size = 7
    proxy.plan(Fault.TRUNCATE, path="/sync/pull", times=3)
    report = b.sync()
    assert proxy.faults_seen(Fault.TRUNCATE) == 3
    assert report.pulled_rows == 30 and local_count(b.store, Household) == 30
    with b.store.session() as s:
        assert {h.id for h in s.exec(select(Household))} == {h.id for h in rows}
    assert int(b.store.get_state(StateKey.PULL_CURSOR)) == server_counts(live_server)["max_seq"]


@pytest.mark.parametrize("fault", [Fault.ERROR_500, Fault.ERROR_502, Fault.ERROR_503, Fault.DROP_BEFORE])
def test_server_errors_back_off_then_succeed(laptop, live_server, proxy, fault):
    a = via(laptop("a"), proxy)
    waits: list[float] = []
    a.transport._sleep = waits.append  # record the backoff instead of sleeping it
    add_households(a.store, 2)
    proxy.plan(fault, path="/sync/push", times=3)
    proxy.plan(fault, path="/sync/pull", times=1)
    report = a.sync()
    assert report.rejected == 0 and pending_change_count(a.store.engine) == 0
    assert server_counts(live_server)["records"] == 2
    assert len(waits) == 4
    # Exponential with jitter: each push retry waits in [0.5, 1] x backoff x 2^attempt.
    base = a.transport.backoff
    for attempt, wait in enumerate(waits[:3]):
        assert base * 2**attempt * 0.5 <= wait <= base * 2**attempt


def test_too_many_failures_end_the_sync_cleanly(laptop, live_server, proxy):
    a = via(laptop("a"), proxy)
    a.transport._sleep = lambda _s: None
    add_households(a.store, 2)
    proxy.plan(Fault.ERROR_503, path="/sync/push", times=a.transport.retries + 1)
    with pytest.raises(NetworkError, match="网络"):
        a.sync()
    assert pending_change_count(a.store.engine) > 0  # still queued, its batch named for the retry
    assert server_counts(live_server)["records"] == 0
    report = a.sync()  # the network is back
    assert report.rejected == 0 and pending_change_count(a.store.engine) == 0
    assert server_counts(live_server)["records"] == 2


def test_slow_server_is_waited_for(laptop, live_server, proxy):
    a = via(laptop("a"), proxy)
    proxy.delay_s = 0.3
    add_households(a.store, 1)
    proxy.plan(Fault.DELAY, times=2)
    report = a.sync()
    assert proxy.faults_seen(Fault.DELAY) == 2 and report.seconds >= 0.55
    assert server_counts(live_server)["records"] == 1 and pending_change_count(a.store.engine) == 0


def test_push_that_times_out_and_lands_late_is_applied_once(laptop, live_server, proxy):
    """The client gives up waiting and resends while the first copy is still on its way."""
    a = via(laptop("a"), proxy)
    a.transport.timeout = (2.0, 0.3)
    proxy.delay_s = 0.6
    add_households(a.store, 4)
    proxy.plan(Fault.DELAY, path="/sync/push")
    report = a.sync()
    assert report.rejected == 0 and pending_change_count(a.store.engine) == 0
    proxy.calm()
    import time

    time.sleep(0.5)  # let the late copy arrive
    counts = server_counts(live_server)
    assert counts["records"] == counts["seqs"] == 4 and counts["batches"] == 1


def test_duplicated_requests_make_no_duplicates(laptop, live_server, proxy):
    a = via(laptop("a"), proxy)
    a.chunk_size = 64 * 1024
    photo = bytes(range(256)) * 1000  # 256 KB: four chunks
    with a.store.unit_of_work("alice") as uow:
        sha = a.store.files.put_bytes(photo)
        uow.add(Attachment(id=sha, region_code=REGION, media_type="image/jpeg", size=len(photo)))
    add_households(a.store, 5)
    proxy.plan(Fault.DUPLICATE, path="/attachments/", method="PUT", times=2)  # a chunk appended twice?
    proxy.plan(Fault.DUPLICATE, path="/sync/push")
    proxy.plan(Fault.DUPLICATE, path="/sync/pull")
    report = a.sync()
    assert proxy.faults_seen(Fault.DUPLICATE) == 4 and report.uploaded_files == 1
    assert report.rejected == 0 and report.conflicts == 0 and pending_change_count(a.store.engine) == 0
    counts = server_counts(live_server)
    assert counts["records"] == 6 and counts["batches"] == 1 and counts["conflicts"] == 0
    assert counts["seqs"] == 6
    assert local_count(a.store, Household) == 5 and local_count(a.store, Conflict) == 0
    headers = {p.PROTOCOL_HEADER: "1", "Authorization": f"Bearer {a.transport.token}"}
    got = requests.get(f"{live_server.url}/api/v1/attachments/{sha}", headers=headers)
    assert got.status_code == 200 and got.content == photo


def test_cut_upload_resumes_from_the_servers_byte_count(laptop, live_server, proxy):
    a = via(laptop("a"), proxy)
    a.transport._sleep = lambda _s: None
    a.chunk_size = 50_000
    photo = hashlib.sha256(b"seed").digest() * 10_000  # 320 KB: seven chunks
    with a.store.unit_of_work("alice") as uow:
        sha = a.store.files.put_bytes(photo)
        uow.add(Attachment(id=sha, region_code=REGION, media_type="image/jpeg", size=len(photo)))
    # The third chunk lands but no answer ever comes back: the sync gives up mid-file.
    proxy.plan(Fault.PASS, method="HEAD")
    proxy.plan(Fault.PASS, method="PUT", times=2)
    proxy.plan(Fault.DROP_AFTER, method="PUT", times=a.transport.retries + 1)
    with pytest.raises(NetworkError):
        a.sync()
    headers = {p.PROTOCOL_HEADER: "1", "Authorization": f"Bearer {a.transport.token}"}
    held = requests.head(f"{live_server.url}/api/v1/attachments/{sha}", headers=headers)
    assert int(held.headers["X-Received-Bytes"]) == 150_000 and held.headers["X-Complete"] == "false"
    start = len(proxy.log)
    report = a.sync()
    puts = [path for m, path, _f in proxy.log[start:] if m == "PUT"]
    assert report.uploaded_files == 1 and len(puts) == 4  # chunks 4..7 only: resumed, not restarted
    got = requests.get(f"{live_server.url}/api/v1/attachments/{sha}", headers=headers)
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == sha
    assert pending_change_count(a.store.engine) == 0


def test_random_faults_still_deliver_every_row_once(laptop, live_server, proxy):
    a, b = via(laptop("a"), proxy), via(laptop("b"), proxy)
    for client in (a, b):
        client.transport._sleep = lambda _s: None
        client.transport.retries = 8
        client.batch_size = 4
        client.page_size = 5
    proxy.chaos(0.3, seed=7)
    made = add_households(a.store, 9) + add_households(b.store, 8)
    for _round in range(3):
        for client in (a, b):
            try:
                client.sync()
            except NetworkError:
                pass  # a sync that gave up: the next one carries on
    proxy.calm()
    for client in (a, b, a):
        client.sync()
    assert proxy.faults_seen() > 5
    counts = server_counts(live_server)
    assert counts["records"] == 17 and counts["conflicts"] == 0
    for client in (a, b):
        with client.store.session() as s:
            assert sorted(h.id for h in s.exec(select(Household))) == sorted(h.id for h in made)
            assert s.exec(select(func.count()).select_from(Change)).one() == 0


def test_clock_a_year_ahead_is_refused_corrected_and_does_not_win_forever(laptop, live_server, proxy):
    a, b = via(laptop("a"), proxy), laptop("b")
    a.store.clock.offset_ms = 365 * 24 * 3600 * 1000
    [h] = add_households(a.store, 1)
    report = a.sync()
    assert report.clock_corrected_ms is not None and report.rejected == 0
    assert server_counts(live_server)["batches"] == 1  # the refused push stored nothing
    b.sync()
    with b.store.unit_of_work("alice") as uow:
        uow.update(uow.get(Household, h.id), phone="13900000002")
    b.sync()
    a.sync()
    with a.store.session() as s:
        assert s.get(Household, h.id).phone == "13900000002"


def test_protocol_mismatch_stores_nothing(laptop, live_server):
    from app.contract.errors import ProtocolMismatch

    a = laptop("a")
    add_households(a.store, 2)
    a.transport.protocol_version = 2
    with pytest.raises(ProtocolMismatch, match="升级"):
        a.sync()
    assert server_counts(live_server)["records"] == 0 and pending_change_count(a.store.engine) > 0
