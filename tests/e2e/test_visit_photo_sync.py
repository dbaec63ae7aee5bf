"""A photo taken during a visit, stored through the attachment service, reaches the other laptop."""

import io

from PIL import Image

from app.services.attachments import AttachmentService
from app.services.registry import RegistryService
from app.services.visits import VisitService
from app.sync.service import list_rejected
from tests.helpers.profiles import household_data, person_data


def a_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (180, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_visit_photo_syncs_to_the_other_laptop(laptop):
    a = laptop("a", regions=("3308",))
    b = laptop("b", regions=("3308",))
    registry = RegistryService(a.store)
    h = registry.save_household("alice", household_data())
    p = registry.save_person("alice", h.id, person_data())
    visit = VisitService(a.store).start_visit("alice", h.id, p.id, ["housing_condition"])
    attachments = AttachmentService(a.store)
    stored = attachments.add_photo("alice", "visit", visit.id, "photo", a_photo())

    report = a.sync()
    assert report.rejected == 0 and list_rejected(a.store) == []
    assert report.uploaded_files == 1

    b.sync()
    assert b.store.files.has(stored.sha256)
    links = AttachmentService(b.store).list_links("visit", visit.id)
    assert [link.sha256 for link in links] == [stored.sha256]
