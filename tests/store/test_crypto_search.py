"""The FTS5 trigram search, run unchanged on an encrypted (SQLCipher) store: every test of test_search."""

import pytest

from app.services.registry import RegistryService
from app.services.seed import seed_store
from app.store import crypto
from tests.helpers.profiles import VALID_ID, VALID_ID_2, household_data, person_data
from tests.store.test_search import *  # noqa: F403  (the same tests, collected again here)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    from app.store.store import Store

    store = Store(tmp_path_factory.mktemp("search-encrypted"), crypto.new_key())
    assert store.encrypted
    seed_store(store, 300, seed=5)
    registry = RegistryService(store)
    h = registry.save_household("t", household_data(address="衢州市柯城区信安街道 书院小区5幢2单元301"))
    registry.save_person(
        "t", h.id, person_data(name="张三丰", id_number=VALID_ID, cert_number=VALID_ID + "42")
    )
    registry.save_person(
        "t",
        h.id,
        person_data(
            name="单芳", id_number=VALID_ID_2, cert_number=VALID_ID_2 + "11", category="1", level="1"
        ),
    )
    yield store
    store.close()
