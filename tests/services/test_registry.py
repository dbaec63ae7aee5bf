import pytest
from sqlmodel import select

from app.services.registry import RegistryService, ValidationFailed, validate_household, validate_person
from app.store.models import Change, Person
from tests.helpers.profiles import VALID_ID, VALID_ID_2, household_data, person_data


@pytest.fixture
def registry(store):
    return RegistryService(store)


def test_create_household_and_person_derives_gender_and_birth(registry):
    h = registry.save_household("alice", household_data())
    p = registry.save_person("alice", h.id, person_data())
    assert (p.gender, p.birth_date, p.region_code) == ("F", "1949-12-31", h.region_code)
    detail = registry.household_detail("alice", h.id)
    assert [m.name for m in detail.members] == ["王芳"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "请填写姓名"),
        ({"name": "王"}, "name", "2到20"),
        ({"id_number": "110105194912310021"}, "id_number", "校验位"),
        ({"cert_number": VALID_ID + "12"}, "cert_number", "视力残疾"),
        ({"cert_number": VALID_ID_2 + "42"}, "cert_number", "不一致"),
        ({"level": ""}, "level", "等级"),
        ({"phone": "12345"}, "phone", "电话"),
    ],
)
def test_invalid_person_is_refused_and_nothing_saved(registry, store, change, field, message):
    h = registry.save_household("alice", household_data())
    with store.session() as s:
        before = len(s.exec(select(Change)).all())
    with pytest.raises(ValidationFailed) as failed:
        registry.save_person("alice", h.id, person_data(**change))
    assert message in failed.value.errors[field]
    with store.session() as s:
        assert s.exec(select(Person)).all() == []
        assert len(s.exec(select(Change)).all()) == before


def test_same_id_number_twice_is_refused(registry):
    h = registry.save_household("alice", household_data())
    registry.save_person("alice", h.id, person_data())
    errors = validate_person(person_data(name="王芳芳"), store=registry.store)
    assert "已登记" in errors["id_number"]


def test_editing_a_person_keeps_their_own_id_number(registry):
    h = registry.save_household("alice", household_data())
    p = registry.save_person("alice", h.id, person_data())
    edited = registry.save_person("alice", h.id, person_data(phone="13905708888"), person_id=p.id)
    assert edited.phone == "13905708888"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"address": " "}, "address"),
        ({"region_code": "330802"}, "region_code"),
        ({"region_code": "999"}, "region_code"),
    ],
)
def test_invalid_household(change, field):
    assert field in validate_household(household_data(**change))


def test_moving_a_household_moves_its_members(registry):
    h = registry.save_household("alice", household_data())
    p = registry.save_person("alice", h.id, person_data())
    from app.domain.regions import default_catalog

    other = default_catalog().villages_under("330803")[0].code
    registry.save_household("alice", household_data(region_code=other), household_id=h.id)
    assert registry.get_person("alice", p.id).region_code == other
