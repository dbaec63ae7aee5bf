from datetime import date

import pytest

from app.services.registry import RegistryService
from app.services.seed import seed_store
from app.store import crypto
from app.store.search import SearchFilters, search_persons
from tests.helpers.profiles import VALID_ID, VALID_ID_2, household_data, person_data


@pytest.fixture(scope="module", params=["plain", "encrypted"])
def seeded(request, tmp_path_factory):
    """The same profile plain and on SQLCipher: the FTS5 trigram search must work unchanged on both."""
    from app.store.store import Store

    if request.param == "encrypted":
        store = Store(tmp_path_factory.mktemp("search-encrypted"), crypto.new_key())
        assert store.encrypted
    else:
        store = Store(tmp_path_factory.mktemp("search"))
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


def names(store, query, **filters):
    return [h.name for h in search_persons(store.engine, query, SearchFilters(**filters))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张三丰", "张三丰"),
        ("三丰", "张三丰"),
        ("zsf", "张三丰"),
        ("ZSF", "张三丰"),
        ("zhangsanfeng", "张三丰"),
        ("sanfeng", "张三丰"),
        ("单芳", "单芳"),  # a two-character name: below the trigram index's reach
        ("sf", "单芳"),  # 单 as a surname reads shan
        ("shanfang", "单芳"),
        ("002X", "张三丰"),  # any 3+ characters of an ID number
        ("0519491231", "张三丰"),
        ("0010100141", "单芳"),  # part of a certificate number
        ("书院小区5幢", "张三丰"),
        ("13905701234", "张三丰"),
    ],
)
def test_finds(seeded, query, expected):
    assert expected in names(seeded, query)


def test_best_match_comes_first(seeded):
    assert names(seeded, "张三丰")[0] == "张三丰"
    assert names(seeded, "单芳")[0] == "单芳"


def test_nothing_matches_nonsense(seeded):
    assert names(seeded, "qqqxxxzzz") == []


def test_query_with_quotes_does_not_break_fts(seeded):
    assert names(seeded, 'a"b"c') == []


def test_filters(seeded):
    hits = search_persons(seeded.engine, "", SearchFilters(category="1", level="1"))
    assert hits and all(h.category == "1" and h.level == "1" for h in hits)
    assert "单芳" in [h.name for h in hits]
    county = search_persons(seeded.engine, "", SearchFilters(region_prefix="330881"))
    assert county and all(h.region_code.startswith("330881") for h in county)
    poor = search_persons(seeded.engine, "", SearchFilters(economic_status="tekun"))
    assert poor and all(h.economic_status == "tekun" for h in poor)


def test_not_visited_this_year(seeded):
    since = date(date.today().year, 1, 1)
    everyone = search_persons(seeded.engine, "", limit=None)
    not_visited = search_persons(seeded.engine, "", SearchFilters(not_visited_since=since), limit=None)
    assert 0 < len(not_visited) < len(everyone)
    assert all(h.last_visit < since.isoformat() for h in not_visited)
    assert "张三丰" in [h.name for h in not_visited]
