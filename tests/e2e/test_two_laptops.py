"""Two laptops and the server: offline visits on each, a concurrent household edit, a photo — all reconciled."""

from __future__ import annotations

import hashlib

import requests
from sqlmodel import select

from app.store.models import Attachment, AttachmentLink, FieldClock, Household, Visit
from app.sync import service

REGION = "330802001001"


def snapshot(store):
    """Every synced row's fields and every field clock: what must be equal on both laptops."""
    from app.store import table_registry

    out = {}
    with store.session() as s:
        for tbl, model in table_registry.SYNCED_MODELS.items():
            for row in s.exec(select(model)):
                out[(tbl, row.id)] = table_registry.sync_fields(row)
        clocks = {(c.tbl, c.row_id, c.field): c.hlc for c in s.exec(select(FieldClock))}
    return out, clocks


def test_two_laptops_reconcile(laptop, live_server):
    a, b = laptop("laptop-a", user="alice"), laptop("laptop-b", user="bob")
    with a.store.unit_of_work("alice") as uow:
        home = uow.add(Household(address="柯城区信安街道 8号", region_code=REGION, phone="13905700000"))
    a.sync()
    b.sync()

    # Offline: each laptop makes a visit, both change the household's phone, A takes a photo.
    photo = b"\xff\xd8\xff" + bytes(range(256)) * 4000  # ~1 MB "JPEG"
    with a.store.unit_of_work("alice") as uow:
        visit_a = uow.add(
            Visit(household_id=home.id, region_code=REGION, worker="alice", summary="门口台阶需改坡道")
        )
        sha = a.store.files.put_bytes(photo)
        uow.add(Attachment(id=sha, region_code=REGION, media_type="image/jpeg", size=len(photo)))
        uow.add(
            AttachmentLink(
                owner_tbl="visit", owner_id=visit_a.id, role="photo_before", sha256=sha, region_code=REGION
            )
        )
        uow.update(uow.get(Household, home.id), phone="13905701111")
    with b.store.unit_of_work("bob") as uow:
        visit_b = uow.add(Visit(household_id=home.id, region_code=REGION, worker="bob", summary="送去助行器"))
        uow.update(uow.get(Household, home.id), phone="13905702222", note="白天家中无人")

    # A's upload is cut halfway; the next sync resumes it.
    a.chunk_size = 256 * 1024
    url = f"{live_server.url}/api/v1/attachments/{sha}"
    headers = {"X-HomeVisit-Protocol": "1", "Authorization": f"Bearer {a.transport.token}"}
    requests.put(
        url, data=photo[:300_000], headers={**headers, "Content-Range": f"bytes 0-299999/{len(photo)}"}
    )

    report_a = a.sync()
    report_b = b.sync()
    a.sync()
    assert report_a.uploaded_files == 1 and report_a.rejected == report_b.rejected == 0
    assert report_b.downloaded_files == 1
    assert b.store.files.read(sha) == photo and hashlib.sha256(b.store.files.read(sha)).hexdigest() == sha

    data_a, clocks_a = snapshot(a.store)
    data_b, clocks_b = snapshot(b.store)
    assert data_a == data_b and clocks_a == clocks_b
    assert {("visit", visit_a.id), ("visit", visit_b.id)} <= set(data_a)
    household = data_a[("household", home.id)]
    assert household["phone"] == "13905702222" and household["note"] == "白天家中无人"  # B edited last
    # A's phone number is not lost: it is in a conflict record for review.
    lost = service.list_conflicts(b.store) + service.list_conflicts(a.store)
    assert [(c.field, c.loser_value) for c in lost] == [("phone", "13905701111")]
    assert service.pending_change_count(a.store.engine) == service.pending_change_count(b.store.engine) == 0
